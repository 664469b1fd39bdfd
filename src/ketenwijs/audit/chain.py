"""The hash chain of an organisation's decision log: build links, verify them, purge safely.

Each record stores `content_hash` (SHA-256 of its canonical content) and `chain_hash`
= SHA-256 over the previous record's chain hash and its own content hash. The first record of an
organisation points at that organisation's genesis value. Changing, removing, inserting or
reordering a record therefore breaks the link at (or just after) that record, and
`verify_chain` reports the first such break.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from ketenwijs.audit.canonical import CanonicalError, content_hash, is_hash
from ketenwijs.audit.checkpoint import Checkpoint, is_checkpoint_authentic, sign_checkpoint

_GENESIS_LABEL = "ketenwijs/audit/genesis/v1/"
_CHAIN_LABEL = b"ketenwijs/audit/chain/v1\x00"
FIRST_SEQUENCE = 1
RANGE_DASH = (
    "\u2013"  # en dash: ranges are written "3 to 5" with an en dash in Dutch and English text
)


def genesis(organisation: str) -> str:
    """Return the hash the first record of `organisation` links to.

    Per organisation, so a record copied from one organisation's log into another's never links.
    """
    if not organisation:
        raise ValueError("genesis: organisation must be a non-empty identifier")
    return hashlib.sha256((_GENESIS_LABEL + organisation).encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, content_hash: str) -> str:
    """Return the chain hash that links a record's content hash to its predecessor."""
    for name, value in (("prev_hash", prev_hash), ("content_hash", content_hash)):
        if not is_hash(value):
            raise ValueError(f"chain_hash: {name} {value!r} is not a SHA-256 hex digest")
    data = _CHAIN_LABEL + prev_hash.encode("ascii") + b"\x00" + content_hash.encode("ascii")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    """One record as the chain sees it: its position, content and the three stored hashes."""

    sequence: int
    content: Mapping[str, Any]
    content_hash: str
    prev_hash: str
    chain_hash: str
    # Set by the storage layer when a stored value outside the hashed content (a column shown or
    # used for access, a free text beside its commitment) disagrees with it: (Dutch, English).
    row_problem: tuple[str, str] | None = None


def make_link(sequence: int, content: Mapping[str, Any], prev_hash: str) -> ChainLink:
    """Compute the hashes for a new record that follows the record whose chain hash is given."""
    own = content_hash(content)
    return ChainLink(
        sequence=sequence,
        content=content,
        content_hash=own,
        prev_hash=prev_hash,
        chain_hash=chain_hash(prev_hash, own),
    )


def append_link(
    organisation: str, previous: ChainLink | None, content: Mapping[str, Any]
) -> ChainLink:
    """Build the link that follows `previous`, or the first link of the organisation."""
    if previous is None:
        return make_link(FIRST_SEQUENCE, content, genesis(organisation))
    return make_link(previous.sequence + 1, content, previous.chain_hash)


def build_chain(organisation: str, contents: Iterable[Mapping[str, Any]]) -> list[ChainLink]:
    """Build a fresh chain from genesis over `contents` (tests, imports, re-hashing tools)."""
    links: list[ChainLink] = []
    for content in contents:
        links.append(append_link(organisation, links[-1] if links else None, content))
    return links


class Problem(StrEnum):
    """What is wrong with the first broken link."""

    CONTENT_CHANGED = "content_changed"
    CHAIN_HASH_CHANGED = "chain_hash_changed"
    PREVIOUS_LINK_BROKEN = "previous_link_broken"
    SEQUENCE_GAP = "sequence_gap"
    REORDERED = "reordered"
    DUPLICATE_SEQUENCE = "duplicate_sequence"
    CHECKPOINT_INVALID = "checkpoint_invalid"
    HEAD_MISMATCH = "head_mismatch"
    ROLLBACK = "rollback"


