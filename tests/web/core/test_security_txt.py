"""`/.well-known/security.txt` (RFC 9116): public, Contact from the setting, Expires < 1 year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client


def _fields(response: Any) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in response.content.decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(": ")
            fields.setdefault(name, []).append(value)
    return fields


def test_served_without_login_as_plain_text(db: None) -> None:
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = _fields(response)
    assert fields["Contact"] == ["mailto:security@ketenwijs.invalid"]  # the test default
    assert fields["Canonical"] == ["http://testserver/.well-known/security.txt"]
    assert fields["Preferred-Languages"] == ["nl, en"]


def test_expires_once_within_a_year(db: None) -> None:
    (expires,) = _fields(Client().get("/.well-known/security.txt"))["Expires"]
    moment = dt.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    now = dt.datetime.now(dt.UTC)
    assert now < moment <= now + dt.timedelta(days=365)


def test_contact_comes_from_the_setting(db: None, settings: Any) -> None:
    settings.KETENWIJS_CONTACT_EMAIL = "csirt@gemeente.example.nl"
    fields = _fields(Client().get("/.well-known/security.txt"))
    assert fields["Contact"] == ["mailto:csirt@gemeente.example.nl"]
