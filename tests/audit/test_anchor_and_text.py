"""The anchor file outside the database (rollback, wipe) and salted text commitments."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenwijs.audit import (
    Anchor,
    AnchorError,
    Problem,
    build_chain,
    check_anchor,
    derive_key,
    new_salt,
    read_anchor,
    text_commitment,
    text_matches,
    verify_chain,
    write_anchor,
)
from ketenwijs.audit.anchor import anchor_path

KEY = derive_key("test-secret-of-sufficient-length", "audit-anchor")
ORG = "organisation:7"


def _chain(count: int):  # type: ignore[no-untyped-def]
    links = build_chain(ORG, [{"n": i} for i in range(count)])
    return links, {link.sequence: link.chain_hash for link in links}


def test_anchor_round_trip_and_only_moves_forward(tmp_path: Path) -> None:
    links, _ = _chain(3)
    assert read_anchor(tmp_path, ORG) is None
    assert write_anchor(tmp_path, Anchor(ORG, 3, links[2].chain_hash).signed(KEY))
    assert not write_anchor(tmp_path, Anchor(ORG, 2, links[1].chain_hash).signed(KEY))
    stored = read_anchor(tmp_path, ORG)
    assert stored is not None
    assert stored.last_sequence == 3
    assert stored.is_authentic(KEY)
    assert anchor_path(tmp_path, ORG).name == "organisation-7.json"


def test_rollback_and_rewrite_are_reported(tmp_path: Path) -> None:
    links, hashes = _chain(3)
    anchor = Anchor(ORG, 3, links[2].chain_hash).signed(KEY)
    intact = verify_chain(links, organisation=ORG)
    assert check_anchor(intact, anchor, key=KEY, head_sequence=3, chain_hash_at=hashes.get).ok
    rolled_back = verify_chain(links[:2], organisation=ORG)
    result = check_anchor(rolled_back, anchor, key=KEY, head_sequence=2, chain_hash_at=hashes.get)
    assert not result.ok
    assert result.first_broken is not None
    assert result.first_broken.problem == Problem.ROLLBACK
    # A different third record (rewritten after a rollback) no longer matches the anchor.
    other = build_chain(ORG, [{"n": 0}, {"n": 1}, {"n": "x"}])
    other_hashes = {link.sequence: link.chain_hash for link in other}
    rewritten = check_anchor(
        verify_chain(other, organisation=ORG),
        anchor,
        key=KEY,
        head_sequence=3,
        chain_hash_at=other_hashes.get,
    )
    assert not rewritten.ok
    # A forged anchor is reported, an unsigned one too.
    forged = Anchor(ORG, 3, links[2].chain_hash, signature="0" * 64)
    assert not check_anchor(intact, forged, key=KEY, head_sequence=3, chain_hash_at=hashes.get).ok


def test_unreadable_or_foreign_anchor_is_an_error(tmp_path: Path) -> None:
    anchor_path(tmp_path, ORG).write_text("{not json", encoding="utf-8")
    with pytest.raises(AnchorError):
        read_anchor(tmp_path, ORG)
    links, _ = _chain(1)
    write_anchor(tmp_path, Anchor("organisation:8", 1, links[0].chain_hash).signed(KEY))
    anchor_path(tmp_path, ORG).write_text(
        anchor_path(tmp_path, "organisation:8").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(AnchorError):
        read_anchor(tmp_path, ORG)
    anchor_path(tmp_path, ORG).write_bytes(b" " * 5000)
    with pytest.raises(AnchorError):
        read_anchor(tmp_path, ORG)


def test_text_commitment_is_salted_and_checks_the_text() -> None:
    salt = new_salt()
    commitment = text_commitment(salt, "Gedeeld na het casusoverleg.")
    assert text_matches(salt, "Gedeeld na het casusoverleg.", commitment)
    assert not text_matches(salt, "Gedeeld na het casusoverleg!", commitment)
    assert not text_matches(new_salt(), "Gedeeld na het casusoverleg.", commitment)
    assert not text_matches("", "Gedeeld na het casusoverleg.", commitment)
    assert text_commitment(salt, "a") != text_commitment(new_salt(), "a")
    with pytest.raises(ValueError, match="salt"):
        text_commitment("xyz", "a")


def test_pinned_commitment_so_the_format_cannot_drift() -> None:
    """Anyone can recompute it: SHA-256 over label, 16 salt bytes, a zero byte and UTF-8 text."""
    import hashlib

    salt = "00112233445566778899aabbccddeeff"
    expected = hashlib.sha256(
        b"ketenwijs/audit/text/v1\x00" + bytes.fromhex(salt) + b"\x00" + "één".encode()
    ).hexdigest()
    assert text_commitment(salt, "één") == expected


def test_row_problem_is_reported_as_content_changed() -> None:
    from dataclasses import replace

    links, _ = _chain(3)
    flagged = [
        links[0],
        replace(links[1], row_problem=("kolom gewijzigd", "column changed")),
        links[2],
    ]
    result = verify_chain(flagged, organisation=ORG)
    assert not result.ok
    assert result.first_broken is not None
    assert result.first_broken.sequence == 2
    assert result.first_broken.problem == Problem.CONTENT_CHANGED
    assert result.first_broken.detail_en == "column changed"