@dataclass(frozen=True)
class BrokenLink:
    """The first place where verification failed, in words for an auditor (nl and en)."""

    position: int  # 0-based index in the verified sequence; -1 for the checkpoint itself
    sequence: int
    problem: Problem
    detail_nl: str
    detail_en: str


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of `verify_chain`: how many links held and, if one did not, which and why."""

    ok: bool
    verified_count: int
    first_broken: BrokenLink | None
    started_from: Literal["genesis", "checkpoint"]
    last_sequence: int | None
    last_chain_hash: str

    def message(self) -> str:
        """Return a one-paragraph Dutch + English summary for the verify command and page."""
        if self.first_broken is None:
            start_nl = "het begin" if self.started_from == "genesis" else "het checkpoint"
            start_en = "the start" if self.started_from == "genesis" else "the checkpoint"
            return (
                f"Keten intact: {self.verified_count} records geverifieerd vanaf {start_nl}. / "
                f"Chain intact: {self.verified_count} records verified from {start_en}."
            )
        b = self.first_broken
        return (
            f"Keten verbroken bij record {b.sequence}: {b.detail_nl} "
            f"({self.verified_count} records ervoor zijn in orde). / "
            f"Chain broken at record {b.sequence}: {b.detail_en} "
            f"({self.verified_count} records before it are intact)."
        )


def _broken(position: int, sequence: int, problem: Problem, nl: str, en: str) -> BrokenLink:
    return BrokenLink(position, sequence, problem, nl, en)


def _diagnose_link(
    position: int,
    link: ChainLink,
    expected_sequence: int,
    expected_prev: str,
    seen_sequences: set[int],
    later_hashes: Mapping[str, int],
) -> BrokenLink | None:
    seq = link.sequence
    try:
        recomputed = content_hash(link.content)
    except CanonicalError as exc:
        return _broken(
            position, seq, Problem.CONTENT_CHANGED,
            f"de inhoud is niet meer canoniek te lezen ({exc})",
            f"the content can no longer be read canonically ({exc})",
        )  # fmt: skip
    if recomputed != link.content_hash:
        return _broken(
            position, seq, Problem.CONTENT_CHANGED,
            "de inhoud is gewijzigd na het opslaan (de inhoudshash klopt niet)",
            "the content was changed after it was saved (content hash mismatch)",
        )  # fmt: skip
    if link.row_problem is not None:
        return _broken(position, seq, Problem.CONTENT_CHANGED, *link.row_problem)
    if not is_hash(link.prev_hash) or chain_hash(link.prev_hash, link.content_hash) != (
        link.chain_hash
    ):
        return _broken(
            position, seq, Problem.CHAIN_HASH_CHANGED,
            "de opgeslagen ketenhash of verwijzing is gewijzigd",
            "the stored chain hash or back-reference was altered",
        )  # fmt: skip
    if seq == expected_sequence and link.prev_hash == expected_prev:
        return None
    if seq in seen_sequences:
        return _broken(
            position, seq, Problem.DUPLICATE_SEQUENCE,
            f"volgnummer {seq} komt twee keer voor (de keten is gesplitst)",
            f"sequence number {seq} occurs twice (the chain has forked)",
        )  # fmt: skip
    if seq < expected_sequence or link.prev_hash in later_hashes:
        return _broken(
            position, seq, Problem.REORDERED,
            f"de volgorde klopt niet: verwacht record {expected_sequence}, gevonden {seq}",
            f"records are out of order: expected record {expected_sequence}, found {seq}",
        )  # fmt: skip
    if seq > expected_sequence:
        missing = (
            str(expected_sequence)
            if seq == expected_sequence + 1
            else f"{expected_sequence}{RANGE_DASH}{seq - 1}"
        )
        return _broken(
            position, seq, Problem.SEQUENCE_GAP,
            f"record(s) {missing} ontbreken (verwijderd?)",
            f"record(s) {missing} are missing (deleted?)",
        )  # fmt: skip
    prev_name = (
        "het begin van de keten"
        if expected_sequence == FIRST_SEQUENCE
        else (f"record {expected_sequence - 1}")
    )
    prev_name_en = (
        "the start of the chain"
        if expected_sequence == FIRST_SEQUENCE
        else (f"record {expected_sequence - 1}")
    )
    return _broken(
        position, seq, Problem.PREVIOUS_LINK_BROKEN,
        f"de verwijzing naar {prev_name} klopt niet (die is gewijzigd, vervangen of verwijderd)",
        f"the link to {prev_name_en} does not match (it was changed, replaced or removed)",
    )  # fmt: skip


def verify_chain(
    records: Iterable[ChainLink],
    *,
    organisation: str,
    checkpoint: Checkpoint | None = None,
    key: bytes | None = None,
) -> VerifyResult:
    """Verify an organisation's links in stored order and report the first broken one.

    Without `checkpoint` the chain must start at sequence 1 and link to the organisation's
    genesis. With one (after a purge), its signature is checked with `key` first and the chain
    must continue right after it. Records are held in memory to tell a reordering from a gap.
    """
    links = list(records)
    started_from: Literal["genesis", "checkpoint"] = "genesis"
    expected_sequence = FIRST_SEQUENCE
    expected_prev = genesis(organisation)
    if checkpoint is not None:
        started_from = "checkpoint"
        if key is None:
            raise ValueError("verify_chain: a checkpoint can only be trusted with its key")
        problem_nl = problem_en = ""
        if checkpoint.organisation != organisation:
            problem_nl = f"het checkpoint hoort bij organisatie {checkpoint.organisation!r}"
            problem_en = f"the checkpoint belongs to organisation {checkpoint.organisation!r}"
        elif not is_checkpoint_authentic(checkpoint, key):
            problem_nl = "de handtekening van het checkpoint klopt niet (vervalst of gewijzigd)"
            problem_en = "the checkpoint's signature does not match (forged or altered)"
        if problem_nl:
            broken = _broken(
                -1, checkpoint.last_sequence, Problem.CHECKPOINT_INVALID, problem_nl, problem_en
            )
            return VerifyResult(False, 0, broken, started_from, None, expected_prev)
        expected_sequence = checkpoint.last_sequence + 1
        expected_prev = checkpoint.chain_hash

    later_hashes: dict[str, int] = {}
    for index, link in enumerate(links):
        later_hashes.setdefault(link.chain_hash, index)
    seen_sequences: set[int] = set()
    last_sequence: int | None = None
    for index, link in enumerate(links):
        if later_hashes.get(link.chain_hash) == index:
            del later_hashes[link.chain_hash]
        broken_link = _diagnose_link(
            index, link, expected_sequence, expected_prev, seen_sequences, later_hashes
        )
        if broken_link is not None:
            return VerifyResult(
                False, index, broken_link, started_from, last_sequence, expected_prev
            )
        seen_sequences.add(link.sequence)
        last_sequence = link.sequence
        expected_sequence = link.sequence + 1
        expected_prev = link.chain_hash
    return VerifyResult(True, len(links), None, started_from, last_sequence, expected_prev)


class PurgeError(ValueError):
    """The records to purge do not verify, so no checkpoint may be signed over them."""


def checkpoint_for_purge(
    organisation: str,
    purged: Sequence[ChainLink],
    key: bytes,
    *,
    previous: Checkpoint | None = None,
    now: dt.datetime | None = None,
) -> Checkpoint:
    """Verify the records about to be purged and sign the checkpoint that replaces them.

    `purged` are the oldest records, in order, continuing from `previous` (or from genesis).
    Verifying first means a purge can never launder an earlier tampering into a valid anchor.
    """
    if not purged:
        raise PurgeError("nothing to purge: a checkpoint covers at least one record")
    result = verify_chain(purged, organisation=organisation, checkpoint=previous, key=key)
    if not result.ok:
        raise PurgeError(f"refusing to purge: {result.message()}")
    created_at = now if now is not None else dt.datetime.now(dt.UTC)
    unsigned = Checkpoint(
        organisation=organisation,
        last_sequence=purged[-1].sequence,
        chain_hash=purged[-1].chain_hash,
        purged_count=(previous.purged_count if previous else 0) + len(purged),
        created_at=created_at,
    )
    return sign_checkpoint(unsigned, key)
