"""Security fixes of the adversarial review (issue #17), each reproduced first.

Lockout behind the documented proxy, correlatable failed-login logs without personal data,
short logs for refused requests, no caching of what a signed-in user sees, the API rate limit
per token identity, and no version in public answers.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from tests.web.api.conftest import make_token
from tests.web.audit.conftest import make_record
from tests.web.factories import PASSWORD


def test_behind_the_proxy_an_attacker_cannot_lock_out_everyone(
    org_a: Organisation, user_factory: Callable[..., User], limits: Callable[..., None]
) -> None:
    # Behind the trusted proxy every request has the proxy's REMOTE_ADDR and the client in the
    # last X-Forwarded-For entry. Before the fix axes counted every failure under REMOTE_ADDR.
    limits(trusted_proxy=True)
    auditor = user_factory(Role.AUDITOR, org_a)
    for _ in range(5):
        _login_via_proxy_entry("203.0.113.66", auditor.username, "wrong")
    assert _login_via_proxy_entry("203.0.113.66", auditor.username, PASSWORD) == 429
    # The auditor, from their own address behind the same balancer, still gets in.
    assert _login_via_proxy_entry("203.0.113.10", auditor.username, PASSWORD) == 302


def _login_via_proxy_entry(address: str, username: str, password: str) -> int:
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code


def test_failed_logins_are_logged_with_stable_keyed_references_only(
    org_a: Organisation, user_factory: Callable[..., User], caplog: pytest.LogCaptureFixture
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    with caplog.at_level(logging.WARNING, logger="ketenwijs.security"):
        for _ in range(2):
            Client(REMOTE_ADDR="203.0.113.5").post(
                reverse("accounts:login"), {"username": user.username, "password": "wrong"}
            )
    lines = [r for r in caplog.records if r.getMessage() == "login failed"]
    assert len(lines) == 2
    refs = {(r.user_ref, r.address_ref) for r in lines}  # type: ignore[attr-defined]
    assert len(refs) == 1  # the same user and address give the same references
    user_ref, address_ref = refs.pop()
    assert len(user_ref) == 16
    assert user.username not in caplog.text
    assert "203.0.113.5" not in caplog.text
    assert address_ref != user_ref


def test_a_refused_request_is_logged_without_a_traceback() -> None:
    from ketenwijs.web.core.logging import ClientErrorFilter, JsonFormatter

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden (Permission denied): /x",
        (),
        None,
    )
    try:
        raise PermissionError("denied")
    except PermissionError:
        record.exc_info = sys.exc_info()
    record.status_code = 403
    assert ClientErrorFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert "exception" not in line
    assert line["message"].startswith("Forbidden")


@pytest.mark.parametrize("name", ["audit:detail", "audit:pdf"])
def test_decision_pages_and_pdf_are_not_cached(
    name: str,
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    professional = user_factory(Role.PROFESSIONAL, org_a)
    record = make_record(professional)
    response = client_for(professional).get(reverse(name, args=[record.sequence]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "name", ["audit:export_csv", "audit:export_xlsx", "audit:export_json", "audit:list"]
)
def test_exports_and_the_log_are_not_cached(
    name: str,
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    auditor = user_factory(Role.AUDITOR, org_a)
    make_record(user_factory(Role.PROFESSIONAL, org_a))
    response = client_for(auditor).get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_not_cached(db: None) -> None:
    from tests.web.api.conftest import api_client

    _, secret = make_token()
    response = api_client(secret).get(reverse("api:sharing_rulesets"))
    assert "no-store" in response["Cache-Control"]


def test_one_token_in_many_spellings_has_one_rate_budget(
    db: None, limits: Callable[..., None]
) -> None:
    limits(api=(3, 60))
    _, secret = make_token()
    url = reverse("api:sharing_rulesets")
    spellings = [f"Bearer {secret}", f"bearer {secret}", f"BEARER  {secret} ", f" Bearer {secret}"]
    statuses = [
        Client(headers={"Authorization": header}).get(url).status_code for header in spellings
    ]
    assert statuses == [200, 200, 200, 429]


def test_public_answers_do_not_name_the_version(db: None) -> None:
    from ketenwijs import __version__

    assert "version" not in Client().get(reverse("core:health")).json()
    assert __version__ not in Client().get(reverse("accounts:login")).content.decode()


@pytest.mark.parametrize(
    ("entry", "counted_as"),
    [
        ("203.0.113.5:4711", "203.0.113.5"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::2", "2001:db8::2"),
        ("fe80::1%eth0", "fe80::1"),
        ("unknown", "10.0.0.2"),
        ("", "10.0.0.2"),
    ],
)
def test_forwarded_entries_with_a_port_or_no_address_still_give_an_address(
    entry: str,
    counted_as: str,
    org_a: Organisation,
    user_factory: Callable[..., User],
    limits: Callable[..., None],
) -> None:
    from django.test import RequestFactory

    from ketenwijs.web.core.ratelimit import client_address

    limits(trusted_proxy=True)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=entry)
    assert client_address(request) == counted_as
    # Such an entry once made every login a 500 (axes stores the address).
    user = user_factory(Role.PROFESSIONAL, org_a)
    assert _login_via_proxy_entry(entry, user.username, PASSWORD) == 302


def test_an_unknown_host_gets_the_400_page_not_a_500(db: None) -> None:
    response = Client(HTTP_HOST="evil.example").get(reverse("core:health"))
    assert response.status_code == 400
