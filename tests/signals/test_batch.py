"""`ketenwijs.signals.batch`: a partition scans like `scan_text`, in order, with the library id."""

from __future__ import annotations

import json

import pytest

from ketenwijs.signals import default_library, scan_text
from ketenwijs.signals.batch import encode, library_identity, partitions, scan_partition

DOCS = [
    ("a", "Ze moet van hem seks hebben met zijn vrienden. Er zijn geen blauwe plekken."),
    ("b", "Gesprek gevoerd. Alles gaat goed."),
    ("c", "Leerling (15) spijbelt en heeft een tweede telefoon. 日本語 ☎️"),
]


def test_a_partition_gives_what_scan_text_gives_per_document_in_order() -> None:
    expected = [scan_text(text, minor=True, doc_id=doc_id).to_dict() for doc_id, text in DOCS]
    plain = scan_partition(DOCS, minor=True, encoded=False)
    assert plain.documents == expected
    encoded = scan_partition(DOCS, minor=True)
    assert encoded.documents == [json.dumps(d, ensure_ascii=False) for d in expected]
    assert [json.loads(line)["id"] for line in encoded.documents] == ["a", "b", "c"]
    library = default_library()
    assert (encoded.library_version, encoded.library_sha256) == library_identity()
    assert library_identity() == (library.version, library.sha256)


def test_encode_keeps_unicode_unescaped() -> None:
    assert encode({"text": "Cliënte ☎️"}) == '{"text": "Cliënte ☎️"}'


def test_partitions_are_lazy_bounded_and_in_order() -> None:
    consumed: list[int] = []

    def source() -> object:
        for i in range(7):
            consumed.append(i)
            yield (str(i), "x")

    chunks = partitions(source(), 3)  # type: ignore[arg-type]
    assert [d for d, _ in next(chunks)] == ["0", "1", "2"]
    assert consumed == [0, 1, 2]
    assert [[d for d, _ in c] for c in chunks] == [["3", "4", "5"], ["6"]]
    assert list(partitions([], 5)) == []
    with pytest.raises(ValueError, match="at least 1"):
        list(partitions([], 0))
