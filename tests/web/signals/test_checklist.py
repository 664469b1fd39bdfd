"""Checklist mode through HTTP: every indicator by category, ticks assessed, tampering refused."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from ketenwijs.signals import default_library
from ketenwijs.web.signals.models import SavedNote

URL = "/signals/checklist/"
TICKS = ["online_stranger_contact", "intimate_images_obtained", "sex_with_others_arranged"]
TICKS += ["earnings_handed_over", "deceptive_job_offer", "false_love_relationship"]


def _ticked(html: str) -> set[str]:
    return set(re.findall(r'name="indicator" value="([a-z_]+)"[^>]*checked', html))


def test_checklist_offers_every_indicator_grouped_by_category(signed_in: Client) -> None:
    library = default_library()
    response = signed_in.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    offered = re.findall(r'name="indicator" value="([a-z_]+)"', html)
    assert sorted(offered) == sorted(library.indicators)
    categories = re.findall(r'<fieldset class="checklist-group" data-category="(\w)"', html)
    assert categories == list(library.meta.categories)
    assert library.indicators["debt_bondage"].label.nl in html
    assert _ticked(html) == set()


def test_checklist_labels_follow_the_active_language(signed_in: Client) -> None:
    signed_in.cookies["ketenwijs_language"] = "en"
    html = signed_in.get(URL).content.decode()
    assert default_library().indicators["debt_bondage"].label.en in html


def test_ticked_signals_give_the_summary_guidance_and_next_steps(signed_in: Client) -> None:
    response = signed_in.post(URL, {"indicator": TICKS, "minor": "yes"})
    assert response.status_code == 200
    result = response.context["result"]
    assert result["affirmed_count"] == 6
    assert result["combination"]["pattern_met"] is True
    assert result["combination"]["rule"] == "minor"
    html = response.content.decode()
    assert _ticked(html) == set(TICKS)
    assert 'data-step="minor_exploitation_same_day"' in html
    assert 'data-dimension="exploitation" data-positive="true"' in html
    assert re.search(
        r'<tr data-category="A"[^>]*><th scope="row">[^<]*</th><td class="num">4<', html
    )


def test_checklist_next_steps_differ_for_adults(signed_in: Client) -> None:
    adult = signed_in.post(URL, {"indicator": TICKS, "minor": "no"})
    assert adult.context["result"]["combination"]["rule"] == "adult"
    steps = re.findall(r'data-step="([a-z_]+)"', adult.content.decode())
    assert "minor_exploitation_same_day" not in steps


def test_ticking_the_minor_context_item_lets_the_checklist_decide(signed_in: Client) -> None:
    response = signed_in.post(URL, {"indicator": [*TICKS, "minor"], "minor": "text"})
    result = response.context["result"]
    assert (result["minor"], result["minor_source"]) == (True, "text")
    assert [v["id"] for v in result["vulnerabilities"]] == ["minor"]


def test_checklist_handoff_link_carries_the_case(signed_in: Client) -> None:
    result = signed_in.post(URL, {"indicator": TICKS, "minor": "yes"}).context["result"]
    query = parse_qs(urlsplit(result["handoff"]["url"]).query)
    assert query["purpose"] == ["human_trafficking"]
    assert query["data_subject_minor"] == ["true"]
    assert query["personal_data"] == ["identifiable"]
    assert "special_sex_life" in query["data_categories"]


def test_nothing_ticked_still_gives_guidance(signed_in: Client) -> None:
    response = signed_in.post(URL, {"minor": "text"})
    assert response.status_code == 200
    assert response.context["result"]["affirmed_count"] == 0
    assert 'data-prompt="no_signals_is_not_no_problem"' in response.content.decode()


def test_tampered_indicator_id_is_a_400_naming_it(signed_in: Client) -> None:
    response = signed_in.post(URL, {"indicator": ["debt_bondage", "debt_bondge"], "minor": "no"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "debt_bondge" in html
    assert 'role="alert"' in html
    assert SavedNote.objects.count() == 0


def test_tampered_minor_answer_is_a_400(signed_in: Client) -> None:
    response = signed_in.post(URL, {"indicator": ["debt_bondage"], "minor": "perhaps"})
    assert response.status_code == 400


def test_checklist_post_needs_csrf(professional: object) -> None:
    from tests.web.factories import verified_client

    client = verified_client(professional)  # type: ignore[arg-type]
    client.handler.enforce_csrf_checks = True
    assert client.post(URL, {"indicator": TICKS, "minor": "no"}).status_code == 403
