"""Ed25519-signed tree checkpoints: anyone with the public key can check them, nobody else can sign.

A checkpoint states "the log `log_id` had `tree_size` records with Merkle root `root_hash` at
`timestamp`", signed by the installation's private key (`key_id` names the key, so rotation keeps
old checkpoints verifiable with the old public key). The signed bytes are the RFC 8785 (JCS)
canonical JSON of those fields, so a verifier in any language rebuilds them exactly.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ketenwijs.audit.canonical import is_hash
from ketenwijs.audit.jcs import jcs

CHECKPOINT_TYPE = "ketenwijs.audit.tree-checkpoint"
CHECKPOINT_VERSION = 1
KEY_ID_HEX_LENGTH = 16
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.*?-----END \1-----", re.DOTALL)
MAX_KEY_TEXT = 1_000_000  # a key file or list is small; refuse to parse anything huge


class SigningKeyError(ValueError):
    """A signing or public key cannot be read; the message says what was expected."""


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return the key's id: the first 16 hex digits of SHA-256 over its raw 32 bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_HEX_LENGTH]


def public_key_b64(public_key: Ed25519PublicKey) -> str:
    """Return the raw 32-byte public key in base64, the form the bundle and the keys page use."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    """Return the public key as a PEM SubjectPublicKeyInfo block (what openssl reads)."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def private_key_pem(private_key: Ed25519PrivateKey) -> str:
    """Return the private key as unencrypted PKCS#8 PEM (for the generated development key file)."""
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def load_private_key(text: str | bytes) -> Ed25519PrivateKey:
    """Read an Ed25519 private key from PKCS#8 PEM or from base64 of its raw 32-byte seed."""
    data = text.encode("ascii", "replace") if isinstance(text, str) else text
    data = data.strip()
    if len(data) > MAX_KEY_TEXT:
        raise SigningKeyError("the signing key is far too long to be an Ed25519 key")
    if data.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise SigningKeyError(
                f"the signing key is not a readable unencrypted PEM key ({exc})"
            ) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError(f"the signing key is a {type(key).__name__}, not an Ed25519 key")
        return key
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningKeyError("the signing key is neither PEM nor base64") from exc
    if len(raw) != 32:
        raise SigningKeyError(f"a base64 Ed25519 private key holds 32 bytes, this one {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_public_keys(text: str) -> dict[str, Ed25519PublicKey]:
    """Read one or more Ed25519 public keys, keyed by key id.

    Accepts PEM blocks (one or several), the JSON of the public keys page
    (`{"keys": [{"public_key": base64, ...}]}`), or base64 raw keys, one per line.
    """
    if len(text) > MAX_KEY_TEXT:
        raise SigningKeyError("the public key file is too large (over 1 MB)")
    keys: list[Ed25519PublicKey] = []
    stripped = text.strip()
    if not stripped:
        raise SigningKeyError("the public key file is empty")
    if "-----BEGIN" in stripped:
        for match in _PEM_BLOCK.finditer(stripped):
            try:
                key = serialization.load_pem_public_key(match.group(0).encode("ascii"))
            except ValueError as exc:
                raise SigningKeyError(f"a PEM block is not a public key ({exc})") from exc
            if not isinstance(key, Ed25519PublicKey):
                raise SigningKeyError(f"a PEM block holds a {type(key).__name__}, not Ed25519")
            keys.append(key)
    elif stripped.startswith("{"):
        try:
            data = json.loads(stripped)
            entries = data["keys"]
            keys = [raw_public_key(str(entry["public_key"])) for entry in entries]
        except (ValueError, KeyError, TypeError) as exc:
            raise SigningKeyError(
                f"the JSON key list is not in the public keys format ({exc})"
            ) from exc
    else:
        keys = [raw_public_key(line) for line in stripped.splitlines() if line.strip()]
    if not keys:
        raise SigningKeyError("no public key found in the file")
    return {key_id(key): key for key in keys}


def raw_public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningKeyError(f"{text.strip()[:20]!r} is not base64") from exc
    if len(raw) != 32:
        raise SigningKeyError(f"a raw Ed25519 public key holds 32 bytes, this one {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def _timestamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("checkpoint time must be timezone-aware")
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class TreeCheckpoint:
    """A signed statement of an organisation log's size and Merkle root at a moment."""

    log_id: str
    tree_size: int
    root_hash: str
    timestamp: str  # ISO 8601 UTC with Z, whole seconds
    key_id: str
    signature: str = field(default="", compare=False)  # base64 Ed25519 signature

    def payload(self) -> bytes:
        """The exact bytes that are signed: JCS (RFC 8785) of every field but the signature."""
        return jcs(
            {
                "type": CHECKPOINT_TYPE,
                "version": CHECKPOINT_VERSION,
                "log_id": self.log_id,
                "tree_size": self.tree_size,
                "root_hash": self.root_hash,
                "timestamp": self.timestamp,
                "key_id": self.key_id,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": CHECKPOINT_TYPE,
            "version": CHECKPOINT_VERSION,
            "log_id": self.log_id,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "timestamp": self.timestamp,
            "key_id": self.key_id,
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: Any) -> TreeCheckpoint:
        """Read a checkpoint from `to_dict` output; ValueError names what is missing or wrong."""
        if not isinstance(data, dict):
            raise ValueError("a checkpoint is a JSON object")
        if data.get("type") != CHECKPOINT_TYPE or data.get("version") != CHECKPOINT_VERSION:
            raise ValueError(f"not a {CHECKPOINT_TYPE} version {CHECKPOINT_VERSION} checkpoint")
        try:
            checkpoint = cls(
                log_id=str(data["log_id"]),
                tree_size=data["tree_size"],
                root_hash=str(data["root_hash"]),
                timestamp=str(data["timestamp"]),
                key_id=str(data["key_id"]),
                signature=str(data["signature"]),
            )
        except KeyError as exc:
            raise ValueError(f"the checkpoint has no {exc.args[0]!r}") from exc
        if not isinstance(checkpoint.tree_size, int) or checkpoint.tree_size < 0:
            raise ValueError("the checkpoint's tree_size is not a non-negative integer")
        if not is_hash(checkpoint.root_hash):
            raise ValueError("the checkpoint's root_hash is not a SHA-256 hex digest")
        return checkpoint


def sign_tree_checkpoint(
    private_key: Ed25519PrivateKey,
    *,
    log_id: str,
    tree_size: int,
    root_hash: bytes,
    timestamp: dt.datetime,
) -> TreeCheckpoint:
    """Sign the log's current size and root with the installation key."""
    unsigned = TreeCheckpoint(
        log_id=log_id,
        tree_size=tree_size,
        root_hash=root_hash.hex(),
        timestamp=_timestamp(timestamp),
        key_id=key_id(private_key.public_key()),
    )
    signature = private_key.sign(unsigned.payload())
    return replace(unsigned, signature=base64.b64encode(signature).decode("ascii"))


def checkpoint_signature_ok(
    checkpoint: TreeCheckpoint, public_keys: dict[str, Ed25519PublicKey]
) -> bool:
    """Tell whether the checkpoint is signed by the key it names, which must be a trusted key."""
    key = public_keys.get(checkpoint.key_id)
    if key is None:
        return False
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        key.verify(signature, checkpoint.payload())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
