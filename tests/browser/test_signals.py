"""Signaleren in a real browser: paste a note, see the marks, and every page type passes axe."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.signals import services
from tests.browser.conftest import run_axe
from tests.web.factories import make_organisation, make_user, verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = (
    "Cliënte is 15 jaar. Een jongen haalt haar op na school. Ze moet haar geld afgeven aan hem.\n"
    "Er zijn geen bedreigingen geweest. Mocht ze weglopen, dan melden we dat meteen."
)


def _login(page: Any, live_server: Any, user: Any) -> None:
    """Reuse a verified Django session in the browser (login itself is tested elsewhere)."""
    client = verified_client(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_pasted_note_is_marked_and_every_page_passes_axe(live_server: Any, page: Any) -> None:
    user = make_user(Role.PROFESSIONAL, make_organisation("Gemeente Signaalstad"))
    _login(page, live_server, user)

    page.goto(live_server.url + "/signals/")
    assert run_axe(page) == []
    page.fill("textarea[name=text]", NOTE)
    page.click("button[name=action][value=scan]")
    page.wait_for_selector(".marked-note")
    affirmed = page.locator("mark.finding--affirmed")
    muted = page.locator("mark.finding--muted")
    assert affirmed.count() >= 2
    assert muted.count() >= 2
    assert "bedreigingen" in muted.all_inner_texts()
    assert page.locator('[data-contexts="negated"] + .finding__tag').inner_text().count("geen")
    assert page.locator("#start-delen").get_attribute("href").startswith("/sharing/?purpose=")
    assert run_axe(page) == []

    # Following a mark's label leads to its explanation.
    page.locator('[data-indicators="earnings_handed_over"] + .finding__tag a').first.click()
    assert page.url.endswith("#indicator-earnings_handed_over")

    page.goto(live_server.url + "/signals/")
    page.fill("textarea[name=text]", "Jan de Vries moet zijn geld afgeven.")
    page.click("button[name=action][value=save]")
    page.wait_for_selector(".error-summary")
    assert page.input_value("textarea[name=text]") == "Jan de Vries moet zijn geld afgeven."
    assert run_axe(page) == []


def test_checklist_and_saved_note_pages_pass_axe(live_server: Any, page: Any) -> None:
    user = make_user(Role.PROFESSIONAL, make_organisation("Gemeente Lijstdam"))
    note = services.record_note(user=user, text=NOTE, title="Intake week 12")
    _login(page, live_server, user)

    page.goto(live_server.url + "/signals/checklist/")
    assert run_axe(page) == []
    page.check("#indicator-earnings_handed_over")
    page.check("#indicator-sex_with_others_arranged")
    page.check("#id_minor_1")
    page.click("form#checklist-form button[type=submit]")
    page.wait_for_selector("[data-section=next-steps]")
    assert page.locator("#indicator-earnings_handed_over").is_checked()
    assert run_axe(page) == []

    page.goto(live_server.url + "/signals/notes/")
    assert page.locator(f'[data-note="{note.pk}"]').count() == 1
    assert run_axe(page) == []
    page.click(f'[data-note="{note.pk}"] a')
    page.wait_for_selector(".marked-note")
    assert run_axe(page) == []
    page.click(".button--danger")
    page.wait_for_url(live_server.url + "/signals/notes/")
    assert page.locator(f'[data-note="{note.pk}"]').count() == 0
