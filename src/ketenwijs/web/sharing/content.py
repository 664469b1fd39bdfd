"""Start-up check of the sharing rules (registered in `web/core/content.py`)."""

from __future__ import annotations

from ketenwijs.sharing import load_rulebook


def summary() -> str:
    """Load and validate the packaged rules; return a one-line summary (ContentError if broken)."""
    rulebook = load_rulebook()
    versions = ", ".join(v.version.id for v in rulebook.versions)
    return (
        f"Delen: rule set {rulebook.id}, {len(rulebook.checks)} checks, "
        f"{len(rulebook.questions)} questions, versions {versions}, sha256 {rulebook.sha256[:12]}"
    )
