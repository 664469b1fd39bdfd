"""The indicator library loads, covers the whole taxonomy, and broken content fails clearly."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketenwijs.content import ContentError
from ketenwijs.signals import default_library, load_indicator_file, load_library
from ketenwijs.signals.library import DEFAULT_ROOT
from ketenwijs.signals.schema import REQUIRED_SIGNALS, REQUIRED_VULNERABILITIES

BROKEN = sorted((Path(__file__).parent / "broken").glob("*.yaml"))


def _expectation(path: Path) -> tuple[str, int]:
    head = path.read_text(encoding="utf-8")
    message = re.search(r"^# Broken on purpose\. expect: (.+)$", head, re.M)
    line = re.search(r"^# expect-line: (\d+)$", head, re.M)
    assert message, f"{path.name} lacks its expect header"
    assert line, f"{path.name} lacks its expect-line header"
    return message.group(1), int(line.group(1))


def test_every_taxonomy_id_exists_with_both_languages() -> None:
    library = default_library()
    for indicator_id in (*REQUIRED_SIGNALS, *REQUIRED_VULNERABILITIES):
        spec = library.indicators[indicator_id]
        assert spec.label.nl
        assert spec.label.en
        assert spec.description.nl
        assert spec.description.en
        assert spec.sources
        assert spec.examples.match


def test_vulnerability_items_are_kept_apart_from_signals() -> None:
    library = default_library()
    assert {i.id for i in library.vulnerabilities} == set(REQUIRED_VULNERABILITIES)
    assert {i.id for i in library.signals} >= set(REQUIRED_SIGNALS)


def test_library_records_version_and_content_hash() -> None:
    library = default_library()
    assert library.version.startswith("1.")
    assert re.fullmatch(r"[0-9a-f]{64}", library.sha256)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_fails_with_file_line_and_cause(path: Path) -> None:
    message, line = _expectation(path)
    with pytest.raises(ContentError) as caught:
        load_indicator_file(path)
    assert message in str(caught.value)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_missing_taxonomy_indicator_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "signals"
    shutil.copytree(DEFAULT_ROOT, root)
    (root / "indicators" / "h_school.yaml").unlink()
    with pytest.raises(ContentError, match="requires indicators that are missing: school_absence"):
        load_library(root)


def test_guidance_naming_an_unknown_indicator_suggests_the_nearest(tmp_path: Path) -> None:
    root = tmp_path / "signals"
    shutil.copytree(DEFAULT_ROOT, root)
    guidance = root / "guidance.yaml"
    text = guidance.read_text(encoding="utf-8").replace(
        "indicators_none: [false_love_relationship]", "indicators_none: [false_love_relation]"
    )
    guidance.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library(root)
    assert "unknown indicator 'false_love_relation'" in str(caught.value)
    assert caught.value.suggestion == "false_love_relationship"


def test_core_never_imports_django() -> None:
    code = (
        "import sys, ketenwijs.signals as s; s.scan_text('Ze is geslagen.');"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
