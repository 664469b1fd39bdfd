"""Fixtures for the pure sharing core: the packaged rulebook and a complete, unremarkable case."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.sharing import Rulebook, load_rulebook


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_rulebook()


def complete_case(**overrides: Any) -> dict[str, Any]:
    """Return a full §4.1 case (municipality to police, one case) with `overrides` applied."""
    case: dict[str, Any] = {
        "reference_date": "2025-06-01",
        "sender": "municipality",
        "recipient": "police",
        "purpose": "human_trafficking",
        "setting": "bilateral",
        "pattern": "incidental",
        "personal_data": "identifiable",
        "data_categories": ["ordinary"],
        "data_subject_minor": False,
        "consent": "not_asked",
        "acute_danger": False,
        "necessity": {
            "purpose_specified": True,
            "less_intrusive_possible": False,
            "minimised": True,
        },
        "authorisation": "none",
        "agreement": "none",
        "dpia": "not_needed",
        "data_subject_informed": "yes",
    }
    case.update(overrides)
    return case
