"""Teaching the checker in a real browser: "Klopt" on a finding, a missed signal with the sentence
selected in the note, Enter in a field never answers, the editor's counts; the pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.signals.models import EvaluationSentence, SignalFeedback
from tests.browser.conftest import run_axe
from tests.browser.test_signals import NOTE, _login
from tests.web.factories import make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "Een jongen haalt haar op na school."

# Select `wanted` in the marked note, across the marks, skipping the labels after each mark.
SELECT = """(wanted) => {
    const note = document.querySelector('.marked-note');
    const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let text = '';
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.parentElement.closest('.finding__tag')) continue;
        nodes.push([node, text.length]);
        text += node.textContent;
    }
    const start = text.indexOf(wanted), end = start + wanted.length;
    const at = (offset) => {
        for (const [node, from] of nodes) {
            if (offset <= from + node.textContent.length) return [node, offset - from];
        }
    };
    const range = document.createRange();
    range.setStart(...at(start));
    range.setEnd(...at(end));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
}"""


def test_confirm_a_finding_and_report_a_missed_signal(live_server: Any, page: Any) -> None:
    organisation = make_organisation("Gemeente Leerstad")
    user = make_user(Role.PROFESSIONAL, organisation)
    _login(page, live_server, user)
    page.goto(live_server.url + "/signals/")
    page.fill("textarea[name=text]", NOTE)
    page.click(".note-form button[name=action][value=scan]")
    page.wait_for_selector(".marked-note")
    assert run_axe(page) == []

    # Enter in a field of the note form checks again; it never answers for a finding.
    with page.expect_navigation():
        page.press("input[name=title]", "Enter")
    page.wait_for_selector(".marked-note")
    assert SignalFeedback.objects.count() == 0

    page.click('button[name=feedback][value^="confirmed|earnings_handed_over|"]')
    page.wait_for_selector(".answer__done")
    assert "#answer-" in page.url
    assert page.locator(".answer__done").inner_text() == "Je antwoord: klopt (opgeslagen)."
    assert page.locator(".marked-note").count() == 1
    row = SignalFeedback.objects.get()
    assert (row.verdict, row.indicator) == ("confirmed", "earnings_handed_over")

    page.evaluate(SELECT, SENTENCE)
    page.click("#use-selection")
    assert page.input_value("#id_missed-sentence") == SENTENCE
    page.select_option("#id_missed-indicator", "picked_up_by_unknown")
    page.check("#id_missed-keep_sentence")
    page.click("button[name=action][value=missed]")
    page.wait_for_selector(".message--success")
    assert "evaluatieset" in page.locator(".message--success").inner_text()
    assert EvaluationSentence.objects.get().text == SENTENCE
    assert SignalFeedback.objects.filter(verdict="missed").count() == 1
    # The earlier answer is still shown: it travels with the page, not in a session.
    assert page.locator(".answer__done").count() == 1
    assert run_axe(page) == []

    # The content editor of the same organisation sees the counts; the page passes axe and has no
    # horizontal scroll on a phone.
    page.context.clear_cookies()
    _login(page, live_server, make_user(Role.CONTENT_EDITOR, organisation))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/signals/feedback/")
    row = page.locator('tr[data-indicator="earnings_handed_over"]').first
    assert row.locator("td.number").first.inner_text() == "1"
    assert (
        page.locator('tr[data-indicator="picked_up_by_unknown"] td.number').nth(2).inner_text()
        == "1"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert run_axe(page) == []
