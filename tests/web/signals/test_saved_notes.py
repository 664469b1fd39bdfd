"""Saving a note: refused with personal data (text kept), stored otherwise; owner-only pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ketenwijs.privacy import check_text, refusal_message
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.signals import services
from ketenwijs.web.signals.models import SavedNote
from tests.web.signals.conftest import ADULT_NOTE, NOTE, PERSONAL_NOTE, make_docx

CHECK = "/signals/"


def _textarea(html: str) -> str:
    match = re.search(r"<textarea[^>]*name=\"text\"[^>]*>(.*?)</textarea>", html, re.S)
    assert match, "no text box on the page"
    return match.group(1)


def test_save_with_personal_data_is_refused_and_keeps_the_text(signed_in: Client) -> None:
    response = signed_in.post(CHECK, {"text": PERSONAL_NOTE, "minor": "text", "action": "save"})
    assert response.status_code == 200
    assert SavedNote.objects.count() == 0
    expected = refusal_message(PERSONAL_NOTE, check_text(PERSONAL_NOTE)).nl
    assert response.context["form"].errors["text"] == [expected]
    html = response.content.decode()
    assert "Jan de Vries moet zijn geld afgeven." in _textarea(html)
    assert 'class="error-summary"' in html


def test_save_names_what_was_found_and_where(signed_in: Client) -> None:
    response = signed_in.post(CHECK, {"text": PERSONAL_NOTE, "minor": "text", "action": "save"})
    message = response.context["form"].errors["text"][0]
    assert "regel 1, teken 1" in message
    assert "adres" in message


def test_refusal_is_in_english_for_english_users(signed_in: Client) -> None:
    signed_in.cookies["ketenwijs_language"] = "en"
    response = signed_in.post(CHECK, {"text": PERSONAL_NOTE, "minor": "text", "action": "save"})
    assert response.context["form"].errors["text"][0].startswith("Not saved")


def test_title_with_personal_data_is_refused(signed_in: Client) -> None:
    data = {"text": NOTE, "minor": "text", "action": "save", "title": "Gesprek met Jan de Vries"}
    response = signed_in.post(CHECK, data)
    assert response.context["form"].errors["title"]
    assert SavedNote.objects.count() == 0
    assert "Cliënte is 15 jaar." in _textarea(response.content.decode())


def test_refused_save_of_an_upload_puts_its_text_in_the_form(signed_in: Client) -> None:
    upload = SimpleUploadedFile("notitie.docx", make_docx([PERSONAL_NOTE]))
    response = signed_in.post(
        CHECK, {"file": upload, "text": "", "minor": "text", "action": "save"}
    )
    assert SavedNote.objects.count() == 0
    assert "Jan de Vries moet zijn geld afgeven." in _textarea(response.content.decode())


def test_save_stores_the_note_for_the_user_and_shows_it(
    signed_in: Client, professional: User
) -> None:
    response = signed_in.post(
        CHECK, {"text": NOTE, "minor": "text", "action": "save", "title": "Intake week 12"}
    )
    note = SavedNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:note_detail", kwargs={"pk": note.pk})
    assert (note.user, note.organisation_id) == (professional, professional.organisation_id)
    assert (note.title, note.text) == ("Intake week 12", NOTE)
    detail = signed_in.get(response["Location"])
    assert detail.status_code == 200
    assert "no-store" in detail["Cache-Control"]
    assert 'data-indicators="earnings_handed_over"' in detail.content.decode()


def test_saved_note_can_be_checked_again_with_another_minor_answer(
    signed_in: Client, professional: User
) -> None:
    note = services.record_note(user=professional, text=ADULT_NOTE)
    url = reverse("signals:note_detail", kwargs={"pk": note.pk})
    adult = signed_in.get(url, {"minor": "no"}).content.decode()
    minor = signed_in.get(url, {"minor": "yes"}).content.decode()
    assert 'data-step="adult_several_dimensions"' in adult
    assert 'data-step="minor_exploitation_same_day"' in minor


def test_list_shows_only_the_users_own_notes(
    signed_in: Client,
    professional: User,
    org_a: Organisation,
    user_factory: Callable[..., User],
) -> None:
    mine = services.record_note(user=professional, text=NOTE, title="Mijn notitie")
    colleague = user_factory(Role.PROFESSIONAL, org_a)
    theirs = services.record_note(user=colleague, text=NOTE, title="Notitie collega")
    response = signed_in.get(reverse("signals:note_list"))
    assert response.status_code == 200
    assert list(response.context["notes"]) == [mine]
    html = response.content.decode()
    assert f'data-note="{mine.pk}"' in html
    assert f'data-note="{theirs.pk}"' not in html


def test_owner_deletes_a_note(signed_in: Client, professional: User) -> None:
    note = services.record_note(user=professional, text=NOTE)
    response = signed_in.post(reverse("signals:note_delete", kwargs={"pk": note.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:note_list")
    assert not SavedNote.objects.filter(pk=note.pk).exists()


def test_delete_needs_post(signed_in: Client, professional: User) -> None:
    note = services.record_note(user=professional, text=NOTE)
    response = signed_in.get(reverse("signals:note_delete", kwargs={"pk": note.pk}))
    assert response.status_code == 405
    assert SavedNote.objects.filter(pk=note.pk).exists()


@pytest.fixture
def note_of_professional(professional: User) -> SavedNote:
    return services.record_note(user=professional, text=NOTE, title="Van een ander")


@pytest.mark.parametrize("other", ["colleague", "org_admin", "auditor", "other_organisation"])
@pytest.mark.parametrize(
    ("name", "method"),
    [("signals:note_detail", "get"), ("signals:note_delete", "post")],
)
def test_other_users_get_404_on_every_saved_note_url(
    note_of_professional: SavedNote,
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
    other: str,
    name: str,
    method: str,
) -> None:
    """Nobody but the owner reaches a note: not a colleague or admin, not another organisation."""
    user = {
        "colleague": lambda: user_factory(Role.PROFESSIONAL, org_a),
        "org_admin": lambda: user_factory(Role.ORG_ADMIN, org_a),
        "auditor": lambda: user_factory(Role.AUDITOR, org_a),
        "other_organisation": lambda: user_factory(Role.ORG_ADMIN, org_b),
    }[other]()
    client = client_for(user)
    url = reverse(name, kwargs={"pk": note_of_professional.pk})
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert SavedNote.objects.filter(pk=note_of_professional.pk).exists()
    listing = client.get(reverse("signals:note_list"))
    assert f'data-note="{note_of_professional.pk}"' not in listing.content.decode()


def test_note_stays_with_the_organisation_it_was_saved_in(
    signed_in: Client, professional: User, org_b: Organisation
) -> None:
    """A user who moves to another organisation no longer sees notes saved in the old one."""
    note = services.record_note(user=professional, text=NOTE)
    professional.organisation = org_b
    professional.save()
    url = reverse("signals:note_detail", kwargs={"pk": note.pk})
    assert signed_in.get(url).status_code == 404


def test_platform_admin_checks_notes_but_cannot_save(
    user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(user_factory(Role.PLATFORM_ADMIN))
    page = client.get(CHECK)
    assert page.status_code == 200
    assert 'value="save"' not in page.content.decode()
    assert client.post(CHECK, {"text": NOTE, "minor": "text"}).status_code == 200
    refused = client.post(CHECK, {"text": NOTE, "minor": "text", "action": "save"})
    assert refused.status_code == 404
    assert SavedNote.objects.count() == 0
    assert client.get(reverse("signals:note_list")).status_code == 404


def test_home_page_offers_the_signal_checker(signed_in: Client) -> None:
    html = signed_in.get(reverse("core:home")).content.decode()
    assert reverse("signals:check") in html
    assert reverse("signals:checklist") in html
    assert reverse("signals:note_list") in html


def test_content_summary_describes_the_library() -> None:
    from ketenwijs.web.signals.content import summary

    line = summary()
    assert line.startswith("signals: 45 indicators, 7 vulnerability items")
