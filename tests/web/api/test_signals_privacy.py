"""Signaleren and the privacy guard over HTTP: the §4.2 document and the §4.3 hits."""

from __future__ import annotations

import pytest

from ketenwijs.privacy import check_text
from ketenwijs.signals import scan_text
from ketenwijs.web.api.constants import MAX_TEXT_CHARS
from tests.web.api.conftest import MakeToken, api_client

pytestmark = pytest.mark.django_db

NOTE = (
    "Zij is 15 jaar. Ze woont bij hem en hij houdt haar paspoort. "
    "Ze moet van hem met mannen naar bed en mag het geld niet houden."
)


@pytest.fixture
def client(token_factory: MakeToken):  # type: ignore[no-untyped-def]
    _token, secret = token_factory(scopes=["signals", "privacy"])
    return api_client(secret)


def test_scan_returns_the_core_document(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/signals/scan", {"text": NOTE, "id": "note-1"}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body == scan_text(NOTE, doc_id="note-1").to_dict()
    assert body["id"] == "note-1"
    assert body["findings"], "the note has findings"
    finding = body["findings"][0]
    assert {"indicator", "dimension", "strength", "start", "end", "text", "context"} <= set(finding)
    assert NOTE[finding["start"] : finding["end"]] == finding["text"]
    assert "exploitation" in body["summary"]


def test_scan_minor_option_overrides_the_text(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/signals/scan", {"text": NOTE, "minor": False}, content_type="application/json"
    )
    minor = response.json()["minor"]
    assert (minor["value"], minor["source"]) == (False, "option")
    assert minor["evidence"]["minor"] is True  # what the text says is still shown
    assert response.json()["id"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": 12}, "text"),
        ({"text": "x", "minor": "ja"}, "minor"),
        ({"text": "x", "lang": "nl"}, "lang"),
        ({"text": "x" * (MAX_TEXT_CHARS + 1)}, "text"),
    ],
)
def test_invalid_scan_request_is_422_per_field(
    client,  # type: ignore[no-untyped-def]
    body: dict[str, object],
    field: str,
) -> None:
    response = client.post("/api/v1/signals/scan", body, content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field], errors
    assert errors[0]["message"]


def test_too_long_text_names_the_limit(client) -> None:  # type: ignore[no-untyped-def]
    body = {"text": "x" * (MAX_TEXT_CHARS + 1)}
    response = client.post("/api/v1/signals/scan", body, content_type="application/json")
    assert str(MAX_TEXT_CHARS) in response.json()["errors"][0]["message"]


def test_scan_of_unreadable_json_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/signals/scan", "{", content_type="application/json")
    assert response.status_code == 400


def test_privacy_check_finds_personal_data(client) -> None:  # type: ignore[no-untyped-def]
    text = "Bel Jan de Vries op 06-12345678 of mail jan@example.org."
    response = client.post("/api/v1/privacy/check", {"text": text}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert body["count"] == len(body["hits"])
    assert body["hits"] == [hit.to_dict() for hit in check_text(text)]
    assert {"phone", "email"} <= {hit["kind"] for hit in body["hits"]}
    assert all(set(hit) == {"kind", "start", "end", "text"} for hit in body["hits"])


def test_privacy_check_of_clean_text(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/privacy/check",
        {"text": "Casus besproken in het overleg."},
        content_type="application/json",
    )
    assert response.json() == {"found": False, "count": 0, "hits": []}


def test_privacy_check_requires_text(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/privacy/check", {"txt": "a"}, content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"text", "txt"}
