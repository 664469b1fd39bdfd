"""Delen in the browser, through HTTP: start, questions, back/forward, urgency, hand-off, result."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.sharing import Case, evaluate, load_rulebook
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.sharing.models import Draft
from tests.web.sharing.conftest import (
    ANSWERS,
    WITH_CONDITIONS,
    answer,
    complete,
    current_fact,
    form_value,
    result_url,
    start,
)

ClientFor = Callable[[User], Client]


def english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def stored(client: Client) -> dict[str, object]:
    """The drafts stored (each test has one signed-in professional)."""
    return {str(d.id): d.state for d in Draft.objects.all()}


def test_start_page_offers_the_urgency_entry_and_the_normal_start(client: Client) -> None:
    response = client.get(reverse("sharing:start"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="nl"' in html
    assert 'name="entry" value="urgent"' in html
    assert 'name="entry" value="normal"' in html
    assert reverse("sharing:infographic") in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_start_page_in_english(client: Client) -> None:
    html = english(client).get(reverse("sharing:start")).content.decode()
    assert "May I share this information?" in html
    assert "Acute danger right now?" in html


def test_starting_creates_an_assessment_in_the_session_and_asks_the_first_question(
    client: Client,
) -> None:
    url = start(client)
    assessment_id = url.rstrip("/").split("/")[-1]
    assert str(uuid.UUID(assessment_id)) == assessment_id
    assert list(stored(client)) == [assessment_id]
    response = client.get(url)
    assert response.status_code == 200
    # The start page's buttons answered the acute-danger question: it is not asked twice.
    assert response.context["question"].fact == "sender"
    assert stored(client)[assessment_id]["case"]["acute_danger"] is False  # type: ignore[index]
    html = response.content.decode()
    for tag in ("<h1", "<fieldset", "<legend"):
        assert tag in html
    assert response.context["number"] == 1
    assert 'aria-current="step"' in html
    assert "<progress" in html


@pytest.mark.parametrize("outcome", list(ANSWERS))
def test_each_outcome_through_the_wizard(client: Client, outcome: str) -> None:
    url = start(client)
    complete(client, url, ANSWERS[outcome])
    response = client.get(result_url(url))
    assert response.status_code == 200
    assert response.context["outcome"]["key"] == outcome
    html = response.content.decode()
    assert f"outcome--{outcome}" in html
    rulebook = load_rulebook()
    assert rulebook.outcomes[outcome].label.nl in html
    assert rulebook.sha256 in html
    assert rulebook.disclaimer.nl in html
    # The assessment on the page is exactly what the engine says for these answers.
    case = Case.from_dict(json.loads(client.get(url + "case.json").content))
    assert evaluate(case, rulebook, explain=True).to_dict() == json.loads(
        client.get(url + "assessment.json").content
    )


def test_result_shows_checks_with_sources_conditions_and_next_steps(client: Client) -> None:
    url = start(client)
    complete(client, url, ANSWERS["allowed_with_conditions"])
    response = english(client).get(result_url(url))
    html = response.content.decode()
    assert "Allowed with conditions" in html
    assert response.context["conditions"], "conditions are listed"
    assert html.count('type="checkbox"') >= len(response.context["conditions"])
    assert "https://wetten.overheid.nl/" in html
    assert "https://eur-lex.europa.eu/" in html
    assert response.context["next_steps"]
    assert "Share less: minimisation" in html
    assert response.context["minimisation"]["checks"]
    shown = [c["id"] for c in response.context["checks"]]
    assert "data_minimised" not in shown  # it is under "Share less", not repeated
    assert "Save as decision" in html
    assert response.context["ruleset"]["version"] == "2025-03-01"


def test_not_allowed_names_the_failing_check(client: Client) -> None:
    url = start(client)
    complete(client, url, ANSWERS["not_allowed"])
    response = english(client).get(result_url(url))
    reasons = response.context["reasons"]
    assert [r["id"] for r in reasons] == ["less_intrusive_means"]
    assert reasons[0]["status"] == "not_met"
    assert "Not allowed" in response.content.decode()


def test_back_and_forward_keep_the_answers(client: Client) -> None:
    url = start(client)
    for fact in ("sender", "recipient"):
        assert current_fact(client, url) == fact
        answer(client, url, fact, WITH_CONDITIONS[fact])
    assert current_fact(client, url) == "purpose"
    assert client.post(url, {"action": "back"}).status_code == 302
    assert client.post(url, {"action": "back"}).status_code == 302
    response = client.get(url)
    assert response.context["question"].fact == "sender"
    assert response.context["selected"] == ["municipality"]
    assert 'value="municipality" checked' in response.content.decode()
    # Forward again with the kept answer: the next question shows its kept answer too.
    answer(client, url, "sender", "municipality")
    response = client.get(url)
    assert response.context["question"].fact == "recipient"
    assert response.context["selected"] == ["riec"]
    # A changed answer replaces the kept one.
    answer(client, url, "recipient", "police")
    client.post(url, {"action": "back"})
    assert client.get(url).context["selected"] == ["police"]


def test_back_from_the_result_page_reopens_the_last_question(client: Client) -> None:
    url = start(client)
    complete(client, url, ANSWERS["allowed"])
    client.post(url, {"action": "back"})
    response = client.get(url)
    assert response.context["question"].fact == "data_categories"
    assert response.context["selected"] == ["ordinary"]
    assert client.get(result_url(url)).status_code == 302


def test_back_on_the_first_question_links_to_the_start_page(client: Client) -> None:
    url = start(client)
    response = client.get(url)
    assert response.context["can_go_back"] is False
    assert f'href="{reverse("sharing:start")}"' in response.content.decode()
    assert client.post(url, {"action": "back"}).status_code == 302
    assert current_fact(client, url) == "sender"


def test_several_answers_and_none_of_these(client: Client) -> None:
    url = start(client)
    for fact in ("sender", "recipient", "purpose", "setting", "pattern"):
        answer(client, url, fact, WITH_CONDITIONS[fact])
    answer(client, url, "personal_data", "none")
    assert current_fact(client, url) == "data_categories"
    answer(client, url, "data_categories", [])
    assert current_fact(client, url) is None
    assert client.get(result_url(url)).context["outcome"]["key"] == "allowed"
    client.post(url, {"action": "back"})
    assert client.get(url).context["selected"] == ["none"]


def test_missing_answer_is_shown_on_the_same_page(client: Client) -> None:
    url = start(client)
    before = stored(client)
    response = english(client).post(url, {"action": "answer", "fact": "sender"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose an answer to continue." in page
    # GOV.UK: the server's error summary takes the focus and the title says "Error:"; the
    # browser's own (English) bubble is off.
    assert 'class="error-summary" role="alert" tabindex="-1" autofocus' in page
    assert "<title>Error: " in page
    assert 'class="question" novalidate' in page
    assert " required" not in page.split('class="question"')[1]
    assert stored(client) == before


def test_none_of_these_with_other_kinds_is_shown_on_the_same_page(client: Client) -> None:
    url = start(client, start="secrecy")
    assert current_fact(client, url) == "data_categories"
    response = english(client).post(
        url, {"action": "answer", "fact": "data_categories", "value": ["none", "tax"]}
    )
    assert response.status_code == 200
    assert "cannot be combined" in response.content.decode()


@pytest.mark.parametrize(
    ("level", "kinds", "fragment"),
    [
        ("none", ["ordinary", "special_health"], "personal data by definition"),
        ("pseudonymised", ["ordinary", "bsn"], "data with a BSN are not pseudonymised"),
    ],
)
def test_a_contradicting_kind_of_data_is_a_form_error_on_the_same_page(
    client: Client, level: str, kinds: list[str], fragment: str
) -> None:
    """Delen 3: a BSN (or special data) with 'none' / 'pseudonymised' is an error at the field."""
    url = start(client)
    for fact in ("sender", "recipient", "purpose", "setting", "pattern"):
        answer(client, url, fact, WITH_CONDITIONS[fact])
    answer(client, url, "personal_data", level)
    before = stored(client)
    response = english(client).post(
        url, {"action": "answer", "fact": "data_categories", "value": kinds}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert fragment in page
    assert 'class="error-summary"' in page
    assert stored(client) == before
    answer(client, url, "data_categories", ["ordinary"])
    assert current_fact(client, url) != "data_categories"


def test_urgency_path_gives_the_answer_first_then_the_paperwork(client: Client) -> None:
    url = start(client, entry="urgent")
    assert current_fact(client, url) == "sender"
    answer(client, url, "sender", "youth_care")
    answer(client, url, "recipient", "police")
    assert current_fact(client, url) is None
    response = english(client).get(result_url(url))
    assert response.context["outcome"]["key"] == "allowed_with_conditions"
    assert response.context["urgent"] is True
    assert [r["id"] for r in response.context["reasons"]] == ["acute_danger_path"]
    html = response.content.decode()
    assert "Acute danger: act first" in html
    assert "112" in html
    left = response.context["paperwork_left"]
    assert left > 0
    assert reverse("sharing:paperwork", args=[url.rstrip("/").split("/")[-1]]) in html

    assert client.post(url + "paperwork/").status_code == 302
    asked = complete(client, url, {**WITH_CONDITIONS, "sender": "youth_care"})
    assert asked[0] == "purpose"
    assert 0 < len(asked) <= left  # an estimate: answers can make questions irrelevant
    response = client.get(result_url(url))
    assert response.context["urgent"] is True
    assert response.context["paperwork_left"] == 0
    # The paperwork answers fill in the other checks of the record.
    assert response.context["assessment"].statuses["less_intrusive_means"] == "met"


def test_urgency_entry_with_a_recipient_who_cannot_act_continues_the_normal_questions(
    client: Client,
) -> None:
    url = start(client, entry="urgent")
    answer(client, url, "sender", "school")
    answer(client, url, "recipient", "housing_corporation")
    assert current_fact(client, url) == "purpose"


def test_paperwork_without_urgency_is_refused(client: Client) -> None:
    url = start(client)
    assert client.post(url + "paperwork/").status_code == 400


def test_start_at_an_infographic_step(client: Client) -> None:
    response = english(client).get(reverse("sharing:start"), {"start": "secrecy"})
    assert response.status_code == 200
    assert "You start at step 3: Secrecy rules." in response.content.decode()
    assert 'name="start" value="secrecy"' in response.content.decode()
    url = start(client, start="secrecy")
    assert current_fact(client, url) == "data_categories"
    # The questions before that step follow afterwards.
    asked = complete(client, url, ANSWERS["allowed_with_conditions"])
    assert asked[0] == "data_categories"
    assert "sender" in asked
    assert "acute_danger" not in asked  # answered by the start page's button


@pytest.mark.parametrize("start_at", ["nowhere", "SECRECY"])
def test_unknown_start_step_is_a_clear_400(client: Client, start_at: str) -> None:
    response = client.get(reverse("sharing:start"), {"start": start_at})
    assert response.status_code == 400
    assert "start_at" in response.content.decode()
    assert (
        client.post(reverse("sharing:start"), {"entry": "normal", "start": start_at}).status_code
        == 400
    )
    assert stored(client) == {}


def test_prefilled_facts_are_shown_and_preselected(client: Client) -> None:
    params = {"purpose": "human_trafficking", "data_categories": "special_sex_life,special_health"}
    response = english(client).get(reverse("sharing:start"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tackling human trafficking" in html
    assert "Sex life" in html
    assert "Health" in html
    hidden = response.context["hidden"]
    assert ("purpose", "human_trafficking") in hidden
    assert ("data_categories", "special_health") in hidden
    url = start(
        client,
        **{
            "purpose": "human_trafficking",
            "data_categories": ["special_health", "special_sex_life"],
        },
    )
    for fact in ("sender", "recipient"):
        answer(client, url, fact, WITH_CONDITIONS[fact])
    response = client.get(url)
    assert response.context["question"].fact == "purpose"
    assert response.context["selected"] == ["human_trafficking"]
    assert response.context["is_suggested"] is True
    answer(client, url, "purpose", "victim_protection")
    for fact in ("setting", "pattern", "personal_data"):
        answer(client, url, fact, WITH_CONDITIONS[fact])
    response = client.get(url)
    assert response.context["question"].fact == "data_categories"
    assert response.context["selected"] == ["special_health", "special_sex_life"]


def test_prefill_accepts_repeated_parameters_bools_and_necessity(client: Client) -> None:
    response = client.get(
        reverse("sharing:start")
        + "?data_categories=tax&data_categories=bibob&data_subject_minor=true"
        + "&necessity.minimised=false&reference_date=2024-06-01"
    )
    assert response.status_code == 200
    assert response.context["form"].initial["reference_date"].isoformat() == "2024-06-01"
    assert ("data_subject_minor", "true") in response.context["hidden"]
    assert ("necessity.minimised", "false") in response.context["hidden"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("purpose=smuggling", "purpose"),
        ("data_categories=ordinary,secrets", "data_categories"),
        ("colour=red", "colour"),
        ("data_subject_minor=maybe", "data_subject_minor"),
        ("necessity.speed=true", "necessity.speed"),
        ("reference_date=2010-01-01", "reference_date"),
        ("reference_date=yesterday", "reference_date"),
    ],
)
def test_invalid_prefill_is_a_400_naming_the_field(client: Client, query: str, field: str) -> None:
    response = client.get(reverse("sharing:start") + "?" + query)
    assert response.status_code == 400
    assert f"<code>{field}</code>" in response.content.decode()
    key, value = query.split("=")
    response = client.post(reverse("sharing:start"), {"entry": "normal", key: value})
    if key != "reference_date":  # the start form's own date field (see the next test)
        assert response.status_code == 400
    assert stored(client) == {}


def test_start_form_date_before_the_rules_is_a_form_error(client: Client) -> None:
    response = english(client).post(
        reverse("sharing:start"), {"entry": "normal", "reference_date": "2010-01-01"}
    )
    assert response.status_code == 200
    assert "The rules start on 2018-05-25" in response.content.decode()
    assert stored(client) == {}


def test_reference_date_selects_the_rule_version(client: Client) -> None:
    url = start(client, reference_date="2024-06-01")
    complete(client, url, {**ANSWERS["allowed_with_conditions"], "agreement": "covenant"})
    ruleset = client.get(result_url(url)).context["ruleset"]
    assert ruleset["version"] == "2022-10-01"
    assert ruleset["valid_on"].isoformat() == "2024-06-01"


def test_unknown_start_button_is_a_400(client: Client) -> None:
    assert client.post(reverse("sharing:start"), {"entry": "skip"}).status_code == 400
    assert stored(client) == {}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"action": "answer", "fact": "purpose", "value": "human_trafficking"}, "purpose"),
        ({"action": "answer", "fact": "acute_danger", "value": "maybe"}, "acute_danger"),
        ({"action": "answer", "fact": "colour", "value": "red"}, "colour"),
        ({"action": "answer", "value": "true"}, "fact"),
        ({"action": "jump", "fact": "acute_danger", "value": "true"}, ""),
    ],
)
def test_tampered_answers_are_a_400_and_change_nothing(
    client: Client, data: dict[str, str], expected: str
) -> None:
    url = start(client)
    before = stored(client)
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"<code>{expected}</code>" in response.content.decode() or not expected
    assert stored(client) == before


def test_unknown_option_value_is_a_400_naming_the_allowed_values(client: Client) -> None:
    url = start(client)
    before = stored(client)
    response = client.post(url, {"action": "answer", "fact": "sender", "value": "mafia"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<code>sender</code>" in html
    assert "municipality" in html
    assert stored(client) == before


def test_skipping_ahead_from_a_stale_page_is_a_400(client: Client) -> None:
    url = start(client)
    answer(client, url, "sender", "municipality")
    # A second tab still shows the first question and posts it again.
    response = client.post(url, {"action": "answer", "fact": "sender", "value": "police"})
    assert response.status_code == 400
    assert current_fact(client, url) == "recipient"


def test_result_before_the_end_goes_back_to_the_question(client: Client) -> None:
    url = start(client)
    response = client.get(result_url(url))
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(url + "assessment.json").status_code == 302


@pytest.mark.parametrize("path", ["", "result/", "assessment.json", "case.json"])
def test_another_users_assessment_is_a_404(
    client: Client,
    path: str,
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: ClientFor,
) -> None:
    url = start(client)
    complete(client, url, ANSWERS["allowed"])
    colleague = client_for(user_factory(Role.PROFESSIONAL, org_a))
    outsider = client_for(user_factory(Role.ORG_ADMIN, org_b))
    for other in (colleague, outsider):
        assert other.get(url + path).status_code == 404
    assert client.get(url + path).status_code in {200, 302}


def test_posting_to_another_users_assessment_is_a_404(
    client: Client, org_b: Organisation, user_factory: Callable[..., User], client_for: ClientFor
) -> None:
    url = start(client)
    outsider = client_for(user_factory(Role.PROFESSIONAL, org_b))
    data = {"action": "answer", "fact": "sender", "value": "police"}
    assert outsider.post(url, data).status_code == 404
    assert outsider.post(url, {"action": "back"}).status_code == 404
    assert outsider.post(url + "paperwork/").status_code == 404
    assert outsider.post(url + "save/", {"motivation": "x"}).status_code == 404
    assert outsider.post(url + "delete/").status_code == 404
    assert outsider.get(url + "check/").status_code == 404
    assert current_fact(client, url) == "sender"


def test_an_unknown_assessment_id_is_a_404(client: Client) -> None:
    url = reverse("sharing:question", args=[uuid.uuid4()])
    assert client.get(url).status_code == 404
    assert client.get("/sharing/assess/not-a-uuid/").status_code == 404


def test_drafts_go_beyond_the_old_ten_in_a_session_limit(client: Client) -> None:
    urls = [start(client) for _ in range(11)]
    assert len(stored(client)) == 11
    assert client.get(urls[0]).status_code == 200
    assert client.get(urls[-1]).status_code == 200


def test_json_downloads_are_attachments(client: Client) -> None:
    url = start(client)
    complete(client, url, ANSWERS["seek_advice"])
    response = client.get(url + "assessment.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="ketenwijs-assessment-')
    data = json.loads(response.content)
    assert data["outcome"] == "seek_advice"
    assert set(data["ruleset"]) == {"id", "version", "valid_on", "sha256"}
    case = json.loads(client.get(url + "case.json").content)
    assert case["purpose"] == "other"
    assert case["necessity"] == {
        "purpose_specified": True,
        "less_intrusive_possible": False,
        "minimised": True,
    }


def test_an_unverified_article_is_marked_on_the_question_page(client: Client) -> None:
    url = start(client)
    answers = {**WITH_CONDITIONS, "sender": "police", "recipient": "municipality"}
    while (fact := current_fact(client, url)) != "authorisation":
        answer(client, url, fact, answers[fact])
    response = english(client).get(url)
    html = response.content.decode()
    assert "Wpg 19" in html
    assert "not verified" in html
    assert "https://wetten.overheid.nl/" in html


def test_every_question_page_renders_in_both_languages(client: Client) -> None:
    """Walk a long path in Dutch and in English; each page has help text and a heading."""
    for lang in ("nl", "en"):
        client.post(reverse("set_language"), {"language": lang, "next": "/"})
        url = start(client)
        answers = {**WITH_CONDITIONS, "sender": "police", "pattern": "structural"}
        while (fact := current_fact(client, url)) is not None:
            response = client.get(url)
            assert f'lang="{lang}"' in response.content.decode()
            assert response.context["help_text"]
            answer(client, url, fact, form_value(answers[fact]) and answers[fact])
        assert client.get(result_url(url)).status_code == 200


def test_starting_at_a_step_without_questions_starts_at_the_next_step(client: Client) -> None:
    """'Which regime applies' has checks only; its link starts at the legal-basis questions."""
    response = client.get(reverse("sharing:start"), {"start": "regime"})
    assert ("start", "basis") in response.context["hidden"]
    url = start(client, start="regime")
    assert current_fact(client, url) == "consent"


def test_result_page_shows_what_would_change_the_outcome(client: Client) -> None:
    url = start(client)
    complete(client, url, ANSWERS["seek_advice"])
    page = english(client).get(result_url(url))
    html = page.content.decode()
    assert "What would change the outcome" in html
    changes = page.context["changes"]
    assert changes
    assert all("->" in c for c in changes)
