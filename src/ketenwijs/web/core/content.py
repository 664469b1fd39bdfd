"""Load and validate every domain's content once at start, so a broken file stops start-up."""

from __future__ import annotations

import importlib
from collections.abc import Callable

# Domain loaders, as "module:function" returning a one-line summary of what was loaded. A domain
# whose content exists registers its loader here; the loader raises ContentError on bad content.
CONTENT_LOADERS: list[str] = [
    "ketenwijs.learning:load_content_summary",
    "ketenwijs.web.signals.content:summary",
    "ketenwijs.web.sharing.content:summary",
    "ketenwijs.site.glossary:load_glossary_summary",
    "ketenwijs.site.statements:load_statements_summary",
]


def load_all_content() -> list[str]:
    """Run every registered content loader and return their summaries."""
    summaries = []
    for spec in CONTENT_LOADERS:
        module_name, attr = spec.split(":")
        loader: Callable[[], str] = getattr(importlib.import_module(module_name), attr)
        summaries.append(loader())
    return summaries
