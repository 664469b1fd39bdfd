"""Certificate verification codes: HMAC-signed, holding only the issue date and a random nonce.

A code says nothing about the person: it carries the date (days since 2020-01-01), 40 random bits
and a 64-bit HMAC tag over module id, date and nonce. Anyone with the code can learn that it is
valid, for which module and on which date; forging one needs the server's key.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

EPOCH = dt.date(2020, 1, 1)
PREFIX = "KW"
_NONCE_BYTES = 5
_TAG_BYTES = 8
_DOMAIN = b"ketenwijs.learning.certificate.v1"


@dataclass(frozen=True, slots=True)
class VerifiedCode:
    """What a valid code reveals: the module and the day it was issued."""

    module_id: str
    issued_on: dt.date


def _tag(secret: bytes, module_id: str, days: int, nonce: bytes) -> bytes:
    message = b"|".join([_DOMAIN, module_id.encode(), str(days).encode(), nonce])
    return hmac.new(secret, message, hashlib.sha256).digest()[:_TAG_BYTES]


def _group(raw: str) -> str:
    return "-".join([PREFIX, *(raw[i : i + 4] for i in range(0, len(raw), 4))])


def issue_code(
    secret: bytes, module_id: str, issued_on: dt.date, nonce: bytes | None = None
) -> str:
    """Return a new verification code such as `KW-ABCD-EFGH-…` for a module and date."""
    if len(secret) < 32:
        raise ValueError("the certificate key must be at least 32 bytes")
    days = (issued_on - EPOCH).days
    if not 0 <= days < 2**16:
        raise ValueError(f"issue date {issued_on} is outside the supported range")
    nonce = secrets.token_bytes(_NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != _NONCE_BYTES:
        raise ValueError(f"nonce must be {_NONCE_BYTES} bytes")
    raw = days.to_bytes(2, "big") + nonce + _tag(secret, module_id, days, nonce)
    return _group(base64.b32encode(raw).decode().rstrip("="))


def normalise_code(code: str) -> str:
    """Return the canonical form of a typed code (case, spaces and dashes do not matter)."""
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    return _group(compact)


def verify_code(secret: bytes, code: str, module_ids: Iterable[str]) -> VerifiedCode | None:
    """Return the module and date of a genuine code, or None for anything else."""
    compact = normalise_code(code).replace("-", "")[len(PREFIX) :]
    expected_length = len(base64.b32encode(b"\0" * (2 + _NONCE_BYTES + _TAG_BYTES)).rstrip(b"="))
    if len(compact) != expected_length:
        return None
    try:
        raw = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except ValueError:
        return None
    days = int.from_bytes(raw[:2], "big")
    nonce = raw[2 : 2 + _NONCE_BYTES]
    tag = raw[2 + _NONCE_BYTES :]
    for module_id in module_ids:
        if hmac.compare_digest(tag, _tag(secret, module_id, days, nonce)):
            return VerifiedCode(module_id=module_id, issued_on=EPOCH + dt.timedelta(days=days))
    return None
