"""Free text in the chain as a salted commitment, so it can be erased without breaking the chain.

A record's hashed content holds `text_commitment(salt, text)`, not the text. The text and its salt
are stored beside the record. Redaction (AVG arts 16 and 17) removes both: the commitment stays
in the chain, so every hash still verifies, and without the salt nobody can confirm a guessed text
against it (a plain hash of a short text could be brute-forced).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ketenwijs.audit.canonical import is_hash

_TEXT_LABEL = b"ketenwijs/audit/text/v1\x00"
SALT_HEX_LENGTH = 32  # 16 random bytes


def new_salt() -> str:
    """Return a fresh random salt (hex) for one text."""
    return secrets.token_hex(SALT_HEX_LENGTH // 2)


def text_commitment(salt: str, text: str) -> str:
    """Return SHA-256 over a fixed label, the salt and the UTF-8 text (hex)."""
    if len(salt) != SALT_HEX_LENGTH or not all(c in "0123456789abcdef" for c in salt):
        raise ValueError(f"text_commitment: salt must be {SALT_HEX_LENGTH} lowercase hex digits")
    data = _TEXT_LABEL + bytes.fromhex(salt) + b"\x00" + text.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def text_matches(salt: str, text: str, commitment: str) -> bool:
    """Tell whether `text` under `salt` is the text the commitment was made over."""
    if not is_hash(commitment):
        return False
    try:
        expected = text_commitment(salt, text)
    except ValueError:
        return False
    return hmac.compare_digest(expected, commitment)
