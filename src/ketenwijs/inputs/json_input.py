"""JSON from users, bounded before it is parsed: size, nesting depth, number length, and no
duplicate keys (a duplicate is an error, not "the last one wins": two values for one fact)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JsonLimits:
    """Limits for one kind of JSON input (a case, an API body, a JSON Lines record)."""

    max_chars: int = 1_000_000
    max_depth: int = 20
    max_number_chars: int = 40


class JsonInputError(ValueError):
    """The JSON is unreadable or beyond a limit; the message says where or which limit."""


class JsonSyntaxError(JsonInputError):
    """Not JSON at all; `reason`, `line` and `column` are the parser's."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(f"invalid JSON at line {line}, column {column}: {reason}")


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON, walked without recursion (1 for a flat list or object)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonInputError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259); Python accepts them unless told not to.
    raise JsonInputError(f"{name} is not a JSON number")


def load_json(text: str, limits: JsonLimits = JsonLimits()) -> Any:
    """Parse JSON within `limits`; raise JsonInputError with a message a person can act on."""
    if len(text) > limits.max_chars:
        raise JsonInputError(f"the JSON has {len(text):,} characters; at most {limits.max_chars:,}")

    def number(raw: str) -> float | int:
        if len(raw) > limits.max_number_chars:
            raise JsonInputError(
                f"a number of {len(raw):,} characters; at most {limits.max_number_chars}"
            )
        return float(raw) if any(c in raw for c in ".eE") else int(raw)

    # Parsing is linear (the C scanner); nesting beyond Python's recursion limit stops it at once
    # with RecursionError, and anything deeper than the limit is refused after the parse. (A
    # regular expression that skipped strings before counting brackets was quadratic on "\"".)
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_int=number,
            parse_float=number,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(exc.msg, exc.lineno, exc.colno) from None
    except RecursionError:
        raise JsonInputError(
            f"the JSON is nested more than a thousand levels deep; at most {limits.max_depth}"
        ) from None
    depth = _depth(value)
    if depth > limits.max_depth:
        raise JsonInputError(f"the JSON is nested {depth} levels deep; at most {limits.max_depth}")
    return value
