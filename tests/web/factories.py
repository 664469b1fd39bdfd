"""Small factories for web tests (no shared fixture database)."""

from __future__ import annotations

import itertools

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple-42"


def make_organisation(name: str | None = None, kind: str = "municipality") -> Organisation:
    return Organisation.objects.create(name=name or f"Organisatie {next(_counter)}", kind=kind)


def make_user(
    role: str = Role.PROFESSIONAL,
    organisation: Organisation | None = None,
    *,
    username: str | None = None,
    password: str = PASSWORD,
    with_device: bool = False,
) -> User:
    if organisation is None and role != Role.PLATFORM_ADMIN:
        organisation = make_organisation()
    user = User.objects.create_user(
        username=username or f"user{next(_counter)}",
        email=f"user{next(_counter)}@example.invalid",
        password=password,
        role=role,
        organisation=organisation,
    )
    if with_device:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def verified_client(user: User) -> Client:
    """Log `user` in and mark the session as second-factor verified, as otp_login does."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def current_code(user: User, window: int = 0) -> str:
    """A valid code of the user's confirmed authenticator; `window` 1 is the next one (a code
    works once, so a second step-up in the same 30 seconds needs the next window's code)."""
    from django_otp.oath import totp

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + window):06d}"
    )
