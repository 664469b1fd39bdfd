"""End to end: assess a share, save it as a decision (privacy guard first), download its PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser.conftest import run_axe
from tests.browser.test_sharing import answer_until_summary, log_in
from tests.web.sharing.conftest import WITH_CONDITIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assessment_saved_as_decision_and_pdf_record_downloaded(
    live_server: Any, page: Any
) -> None:
    log_in(page, live_server.url)
    page.goto(live_server.url + "/sharing/")
    page.locator('button[name="entry"][value="normal"]').click()
    page.wait_for_url("**/sharing/assess/**")
    answer_until_summary(page, WITH_CONDITIONS)
    page.get_by_role("link", name="Bekijk het resultaat").click()
    page.wait_for_url("**/result/")
    page.get_by_role("link", name="Opslaan als besluit").click()
    page.wait_for_url("**/save/")

    # A motivation that names the person concerned is refused on the save page: the error
    # summary is the first thing in main, has the focus, and the title starts with "Fout:".
    motivation = page.locator('textarea[name="motivation"]')
    personal = "Besproken met mevrouw Fatima de Vries (BSN 123456782)."
    motivation.fill(personal)
    page.get_by_role("button", name="Opslaan als besluit").click()
    page.wait_for_load_state()
    assert page.title().startswith("Fout: ")
    summary = page.locator("main .error-summary")
    assert "BSN" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.evaluate(
        "document.querySelector('main').firstElementChild.classList.contains('error-summary')"
    )
    box = summary.bounding_box()
    assert box is not None
    assert box["y"] < 300
    assert page.locator('textarea[name="motivation"]').input_value() == personal
    assert run_axe(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert run_axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator('textarea[name="motivation"]').fill(
        "Gedeeld binnen de RIEC-casus; alleen de noodzakelijke gegevens, op grond van de WGS."
    )
    page.get_by_role("button", name="Opslaan als besluit").click()
    page.wait_for_url("**/audit/1/")
    assert "alleen de noodzakelijke gegevens" in page.content()
    assert "Het besluit is opgeslagen" in page.locator(".messages").inner_text()
    assert run_axe(page) == []

    with page.expect_download() as download_info:
        page.locator('a[href$="record.pdf"]').click()
    pdf_path = download_info.value.path()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert "alleen de noodzakelijke gegevens" in text
    assert "Gemeente Deelstad" in text
    assert "delen" in text  # the decision-maker's username
