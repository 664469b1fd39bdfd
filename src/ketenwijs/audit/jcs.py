"""JSON Canonicalization Scheme (RFC 8785, "JCS") for the values an audit record can hold.

JCS fixes one byte form per JSON value: no whitespace, object members sorted by the UTF-16 code
units of their names (§3.2.3), strings with only the mandatory escapes (§3.2.2.2), numbers in
ECMAScript form (§3.2.2.3). Audit records carry no binary floats (canonical.py refuses them), so
numbers here are integers, limited to the I-JSON safe range (RFC 7493 §2.2) where the ECMAScript
form is simply the decimal digits. Any language's JCS library gives the same bytes.
"""

from __future__ import annotations

import re
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 64

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


class JCSError(TypeError):
    """A value has no JCS form here (float, unsafe integer, non-string key, unknown type)."""


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _string(text: str) -> str:
    # §3.2.2.2: only ", \ and control characters are escaped; the rest is written as is.
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def _utf16_key(name: str) -> bytes:
    # §3.2.3: sort by UTF-16 code units; big-endian UTF-16 bytes compare in that order.
    return name.encode("utf-16-be", "surrogatepass")


def _serialise(value: Any, depth: int, out: list[str]) -> None:
    if depth > MAX_DEPTH:
        raise JCSError(f"nested deeper than {MAX_DEPTH} levels")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise JCSError(f"integer {value} is outside the I-JSON safe range (±2^53-1)")
        out.append(str(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _serialise(item, depth + 1, out)
        out.append("]")
    elif isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise JCSError(f"object member names must be strings, got {key!r}")
        out.append("{")
        for i, key in enumerate(sorted(value, key=_utf16_key)):
            if i:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _serialise(value[key], depth + 1, out)
        out.append("}")
    elif isinstance(value, float):
        raise JCSError(f"binary float {value!r}: audit records hold no floats")
    else:
        raise JCSError(f"{type(value).__name__} is not a JSON value")


def jcs(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value (dict, list, str, int, …)."""
    out: list[str] = []
    _serialise(value, 0, out)
    try:
        return "".join(out).encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate has no UTF-8 form (RFC 8785 §3.2.2.2)
        raise JCSError(f"text holds an unpaired surrogate: {exc}") from exc
