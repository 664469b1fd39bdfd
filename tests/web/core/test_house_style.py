"""House style on the pages: dates as "4 december 2026", in Amsterdam time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.test import Client
from django.urls import reverse

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.api import services as api_services
from ketenwijs.web.api.models import ApiToken


def test_token_list_shows_the_month_in_words_and_local_time(
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    token = api_services.record_token(
        created_by=admin, name="Zaaksysteem", scopes=["decisions:read"]
    ).token
    # 09:15 UTC on 4 December is 10:15 in Amsterdam (CET, UTC+1).
    ApiToken.objects.filter(pk=token.pk).update(created_at=datetime(2026, 12, 4, 9, 15, tzinfo=UTC))
    html = client_for(admin).get(reverse("api_tokens:list")).content.decode()
    assert "4 december 2026 10:15" in html
    assert "Dec 2026" not in html
