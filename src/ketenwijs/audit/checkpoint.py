"""Signed checkpoints: the anchor a chain is verified from after old records were purged.

A retention purge deletes the oldest records of an organisation. Without an anchor the first
remaining record would point at a hash nobody can check, and an attacker could delete records and
call it a purge. A checkpoint states "records up to sequence N were purged; the chain hash of N
was H" and carries an HMAC-SHA256 over exactly those facts, keyed by a key derived from the
application secret. Whoever cannot sign cannot forge or move a checkpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field, replace
from typing import Any

from ketenwijs.audit.canonical import canonical_json, is_hash

CHECKPOINT_PURPOSE = "audit-checkpoint"
_KEY_LABEL = b"ketenwijs/derive-key/v1/"
_PAYLOAD_TYPE = "ketenwijs.audit.checkpoint"
_PAYLOAD_VERSION = 1


def derive_key(secret: str | bytes, purpose: str) -> bytes:
    """Derive a 32-byte key for one `purpose` from the application secret.

    One secret, many keys: a key leaked or misused for one purpose (say, signing cookies) must not
    also sign audit checkpoints. This is HKDF-Expand with a single block (RFC 5869), which is
    HMAC-SHA256 over a fixed label plus the purpose.
    """
    secret_bytes = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not secret_bytes:
        raise ValueError("derive_key: the application secret is empty")
    if not purpose:
        raise ValueError("derive_key: purpose must be a non-empty string")
    info = _KEY_LABEL + purpose.encode("utf-8") + b"\x01"
    return hmac.new(secret_bytes, info, hashlib.sha256).digest()


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement that an organisation's records up to `last_sequence` were purged.

    `purged_count` is the total number of records purged from this chain so far (all purges
    together), so a later purge's checkpoint supersedes the earlier one.
    """

    organisation: str
    last_sequence: int
    chain_hash: str
    purged_count: int
    created_at: dt.datetime
    signature: str = field(default="", compare=False)

    def payload(self) -> bytes:
        """Return the canonical bytes the signature covers (every field except the signature)."""
        return canonical_json(
            {
                "type": _PAYLOAD_TYPE,
                "version": _PAYLOAD_VERSION,
                "organisation": self.organisation,
                "last_sequence": self.last_sequence,
                "chain_hash": self.chain_hash,
                "purged_count": self.purged_count,
                "created_at": self.created_at,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict, e.g. for storing the checkpoint in a database row."""
        return {
            "organisation": self.organisation,
            "last_sequence": self.last_sequence,
            "chain_hash": self.chain_hash,
            "purged_count": self.purged_count,
            "created_at": self.created_at.isoformat(),
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        """Rebuild a checkpoint from `to_dict` output (the signature is checked separately)."""
        return cls(
            organisation=str(data["organisation"]),
            last_sequence=int(data["last_sequence"]),
            chain_hash=str(data["chain_hash"]),
            purged_count=int(data["purged_count"]),
            created_at=dt.datetime.fromisoformat(str(data["created_at"])),
            signature=str(data["signature"]),
        )


def _signature(checkpoint: Checkpoint, key: bytes) -> str:
    return hmac.new(key, checkpoint.payload(), hashlib.sha256).hexdigest()


def sign_checkpoint(checkpoint: Checkpoint, key: bytes) -> Checkpoint:
    """Return a copy of `checkpoint` carrying its HMAC-SHA256 signature under `key`."""
    if checkpoint.last_sequence < 1 or checkpoint.purged_count < 1:
        raise ValueError("a checkpoint covers at least one purged record")
    if not is_hash(checkpoint.chain_hash):
        raise ValueError(f"chain_hash {checkpoint.chain_hash!r} is not a SHA-256 hex digest")
    return replace(checkpoint, signature=_signature(checkpoint, key))


def is_checkpoint_authentic(checkpoint: Checkpoint, key: bytes) -> bool:
    """Tell whether the checkpoint's signature matches its content under `key`."""
    try:
        expected = _signature(checkpoint, key)
    except TypeError:  # e.g. a naive created_at read back from a tampered row
        return False
    return hmac.compare_digest(expected, checkpoint.signature)
