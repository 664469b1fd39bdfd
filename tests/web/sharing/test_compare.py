"""Compare the result with another reference date: a GET form, a per-check table, nothing stored."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.sharing import Case, compare_dates, load_rulebook
from ketenwijs.web.sharing.models import Draft
from tests.web.sharing.conftest import WITH_CONDITIONS, complete, result_url, start

BIBOB = {
    **WITH_CONDITIONS,
    "recipient": "municipality",
    "purpose": "bibob_screening",
    "setting": "bilateral",
    "data_categories": ["bibob"],
    "agreement": "none",
}


def finished(client: Client, answers: dict[str, object], day: str) -> str:
    url = start(client, reference_date=day)
    complete(client, url, answers)
    return url


def english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_result_page_offers_the_compare_form(client: Client) -> None:
    url = finished(client, WITH_CONDITIONS, "2025-06-01")
    html = client.get(result_url(url)).content.decode()
    assert "Vergelijk met een andere peildatum" in html
    assert f'action="{url}compare/"' in html
    assert 'method="get"' in html
    assert 'name="compare_date"' in html


def test_wgs_case_side_by_side(client: Client) -> None:
    url = finished(client, WITH_CONDITIONS, "2025-06-01")
    response = client.get(url + "compare/", {"compare_date": "2024-06-01"})
    assert response.status_code == 200
    case = Case.from_dict(json.loads(client.get(url + "case.json").content))
    expected = compare_dates(case, load_rulebook(), dt.date(2025, 6, 1), dt.date(2024, 6, 1))
    assert response.context["outcome_changed"] == expected.outcome_changed
    rows = response.context["rows"]
    changed = [r["id"] for r in rows if r["changed"]]
    assert changed == [c.check.id for c in expected.changed if c.applies]
    assert "regime_wgs" in changed
    assert rows[0]["changed"]  # changed checks come first
    html = response.content.decode()
    assert '<table class="table compare-table" aria-describedby="per-check-caption">' in html
    assert 'class="table-scroll" role="region" aria-labelledby="per-check-heading"' in html
    assert '<th scope="col">Datum A<br>' in html
    assert "gewijzigd per 2025-03-01" in html
    assert "WGS Stb. 2024, 198" in html
    assert "1 juni 2025" in html
    assert "1 juni 2024" in html


def test_bibob_2022_case_changes_the_outcome(client: Client) -> None:
    url = finished(client, BIBOB, "2023-03-01")
    response = client.get(url + "compare/", {"compare_date": "2021-06-01"})
    assert response.status_code == 200
    assert response.context["outcome_changed"] is True
    assert [r["id"] for r in response.context["rows"] if r["changed"]] == ["bibob_secrecy"]
    html = response.content.decode()
    assert "De uitkomst verschilt tussen de twee data." in html
    assert "Kamerstuk 35 764" in html
    assert "Alleen op datum A" in html  # conditions listed on the allowed date only


def test_same_version_changes_nothing_and_says_so(client: Client) -> None:
    url = finished(client, WITH_CONDITIONS, "2025-06-01")
    before = {d.id: (d.state, d.updated_at) for d in Draft.objects.all()}
    response = client.get(url + "compare/", {"compare_date": "2025-03-01"})
    assert response.context["same_version"] is True
    assert not any(r["changed"] for r in response.context["rows"])
    html = response.content.decode()
    assert "De uitkomst is gelijk op beide data." in html
    assert "vallen onder dezelfde versie van de regels" in html
    assert {d.id: (d.state, d.updated_at) for d in Draft.objects.all()} == before  # unchanged


def test_compare_page_in_english(client: Client) -> None:
    url = finished(english(client), BIBOB, "2023-03-01")
    html = client.get(url + "compare/", {"compare_date": "2021-06-01"}).content.decode()
    assert "Compare two reference dates" in html
    assert "The outcome differs between the two dates." in html
    assert "Since 1 October 2022" in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Vul een datum in om mee te vergelijken."),
        ("2025-02-30", "Vul een datum in als JJJJ-MM-DD"),
        ("2001-01-01", "De regels beginnen op 2018-05-25"),
    ],
)
def test_bad_date_shows_the_form_with_the_field_and_why(
    client: Client, value: str, message: str
) -> None:
    url = finished(client, WITH_CONDITIONS, "2025-06-01")
    response = client.get(url + "compare/", {"compare_date": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_compare_date"' in html
    assert message in html
    assert "<table" not in html


def test_unfinished_assessment_goes_back_to_its_question(client: Client) -> None:
    url = start(client)
    response = client.get(url + "compare/", {"compare_date": "2024-06-01"})
    assert response.status_code == 302
    assert response["Location"] == url


def test_another_sessions_assessment_is_404(client: Client) -> None:
    response = client.get(
        reverse("sharing:compare", args=["00000000-0000-4000-8000-000000000000"]),
        {"compare_date": "2024-06-01"},
    )
    assert response.status_code == 404
