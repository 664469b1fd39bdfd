"""The signed chain head reveals removed newest records and forged heads."""

from __future__ import annotations

from ketenwijs.audit import Problem, build_chain, check_head, derive_key, sign_head, verify_chain

KEY = derive_key("test-secret-of-sufficient-length", "audit-head")
ORG = "organisation:1"


def _verified(count: int):  # type: ignore[no-untyped-def]
    links = build_chain(ORG, [{"n": i} for i in range(count)])
    return links, verify_chain(links, organisation=ORG)


def test_matching_head_keeps_result_ok() -> None:
    links, result = _verified(3)
    signature = sign_head(ORG, 3, links[-1].chain_hash, KEY)
    checked = check_head(
        result,
        organisation=ORG,
        last_sequence=3,
        last_chain_hash=links[-1].chain_hash,
        signature=signature,
        key=KEY,
    )
    assert checked.ok


def test_removed_newest_record_is_reported() -> None:
    links, _ = _verified(3)
    truncated = verify_chain(links[:2], organisation=ORG)
    signature = sign_head(ORG, 3, links[-1].chain_hash, KEY)
    checked = check_head(
        truncated,
        organisation=ORG,
        last_sequence=3,
        last_chain_hash=links[-1].chain_hash,
        signature=signature,
        key=KEY,
    )
    assert not checked.ok
    assert checked.first_broken is not None
    assert checked.first_broken.problem is Problem.HEAD_MISMATCH
    assert "newest records were removed" in checked.first_broken.detail_en


def test_forged_head_is_reported() -> None:
    links, result = _verified(2)
    checked = check_head(
        result,
        organisation=ORG,
        last_sequence=2,
        last_chain_hash=links[-1].chain_hash,
        signature="0" * 64,
        key=KEY,
    )
    assert not checked.ok
    assert "forged" in checked.first_broken.detail_en  # type: ignore[union-attr]


def test_rows_without_any_head_are_reported() -> None:
    _links, result = _verified(1)
    checked = check_head(
        result, organisation=ORG, last_sequence=0, last_chain_hash="", signature="", key=KEY
    )
    assert not checked.ok


def test_empty_chain_without_head_is_fine() -> None:
    result = verify_chain([], organisation=ORG)
    assert check_head(
        result, organisation=ORG, last_sequence=0, last_chain_hash="", signature="", key=KEY
    ).ok
