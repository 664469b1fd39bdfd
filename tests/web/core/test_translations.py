"""The Dutch catalogue is complete and current: no untranslated strings reach the UI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import ketenwijs

PACKAGE_ROOT = Path(ketenwijs.__file__).parent
NL_PO = PACKAGE_ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_dutch_entry_is_translated_and_not_fuzzy() -> None:
    catalogue = polib.pofile(str(NL_PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="gettext tools (xgettext) not installed"
)
def test_catalogue_contains_every_string_in_code_and_templates(tmp_path: Path) -> None:
    """Re-extract the strings into a copy and check no msgid is missing from the committed one."""
    copy = tmp_path / "ketenwijs"
    shutil.copytree(PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nl",
            "--no-obsolete",
            "--ignore",
            "cli/*",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={
            "DJANGO_SETTINGS_MODULE": "ketenwijs.web.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(PACKAGE_ROOT.parent),
            "KETENWIJS_DATA_DIR": str(tmp_path / "data"),
        },
    )
    assert result.returncode == 0, result.stderr
    extracted = {
        e.msgid
        for e in polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
        if not e.obsolete
    }
    committed = {e.msgid for e in polib.pofile(str(NL_PO)) if not e.obsolete}
    missing = sorted(extracted - committed)
    assert missing == [], "run `make messages` and translate: " + repr(missing[:10])
