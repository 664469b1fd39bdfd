"""Compile the committed .po catalogues to .mo with polib, so no gettext tools are needed to run."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def compile_translations(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Write each .mo that is missing or older than its .po; return the languages compiled."""
    compiled = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(po_path.parts[-3])
    return compiled
