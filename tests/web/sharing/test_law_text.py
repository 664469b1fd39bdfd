"""Issue 12 in the browser: beside every cited article its wording (or why not) and a dated link."""

from __future__ import annotations

from django.test import Client
from django.utils.html import escape

from ketenwijs.sharing import Source
from tests.web.sharing.conftest import WITH_CONDITIONS, complete, result_url, start


def _result(client: Client, answers: dict[str, object]) -> tuple[str, list[Source]]:
    url = start(client, reference_date="2025-06-01")
    complete(client, url, answers)
    response = client.get(result_url(url))
    assert response.status_code == 200
    assessment = response.context["assessment"]
    assert assessment.valid_on.isoformat() == "2025-06-01"
    # The articles the page cites: those of the checks that applied and of the conditions (the
    # checks that did not apply are only named, issue 15), each with its wording or why not.
    context = response.context
    items = [
        *context["reasons"],
        *context["facts"],
        *context["checks"],
        *context["conditions"],
        *context["minimisation"]["checks"],
    ]
    shown = {source["cite"] for item in items for source in item["sources"]}
    assert shown
    return response.content.decode(), [s for s in assessment.cited if s.cite in shown]


def test_each_cited_article_shows_its_wording_or_the_not_read_statement(client: Client) -> None:
    html, cited = _result(client, WITH_CONDITIONS)
    assert cited
    assert html.count('<details class="law-text">') >= len({s.cite for s in cited})
    assert "Wettekst (geldend op 1 juni 2025)" in html
    read = [s for s in cited if s.law_text is not None and s.law_text.status == "read"]
    not_read = [s for s in cited if s.law_text is not None and s.law_text.status == "not_read"]
    assert read, "this case cites an article whose wording was read"
    assert not_read, "this case cites an article whose wording was not read"
    for source in read:
        assert source.law_text is not None
        assert source.law_text.status == "read"
        first_line = source.law_text.nl.splitlines()[0]
        assert escape(first_line) in html, source.cite
        assert escape(source.law_text.at) in html
    assert "een letterlijke weergave, niet de officiële bekendmaking" in html
    for source in not_read:
        assert source.law_text is not None
        assert source.law_text.status == "not_read"
        assert escape(source.law_text.reason.nl) in html, source.cite
    assert "De tekst van dit artikel is niet gelezen." in html


def test_links_open_the_law_as_in_force_on_the_reference_date(client: Client) -> None:
    html, cited = _result(client, WITH_CONDITIONS)
    dated = [s for s in cited if s.publication is not None and s.publication.bwb is not None]
    assert dated
    for source in dated:
        assert source.publication is not None
        link = f"https://wetten.overheid.nl/{source.publication.bwb}/2025-06-01"
        assert f'href="{link}' in html, source.cite
    assert "De wet zoals geldend op 1 juni 2025 op wetten.overheid.nl" in html


def test_every_unverified_source_shows_its_reason(client: Client) -> None:
    # "Done when": every `verified: false` source is shown to users as unverified with the reason,
    # also in the checks (they have their own inlined markup).
    html, cited = _result(client, {**WITH_CONDITIONS, "sender": "police", "recipient": "mayor"})
    unverified = [s for s in cited if not s.verified]
    assert unverified, "this case cites an unverified source"
    for source in unverified:
        assert source.note is not None
        assert escape(source.note.nl) in html, source.cite
