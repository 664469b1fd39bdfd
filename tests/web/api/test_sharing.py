"""Delen over HTTP: the §4.1 output exactly as the core (and the CLI) gives it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ketenwijs.sharing import Case, compare_dates, evaluate, load_rulebook, load_scenarios
from tests.sharing.conftest import complete_case
from tests.web.api.conftest import MakeToken, api_client
from tests.web.audit.conftest import CASE

pytestmark = pytest.mark.django_db

ASSESS = "/api/v1/sharing/assess"


@pytest.fixture
def client(token_factory: MakeToken):  # type: ignore[no-untyped-def]
    _token, secret = token_factory(scopes=["sharing"])
    return api_client(secret)


def test_assessment_equals_the_core_output(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(ASSESS, CASE, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body == evaluate(Case.from_dict(CASE), load_rulebook(), explain=True).to_dict()
    assert isinstance(body["what_would_change"], list)
    assert set(body) >= {"outcome", "ruleset", "checks", "conditions", "next_steps"}
    assert set(body["ruleset"]) == {"id", "version", "valid_on", "sha256"}
    check = body["checks"][0]
    assert {"id", "status", "explanation", "sources"} <= set(check)
    assert set(check["explanation"]) == {"nl", "en"}
    assert {"law", "article", "url"} <= set(check["sources"][0])


def test_every_scenario_case_round_trips(client) -> None:  # type: ignore[no-untyped-def]
    """Every rule scenario: the API answer passes its response schema and equals the core."""
    rulebook = load_rulebook()
    scenarios = load_scenarios(rulebook)
    assert scenarios
    for scenario in scenarios:
        facts = scenario.case.to_dict()
        response = client.post(ASSESS, facts, content_type="application/json")
        assert response.status_code == 200, (scenario.name, response.content[:300])
        expected = evaluate(Case.from_dict(facts), rulebook, explain=True).to_dict()
        assert response.json() == expected


def test_empty_case_is_assessed_with_unknown_checks(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(ASSESS, {}, content_type="application/json")
    assert response.status_code == 200
    assert any(c["status"] == "unknown" for c in response.json()["checks"])


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"sender": "gemeente"}, "sender", "allowed: municipality"),
        ({"recipent": "police"}, "recipent", "did you mean 'recipient'?"),
        ({"necessity": {"minimized": True}}, "necessity.minimized", "did you mean 'minimised'?"),
        ({"data_subject_minor": "yes"}, "data_subject_minor", "true or false"),
        ({"data_categories": "bsn"}, "data_categories", "list of values"),
        ({"reference_date": "01-06-2025"}, "reference_date", "YYYY-MM-DD"),
        ({"reference_date": "1999-01-01"}, "reference_date", "no rule-set version covers"),
        ([1, 2], "(case)", "JSON object"),
        (
            {"personal_data": "none", "data_categories": ["bsn", "criminal"]},
            "personal_data",
            "contradicts data_categories",
        ),
        (
            {"personal_data": "pseudonymised", "data_categories": ["bsn"]},
            "personal_data",
            "not pseudonymised",
        ),
    ],
)
def test_invalid_case_is_422_with_field_messages(
    client,  # type: ignore[no-untyped-def]
    body: object,
    field: str,
    fragment: str,
) -> None:
    response = client.post(ASSESS, body, content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and fragment in e["message"] for e in errors), errors


def test_every_bad_field_is_reported_at_once(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        ASSESS, {"sender": "x", "purpose": "y", "pattern": "z"}, content_type="application/json"
    )
    assert {e["field"] for e in response.json()["errors"]} == {"sender", "purpose", "pattern"}


def test_unreadable_json_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(ASSESS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "(body)"


def test_rulesets_list_versions_with_dates_and_hash(client) -> None:  # type: ignore[no-untyped-def]
    rulebook = load_rulebook()
    response = client.get("/api/v1/sharing/rulesets")
    assert response.status_code == 200
    (ruleset,) = response.json()["rulesets"]
    assert ruleset["id"] == rulebook.id
    assert ruleset["sha256"] == rulebook.sha256
    versions = ruleset["versions"]
    assert [v["id"] for v in versions] == [v.version.id for v in rulebook.versions]
    assert versions[0]["valid_from"] == rulebook.versions[0].version.valid_from.isoformat()
    assert versions[-1]["valid_until"] is None
    assert set(versions[0]["label"]) == {"nl", "en"}


def test_oversized_body_is_413_before_it_is_read(client) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps({"sender": "municipality", "pad": "x" * 1_100_000})
    response = client.post(ASSESS, body, content_type="application/json")
    assert response.status_code == 413
    assert "at most" in response.json()["errors"][0]["message"]


COMPARE = "/api/v1/sharing/compare"


def test_compare_equals_the_core_for_a_wgs_case(client) -> None:  # type: ignore[no-untyped-def]
    body = complete_case(
        reference_date="2024-06-01",
        recipient="riec",
        purpose="organised_crime",
        setting="riec_case",
    )
    response = client.post(
        f"{COMPARE}?compareDate=2025-06-01", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    case = Case.from_dict(body)
    expected = compare_dates(case, load_rulebook(), dt.date(2024, 6, 1), dt.date(2025, 6, 1))
    assert data == expected.to_dict()
    assert (data["a"]["version"], data["b"]["version"]) == ("2022-10-01", "2025-03-01")
    row = next(c for c in data["checks"] if c["id"] == "regime_wgs")
    assert (row["a"], row["b"], row["changed"]) == ("not_applicable", "met", True)
    assert row["why"]["parameters"] == ["wgs_in_force"]
    assert data["parameters"][0]["sources"][0]["url"].startswith("https://")


def test_compare_bibob_2022_and_a_date_in_the_same_version(client) -> None:  # type: ignore[no-untyped-def]
    body = complete_case(
        reference_date="2021-06-01",
        recipient="municipality",
        purpose="bibob_screening",
        data_categories=["bibob"],
    )
    response = client.post(
        f"{COMPARE}?compareDate=2023-03-01", body, content_type="application/json"
    )
    data = response.json()
    assert data["outcome_changed"] is True
    assert [c["id"] for c in data["checks"] if c["changed"]] == ["bibob_secrecy"]
    response = client.post(
        f"{COMPARE}?compareDate=2019-01-01", body, content_type="application/json"
    )
    data = response.json()
    assert data["same_version"] is True
    assert data["outcome_changed"] is False
    assert not any(c["changed"] for c in data["checks"])


@pytest.mark.parametrize(
    ("query", "body", "field", "fragment"),
    [
        ("", {}, "compareDate", ""),
        ("?compareDate=2023-13-01", {}, "compareDate", ""),
        ("?compareDate=2001-01-01", {}, "compareDate", "no rule-set version covers 2001-01-01"),
        ("?compareDate=2023-03-01", {"sender": "gemeente"}, "sender", "allowed: municipality"),
        (
            "?compareDate=2023-03-01",
            {"reference_date": "1999-01-01"},
            "reference_date",
            "no rule-set version covers",
        ),
    ],
)
def test_compare_bad_input_is_422_naming_the_field(
    client,  # type: ignore[no-untyped-def]
    query: str,
    body: object,
    field: str,
    fragment: str,
) -> None:
    response = client.post(f"{COMPARE}{query}", body, content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and fragment in e["message"] for e in errors), errors


def test_sources_carry_the_law_text_and_the_dated_link(client) -> None:  # type: ignore[no-untyped-def]
    # Issue 12, additive: `url` stays the §4.1 link; `url_in_force` and `law_texts` are extensions.
    response = client.post(ASSESS, CASE, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    sources = [s for check in body["checks"] for s in check["sources"]]
    assert sources
    for source in sources:
        if source["url"].startswith("https://wetten.overheid.nl/BWBR"):
            bwb = source["url"].split("/")[3]
            assert source["url_in_force"].startswith(f"https://wetten.overheid.nl/{bwb}/2025-06-01")
    texts = {(t["law"], t["article"]): t["law_text"] for t in body["law_texts"]}
    assert {(s["law"], s["article"]) for s in sources} <= set(texts)
    assert any(t["status"] == "read" for t in texts.values())
    assert all(
        set(t["reason"]) == {"nl", "en"} for t in texts.values() if t["status"] == "not_read"
    )
