"""Offline audit bundles: one organisation's log, its signed checkpoints and proofs in one file.

Format (docs/audit-bundle.md): JSON Lines, UTF-8. Line 1 is the header (log id, the latest
signed checkpoint, earlier checkpoints with consistency proofs, the hashes standing in for purged
records); every further line is one record as hashed, with its inclusion proof. `verify_bundle`
needs no database and no secret, only the installation's public key(s), and streams the records
so memory stays O(log n).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ketenwijs.audit.canonical import CanonicalError, content_hash
from ketenwijs.audit.chain import FIRST_SEQUENCE, chain_hash, genesis
from ketenwijs.audit.merkle import (
    CompactRange,
    hash_leaf,
    leaf_data_from_chain_hash,
    verify_consistency,
    verify_inclusion,
)
from ketenwijs.audit.signing import TreeCheckpoint, checkpoint_signature_ok

BUNDLE_FORMAT = "ketenwijs-audit-bundle"
BUNDLE_VERSION = 1
LEAF_DEFINITION = "SHA-256(0x00 || the 32 bytes of the record's chain_hash)"
MAX_LINE_BYTES = 16 * 1024 * 1024  # one record line; refuse anything larger before parsing
MAX_PROOF_LENGTH = 64  # a proof in a tree of < 2^64 leaves has at most 64 hashes
_HEX64 = re.compile("[0-9a-f]{64}").fullmatch


class Status(IntEnum):
    """The exit code of `ketenwijs audit verify-bundle`."""

    INTACT = 0
    BROKEN = 1
    UNREADABLE = 2


@dataclass(frozen=True)
class BundleResult:
    """What verification found: intact, broken (with the first broken record) or unreadable."""

    status: Status
    message: str
    records: int = 0
    first_broken_sequence: int | None = None


class Unreadable(ValueError):  # noqa: N818 -- reads as a verdict on the file
    """The bundle is not a readable bundle of this format (exit 2, not evidence of tampering)."""


class _Broken(Exception):  # noqa: N818
    def __init__(self, message: str, sequence: int | None = None) -> None:
        super().__init__(message)
        self.sequence = sequence


def write_bundle(
    out: IO[str],
    *,
    log_id: str,
    checkpoint: TreeCheckpoint,
    earlier: Iterable[tuple[TreeCheckpoint, list[bytes]]],
    prefix_peaks: list[bytes],
    prefix_prev_chain_hash: str,
    first_sequence: int,
    record_count: int,
    public_keys: Mapping[str, str],
    records: Iterable[Mapping[str, Any]],
) -> int:
    """Write a bundle; `records` are dicts with sequence, content, the three hashes and proof."""
    header = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "log_id": log_id,
        "leaf": LEAF_DEFINITION,
        "first_sequence": first_sequence,
        "record_count": record_count,
        "prefix": {
            "size": first_sequence - 1,
            "peaks": [peak.hex() for peak in prefix_peaks],
            "prev_chain_hash": prefix_prev_chain_hash,
        },
        "checkpoint": checkpoint.to_dict(),
        "earlier_checkpoints": [
            {"checkpoint": cp.to_dict(), "consistency_proof": [h.hex() for h in proof]}
            for cp, proof in earlier
        ],
        "public_keys": [{"key_id": k, "public_key": v} for k, v in sorted(public_keys.items())],
    }
    out.write(json.dumps(header, ensure_ascii=False, separators=(",", ":")) + "\n")
    written = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        written += 1
    return written


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise Unreadable(f"cannot open {path}: {exc.strerror or exc}") from exc
    with handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b""), 1):
            if len(raw) > MAX_LINE_BYTES:
                raise Unreadable(f"line {number} is longer than {MAX_LINE_BYTES} bytes")
            try:
                value = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise Unreadable(f"line {number} is not UTF-8 JSON ({exc})") from exc
            if not isinstance(value, dict):
                raise Unreadable(f"line {number} is not a JSON object")
            yield number, value


def _is_hex_hash(value: object) -> bool:
    # A compiled pattern: called ~20 times per record, so it must be cheap (cf. canonical.is_hash).
    return isinstance(value, str) and _HEX64(value) is not None


def _hash_list(value: Any, what: str) -> list[bytes]:
    if not isinstance(value, list) or len(value) > MAX_PROOF_LENGTH:
        raise Unreadable(f"{what} is not a list of at most {MAX_PROOF_LENGTH} hashes")
    if not all(_is_hex_hash(item) for item in value):
        raise Unreadable(f"{what} holds something that is not a SHA-256 hex digest")
    return [bytes.fromhex(item) for item in value]


def _checkpoint(value: Any, what: str) -> TreeCheckpoint:
    try:
        return TreeCheckpoint.from_dict(value)
    except ValueError as exc:
        raise Unreadable(f"{what}: {exc}") from exc


@dataclass(frozen=True)
class _Header:
    log_id: str
    first_sequence: int
    record_count: int
    prefix_size: int
    prefix_peaks: list[bytes]
    prefix_prev: str
    checkpoint: TreeCheckpoint
    earlier: list[tuple[TreeCheckpoint, list[bytes]]]


def _read_header(value: dict[str, Any]) -> _Header:
    if value.get("format") != BUNDLE_FORMAT or value.get("version") != BUNDLE_VERSION:
        raise Unreadable(f"not a {BUNDLE_FORMAT} version {BUNDLE_VERSION} file")
    try:
        prefix = value["prefix"]
        first_sequence = value["first_sequence"]
        record_count = value["record_count"]
        header = _Header(
            log_id=str(value["log_id"]),
            first_sequence=first_sequence,
            record_count=record_count,
            prefix_size=prefix["size"],
            prefix_peaks=_hash_list(prefix["peaks"], "prefix.peaks"),
            prefix_prev=str(prefix["prev_chain_hash"]),
            checkpoint=_checkpoint(value["checkpoint"], "checkpoint"),
            earlier=[
                (
                    _checkpoint(item["checkpoint"], f"earlier_checkpoints[{i}]"),
                    _hash_list(item["consistency_proof"], f"earlier_checkpoints[{i}] proof"),
                )
                for i, item in enumerate(value["earlier_checkpoints"])
            ],
        )
    except (KeyError, TypeError) as exc:
        raise Unreadable(f"the header lacks or misshapes {exc}") from exc
    for name in ("first_sequence", "record_count", "prefix_size"):
        number = getattr(header, name)
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise Unreadable(f"header {name} is not a non-negative integer")
    if header.first_sequence < FIRST_SEQUENCE or header.prefix_size != header.first_sequence - 1:
        raise Unreadable("header first_sequence and prefix.size do not fit together")
    return header


def _check_checkpoints(
    header: _Header, keys: dict[str, Ed25519PublicKey], known: TreeCheckpoint | None
) -> None:
    latest = header.checkpoint
    for name, checkpoint in (
        [("the latest checkpoint", latest)]
        + [(f"the checkpoint of size {cp.tree_size}", cp) for cp, _proof in header.earlier]
        + ([("your known checkpoint", known)] if known else [])
    ):
        if checkpoint.log_id != header.log_id:
            raise _Broken(f"{name} belongs to log {checkpoint.log_id!r}, not {header.log_id!r}")
        if not checkpoint_signature_ok(checkpoint, keys):
            why = (
                f"is signed with key {checkpoint.key_id}, which is not among the public keys given"
                if checkpoint.key_id not in keys
                else "has a signature that does not match (forged or altered)"
            )
            raise _Broken(f"{name} {why}")
    latest_root = bytes.fromhex(latest.root_hash)
    for checkpoint, proof in header.earlier:
        if checkpoint.tree_size > latest.tree_size:
            raise _Broken(
                f"a checkpoint of size {checkpoint.tree_size} is newer than the latest "
                f"(size {latest.tree_size}): the log was rolled back"
            )
        if checkpoint.tree_size and not verify_consistency(
            checkpoint.tree_size,
            bytes.fromhex(checkpoint.root_hash),
            latest.tree_size,
            latest_root,
            proof,
        ):
            raise _Broken(
                f"the latest checkpoint does not extend the checkpoint of size "
                f"{checkpoint.tree_size}: the log was rewritten"
            )
    if known is not None and known.tree_size > latest.tree_size:
        raise _Broken(
            f"your known checkpoint has {known.tree_size} records, the bundle's latest only "
            f"{latest.tree_size}: the log was rolled back or records were removed"
        )


def _check_record(
    value: dict[str, Any], expected_sequence: int, expected_prev: str, header: _Header
) -> tuple[str, list[bytes] | None]:
    sequence = value.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool):
        raise Unreadable(f"the record after {expected_sequence - 1} has no integer sequence")
    if sequence != expected_sequence:
        what = "missing" if sequence > expected_sequence else "out of place"
        raise _Broken(
            f"record {expected_sequence}: found record {sequence} in its place (record "
            f"{expected_sequence if what == 'missing' else sequence} {what}: deleted, inserted "
            "or reordered)",
            expected_sequence,
        )
    stored = {name: value.get(name) for name in ("content_hash", "prev_hash", "chain_hash")}
    if not all(_is_hex_hash(item) for item in stored.values()):
        raise _Broken(f"record {sequence} lacks a well-formed hash", sequence)
    content = value.get("content")
    if not isinstance(content, dict):
        raise _Broken(f"record {sequence} has no content object", sequence)
    try:
        recomputed = content_hash(content)
    except CanonicalError as exc:
        raise _Broken(
            f"record {sequence}: content is not canonical JSON ({exc})", sequence
        ) from exc
    if recomputed != stored["content_hash"]:
        raise _Broken(f"record {sequence} was changed: its content hash does not match", sequence)
    if stored["prev_hash"] != expected_prev:
        raise _Broken(
            f"record {sequence} does not link to the record before it (changed, inserted or "
            "removed)",
            sequence,
        )
    if chain_hash(str(stored["prev_hash"]), recomputed) != stored["chain_hash"]:
        raise _Broken(f"record {sequence}: its chain hash does not match", sequence)
    proof = value.get("inclusion_proof")
    return str(stored["chain_hash"]), (
        None if proof is None else _hash_list(proof, f"record {sequence} inclusion_proof")
    )


def _verify(
    path: Path, keys: dict[str, Ed25519PublicKey], known: TreeCheckpoint | None
) -> BundleResult:
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        raise Unreadable("the file is empty")
    header = _read_header(first[1])
    latest = header.checkpoint
    latest_root = bytes.fromhex(latest.root_hash)
    _check_checkpoints(header, keys, known)

    tree = CompactRange(header.prefix_size, [])
    peak_levels = [b for b in range(64, -1, -1) if header.prefix_size >> b & 1]
    if len(peak_levels) != len(header.prefix_peaks):
        raise Unreadable("prefix.peaks does not have one hash per set bit of prefix.size")
    tree.peaks = list(zip(peak_levels, header.prefix_peaks, strict=True))
    expected_prev = (
        genesis(header.log_id) if header.first_sequence == FIRST_SEQUENCE else header.prefix_prev
    )
    sequence = header.first_sequence
    count = 0
    for _number, value in lines:
        own_chain_hash, proof = _check_record(value, sequence, expected_prev, header)
        index = sequence - 1
        leaf = hash_leaf(leaf_data_from_chain_hash(own_chain_hash))
        if index >= latest.tree_size:
            raise _Broken(
                f"record {sequence} lies beyond the signed checkpoint ({latest.tree_size} records)",
                sequence,
            )
        if proof is not None and not verify_inclusion(
            leaf, index, latest.tree_size, proof, latest_root
        ):
            raise _Broken(
                f"record {sequence} is not the record the signed checkpoint holds at that place "
                "(changed, inserted or replaced with recomputed hashes)",
                sequence,
            )
        tree.append(leaf)
        if (
            known is not None
            and tree.size == known.tree_size
            and tree.root().hex() != (known.root_hash)
        ):
            raise _Broken(
                f"the first {known.tree_size} records differ from your known checkpoint",
                sequence,
            )
        expected_prev = own_chain_hash
        sequence += 1
        count += 1
    if tree.size < latest.tree_size:
        missing = f"{tree.size + 1}" + (
            f"\u2013{latest.tree_size}" if latest.tree_size > tree.size + 1 else ""
        )
        raise _Broken(
            f"record(s) {missing} are missing: the signed checkpoint holds {latest.tree_size}",
            tree.size + 1,
        )
    if tree.root() != latest_root:
        raise _Broken("the records do not add up to the signed root (the purged prefix changed?)")
    if count != header.record_count:
        raise _Broken(f"the header announces {header.record_count} records, the file holds {count}")
    purged = f", {header.prefix_size} purged before" if header.prefix_size else ""
    return BundleResult(
        Status.INTACT,
        f"Bundle intact: {count} records{purged}; signed root {latest.root_hash[:16]}… at size "
        f"{latest.tree_size}, key {latest.key_id}, {latest.timestamp}; "
        f"{len(header.earlier)} earlier checkpoint(s) consistent.",
        count,
    )


def verify_bundle(
    path: Path, public_keys: dict[str, Ed25519PublicKey], known: TreeCheckpoint | None = None
) -> BundleResult:
    """Verify a bundle against trusted public keys (and optionally a checkpoint seen earlier)."""
    try:
        return _verify(path, public_keys, known)
    except RecursionError:  # JSON nested deeper than Python's stack: not a Ketenwijs bundle
        return BundleResult(Status.UNREADABLE, "Bundle unreadable: JSON nested too deeply")
    except Unreadable as exc:
        return BundleResult(Status.UNREADABLE, f"Bundle unreadable: {exc}")
    except _Broken as exc:
        where = f" at record {exc.sequence}" if exc.sequence is not None else ""
        return BundleResult(
            Status.BROKEN, f"Bundle broken{where}: {exc}", first_broken_sequence=exc.sequence
        )
