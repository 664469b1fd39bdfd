"""Hostile JSON bodies get a 400 with a reason, never a 500 (issue #17)."""

from __future__ import annotations

import pytest

from tests.web.api.conftest import MakeToken, api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "body", "reason"),
    [
        ("/api/v1/sharing/assess", "[" * 50_000 + "]" * 50_000, "more than a thousand levels deep"),
        ("/api/v1/sharing/assess", '{"reference_date": ' + "9" * 5000 + "}", "5,000 characters"),
        ("/api/v1/sharing/assess", '{"sender": "police", "sender": "fiod"}', "appears twice"),
        ("/api/v1/signals/scan", '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}", None),
        ("/api/v1/privacy/check", '{"text": "a", "text": "b"}', None),
    ],
)
def test_hostile_json_is_a_400_not_a_500(
    token_factory: MakeToken, url: str, body: str, reason: str | None
) -> None:
    _, secret = token_factory()
    response = api_client(secret).post(url, body, content_type="application/json")
    assert response.status_code == 400
    if reason is not None:
        assert reason in response.json()["errors"][0]["message"]
