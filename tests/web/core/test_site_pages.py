"""Government basics (issue 15): navigation, statements, help and FG contact, glossary, search."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.core.models import OrganisationContact, SiteStatement
from tests.web.sharing.conftest import ANSWERS, complete, result_url, start

UserFactory = Callable[..., User]
ClientFor = Callable[[User], Client]


def _current(page: str) -> list[str]:
    """Return the labels of the menu links marked aria-current."""
    nav = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    labels = []
    for chunk in nav.split("<a ")[1:]:
        if "aria-current=" in chunk.split(">", 1)[0]:
            labels.append(chunk.split(">", 1)[1].split("<", 1)[0])
    return labels


@pytest.mark.parametrize(
    ("url_name", "label", "value"),
    [
        ("sharing:start", "Delen", "page"),
        ("sharing:infographic", "Delen", "true"),
        ("learning:index", "Herkennen", "page"),
        ("learning:quiz", "Herkennen", "true"),
        ("signals:check", "Signaleren", "page"),
        ("audit:list", "Verantwoorden", "page"),
        ("core:help", "Help", "page"),
        ("core:glossary", "Help", "true"),
        ("core:search", "Zoeken", "page"),
        ("accounts:account", "Mijn account", "page"),
    ],
)
def test_menu_marks_the_current_section(
    url_name: str,
    label: str,
    value: str,
    org_a: Organisation,
    user_factory: UserFactory,
    client_for: ClientFor,
) -> None:
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    page = client.get(reverse(url_name)).content.decode()
    assert _current(page) == [label]
    assert f'aria-current="{value}">{label}</a>' in page
    for module in ("Delen", "Herkennen", "Signaleren", "Verantwoorden", "Help", "Uitloggen"):
        assert module in page
    assert 'class="skip-link" href="#main"' in page


def test_home_page_has_no_current_section(
    org_a: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    page = client_for(user_factory(Role.PROFESSIONAL, org_a)).get("/home/").content.decode()
    assert _current(page) == []


def test_platform_admin_menu_has_no_decision_log_or_lessons(
    user_factory: UserFactory, client_for: ClientFor
) -> None:
    page = client_for(user_factory(Role.PLATFORM_ADMIN)).get("/home/").content.decode()
    nav = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert "Verantwoorden" not in nav
    assert "Herkennen" not in nav
    assert "Beheer" in nav


@pytest.mark.parametrize(
    ("url_name", "text"),
    [
        ("core:accessibility", "voldoet gedeeltelijk"),
        ("core:privacy", "Wat Ketenwijs niet bewaart"),
        ("core:glossary", 'id="hit-no-hit"'),
    ],
)
def test_statements_and_glossary_are_public_and_linked_from_the_footer(
    db: None, url_name: str, text: str
) -> None:
    response = Client().get(reverse(url_name))
    assert response.status_code == 200
    page = response.content.decode()
    assert text in page
    footer = page.split('class="site-footer"', 1)[1]
    assert reverse("core:accessibility") in footer
    assert reverse("core:privacy") in footer


def test_login_page_links_the_statements(db: None) -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert reverse("core:privacy") in page
    assert reverse("core:accessibility") in page


def test_platform_admin_edits_and_resets_a_statement(
    user_factory: UserFactory, client_for: ClientFor
) -> None:
    admin = user_factory(Role.PLATFORM_ADMIN)
    client = client_for(admin)
    url = reverse("core:statement_edit", kwargs={"kind": "privacy"})
    form = client.get(url).content.decode()
    assert "Wat Ketenwijs bewaart" in form  # prefilled with the default
    body = "## Nieuw\nTekst <script>alert(1)</script>"
    response = client.post(url, {"body_nl": body, "body_en": "## New\nText"})
    assert response.status_code == 302
    page = Client().get(reverse("core:privacy")).content.decode()
    assert "<h2>Nieuw</h2>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert SiteStatement.objects.get(kind="privacy").updated_by == admin
    client.post(url, {"action": "reset"})
    assert not SiteStatement.objects.exists()
    assert "Wat Ketenwijs bewaart" in Client().get(reverse("core:privacy")).content.decode()


def test_statement_text_with_personal_data_is_refused_and_kept_in_the_form(
    user_factory: UserFactory, client_for: ClientFor
) -> None:
    client = client_for(user_factory(Role.PLATFORM_ADMIN))
    url = reverse("core:statement_edit", kwargs={"kind": "accessibility"})
    response = client.post(url, {"body_nl": "Bel Jan de Vries op 0612345678", "body_en": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Niet opgeslagen" in page
    assert "Bel Jan de Vries op 0612345678" in page
    assert not SiteStatement.objects.exists()


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.PROFESSIONAL, Role.AUDITOR])
def test_only_platform_admins_edit_statements(
    role: str, org_a: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    client = client_for(user_factory(role, org_a))
    url = reverse("core:statement_edit", kwargs={"kind": "privacy"})
    assert client.get(url).status_code == 404
    assert client.post(url, {"body_nl": "x", "body_en": "x"}).status_code == 404
    assert not SiteStatement.objects.exists()


def test_anonymous_statement_edit_goes_to_login(db: None) -> None:
    response = Client().get(reverse("core:statement_edit", kwargs={"kind": "privacy"}))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


HELP = {
    "help_text_nl": "Vragen? Mail de helpdesk.\n\nDe aandachtsfunctionaris zit bij team Jeugd.",
    "help_text_en": "",
    "contact_email": "helpdesk@aa.example",
    "contact_phone": "0701234567",
    "fg_name": "Functionaris Gegevensbescherming Aa",
    "fg_email": "fg@aa.example",
}


def _help_url(organisation: Organisation) -> str:
    return reverse("accounts:organisation_help", kwargs={"org_id": organisation.pk})


def test_org_admin_sets_help_and_colleagues_see_it(
    org_a: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    admin = client_for(user_factory(Role.ORG_ADMIN, org_a))
    response = admin.post(_help_url(org_a), HELP)
    assert response.status_code == 302
    contact = OrganisationContact.objects.get(organisation=org_a)
    assert contact.contact_phone == "070 123 4567"
    page = client_for(user_factory(Role.PROFESSIONAL, org_a)).get("/help/").content.decode()
    assert "De aandachtsfunctionaris zit bij team Jeugd." in page
    assert 'href="mailto:fg@aa.example"' in page
    assert 'href="tel:0701234567"' in page
    assert _help_url(org_a) not in page  # no edit link for a professional


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_phone", "12345", "geldig telefoonnummer"),
        ("fg_email", "geen-adres", "geldig e-mailadres"),
        ("fg_email", "", "e-mailadres van de FG"),
        ("help_text_nl", "Bel Jan de Vries op 0612345678.", "Niet opgeslagen"),
    ],
)
def test_invalid_help_fields_are_refused_with_the_field_and_why(
    field: str,
    value: str,
    message: str,
    org_a: Organisation,
    user_factory: UserFactory,
    client_for: ClientFor,
) -> None:
    admin = client_for(user_factory(Role.ORG_ADMIN, org_a))
    response = admin.post(_help_url(org_a), {**HELP, field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}"' in page
    assert not OrganisationContact.objects.exists()


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.PROFESSIONAL])
def test_other_organisation_cannot_set_help(
    role: str,
    org_a: Organisation,
    org_b: Organisation,
    user_factory: UserFactory,
    client_for: ClientFor,
) -> None:
    client = client_for(user_factory(role, org_b))
    assert client.get(_help_url(org_a)).status_code == 404
    assert client.post(_help_url(org_a), HELP).status_code == 404
    assert not OrganisationContact.objects.exists()


def test_professional_cannot_set_own_organisation_help(
    org_a: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    assert client.post(_help_url(org_a), HELP).status_code == 404


def test_delen_result_shows_the_fg_of_the_own_organisation_only(
    org_a: Organisation, org_b: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    OrganisationContact.objects.create(
        organisation=org_a, fg_name="FG Aa", fg_email="fg@aa.example"
    )
    OrganisationContact.objects.create(
        organisation=org_b, fg_name="FG Bee", fg_email="fg@bee.example"
    )
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    url = start(client)
    complete(client, url, ANSWERS["allowed_with_conditions"])
    page = client.get(result_url(url)).content.decode()
    assert "mailto:fg@aa.example" in page
    assert "fg@bee.example" not in page
    # Result explanations link glossary terms.
    assert 'class="glossary-link" href="/glossary/#' in page


def test_delen_result_says_where_to_ask_when_no_fg_is_set(
    org_a: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    url = start(client)
    complete(client, url, ANSWERS["allowed"])
    page = client.get(result_url(url)).content.decode()
    assert "nog geen contactgegevens van de FG" in page


def _render(text: object, language: str = "nl") -> str:
    with translation.override(language):
        return Template("{% load site_tags %}{{ text|glossary_links }}").render(
            Context({"text": text})
        )


def test_glossary_filter_links_first_occurrence_and_escapes(db: None) -> None:
    html = _render("<b>De FG</b> & de FG en de Wpg")
    assert html == (
        '&lt;b&gt;De <a class="glossary-link" href="/glossary/#fg">FG</a>&lt;/b&gt; &amp; de FG '
        'en de <a class="glossary-link" href="/glossary/#wpg">Wpg</a>'
    )


def test_glossary_filter_leaves_html_alone(db: None) -> None:
    """Markup that is already HTML may hold links; a link inside a link is invalid."""
    assert _render(mark_safe('<a href="/x">FG</a>')) == '<a href="/x">FG</a>'


def test_glossary_filter_on_empty_values(db: None) -> None:
    assert _render(None) == ""
    assert _render("") == ""


def test_search_finds_lessons_glossary_and_own_help_only(
    org_a: Organisation, org_b: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    OrganisationContact.objects.create(organisation=org_a, help_text_nl="Het loket Zuidpunt.")
    OrganisationContact.objects.create(organisation=org_b, help_text_nl="Het loket Noordpunt.")
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    page = client.get(reverse("core:search"), {"q": "uitbuiting"}).content.decode()
    assert "/learning/lessons/wat-is-uitbuiting/" in page
    assert "<mark>" in page
    page = client.get(reverse("core:search"), {"q": "Wet politiegegevens"}).content.decode()
    assert "/glossary/#wpg" in page
    assert "Zuidpunt" in client.get(reverse("core:search"), {"q": "loket"}).content.decode()
    page = client.get(reverse("core:search"), {"q": "Noordpunt"}).content.decode()
    assert "0 resultaten" in page


def test_search_refuses_an_overlong_query_with_an_error_summary(
    org_a: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    response = client.get(reverse("core:search"), {"q": "a" * 101})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fout: Zoeken" in page
    assert "Gebruik ten hoogste 100 tekens." in page
    assert 'class="error-summary"' in page


def test_search_needs_login(db: None) -> None:
    assert Client().get(reverse("core:search"), {"q": "fg"}).status_code == 302


def test_menu_and_footer_in_english(
    org_a: Organisation, user_factory: UserFactory, client_for: ClientFor
) -> None:
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("core:search")).content.decode()
    assert _current(page) == ["Search"]
    for text in ("My account", "Log out", "Accessibility statement", "Privacy statement"):
        assert text in page
    page = client.get(reverse("core:glossary")).content.decode()
    assert "<h1>Glossary</h1>" in page
    assert "Police Data Act" in page


def test_glossary_page_lists_every_term_with_an_anchor_and_marks_unverified_sources(
    db: None,
) -> None:
    from ketenwijs.site.glossary import load_glossary

    page = Client().get(reverse("core:glossary")).content.decode()
    for term in load_glossary().terms:
        assert f'<dt id="{term.id}"' in page
    wpg = page.split('<dt id="wpg"', 1)[1].split("</dd>", 1)[0]
    assert "niet geverifieerd" in wpg  # the Wpg source says the articles were not read
