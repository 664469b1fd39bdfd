"""Cost stays linear in document size: one large document scans about as fast as the same text
split into notes (issue 16). A ratio of CPU times measured in one run, not an absolute time."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from ketenwijs.signals import default_library, find_indicators

NOTES_DIR = Path(__file__).parent / "notes"
TARGET_CHARS = 5_000_000
# One document may cost a little more than many (longer offset maps, larger lists), but never
# a multiple: before the fix the 5 MB document took well over ten times as long as the notes.
MAX_RATIO = 2.5


def _note_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(NOTES_DIR.glob("*.yaml")):
        texts.extend(n["text"].strip() for n in yaml.safe_load(path.read_text("utf-8"))["notes"])
    return texts


def _cpu(function: object, *args: object) -> float:
    start = time.process_time()
    function(*args)  # type: ignore[operator]
    return time.process_time() - start


def test_a_five_megabyte_document_scans_in_time_linear_in_its_size() -> None:
    library = default_library()
    texts = _note_texts()
    notes: list[str] = []
    size = 0
    while size < TARGET_CHARS:
        for text in texts:
            notes.append(text)
            size += len(text) + 2
    whole = "\n\n".join(notes)
    assert len(whole) >= TARGET_CHARS

    def split() -> None:
        for note in notes:
            find_indicators(note, library)

    def single() -> None:
        findings = find_indicators(whole, library)
        assert len(findings) > len(notes)  # the large text is really scanned

    split_cpu = _cpu(split)
    single_cpu = _cpu(single)
    ratio = single_cpu / split_cpu
    print(f"\n5 MB: one document {single_cpu:.2f} s CPU, as notes {split_cpu:.2f} s, x{ratio:.2f}")
    assert ratio < MAX_RATIO
