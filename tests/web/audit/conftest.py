"""Helpers to create decision records through the real service (and so the real chain)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ketenwijs.sharing import Case, evaluate, load_rulebook
from ketenwijs.web.accounts.models import User
from ketenwijs.web.audit.models import DecisionRecord
from ketenwijs.web.audit.services import record_decision

CASE = {
    "reference_date": "2025-06-01",
    "sender": "municipality",
    "recipient": "police",
    "purpose": "human_trafficking",
    "setting": "riec_case",
    "pattern": "incidental",
    "personal_data": "identifiable",
    "data_categories": ["ordinary"],
    "data_subject_minor": False,
    "consent": "not_asked",
    "acute_danger": False,
}


def make_record(
    user: User, motivation: str = "Gedeeld via het RIEC-casusoverleg.", **facts: object
) -> DecisionRecord:
    case = Case.from_dict({**CASE, **facts})
    return record_decision(
        user=user, case=case, assessment=evaluate(case, load_rulebook()), motivation=motivation
    )


@pytest.fixture
def record_factory() -> Callable[..., DecisionRecord]:
    return make_record
