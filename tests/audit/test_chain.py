"""The hash chain: every kind of tampering is reported at the right record, intact chains pass."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

import pytest

from ketenwijs.audit import (
    CHECKPOINT_PURPOSE,
    ChainLink,
    Problem,
    PurgeError,
    append_link,
    build_chain,
    chain_hash,
    checkpoint_for_purge,
    content_hash,
    derive_key,
    genesis,
    verify_chain,
)

ORG = "org-utrecht"
KEY = derive_key("test-secret-not-for-production", CHECKPOINT_PURPOSE)
NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


def record(n: int) -> dict[str, Any]:
    return {
        "sequence": n,
        "organisation": ORG,
        "outcome": "allowed_with_conditions",
        "motivation": f"Besluit {n} op grond van art. 20 Wpg.",
        "saved_at": NOW + dt.timedelta(minutes=n),
    }


def chain(length: int = 6) -> list[ChainLink]:
    return build_chain(ORG, [record(n) for n in range(1, length + 1)])


def test_intact_chain_verifies_every_record() -> None:
    result = verify_chain(chain(), organisation=ORG)
    assert result.ok
    assert result.verified_count == 6
    assert result.first_broken is None
    assert result.last_sequence == 6
    assert "6 records geverifieerd" in result.message()


def test_empty_chain_is_intact() -> None:
    result = verify_chain([], organisation=ORG)
    assert result.ok
    assert result.verified_count == 0
    assert result.last_chain_hash == genesis(ORG)


def test_first_record_links_to_the_organisations_genesis() -> None:
    first = append_link(ORG, None, record(1))
    assert first.sequence == 1
    assert first.prev_hash == genesis(ORG)
    assert first.chain_hash == chain_hash(genesis(ORG), content_hash(record(1)))


def test_genesis_differs_per_organisation() -> None:
    assert genesis("a") != genesis("b")


def test_chain_of_another_organisation_does_not_verify() -> None:
    result = verify_chain(chain(), organisation="org-amsterdam")
    assert not result.ok
    assert result.first_broken is not None
    assert result.first_broken.sequence == 1
    assert result.first_broken.problem is Problem.PREVIOUS_LINK_BROKEN


def test_edited_content_is_detected_at_that_record() -> None:
    links = chain()
    edited = dict(links[3].content, motivation="Achteraf aangepast")
    links[3] = dataclasses.replace(links[3], content=edited)
    result = verify_chain(links, organisation=ORG)
    assert not result.ok
    assert result.verified_count == 3
    assert result.first_broken is not None
    assert result.first_broken.sequence == 4
    assert result.first_broken.position == 3
    assert result.first_broken.problem is Problem.CONTENT_CHANGED
    assert "Keten verbroken bij record 4" in result.message()
    assert "Chain broken at record 4" in result.message()


def test_content_edited_with_recomputed_hashes_breaks_the_next_link() -> None:
    links = chain()
    edited = dict(links[2].content, outcome="not_allowed")
    links[2] = dataclasses.replace(
        links[2],
        content=edited,
        content_hash=content_hash(edited),
        chain_hash=chain_hash(links[2].prev_hash, content_hash(edited)),
    )
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.sequence == 4
    assert result.first_broken.problem is Problem.PREVIOUS_LINK_BROKEN
    assert "record 3" in result.first_broken.detail_en


def test_altered_stored_chain_hash_is_detected() -> None:
    links = chain()
    links[1] = dataclasses.replace(links[1], chain_hash="0" * 64)
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.sequence == 2
    assert result.first_broken.problem is Problem.CHAIN_HASH_CHANGED


def test_deleted_middle_record_is_reported_as_a_gap() -> None:
    links = chain()
    del links[2]
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.verified_count == 2
    assert result.first_broken.sequence == 4
    assert result.first_broken.problem is Problem.SEQUENCE_GAP
    assert "3" in result.first_broken.detail_nl


def test_several_deleted_records_name_the_range() -> None:
    links = chain(8)
    del links[2:5]
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.problem is Problem.SEQUENCE_GAP
    assert "3\u20135" in result.first_broken.detail_en


def test_deleted_record_with_renumbered_successors_is_detected() -> None:
    links = chain()
    del links[2]
    links[2:] = [dataclasses.replace(link, sequence=link.sequence - 1) for link in links[2:]]
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.sequence == 3
    assert result.first_broken.problem is Problem.PREVIOUS_LINK_BROKEN


def test_swapped_records_are_reported_as_reordered() -> None:
    links = chain()
    links[2], links[3] = links[3], links[2]
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.position == 2
    assert result.first_broken.problem is Problem.REORDERED


def test_swapped_sequence_numbers_are_reported_as_reordered() -> None:
    # Someone swaps the stored sequence numbers; the database then returns rows by sequence.
    links = chain()
    third, fourth = links[2], links[3]
    links[2] = dataclasses.replace(fourth, sequence=3)
    links[3] = dataclasses.replace(third, sequence=4)
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.sequence == 3
    assert result.first_broken.problem is Problem.REORDERED


def test_duplicated_sequence_number_is_reported_as_a_fork() -> None:
    links = chain()
    fork = append_link(ORG, links[1], {"outcome": "not_allowed"})
    links.insert(3, fork)
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.problem is Problem.DUPLICATE_SEQUENCE
    assert result.first_broken.sequence == 3


def test_inserted_foreign_record_is_detected() -> None:
    links = chain()
    stranger = append_link("org-other", None, {"outcome": "allowed"})
    links.insert(2, dataclasses.replace(stranger, sequence=3))
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.sequence == 3
    assert result.first_broken.problem is Problem.PREVIOUS_LINK_BROKEN


def test_content_that_no_longer_serialises_is_content_changed() -> None:
    links = chain()
    links[0] = dataclasses.replace(links[0], content={"amount": 1.5})
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.problem is Problem.CONTENT_CHANGED
    assert "float" in result.first_broken.detail_en


def test_chain_hash_refuses_values_that_are_not_hashes() -> None:
    with pytest.raises(ValueError, match="prev_hash 'abc' is not a SHA-256 hex digest"):
        chain_hash("abc", "0" * 64)


def test_genesis_needs_an_organisation() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        genesis("")


# --- purge and checkpoints --------------------------------------------------------------------


def test_purge_then_verify_from_checkpoint_passes() -> None:
    links = chain(10)
    checkpoint = checkpoint_for_purge(ORG, links[:4], KEY, now=NOW)
    assert checkpoint.last_sequence == 4
    assert checkpoint.purged_count == 4
    assert checkpoint.chain_hash == links[3].chain_hash
    result = verify_chain(links[4:], organisation=ORG, checkpoint=checkpoint, key=KEY)
    assert result.ok, result.message()
    assert result.verified_count == 6
    assert result.started_from == "checkpoint"
    assert "vanaf het checkpoint" in result.message()


def test_remaining_records_without_checkpoint_do_not_verify() -> None:
    links = chain(10)
    result = verify_chain(links[4:], organisation=ORG)
    assert result.first_broken is not None
    assert result.first_broken.problem is Problem.REORDERED or (
        result.first_broken.problem is Problem.SEQUENCE_GAP
    )


def test_second_purge_continues_from_the_first_checkpoint() -> None:
    links = chain(10)
    first = checkpoint_for_purge(ORG, links[:3], KEY, now=NOW)
    second = checkpoint_for_purge(ORG, links[3:7], KEY, previous=first, now=NOW)
    assert second.purged_count == 7
    assert second.last_sequence == 7
    assert verify_chain(links[7:], organisation=ORG, checkpoint=second, key=KEY).ok


def test_purge_after_checkpoint_detects_a_record_deleted_right_after_it() -> None:
    links = chain(10)
    checkpoint = checkpoint_for_purge(ORG, links[:4], KEY, now=NOW)
    result = verify_chain(links[5:], organisation=ORG, checkpoint=checkpoint, key=KEY)
    assert result.first_broken is not None
    assert result.first_broken.sequence == 6
    assert result.first_broken.problem is Problem.SEQUENCE_GAP


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda cp: dataclasses.replace(cp, last_sequence=6), id="moved forward"),
        pytest.param(lambda cp: dataclasses.replace(cp, chain_hash="a" * 64), id="other hash"),
        pytest.param(lambda cp: dataclasses.replace(cp, purged_count=1), id="count changed"),
        pytest.param(
            lambda cp: dataclasses.replace(cp, created_at=cp.created_at + dt.timedelta(days=1)),
            id="time changed",
        ),
        pytest.param(lambda cp: dataclasses.replace(cp, signature="0" * 64), id="signature"),
        pytest.param(
            lambda cp: checkpoint_for_purge(ORG, chain(10)[:6], b"attacker-key", now=NOW),
            id="signed with another key",
        ),
    ],
)
def test_forged_checkpoint_is_detected(forge: Any) -> None:
    links = chain(10)
    genuine = checkpoint_for_purge(ORG, links[:4], KEY, now=NOW)
    forged = forge(genuine)
    result = verify_chain(links[6:], organisation=ORG, checkpoint=forged, key=KEY)
    assert not result.ok
    assert result.first_broken is not None
    assert result.first_broken.problem is Problem.CHECKPOINT_INVALID
    assert result.first_broken.position == -1
    assert "handtekening" in result.first_broken.detail_nl


def test_checkpoint_of_another_organisation_is_refused() -> None:
    other = build_chain("org-b", [record(n) for n in range(1, 4)])
    checkpoint = checkpoint_for_purge("org-b", other[:2], KEY, now=NOW)
    result = verify_chain(chain()[2:], organisation=ORG, checkpoint=checkpoint, key=KEY)
    assert result.first_broken is not None
    assert result.first_broken.problem is Problem.CHECKPOINT_INVALID
    assert "org-b" in result.first_broken.detail_en


def test_checkpoint_round_trips_through_a_dict() -> None:
    from ketenwijs.audit import Checkpoint, is_checkpoint_authentic

    checkpoint = checkpoint_for_purge(ORG, chain()[:2], KEY, now=NOW)
    restored = Checkpoint.from_dict(checkpoint.to_dict())
    assert restored == checkpoint
    assert is_checkpoint_authentic(restored, KEY)


def test_purge_refuses_to_sign_over_tampered_records() -> None:
    links = chain()
    links[1] = dataclasses.replace(links[1], content={"outcome": "changed"})
    with pytest.raises(PurgeError, match="refusing to purge: Keten verbroken bij record 2"):
        checkpoint_for_purge(ORG, links[:3], KEY, now=NOW)


def test_purge_of_nothing_is_refused() -> None:
    with pytest.raises(PurgeError, match="at least one record"):
        checkpoint_for_purge(ORG, [], KEY)


def test_verifying_with_a_checkpoint_needs_the_key() -> None:
    checkpoint = checkpoint_for_purge(ORG, chain()[:2], KEY, now=NOW)
    with pytest.raises(ValueError, match="only be trusted with its key"):
        verify_chain(chain()[2:], organisation=ORG, checkpoint=checkpoint)


def test_derived_keys_differ_per_purpose_and_secret() -> None:
    assert derive_key("s", "a") != derive_key("s", "b")
    assert derive_key("s", "a") != derive_key("t", "a")
    assert derive_key("s", "a") == derive_key(b"s", "a")
    assert len(derive_key("s", "a")) == 32


@pytest.mark.parametrize(("secret", "purpose"), [("", "x"), (b"", "x"), ("s", "")])
def test_derive_key_refuses_empty_input(secret: str | bytes, purpose: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        derive_key(secret, purpose)


# --- property-style: random chains, random single tampering -----------------------------------

TAMPERINGS = ["edit", "delete", "swap", "rehash_edit"]


@pytest.mark.parametrize("seed", range(40))
def test_random_single_tampering_is_found_at_or_right_after_the_touched_record(seed: int) -> None:
    rng = random.Random(seed)
    length = rng.randint(3, 30)
    links = build_chain(
        ORG,
        [{"n": n, "text": rng.choice(["a", "b", "ç"]) * rng.randint(1, 5)} for n in range(length)],
    )
    assert verify_chain(links, organisation=ORG).ok
    kind = TAMPERINGS[seed % len(TAMPERINGS)]
    i = rng.randrange(length - 1)
    if kind == "edit":
        links[i] = dataclasses.replace(links[i], content={"n": -1})
        expected_at, problem = i, Problem.CONTENT_CHANGED
    elif kind == "delete":
        del links[i]
        expected_at, problem = i, Problem.SEQUENCE_GAP
    elif kind == "swap":
        links[i], links[i + 1] = links[i + 1], links[i]
        expected_at, problem = i, Problem.REORDERED
    else:
        new = {"n": -1}
        links[i] = dataclasses.replace(
            links[i],
            content=new,
            content_hash=content_hash(new),
            chain_hash=chain_hash(links[i].prev_hash, content_hash(new)),
        )
        expected_at, problem = i + 1, Problem.PREVIOUS_LINK_BROKEN
    result = verify_chain(links, organisation=ORG)
    assert result.first_broken is not None
    assert (result.first_broken.position, result.first_broken.problem) == (expected_at, problem)
    assert result.verified_count == expected_at


@pytest.mark.parametrize("seed", range(10))
def test_random_purges_keep_the_rest_verifiable(seed: int) -> None:
    rng = random.Random(1000 + seed)
    links = build_chain(ORG, [{"n": n} for n in range(rng.randint(5, 40))])
    checkpoint = None
    start = 0
    while start < len(links) - 1:
        stop = rng.randint(start + 1, len(links) - 1)
        checkpoint = checkpoint_for_purge(ORG, links[start:stop], KEY, previous=checkpoint)
        start = stop
        result = verify_chain(links[start:], organisation=ORG, checkpoint=checkpoint, key=KEY)
        assert result.ok, result.message()
        assert result.verified_count == len(links) - start
    assert checkpoint is None or checkpoint.purged_count == start
