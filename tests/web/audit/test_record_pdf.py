"""The decision PDF (issue 15): a typical case fits on two pages, each headed with the decision."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from pypdf import PdfReader

from ketenwijs.sharing import Case, evaluate, load_rulebook
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit.models import DecisionRecord
from ketenwijs.web.audit.services import record_decision
from tests.web.sharing.conftest import ANSWERS

pytestmark = pytest.mark.django_db

MOTIVATION = (
    "Gedeeld met het RIEC na het casusoverleg; alleen de velden die het RIEC voor de analyse "
    "nodig heeft. De betrokkene is niet geïnformeerd omdat dat het onderzoek zou schaden."
)


def _case(answers: dict[str, object]) -> Case:
    data: dict[str, object] = {"reference_date": "2026-06-01", "necessity": {}}
    for fact, value in answers.items():
        if fact.startswith("necessity."):
            data["necessity"][fact.split(".", 1)[1]] = value  # type: ignore[index]
        else:
            data[fact] = value
    return Case.from_dict(data)


def _record(user: User, outcome: str) -> DecisionRecord:
    case = _case(ANSWERS[outcome])
    assessment = evaluate(case, load_rulebook(), explain=True)
    return record_decision(user=user, case=case, assessment=assessment, motivation=MOTIVATION)


def _pages(client: Client, record: DecisionRecord) -> list[str]:
    response = client.get(reverse("audit:pdf", kwargs={"sequence": record.sequence}))
    assert response.status_code == 200
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


@pytest.mark.parametrize("outcome", ["allowed_with_conditions", "not_allowed", "seek_advice"])
def test_a_typical_decision_fits_on_two_pages_each_headed_with_the_decision(
    outcome: str,
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    record = _record(user, outcome)
    pages = _pages(client_for(user), record)
    assert len(pages) <= 2, len(pages)
    day = formats.date_format(timezone.localtime(record.created_at), "j F Y")
    for number, text in enumerate(pages, 1):
        flat = " ".join(text.split())
        assert f"Besluit {record.sequence}" in flat, number
        assert org_a.name in flat, number
        assert day in flat, number
        assert f"{number} / {len(pages)}" in flat


def test_checks_that_did_not_apply_are_one_line_not_a_row_each(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    record = _record(user, "allowed_with_conditions")
    flat = " ".join(" ".join(_pages(client_for(user), record)).split())
    assert flat.count("niet van toepassing") == 1
    # The line names each check that did not apply, so nothing is lost.
    not_applicable = [c for c in record.assessment["checks"] if c["status"] == "not_applicable"]
    assert len(not_applicable) > 10
    for check in not_applicable:
        assert check["title"]["nl"].split()[0] in flat
    # A fact is not shown as a failure: in an allowed case no applying check "niet voldaan".
    assert "niet voldaan" not in flat
    assert "Geen persoonsgegevens feit" in flat
    # And the decision itself is all there: motivation, conditions, rule-set hash.
    assert "Gedeeld met het RIEC na het casusoverleg" in flat
    assert re.search(r"[0-9a-f]{16}", flat)
