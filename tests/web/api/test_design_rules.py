"""NL API Design Rules (ADR 0013): the document passes the Logius linter, and the running API
does what the document says: problem details for every error, API-Version on every answer,
camelCase query keys with the old ones still working."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.api.constants import API_VERSION, MAX_BODY_BYTES
from ketenwijs.web.api.openapi import openapi_text
from tests.web.api.conftest import MakeToken, api_client
from tests.web.audit.conftest import make_record

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = ROOT / "docs" / "api" / "nl-api-design-rules.spectral.yaml"
PROBLEM = "application/problem+json"


def test_document_has_no_linter_problems(tmp_path: Path) -> None:
    # No skip: CI runs `make install-test`, which installs Spectral from package-lock.json.
    assert SPECTRAL.exists(), "Spectral is missing: run `make install-test` (npm ci)"
    document = tmp_path / "openapi.json"
    document.write_text(openapi_text(), encoding="utf-8")
    run = subprocess.run(
        [str(SPECTRAL), "lint", "-r", str(RULESET), str(document), "-f", "json", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    problems = json.loads(run.stdout or "[]")
    listed = "\n".join(f"{p['code']} at {'.'.join(map(str, p['path']))}" for p in problems)
    assert problems == [], f"{len(problems)} NL API Design Rules problems:\n{listed}"
    assert run.returncode == 0, run.stderr


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The answer is an RFC 9457 problem with the v1 members and the API-Version header."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    assert response["API-Version"] == API_VERSION
    body: dict[str, Any] = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["errors"], list)
    if body["errors"]:
        assert body["invalid-params"] == [
            {"name": e["field"], "reason": e["message"]} for e in body["errors"]
        ]
    return body


@pytest.fixture
def client(token_factory: MakeToken) -> Client:
    _token, secret = token_factory()
    return api_client(secret)


def test_unreadable_json_is_a_400_problem(client: Client) -> None:
    response = client.post("/api/v1/sharing/assess", "{nope", content_type="application/json")
    body = assert_problem(response, 400)
    assert body["title"] == "Bad Request"
    assert body["invalid-params"][0]["name"] == "(body)"


@pytest.mark.parametrize(
    ("query", "name", "reason"),
    [
        ("limit=5&limt=2", "limt", "no such query parameter"),
        ("limit=5&limit=6", "limit", "once"),
        ("dateFrom=2025-01-01&date_from=2025-01-01", "dateFrom", "not both"),
    ],
)
def test_unknown_repeated_or_ambiguous_query_key_is_a_400_problem(
    client: Client, query: str, name: str, reason: str
) -> None:
    body = assert_problem(client.get(f"/api/v1/decisions?{query}"), 400)
    assert [p["name"] for p in body["invalid-params"]] == [name]
    assert reason in body["invalid-params"][0]["reason"]


def test_operation_without_query_parameters_refuses_one(client: Client) -> None:
    body = assert_problem(client.get("/api/v1/sharing/rulesets?version=2"), 400)
    assert body["errors"] == [
        {"field": "version", "message": "this operation has no such query parameter"}
    ]


def test_missing_token_is_a_401_problem() -> None:
    response = api_client(None).get("/api/v1/sharing/rulesets")
    body = assert_problem(response, 401)
    assert body["title"] == "Unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_scope_is_a_403_problem(token_factory: MakeToken) -> None:
    _token, secret = token_factory(scopes=["privacy"])
    body = assert_problem(api_client(secret).get("/api/v1/sharing/rulesets"), 403)
    assert "sharing" in body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/decisions/424242",  # no such record
        "/api/v1/no-such-thing",  # no such operation
        "/api/v1/sharing/rulesets/",  # a trailing slash is not the resource (no redirect)
    ],
)
def test_not_found_is_a_404_problem(client: Client, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_wrong_method_is_a_405_problem_with_allow(client: Client) -> None:
    response = client.delete("/api/v1/sharing/rulesets")
    body = assert_problem(response, 405)
    assert "GET" in response["Allow"]
    assert "DELETE" in body["detail"]


def test_too_large_body_is_a_413_problem(client: Client) -> None:
    response = client.generic(
        "POST",
        "/api/v1/privacy/check",
        b"x",
        content_type="application/json",
        headers={"Content-Length": str(MAX_BODY_BYTES + 1)},
    )
    assert_problem(response, 413)


def test_invalid_value_is_a_422_problem_with_invalid_params(client: Client) -> None:
    response = client.post(
        "/api/v1/sharing/assess", {"sender": "buurman"}, content_type="application/json"
    )
    body = assert_problem(response, 422)
    assert body["invalid-params"][0]["name"] == "sender"
    assert "buurman" in body["invalid-params"][0]["reason"]


def test_invalid_path_value_is_a_422_problem(client: Client) -> None:
    body = assert_problem(client.get("/api/v1/decisions/abc"), 422)
    assert body["invalid-params"][0]["name"] == "sequence"


def test_rate_limit_is_a_429_problem_with_retry_after(
    token_factory: MakeToken, settings: Any
) -> None:
    import dataclasses

    settings.CONFIG = dataclasses.replace(
        settings.CONFIG, rate_limits={**settings.CONFIG.rate_limits, "api": (1, 60)}
    )
    _token, secret = token_factory()
    api_client(secret).get("/api/v1/sharing/rulesets")
    response = api_client(secret).get("/api/v1/sharing/rulesets")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) >= 1


def test_server_error_is_a_500_problem(
    token_factory: MakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> list[Any]:
        raise RuntimeError("the guard broke")

    monkeypatch.setattr("ketenwijs.web.api.api.check_text", broken)
    _token, secret = token_factory()
    client = Client(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)
    response = client.post("/api/v1/privacy/check", {"text": "x"}, content_type="application/json")
    body = assert_problem(response, 500)
    assert "the guard broke" not in body["detail"]  # no internals in the answer


@pytest.mark.parametrize(
    "path", ["/api/v1/", "/api/v1/openapi.json", "/api/v1/sharing/rulesets", "/api/v1/decisions"]
)
def test_every_answer_carries_the_api_version(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response["API-Version"] == API_VERSION


def test_document_is_readable_from_any_origin() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["info"]["version"] == API_VERSION


# -- dateFrom / dateTo and their deprecated aliases --------------------------------------------
@pytest.fixture
def auditor(token_factory: MakeToken, org_a: Organisation, user_factory: Any) -> Client:
    alice: User = user_factory(Role.PROFESSIONAL, org_a, username="alice")
    make_record(alice)
    make_record(alice)
    _token, secret = token_factory(org_a, scopes=["decisions:read"], role=Role.AUDITOR)
    return api_client(secret)


@pytest.mark.parametrize(("since", "until"), [("dateFrom", "dateTo"), ("date_from", "date_to")])
def test_date_filters_under_both_names(auditor: Client, since: str, until: str) -> None:
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    assert auditor.get(f"/api/v1/decisions?{since}={today}").json()["count"] == 2
    assert auditor.get(f"/api/v1/decisions?{since}={tomorrow}").json()["count"] == 0
    assert auditor.get(f"/api/v1/decisions?{until}={today}").json()["count"] == 2
    assert auditor.get(f"/api/v1/decisions?{until}=2000-01-01").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("dateFrom=2025-13-01", "dateFrom"),
        ("date_from=2025-13-01", "date_from"),
        ("dateFrom=2025-06-02&dateTo=2025-06-01", "dateTo"),
        ("date_from=2025-06-02&date_to=2025-06-01", "date_to"),
    ],
)
def test_invalid_date_names_the_key_the_client_sent(
    auditor: Client, query: str, field: str
) -> None:
    body = assert_problem(auditor.get(f"/api/v1/decisions?{query}"), 422)
    assert field in {p["name"] for p in body["invalid-params"]}, body


def test_document_offers_only_the_camel_case_keys() -> None:
    document = json.loads(openapi_text())
    names = [p["name"] for p in document["paths"]["/decisions"]["get"]["parameters"]]
    assert {"dateFrom", "dateTo"} <= set(names)
    assert not {"date_from", "date_to"} & set(names)
    assert "`date_from`" in document["info"]["description"]  # documented as deprecated
