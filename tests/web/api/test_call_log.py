"""Every API call leaves one log line: operation, status, duration; never a payload or value."""

from __future__ import annotations

import pytest

from ketenwijs.web.accounts.models import Organisation
from ketenwijs.web.api.models import ApiCallLog
from tests.web.api.conftest import MakeToken, api_client

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Bel Jan de Vries op 06-12345678"


def _all_logged_text() -> str:
    return " ".join(str(row) for row in ApiCallLog.objects.values_list())


def test_call_is_logged_without_payload(token_factory: MakeToken, org_a: Organisation) -> None:
    token, secret = token_factory(org_a)
    response = api_client(secret).post(
        "/api/v1/privacy/check", {"text": SECRET_TEXT}, content_type="application/json"
    )
    assert response.status_code == 200
    (row,) = ApiCallLog.objects.all()
    assert (row.token_id, row.organisation_id) == (token.pk, org_a.pk)
    assert (row.method, row.path, row.status_code) == ("POST", "/api/v1/privacy/check", 200)
    assert row.duration_ms >= 0
    assert "Jan" not in _all_logged_text()
    assert "0612345678" not in _all_logged_text()


def test_path_is_the_template_and_the_query_is_dropped(token_factory: MakeToken) -> None:
    _token, secret = token_factory()
    api_client(secret).get("/api/v1/decisions/9876543")
    api_client(secret).get("/api/v1/decisions/9876543?user=geheimenaam")  # unknown here: 400
    api_client(secret).get("/api/v1/decisions?partner=police&user=geheimenaam")
    paths = list(ApiCallLog.objects.order_by("pk").values_list("path", "status_code"))
    assert paths == [
        ("/api/v1/decisions/{sequence}", 404),
        ("/api/v1/decisions/{sequence}", 400),
        ("/api/v1/decisions", 422),
    ]
    assert "9876543" not in _all_logged_text()
    assert "geheimenaam" not in _all_logged_text()


def test_refused_calls_are_logged_too(token_factory: MakeToken) -> None:
    token, secret = token_factory(scopes=["privacy"])
    api_client(None).get("/api/v1/sharing/rulesets")
    api_client(secret).get("/api/v1/sharing/rulesets")
    rows = list(ApiCallLog.objects.order_by("pk").values_list("token_id", "status_code"))
    assert rows == [(None, 401), (token.pk, 403)]


def test_oversized_body_is_logged_as_413(token_factory: MakeToken) -> None:
    _token, secret = token_factory()
    api_client(secret).post(
        "/api/v1/privacy/check", {"text": "x" * 1_100_000}, content_type="application/json"
    )
    assert ApiCallLog.objects.get().status_code == 413


def test_purge_keeps_the_recent_days_and_says_how_many_went(
    token_factory: MakeToken, org_a: Organisation
) -> None:
    from datetime import timedelta
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    _token, secret = token_factory(org_a)
    for _ in range(3):
        api_client(secret).get("/api/v1/sharing/rulesets")
    old, edge, recent = ApiCallLog.objects.order_by("pk")
    now = timezone.now()
    ApiCallLog.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=91))
    ApiCallLog.objects.filter(pk=edge.pk).update(created_at=now - timedelta(days=89))
    out = StringIO()
    call_command("purge_api_calls", "--days", "90", stdout=out)
    assert out.getvalue().strip() == "API call log: 1 entries older than 90 days deleted."
    assert set(ApiCallLog.objects.values_list("pk", flat=True)) == {edge.pk, recent.pk}
    with pytest.raises(CommandError, match="--days must be at least 1"):
        call_command("purge_api_calls", "--days", "0")
    assert ApiCallLog.objects.count() == 2
