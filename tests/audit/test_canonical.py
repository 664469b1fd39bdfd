"""Canonical form: same record, same bytes; surprising values are refused, not guessed."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

import pytest

from ketenwijs.audit import CanonicalError, canonical_json, content_hash


class Outcome(enum.Enum):
    ALLOWED = "allowed"


def test_key_order_does_not_change_the_bytes() -> None:
    assert canonical_json({"b": 1, "a": {"y": 2, "x": 3}}) == canonical_json(
        {"a": {"x": 3, "y": 2}, "b": 1}
    )


def test_output_is_compact_sorted_utf8_json() -> None:
    assert canonical_json({"z": "één", "a": [1, True, None]}) == (
        '{"a":[1,true,null],"z":"één"}'.encode()
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2025, 3, 1), '"2025-03-01"'),
        (dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC), '"2025-03-01T12:00:00Z"'),
        (
            dt.datetime(2025, 3, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            '"2025-03-01T12:00:00Z"',
        ),
        (Decimal("1250.00"), '"1250.00"'),
        (
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            '"12345678-1234-5678-1234-567812345678"',
        ),
        (Outcome.ALLOWED, '"allowed"'),
        (("a", "b"), '["a","b"]'),
        (frozenset({"b", "a"}), '["a","b"]'),
    ],
)
def test_values_have_one_stable_text_form(value: object, expected: str) -> None:
    assert canonical_json({"v": value}) == f'{{"v":{expected}}}'.encode()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (1.5, "binary floats are not allowed"),
        (dt.datetime(2025, 3, 1, 12, 0), "naive datetime"),
        (Decimal("NaN"), "not a finite number"),
        (object(), "cannot serialise object"),
    ],
)
def test_unstable_values_are_refused_with_their_place(value: object, fragment: str) -> None:
    with pytest.raises(CanonicalError, match=fragment) as info:
        canonical_json({"facts": {"amount": value}})
    assert "record.facts.amount" in str(info.value)


def test_non_string_keys_are_refused() -> None:
    with pytest.raises(CanonicalError, match="keys must be strings"):
        canonical_json({"facts": {1: "x"}})


def test_content_hash_is_sha256_hex_of_canonical_bytes() -> None:
    import hashlib

    record = {"outcome": "allowed", "sequence": 1}
    assert content_hash(record) == hashlib.sha256(canonical_json(record)).hexdigest()
    assert len(content_hash(record)) == 64


def test_content_hash_is_pinned_so_later_versions_cannot_drift() -> None:
    # If this changes, every stored log in the field stops verifying: never update it lightly.
    assert content_hash({"a": 1, "b": "é"}) == (
        "09ad9fd2fb648cb2f62141215828ea00a62c299db05d20aa9ade2f527a301cc6"
    )
