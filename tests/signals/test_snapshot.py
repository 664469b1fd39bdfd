"""Speed work must not change a single result: `scan_text(...).to_dict()` equals the snapshot.

The snapshot (`snapshot/scan_results.json.gz`) holds its inputs: the annotated notes, generated
documents (the benchmark's generator, fixed seed), mangled copies and edge cases. When a content
or rule change is *meant* to change results, regenerate it with
`.venv/bin/python -m tests.signals.make_snapshot` and review the difference.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from ketenwijs.signals import default_library

from .make_snapshot import SNAPSHOT, results


def _load() -> dict[str, Any]:
    with gzip.open(SNAPSHOT, "rb") as data:
        loaded: dict[str, Any] = json.loads(data.read())
    return loaded


def _first_difference(want: object, got: object, at: str = "") -> str:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in sorted(set(want) | set(got)):
            if want.get(key) != got.get(key):
                return _first_difference(want.get(key), got.get(key), f"{at}.{key}")
    if isinstance(want, list) and isinstance(got, list):
        for i, (a, b) in enumerate(zip(want, got, strict=False)):
            if a != b:
                return _first_difference(a, b, f"{at}[{i}]")
        if len(want) != len(got):
            return f"{at}: length {len(want)} in the snapshot, {len(got)} now"
    return f"{at}: snapshot {want!r}, now {got!r}"


def test_snapshot_covers_notes_generated_and_edge_cases() -> None:
    ids = [item["id"] for item in _load()["inputs"]]
    assert sum(i.startswith("note:") for i in ids) >= 60
    assert sum(i.startswith("generated:") for i in ids) >= 100
    assert sum(i.startswith("mangled:") for i in ids) >= 50
    assert Path(SNAPSHOT).stat().st_size > 0


def test_scan_results_equal_the_snapshot() -> None:
    data = _load()
    library = default_library()
    got = json.loads(json.dumps(results(data["inputs"]), ensure_ascii=False))
    assert data["results"][0]["library"]["sha256"] == library.sha256, (
        "the indicator content changed since the snapshot was made; if the result changes are "
        "intended, run .venv/bin/python -m tests.signals.make_snapshot and review the difference"
    )
    differences = [
        f"{want['id']}{_first_difference(want, now)}"
        for want, now in zip(data["results"], got, strict=True)
        if want != now
    ]
    assert not differences, f"{len(differences)} results differ:\n" + "\n".join(differences[:10])
