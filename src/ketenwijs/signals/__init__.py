"""Signaleren: find exploitation signals in Dutch case notes, with context; pure, no Django.

Public API for the web layer and the CLI:

- `scan_text(text, minor=None, library=None, doc_id=None) -> ScanResult` — a pasted note;
  `ScanResult.to_dict()` is the JSON of spec §4.2 plus compatible extensions.
- `evaluate_checklist(ids, minor=None, library=None) -> Assessment` — the checklist mode.
- `default_library()` / `load_library(root)` — the indicator content, loaded and compiled once.
"""

from ketenwijs.signals.assessment import (
    Assessment,
    ScanResult,
    UnknownIndicatorError,
    evaluate_checklist,
    ilo_clause,
    scan_text,
)
from ketenwijs.signals.engine import Finding, Trigger, find_indicators
from ketenwijs.signals.library import (
    IndicatorLibrary,
    default_library,
    load_indicator_file,
    load_library,
)
from ketenwijs.signals.schema import CONTEXT_VALUES, ILO_DIMENSIONS

__all__ = [
    "CONTEXT_VALUES",
    "ILO_DIMENSIONS",
    "Assessment",
    "Finding",
    "IndicatorLibrary",
    "ScanResult",
    "Trigger",
    "UnknownIndicatorError",
    "default_library",
    "evaluate_checklist",
    "find_indicators",
    "ilo_clause",
    "load_indicator_file",
    "load_library",
    "scan_text",
]
