"""Scan a partition of documents in one call: the unit of work a batch runner (Dask) ships out.

Pure and importable by reference, so a worker process runs it without pickled code; the
indicator library is loaded once per process (`default_library` is cached), not per partition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ketenwijs.signals.assessment import scan_text
from ketenwijs.signals.library import default_library

Document = tuple[str, str]
"""(id, text) of one document, as read by the client."""


@dataclass(frozen=True)
class PartitionResult:
    """The scanned documents of one partition, in input order, and the library that scanned them.

    `documents` holds `ScanResult.to_dict()` per document, or its JSON line when `encoded`
    (cheaper to send back and no encoding work left for the client).
    """

    library_version: str
    library_sha256: str
    documents: list[Any]


def encode(data: dict[str, Any]) -> str:
    """Return the JSON of one scanned document exactly as `ketenwijs signals scan` writes it."""
    return json.dumps(data, ensure_ascii=False)


def library_identity() -> tuple[str, str]:
    """Load the packaged library in this process (once) and return its version and sha256."""
    library = default_library()
    return library.version, library.sha256


def scan_partition(
    documents: Sequence[Document], minor: bool | None = None, encoded: bool = True
) -> PartitionResult:
    """Scan every document of a partition with the packaged library, keeping the input order."""
    library = default_library()
    results: list[Any] = []
    for doc_id, text in documents:
        data = scan_text(text, minor=minor, library=library, doc_id=doc_id).to_dict()
        results.append(encode(data) if encoded else data)
    return PartitionResult(library.version, library.sha256, results)


def partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Group documents into lists of at most `size`, lazily, in input order."""
    if size < 1:
        raise ValueError(f"partition size must be at least 1, not {size}")
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk
