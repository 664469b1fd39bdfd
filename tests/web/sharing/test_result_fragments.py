"""The result page's check fragments are rendered once per rule set, check, status and language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from ketenwijs.web.sharing.templatetags import sharing_tags
from tests.web.sharing.conftest import ANSWERS, complete, result_url, start
from tests.web.sharing.test_assessment import english


@pytest.fixture(autouse=True)
def _empty_fragment_cache() -> Iterator[None]:
    sharing_tags._fragments.clear()
    yield
    sharing_tags._fragments.clear()


def _result(client: Client, outcome: str) -> tuple[str, dict[str, object]]:
    url = start(client)
    complete(client, url, ANSWERS[outcome])
    response = client.get(result_url(url))
    assert response.status_code == 200
    return response.content.decode(), response.context


def test_cached_fragments_give_the_same_page_as_a_fresh_render(client: Client) -> None:
    first, context = _result(client, "allowed_with_conditions")
    assert sharing_tags._fragments, "the checks should now be cached"
    cached = dict(sharing_tags._fragments)
    again, _ = _result(client, "allowed_with_conditions")
    assert sharing_tags._fragments == cached, "the second page is served from the cache"
    shown = [*context["reasons"], *context["checks"], *context["minimisation"]["checks"]]
    assert len(shown) >= 5
    with translation.override("nl"):
        for check in shown:
            fresh = render_to_string("sharing/_check.html", {"check": check})
            assert fresh in first, check["id"]
            assert fresh in again, check["id"]


def test_another_status_or_language_is_another_fragment(client: Client) -> None:
    _result(client, "allowed_with_conditions")
    _result(client, "not_allowed")
    keys = set(sharing_tags._fragments)
    statuses = {(check_id, status) for _sha, check_id, status, _lang in keys}
    check_ids = {check_id for check_id, _ in statuses}
    assert len(statuses) > len(check_ids), "some check appears with two statuses"
    html, _ = _result(english(client), "allowed_with_conditions")
    assert {lang for *_, lang in sharing_tags._fragments} == {"nl", "en"}
    assert "not verified" in html
    assert "niet geverifieerd" not in html
