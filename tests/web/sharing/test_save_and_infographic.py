"""Save as decision (through the audit service), the infographic, the home card, start-up check."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ketenwijs.sharing import load_rulebook
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit.models import DecisionRecord
from ketenwijs.web.core.content import load_all_content
from tests.web.sharing.conftest import ANSWERS, complete, result_url, start

MOTIVATION = "Gedeeld met het RIEC na casusoverleg; alleen de velden die het RIEC nodig heeft."


def finished(client: Client, outcome: str = "allowed_with_conditions") -> str:
    url = start(client)
    complete(client, url, ANSWERS[outcome])
    return url


def test_saving_stores_the_decision_and_redirects_to_the_record(
    client: Client, professional: User
) -> None:
    url = finished(client)
    response = client.post(url + "save/", {"motivation": MOTIVATION})
    record = DecisionRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.user == professional
    assert record.organisation == professional.organisation
    assert record.outcome == "allowed_with_conditions"
    assert record.motivation == MOTIVATION
    assert record.ruleset_sha256 == load_rulebook().sha256
    assert record.facts["purpose"] == "human_trafficking"
    assert client.get(response["Location"]).status_code == 200
    # The result page now links to the record instead of offering a second save.
    page = client.get(result_url(url))
    assert record.get_absolute_url() in page.content.decode()
    assert 'name="motivation"' not in page.content.decode()


def test_refused_save_keeps_the_text_and_names_what_was_found(client: Client) -> None:
    url = finished(client, "not_allowed")
    text = "Besproken met moeder, bereikbaar op 06-12345678 en j.devries@example.nl."
    response = client.post(url + "save/", {"motivation": text})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["motivation"]
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "j.devries@example.nl" in html  # kept in the textarea
    assert re.search(r"<textarea[^>]*>\s*Besproken met moeder", html)
    assert DecisionRecord.objects.count() == 0
    assert response.context["outcome"]["key"] == "not_allowed"


def test_refusal_message_follows_the_language(client: Client) -> None:
    url = finished(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(url + "save/", {"motivation": "Mail j.devries@example.nl gestuurd."})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["motivation"])
    assert "e-mail" in errors.lower()


def test_empty_motivation_is_a_form_error(client: Client) -> None:
    url = finished(client)
    response = client.post(url + "save/", {"motivation": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["motivation"]
    assert DecisionRecord.objects.count() == 0


def test_saving_an_unfinished_assessment_is_refused(client: Client) -> None:
    url = start(client)
    assert client.post(url + "save/", {"motivation": MOTIVATION}).status_code == 400
    assert DecisionRecord.objects.count() == 0


def test_changing_an_answer_after_saving_offers_a_new_save(client: Client) -> None:
    url = finished(client)
    client.post(url + "save/", {"motivation": MOTIVATION})
    client.post(url, {"action": "back"})
    client.post(url, {"action": "answer", "fact": "data_subject_informed", "value": "yes"})
    page = client.get(result_url(url)).content.decode()
    assert f'href="{url}save/"' in page
    assert "Deze uitkomst is opgeslagen" not in page
    assert 'name="motivation"' in client.get(url + "save/").content.decode()


def test_platform_admin_without_organisation_can_assess_but_not_save(
    user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(user_factory(Role.PLATFORM_ADMIN, None))
    url = finished(client)
    page = client.get(result_url(url))
    assert page.status_code == 200
    assert 'name="motivation"' not in page.content.decode()
    assert client.post(url + "save/", {"motivation": MOTIVATION}).status_code == 403
    assert DecisionRecord.objects.count() == 0


def test_infographic_page_shows_the_svg_the_text_version_and_start_links(client: Client) -> None:
    response = client.get(reverse("sharing:infographic"))
    assert response.status_code == 200
    html = response.content.decode()
    rulebook = load_rulebook()
    assert f'src="{reverse("sharing:infographic_svg")}?version=2025-03-01&amp;lang=nl"' in html
    assert 'alt="' in html
    assert rulebook.disclaimer.nl in html  # the end of the text version
    for step in rulebook.steps:
        assert f'href="{reverse("sharing:start")}?start={step.id}"' in html
    assert client.get(reverse("sharing:start"), {"start": "basis"}).status_code == 200


def test_infographic_svg_is_generated_from_the_rules(client: Client) -> None:
    response = client.get(reverse("sharing:infographic_svg"), {"version": "2018-05-25"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert 'data-version="2018-05-25"' in svg
    assert 'id="step-secrecy"' in svg
    assert f'href="{reverse("sharing:start")}?start=secrecy"' in svg
    csp = response["Content-Security-Policy"]
    assert "script-src 'none'" in csp


def test_infographic_in_english(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("sharing:infographic")).content.decode()
    assert "lang=en" in html
    assert "Secrecy rules" in html
    assert 'lang="en"' in client.get(reverse("sharing:infographic_svg")).content.decode()


@pytest.mark.parametrize("query", ["version=1999-01-01", "version=latest"])
def test_unknown_infographic_version_is_a_400(client: Client, query: str) -> None:
    response = client.get(reverse("sharing:infographic") + "?" + query)
    assert response.status_code == 400
    assert "2025-03-01" in response.content.decode()
    assert client.get(reverse("sharing:infographic_svg") + "?" + query).status_code == 400


def test_unknown_svg_language_is_a_400(client: Client) -> None:
    assert client.get(reverse("sharing:infographic_svg"), {"lang": "fr"}).status_code == 400


def test_home_page_links_to_delen(client: Client) -> None:
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("sharing:start")}"' in html
    assert f'href="{reverse("sharing:infographic")}"' in html


def test_rules_are_checked_at_start_up(db: None) -> None:
    summaries = load_all_content()
    line = next(s for s in summaries if s.startswith("Delen:"))
    assert load_rulebook().sha256[:12] in line


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("sharing:start", {}), ("sharing:infographic", {})],
)
def test_pages_open_for_every_role(
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
    name: str,
    kwargs: dict[str, str],
) -> None:
    for role in Role.values:
        organisation = None if role == Role.PLATFORM_ADMIN else org_a
        response = client_for(user_factory(role, organisation)).get(reverse(name))
        assert response.status_code == 200, role


def test_saved_record_and_its_pdf_show_what_would_change_the_outcome(client: Client) -> None:
    url = finished(client, "seek_advice")
    response = client.post(url + "save/", {"motivation": MOTIVATION})
    record = DecisionRecord.objects.get()
    changes = record.assessment["what_would_change"]
    assert changes
    detail = client.get(response["Location"]).content.decode()
    assert "Wat de uitkomst zou veranderen" in detail
    assert changes[0]["text"]["nl"] in detail.replace("&gt;", ">")
    pdf = client.get(reverse("audit:pdf", args=[record.sequence]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    # The PDF itself names them, not only the page: read its text back.
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.split())
    assert "Wat de uitkomst zou veranderen" in flat
    first = " ".join(changes[0]["text"]["nl"].split())
    assert first.split(" -> ")[0] in flat


def test_saving_a_correction_links_it_to_the_earlier_decision(
    client: Client, professional: User, user_factory: Callable[..., User]
) -> None:
    """Issue 14: a decision is never edited; a correction names the decision it corrects."""
    client.post(finished(client) + "save/", {"motivation": MOTIVATION})
    original = DecisionRecord.objects.get()
    url = finished(client, "not_allowed")
    # A number the user has no decision under is a field error; nothing is saved.
    other = user_factory(Role.PROFESSIONAL, professional.organisation)
    from tests.web.audit.conftest import make_record

    colleague_record = make_record(other)
    for wrong in (9999, colleague_record.sequence):
        response = client.post(url + "save/", {"motivation": MOTIVATION, "corrects": wrong})
        assert response.context["form"].errors["corrects"]
    assert DecisionRecord.objects.filter(user=professional).count() == 1
    response = client.post(
        url + "save/", {"motivation": "Correctie na nieuwe feiten.", "corrects": original.sequence}
    )
    correction = DecisionRecord.objects.get(user=professional, corrects=original.sequence)
    assert response["Location"] == correction.get_absolute_url()
    page = client.get(original.get_absolute_url()).content.decode()
    assert correction.get_absolute_url() in page


def test_saving_into_a_wiped_log_is_refused_and_nothing_is_stored(
    client: Client, professional: User
) -> None:
    from ketenwijs.web.audit.models import ChainHead, LogEvent

    client.post(finished(client) + "save/", {"motivation": MOTIVATION})
    DecisionRecord.objects.all().delete()
    LogEvent.objects.all().delete()
    ChainHead.objects.all().delete()
    response = client.post(finished(client) + "save/", {"motivation": MOTIVATION})
    assert response.status_code == 409
    assert not DecisionRecord.objects.exists()
    assert not ChainHead.objects.exists()
