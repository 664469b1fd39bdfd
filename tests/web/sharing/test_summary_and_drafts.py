"""Issue 15 in Delen: the one-screen result, check your answers, "Weet ik niet", drafts, saving.

Each test goes through HTTP as the professional does; the rules engine runs for real.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenwijs.sharing import load_rulebook
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit.models import DecisionRecord
from ketenwijs.web.sharing.models import Draft
from ketenwijs.web.sharing.wizard import DONT_KNOW
from tests.web.sharing.conftest import (
    ANSWERS,
    WITH_CONDITIONS,
    answer,
    complete,
    current_fact,
    result_url,
    start,
)

pytestmark = pytest.mark.django_db

RULEBOOK = load_rulebook()
BIBOB = {
    **WITH_CONDITIONS,
    "sender": "municipality",  # (the tax authority now carries Awr 67 secrecy: seek advice)
    "recipient": "municipality",
    "purpose": "bibob_screening",
    "setting": "bilateral",
    "data_categories": ["ordinary", "bibob"],
}


def finished(client: Client, answers: dict[str, object] = WITH_CONDITIONS) -> str:
    url = start(client)
    complete(client, url, answers)
    return url


# One-screen answer -------------------------------------------------------------------------


def test_result_opens_with_outcome_conditions_record_and_next_step(client: Client) -> None:
    url = finished(client)
    page = client.get(result_url(url)).content.decode()
    main = page.split('id="main"')[1]
    order = [
        main.index('class="outcome outcome--allowed_with_conditions"'),
        main.index('id="conditions-heading"'),
        main.index('id="next-heading"'),
        main.index(f'href="{url}save/"'),
        main.index('class="all-checks"'),
    ]
    assert order == sorted(order)
    # Checks that did not apply are folded away, and named there on one line.
    # (Each cited article has its own <details> with the law text inside, so no split on the
    # first closing tag.)
    folded = main.split('<details class="all-checks">')[1]
    assert "<summary>Toon alle toetsen (" in folded
    assert "niet van toepassing" in folded
    assert "Fiscale gegevens niet naar private partijen" in folded


def test_facts_are_not_shown_as_failures(client: Client) -> None:
    url = finished(client)
    response = client.get(result_url(url))
    facts = {f["id"]: f for f in response.context["facts"]}
    assert "no_personal_data" in facts
    assert facts["no_personal_data"]["status"] == "fact"
    html = response.content.decode()
    title = "Geen persoonsgegevens"
    card = html.split(f">{title}</h3>")[1].split("</li>")[0]
    assert "niet voldaan" not in card
    assert "✕" not in card
    assert 'class="status status--fact"' in card
    # No applied check outside the reasons is shown as a failure in an allowed case.
    for check in response.context["checks"] + response.context["minimisation"]["checks"]:
        assert check["status"] != "not_met", check["id"]


@pytest.mark.parametrize("outcome", list(ANSWERS))
def test_each_check_is_listed_once(client: Client, outcome: str) -> None:
    url = finished(client, ANSWERS[outcome])
    context = client.get(result_url(url)).context
    shown = [
        c["id"]
        for section in (context["reasons"], context["facts"], context["checks"])
        for c in section
    ] + [c["id"] for c in context["minimisation"]["checks"]]
    assert len(shown) == len(set(shown)), shown
    html = client.get(result_url(url)).content.decode()
    assert html.count(">Geen minder ingrijpend middel (subsidiariteit)</h3>") <= 1


def test_a_bibob_case_cites_only_the_bibob_secrecy_article(client: Client) -> None:
    url = finished(client, BIBOB)
    context = client.get(result_url(url)).context
    assert context["outcome"]["key"] == "allowed_with_conditions"
    secrecy = next(c for c in context["conditions"] if c["id"] == "secrecy_route_documented")
    cites = [s["cite"] for s in secrecy["sources"]]
    assert cites == ["Wet Bibob 28"]
    umbrella = next(c for c in context["facts"] if c["id"] == "no_secrecy_rule")
    umbrella_cites = {s["cite"] for s in umbrella["sources"]}
    assert "Wet Bibob 28" in umbrella_cites
    assert not umbrella_cites & {"Awr 67", "BW 7:457", "Jeugdwet 7.3.11"}


# Check your answers ------------------------------------------------------------------------


def test_the_last_answer_leads_to_the_summary_with_a_change_link_per_answer(
    client: Client,
) -> None:
    url = start(client)
    asked = complete(client, url, WITH_CONDITIONS)
    response = client.get(url)
    assert response["Location"] == url + "check/"
    summary = client.get(url + "check/")
    assert summary.status_code == 200
    rows = summary.context["rows"]
    assert [r["fact"] for r in rows][1:] == [q.fact for q in RULEBOOK.questions if q.fact in asked]
    assert rows[0]["fact"] == "acute_danger"  # answered on the start page, changeable here
    html = summary.content.decode()
    assert "<title>Controleer uw antwoorden" in html
    for row in rows:
        assert f'href="{url}change/{row["fact"]}/"' in html
    assert f'href="{url}result/"' in html


def test_changing_an_answer_returns_to_the_summary(client: Client) -> None:
    url = finished(client)
    page = client.get(url + "change/pattern/")
    assert page.status_code == 200
    assert page.context["selected"] == ["incidental"]
    assert f'href="{url}check/"' in page.content.decode()
    response = client.post(
        url + "change/pattern/", {"action": "answer", "fact": "pattern", "value": "structural"}
    )
    # Structural sharing asks about a DPIA and agreements that were not needed before.
    assert response["Location"] == url
    assert current_fact(client, url) == "dpia"
    answer(client, url, "dpia", "done")
    assert current_fact(client, url) is None
    assert client.get(url)["Location"] == url + "check/"
    rows = {r["fact"]: r["answer"] for r in client.get(url + "check/").context["rows"]}
    assert rows["pattern"] == "Structureel of herhaald"


def test_a_change_that_asks_nothing_new_goes_straight_back_to_the_summary(
    client: Client,
) -> None:
    url = finished(client)
    response = client.post(
        url + "change/data_subject_informed/",
        {"action": "answer", "fact": "data_subject_informed", "value": "yes"},
    )
    assert response["Location"] == url + "check/"


def test_a_change_that_makes_answers_moot_drops_them(client: Client) -> None:
    url = finished(client)
    client.post(
        url + "change/personal_data/",
        {"action": "answer", "fact": "personal_data", "value": "none"},
    )
    # Criminal-law data are personal data by definition: the page says so and keeps the answer.
    assert Draft.objects.get().state["case"]["personal_data"] == "identifiable"
    client.post(
        url + "change/data_categories/",
        {"action": "answer", "fact": "data_categories", "value": ["ordinary"]},
    )
    client.post(
        url + "change/personal_data/",
        {"action": "answer", "fact": "personal_data", "value": "none"},
    )
    facts = client.get(url + "check/").context["rows"]
    assert "consent" not in {r["fact"] for r in facts}  # no personal data: consent is moot


def test_changing_an_unanswered_or_unknown_question_is_refused(client: Client) -> None:
    url = start(client)
    assert client.get(url + "change/dpia/").status_code == 404
    assert client.get(url + "change/colour/").status_code == 404


def test_change_link_on_the_first_answer_is_the_acute_danger_question(client: Client) -> None:
    url = finished(client, {**WITH_CONDITIONS, "recipient": "police", "setting": "bilateral"})
    response = client.post(
        url + "change/acute_danger/", {"action": "answer", "fact": "acute_danger", "value": "true"}
    )
    assert response["Location"] == url + "result/"
    assert client.get(url + "result/").context["urgent"] is True


# "Weet ik niet" ----------------------------------------------------------------------------


def test_allow_unknown_is_data_and_meaningful() -> None:
    """Each question offering "Weet ik niet" has a case where not knowing asks for advice."""
    from ketenwijs.sharing import evaluate, load_scenarios
    from ketenwijs.sharing.rulebook import PACKAGED_RULES

    scenarios = [
        s
        for path in sorted((PACKAGED_RULES / "scenarios").glob("*.yaml"))
        for s in load_scenarios(RULEBOOK, path)
    ]
    offering = [q for q in RULEBOOK.questions if q.allow_unknown]
    assert offering
    assert not {"acute_danger", "sender", "recipient", "purpose"} & {q.fact for q in offering}
    for question in offering:
        assert any(
            evaluate(s.case, RULEBOOK).outcome != "seek_advice"
            and evaluate(s.case.without_fact(question.fact), RULEBOOK).outcome == "seek_advice"
            for s in scenarios
            if question.fact in s.case.facts
        ), question.fact


def test_dont_know_is_offered_only_where_the_data_allow_it(client: Client) -> None:
    url = start(client)
    sender = client.get(url).content.decode()
    assert DONT_KNOW not in sender
    for fact in ("sender", "recipient", "purpose", "setting", "pattern"):
        answer(client, url, fact, WITH_CONDITIONS[fact])
    page = client.get(url).content.decode()
    assert client.get(url).context["question"].fact == "personal_data"
    assert f'value="{DONT_KNOW}"' in page
    assert "Weet ik niet" in page


def test_dont_know_leads_to_the_engines_unknown_handling(client: Client) -> None:
    url = start(client)
    for fact in ("sender", "recipient", "purpose", "setting", "pattern"):
        answer(client, url, fact, WITH_CONDITIONS[fact])
    answer(client, url, "personal_data", DONT_KNOW)
    # Not asked again; the interview goes on.
    assert current_fact(client, url) == "data_categories"
    complete(client, url, WITH_CONDITIONS)
    rows = {r["fact"]: r for r in client.get(url + "check/").context["rows"]}
    assert rows["personal_data"]["unknown"] is True
    assert rows["personal_data"]["answer"] == "Weet ik niet"
    result = client.get(result_url(url)).context
    assert result["outcome"]["key"] == "seek_advice"
    assert "personal_data" not in client.get(url + "case.json").json()
    # Going back from the summary: the "Weet ik niet" answer is changed like any other.
    client.post(
        url + "change/personal_data/",
        {"action": "answer", "fact": "personal_data", "value": "identifiable"},
    )
    assert client.get(result_url(url)).context["outcome"]["key"] == "allowed_with_conditions"


def test_dont_know_where_not_offered_is_a_400(client: Client) -> None:
    url = start(client)
    response = client.post(url, {"action": "answer", "fact": "sender", "value": DONT_KNOW})
    assert response.status_code == 400
    assert current_fact(client, url) == "sender"


def test_dont_know_with_another_kind_is_a_form_error(client: Client) -> None:
    url = start(client, start="secrecy")
    response = client.post(
        url, {"action": "answer", "fact": "data_categories", "value": [DONT_KNOW, "tax"]}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


# Drafts ------------------------------------------------------------------------------------


def test_drafts_are_listed_on_the_start_page_with_date_and_progress(client: Client) -> None:
    url = start(client)
    answer(client, url, "sender", "municipality")
    answer(client, url, "recipient", "riec")
    page = client.get(reverse("sharing:start")).content.decode()
    assert "Uw onafgemaakte toetsen" in page
    assert f'href="{url}"' in page
    assert "Gemeente (college) → RIEC" in page
    assert "2 van ongeveer" in page
    assert timezone.localtime().strftime("%Y") in page


def test_a_draft_survives_logout_and_is_resumed(
    professional: User, client_for: Callable[[User], Client]
) -> None:
    first = client_for(professional)
    url = start(first)
    answer(first, url, "sender", "municipality")
    first.post(reverse("accounts:logout"))
    assert first.get(url).status_code == 302  # to the login page
    again = client_for(professional)
    assert current_fact(again, url) == "recipient"


def test_a_draft_stores_only_case_facts(client: Client) -> None:
    url = finished(client)
    client.post(url + "save/", {"motivation": "Gedeeld met het RIEC na het casusoverleg."})
    state = Draft.objects.get().state
    assert set(state) <= {
        "case", "start_at", "history", "kept", "suggested", "paperwork", "saved_url", "unknown"
    }  # fmt: skip
    assert "Gedeeld met het RIEC" not in str(state)


def test_a_draft_can_be_deleted(client: Client) -> None:
    url = start(client)
    response = client.post(url + "delete/")
    assert response["Location"] == reverse("sharing:start")
    assert not Draft.objects.exists()
    gone = client.get(url)
    assert gone.status_code == 404
    assert "Deze toets is niet gevonden" in gone.content.decode()
    assert client.get(url + "delete/").status_code == 405


def test_an_expired_draft_says_so(client: Client, settings: pytest.FixtureRequest) -> None:
    settings.KETENWIJS_DRAFT_DAYS = 3  # type: ignore[attr-defined]
    url = start(client)
    Draft.objects.update(updated_at=timezone.now() - dt.timedelta(days=3, minutes=1))
    response = client.get(url)
    assert response.status_code == 410
    html = response.content.decode()
    assert "Dit concept is verlopen" in html
    assert "3 dagen" in html
    assert not Draft.objects.exists()  # its facts are removed
    assert client.get(url).status_code == 404


def test_expired_drafts_leave_the_start_page(client: Client) -> None:
    url = start(client)
    Draft.objects.update(updated_at=timezone.now() - dt.timedelta(days=31))
    assert f'href="{url}"' not in client.get(reverse("sharing:start")).content.decode()
    assert not Draft.objects.exists()


def test_the_daily_job_removes_expired_drafts_of_everyone(
    client: Client, org_b: Organisation, user_factory: Callable[..., User]
) -> None:
    from django.core.management import call_command

    old, fresh = start(client), start(client)
    Draft.objects.filter(id=old.rstrip("/").split("/")[-1]).update(
        updated_at=timezone.now() - dt.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("purge_drafts", stdout=out)
    assert "1 expired drafts deleted" in out.getvalue()
    assert [str(d.id) for d in Draft.objects.all()] == [fresh.rstrip("/").split("/")[-1]]


def test_an_unknown_draft_id_explains_instead_of_a_bare_404(client: Client) -> None:
    response = client.get(reverse("sharing:question", args=[uuid.uuid4()]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze toets is niet gevonden" in html
    assert reverse("sharing:start") in html


def test_draft_days_come_from_the_environment() -> None:
    from ketenwijs.config import ConfigError, load_config

    assert load_config({"KETENWIJS_DRAFT_DAYS": "14"}).draft_days == 14
    assert load_config({}).draft_days == 30
    for bad in ("0", "366", "veel"):
        with pytest.raises(ConfigError, match="KETENWIJS_DRAFT_DAYS"):
            load_config({"KETENWIJS_DRAFT_DAYS": bad})


# Saving: its own page ----------------------------------------------------------------------


def test_the_save_page_refuses_personal_details_with_the_error_first(client: Client) -> None:
    url = finished(client)
    form = client.get(url + "save/")
    assert form.status_code == 200
    assert 'name="motivation"' in form.content.decode()
    response = client.post(url + "save/", {"motivation": "Mail jan.jansen@example.nl even."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Fout: Opslaan als besluit" in html
    main = html.split('id="main"')[1]
    # The error summary is the first thing in main, and takes the focus.
    assert (
        main.split(">", 1)[1]
        .lstrip()
        .startswith('<div class="error-summary" role="alert" tabindex="-1" autofocus>')
    )
    assert 'href="#id_motivation"' in main
    assert "jan.jansen@example.nl" in main  # what the user typed is kept in the field
    assert DecisionRecord.objects.count() == 0


def test_saving_confirms_and_the_result_links_the_record(client: Client) -> None:
    url = finished(client)
    response = client.post(
        url + "save/", {"motivation": "Gedeeld met het RIEC na het casusoverleg."}, follow=True
    )
    assert "is opgeslagen in het besluitenlog" in response.content.decode()
    record = DecisionRecord.objects.get()
    assert record.get_absolute_url() in client.get(result_url(url)).content.decode()


def test_platform_admin_has_no_save_page(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(user_factory(Role.PLATFORM_ADMIN, None))
    url = finished(client)
    assert client.get(url + "save/").status_code == 403
