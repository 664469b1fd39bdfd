"""Start-up content check of Signaleren: load and compile the indicator library once."""

from __future__ import annotations

from ketenwijs.signals import default_library


def summary() -> str:
    """Load the indicator library (raising ContentError when broken) and describe it in one line."""
    library = default_library()
    return (
        f"signals: {len(library.signals)} indicators, {len(library.vulnerabilities)} vulnerability "
        f"items, {len(library.guidance.prompts)} prompts, {len(library.guidance.next_steps)} next "
        f"steps (library {library.version}, sha256 {library.sha256[:12]})"
    )
