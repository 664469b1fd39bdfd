"""Canonical serialisation of a decision record: the exact bytes its hash is computed over.

The same record must give the same bytes on every machine, Python version and database, or a
re-verification years later reports tampering that never happened. So the rules are strict:
JSON with sorted keys and no whitespace, UTF-8 (no ASCII escaping), dates and times as ISO 8601,
and no binary floats (their text form is not stable across producers; use `Decimal` or `str`).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ketenwijs.audit.jcs import MAX_SAFE_INTEGER, JCSError, jcs

HASH_HEX_LENGTH = 64
_HEX_DIGEST = re.compile(f"[0-9a-f]{{{HASH_HEX_LENGTH}}}").fullmatch
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # characters outside the BMP


class CanonicalError(TypeError):
    """A value cannot be serialised canonically; the message names where it sits."""


def _normalise(value: Any, where: str) -> Any:
    # bool before int: bool is a subclass of int and must stay true/false in JSON.
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(
                f"{where}: integer {value} is outside the I-JSON safe range (RFC 7493 §2.2); "
                "store it as a string"
            )
        return value
    if isinstance(value, float):
        raise CanonicalError(
            f"{where}: binary floats are not allowed in an audit record (their text form is not "
            f"stable); use decimal.Decimal or str for {value!r}"
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CanonicalError(f"{where}: {value!r} is not a finite number")
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise CanonicalError(
                f"{where}: naive datetime {value.isoformat()} is ambiguous; give it a time zone"
            )
        # One clock for all: the same instant must hash the same whatever zone it was read in.
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return _normalise(value.value, where)
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"{where}: keys must be strings, got {key!r}")
            result[key] = _normalise(item, f"{where}.{key}")
        return result
    if isinstance(value, list | tuple):
        return [_normalise(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, set | frozenset):
        items = [_normalise(item, f"{where}{{}}") for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    raise CanonicalError(f"{where}: cannot serialise {type(value).__name__} value {value!r}")


def canonical_json(record: Mapping[str, Any]) -> bytes:
    """Serialise a record to its canonical UTF-8 JSON bytes, the input of `content_hash`.

    The bytes are RFC 8785 (JCS) of the normalised record, so any JCS library recomputes them.
    For records whose member names are in the Basic Multilingual Plane and whose integers are
    within ±2^53-1 (every record Ketenwijs writes) they equal the earlier sorted-keys form, so
    stored hashes still verify (ADR 0019).
    """
    normalised = _normalise(record, "record")
    # Fast path (C speed): with safe integers (checked above) and no floats, Python's sorted-keys
    # JSON is JCS unless a member name lies outside the BMP, where UTF-16 order differs.
    text = json.dumps(
        normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    if _ASTRAL.search(text) is None:
        return text.encode("utf-8")
    try:
        return jcs(normalised)
    except JCSError as exc:
        raise CanonicalError(f"record: {exc}") from exc


def content_hash(record: Mapping[str, Any]) -> str:
    """Return the SHA-256 hex digest of a record's canonical form."""
    return hashlib.sha256(canonical_json(record)).hexdigest()


def is_hash(value: object) -> bool:
    """Tell whether `value` looks like a lowercase SHA-256 hex digest."""
    # A compiled pattern, not a per-character loop: verification calls this several times per
    # record (ADR 0019 measures verify-bundle over 100,000 records).
    return isinstance(value, str) and _HEX_DIGEST(value) is not None
