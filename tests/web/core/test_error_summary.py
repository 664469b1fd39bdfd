"""Errors the GOV.UK way: one summary first in main, linked to fields, "Fout: " in the title."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User


class _Main(HTMLParser):
    """Collect the title, main's first element and every element id of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.ids: set[str] = set()
        self.first_in_main: dict[str, str | None] | None = None
        self._in_title = False
        self._in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if self._in_main and self.first_in_main is None:
            self.first_in_main = {"tag": tag, **attributes}
        self._in_main = self._in_main or tag == "main"
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def _parse(html: str) -> _Main:
    parser = _Main()
    parser.feed(html)
    return parser


def test_refused_login_has_the_summary_first_in_main_and_fout_in_the_title(db: None) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "", "password": ""})
    html = response.content.decode()
    page = _parse(html)

    assert page.title.strip().startswith("Fout: ")
    assert page.first_in_main is not None
    assert page.first_in_main.get("class") == "error-summary"
    assert page.first_in_main.get("tabindex") == "-1"
    assert "Er is een probleem" in html
    targets = re.findall(r'<a href="#([^"]+)">', html.split('class="error-summary"')[1])
    assert targets, "every field error links to its field"
    assert set(targets) <= page.ids
    assert html.count('class="error-summary"') == 1
    # The field's own error sits next to it and is announced with it.
    assert 'aria-describedby="id_username_error"' in html or "id_username_error" in html


def test_page_without_errors_has_no_summary_and_no_fout(db: None) -> None:
    html = Client().get(reverse("accounts:login")).content.decode()
    assert 'class="error-summary"' not in html
    assert not _parse(html).title.strip().startswith("Fout")


def test_both_forms_of_a_page_are_summarised_once(
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    """The retention page has the setting and a step-up code: both errors, one summary."""
    admin = user_factory(Role.ORG_ADMIN, org_a)
    response = client_for(admin).post(
        reverse("audit:retention"), {"retention_days": "5", "stepup-code": "12"}
    )
    html = response.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert html.count('class="error-summary"') == 1
    assert 'href="#id_retention_days"' in summary
    assert summary.count("<li>") >= 2, summary


@pytest.mark.parametrize(
    ("language", "heading"), [("nl", "Er is een probleem"), ("en", "There is a problem")]
)
def test_summary_heading_is_translated(db: None, language: str, heading: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post(reverse("accounts:login"), {"username": "", "password": ""}).content
    assert heading in html.decode()
