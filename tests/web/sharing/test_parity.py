"""The same facts give the same outcome in the web wizard, the HTTP API and the CLI interview.

Run over every complete scenario of every scenario file (FG review 3: not only the three review
files): the wizard is walked through HTTP with the scenario's facts as answers, the API gets the
scenario case as JSON, and `ketenwijs share interview` gets typed answers on stdin.
"""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from ketenwijs.cli.main import cli
from ketenwijs.sharing import Case, Interview, load_rulebook, load_scenarios
from ketenwijs.sharing.rulebook import PACKAGED_RULES
from tests.web.api.conftest import api_client, make_token
from tests.web.sharing.conftest import complete, result_url, start

pytestmark = pytest.mark.django_db

RULEBOOK = load_rulebook()


def _complete(scenario: Any) -> bool:
    """Whether the scenario answers every question the interview asks (no 'not known yet')."""
    state = Interview(RULEBOOK, Case(reference_date=scenario.case.reference_date))
    for fact, value in scenario.case.facts.items():
        state = state.answer(fact, sorted(value) if isinstance(value, frozenset) else value)
    return state.next_question() is None


# The interviews have no "don't know" answer, so scenarios that leave a question open are
# compared between API and core only (tests/web/api/test_sharing.py).
SCENARIO_FILES = sorted((PACKAGED_RULES / "scenarios").glob("*.yaml"))
REVIEW = [s for path in SCENARIO_FILES for s in load_scenarios(RULEBOOK, path) if _complete(s)]


def test_parity_covers_every_scenario_file() -> None:
    """A new scenario file is compared too; each file has at least one complete case."""
    assert len(SCENARIO_FILES) >= 11
    covered = {s.path.name for s in REVIEW}
    assert covered == {p.name for p in SCENARIO_FILES}


def _answers(case: Case) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in case.facts.items()}


def _cli_input(case: Case) -> str:
    """The lines a person types in `share interview` to give exactly these facts."""
    lines: list[str] = []
    state = Interview(RULEBOOK, Case(reference_date=case.reference_date))
    while (question := state.next_question()) is not None:
        value = case.facts.get(question.fact)
        if question.type == "bool":
            lines.append("ja" if value else "nee")
        elif question.type == "enum_list":
            lines.append(",".join(sorted(value)) if isinstance(value, frozenset) else "")
        else:
            lines.append(str(value))
        if isinstance(value, frozenset):
            value = sorted(value)
        state = state.answer(question.fact, value if value is not None else _default(question))
    return "\n".join(lines) + "\n"


def _default(question: Any) -> Any:
    return False if question.type == "bool" else ([] if question.type == "enum_list" else None)


@pytest.mark.parametrize("scenario", REVIEW, ids=lambda s: s.name[:60])
def test_wizard_api_and_cli_interview_agree(scenario: Any, client: Client) -> None:
    case = scenario.case
    expected = scenario.definition.expect.outcome

    # The start page's two buttons answer the acute-danger question (it is asked once).
    entry = "urgent" if case.facts.get("acute_danger") else "normal"
    url = start(client, entry, reference_date=case.reference_date.isoformat())
    complete(client, url, _answers(case))
    wizard = client.get(result_url(url)).context["outcome"]["key"]

    _token, secret = make_token(scopes=["sharing"])
    api = api_client(secret).post(
        "/api/v1/sharing/assess", case.to_dict(), content_type="application/json"
    )
    assert api.status_code == 200, api.content.decode()[:500]

    result = CliRunner().invoke(
        cli,
        ["share", "interview", "--lang", "en", "--date", case.reference_date.isoformat()],
        input=_cli_input(case),
    )
    assert result.exit_code == 0, result.output[-2000:]
    assert (wizard, api.json()["outcome"]) == (expected, expected)
    assert f"({expected})" in result.output
