"""Size-limited reads: never more than the limit (plus one byte to notice it) in memory."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import BinaryIO

_SIZE = re.compile(r"(?i)^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$")
_UNITS = {"b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}


class InputTooLargeError(ValueError):
    """More bytes than the limit; `limit` says how many were allowed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"larger than the limit of {describe_size(limit)}")


def describe_size(size: int) -> str:
    """A size for a message: '10 MB', '512 kB', '100 bytes'."""
    if size >= 1024**2 and size % 1024**2 == 0:
        return f"{size // 1024**2} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} kB"
    return f"{size} bytes"


def parse_size(value: str) -> int:
    """Read '10MB', '512k', '2 GB' or a number of bytes; raise ValueError for anything else."""
    m = _SIZE.match(value)
    if m is None:
        raise ValueError(f"not a size: {value!r} (examples: 10MB, 512kB, 1GB)")
    number = float(m.group(1)) * _UNITS[(m.group(2) or "b").lower()]
    if number < 1:
        raise ValueError(f"a size must be at least 1 byte, not {value!r}")
    return int(number)


def read_path_limited(path: str, limit: int) -> bytes:
    """Read a file, or stdin for "-", within `limit` (OSError and InputTooLargeError pass on)."""
    if path == "-":
        return read_limited(sys.stdin.buffer, limit)
    with Path(path).open("rb") as stream:
        return read_limited(stream, limit)


def read_limited(stream: BinaryIO, limit: int) -> bytes:
    """Read the whole stream if it holds at most `limit` bytes; raise InputTooLargeError otherwise.

    Reads in chunks, so an endless stream (/dev/zero, a pipe) is refused after `limit` bytes.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputTooLargeError(limit)
