"""The last head of each chain, kept outside the database: catches a rollback and a wiped log.

The signed head row lives in the same database as the records, so whoever can delete the newest
records can also put back an older (validly signed) head, or delete the head with every record.
After each append the application therefore also writes the head to a small signed file in a
directory outside the database. Verification compares the database with that file: a chain that
ends before the file's record, or that no longer contains the file's chain hash, was rolled back.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ketenwijs.audit.canonical import canonical_json, is_hash
from ketenwijs.audit.chain import BrokenLink, Problem, VerifyResult

ANCHOR_PURPOSE = "audit-anchor"
_MAX_ANCHOR_BYTES = 4096
_NAME = re.compile(r"[^a-z0-9]+")


class AnchorError(ValueError):
    """The anchor file exists but cannot be read as an anchor."""


@dataclass(frozen=True)
class Anchor:
    """The newest head of an organisation's chain as last written outside the database."""

    organisation: str
    last_sequence: int
    last_chain_hash: str
    signature: str = ""

    def payload(self) -> bytes:
        return canonical_json(
            {
                "type": "ketenwijs.audit.anchor",
                "version": 1,
                "organisation": self.organisation,
                "last_sequence": self.last_sequence,
                "last_chain_hash": self.last_chain_hash,
            }
        )

    def signed(self, key: bytes) -> Anchor:
        return replace(self, signature=hmac.new(key, self.payload(), hashlib.sha256).hexdigest())

    def is_authentic(self, key: bytes) -> bool:
        expected = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.signature)


def anchor_path(directory: Path, organisation: str) -> Path:
    """Return the file that holds `organisation`'s anchor (one file per organisation)."""
    return directory / f"{_NAME.sub('-', organisation.lower()).strip('-')}.json"


def read_anchor(directory: Path, organisation: str) -> Anchor | None:
    """Return the stored anchor, None when there is none, or raise AnchorError when unreadable."""
    path = anchor_path(directory, organisation)
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_ANCHOR_BYTES + 1)
    except FileNotFoundError:
        return None
    if len(raw) > _MAX_ANCHOR_BYTES:
        raise AnchorError(f"{path}: larger than {_MAX_ANCHOR_BYTES} bytes")
    try:
        data = json.loads(raw)
        anchor = Anchor(
            organisation=str(data["organisation"]),
            last_sequence=int(data["last_sequence"]),
            last_chain_hash=str(data["last_chain_hash"]),
            signature=str(data["signature"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorError(f"{path}: not an anchor ({exc})") from exc
    if anchor.organisation != organisation or not is_hash(anchor.last_chain_hash):
        raise AnchorError(f"{path}: not the anchor of {organisation}")
    return anchor


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with (directory / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_anchor(directory: Path, anchor: Anchor) -> bool:
    """Store `anchor` unless the file already holds a later one; return whether it was written.

    Appends commit in order but their after-commit writes may not, so the file only moves forward.
    The new file is written beside the old one and renamed over it (atomic on POSIX).
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = anchor_path(directory, anchor.organisation)
    with _locked(directory):
        try:
            current = read_anchor(directory, anchor.organisation)
        except AnchorError:
            current = None  # an unreadable file is replaced; verification reported it already
        if current is not None and current.last_sequence >= anchor.last_sequence:
            return False
        body = json.dumps(
            {
                "organisation": anchor.organisation,
                "last_sequence": anchor.last_sequence,
                "last_chain_hash": anchor.last_chain_hash,
                "signature": anchor.signature,
            },
            indent=2,
        )
        temporary = path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    return True


def check_anchor(
    result: VerifyResult,
    anchor: Anchor | None,
    *,
    key: bytes,
    head_sequence: int,
    chain_hash_at: Callable[[int], str | None],
) -> VerifyResult:
    """Return `result`, or a failed one when the database's chain is behind or off the anchor.

    `head_sequence` is the last sequence the database holds (0 for none); `chain_hash_at(n)` gives
    the stored chain hash of record n, or None when it is not stored (purged or deleted).
    """
    if not result.ok or anchor is None:
        return result
    seq = anchor.last_sequence
    if not anchor.is_authentic(key):
        nl = "het externe ankerbestand van de keten is gewijzigd of vervalst"
        en = "the chain's external anchor file was altered or forged"
    elif head_sequence < seq:
        nl = (
            f"de database eindigt bij record {head_sequence}, maar het externe anker noemt record "
            f"{seq}: de keten is teruggezet of gewist"
        )
        en = (
            f"the database ends at record {head_sequence}, but the external anchor names record "
            f"{seq}: the chain was rolled back or wiped"
        )
    else:
        stored = chain_hash_at(seq)
        if stored is None or stored == anchor.last_chain_hash:
            # None: the record was purged since (the purge checkpoint vouches for it).
            return result
        nl = f"record {seq} is niet meer het record dat het externe anker noemt (herschreven)"
        en = f"record {seq} is no longer the record the external anchor names (rewritten)"
    broken = BrokenLink(result.verified_count, seq, Problem.ROLLBACK, nl, en)
    return replace(result, ok=False, first_broken=broken)
