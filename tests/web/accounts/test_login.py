"""Login, second factor, lockout, password reset and invitations, through HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from tests.web.factories import PASSWORD, current_code

LOGIN = reverse("accounts:login")


def _login(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post(LOGIN, {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_professional_without_device_logs_in_with_password_only(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    client = Client()
    response = _login(client, user.username)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.AUDITOR, Role.PLATFORM_ADMIN])
def test_admin_roles_must_set_up_totp_before_anything_else(
    role: str, org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(role, None if role == Role.PLATFORM_ADMIN else org_a)
    client = Client()
    _login(client, user.username)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup_totp"))
    setup = client.get(reverse("accounts:setup_totp"))
    assert setup.status_code == 200
    assert setup.context["qr_uri"].startswith("data:image/svg+xml;charset=utf-8,")
    assert "xmlns%3D" in setup.context["qr_uri"]  # without it browsers show a broken image
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:setup_totp"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_user_with_device_must_enter_code_and_wrong_code_is_refused(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.AUDITOR, org_a, with_device=True)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    _login(client, user.username)
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:verify"))
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("accounts:verify"), {"token": wrong})
    assert refused.status_code == 200
    assert "token" in refused.context["form"].errors
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above started django-otp's throttle
    device.throttling_failure_timestamp = None
    device.save()
    accepted = client.post(reverse("accounts:verify"), {"token": _code(device), "next": "/home/"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/home/"
    assert client.get(reverse("core:home")).status_code == 200


def test_verify_ignores_offsite_next(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a, with_device=True)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    _login(client, user.username)
    response = client.post(
        reverse("accounts:verify"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_error_and_lockout_after_five_failures(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    client = Client()
    first = _login(client, user.username, "wrong-password")
    assert first.status_code == 200
    assert first.context["form"].non_field_errors()
    for _ in range(4):
        _login(client, user.username, "wrong-password")
    locked = _login(client, user.username)  # right password, but locked out now
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_logout_is_post_only_and_ends_session(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(user_factory(Role.PROFESSIONAL, org_a))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_password_reset_sends_link_that_sets_new_password(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "a-new-and-long-passphrase-7"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_unknown_address_reveals_nothing(db: None) -> None:
    response = Client().post(
        reverse("accounts:password_reset"), {"email": "nobody@example.invalid"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_invited_user_gets_link_and_no_known_password(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    response = client_for(admin).post(
        reverse("accounts:user_list", kwargs={"org_id": org_a.pk}),
        {"username": "nieuw", "email": "nieuw@example.invalid", "role": Role.TRAINER},
    )
    assert response.status_code == 302
    invited = User.objects.get(username="nieuw")
    assert invited.organisation == org_a
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_invite_with_missing_email_names_the_field(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    response = client_for(admin).post(
        reverse("accounts:user_list", kwargs={"org_id": org_a.pk}),
        {"username": "zonder", "role": Role.TRAINER},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="zonder").exists()


def test_admin_resets_second_factor_of_colleague(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    colleague = user_factory(Role.CONTENT_EDITOR, org_a, with_device=True)
    url = reverse(
        "accounts:user_reset_second_factor", kwargs={"org_id": org_a.pk, "user_id": colleague.pk}
    )
    client = client_for(admin)
    assert client.post(url).status_code == 200  # without the admin's own code: refused
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert client.post(url, {"stepup-code": current_code(admin)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert colleague.email in mail.outbox[-1].to


def test_user_without_organisation_is_refused_by_the_database(db: None) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="los", password=PASSWORD, role=Role.PROFESSIONAL)


def test_argon2_is_the_configured_password_hasher() -> None:
    from ketenwijs.web import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def _hold_throttle(device: TOTPDevice) -> None:
    """Put the device in django-otp's pause after four wrong codes: 8 s, 5.5 s of it left."""
    from datetime import timedelta

    from django.utils import timezone

    device.refresh_from_db()
    device.throttling_failure_count = 4  # 8 seconds from the timestamp
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=2.5)
    device.save()


def test_right_code_during_the_throttle_is_told_to_wait_not_that_it_is_wrong(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    """django-otp refuses every code for a moment after a wrong one: the page says to wait."""
    user = user_factory(Role.AUDITOR, org_a, with_device=True)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    _login(client, user.username)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    first = client.post(reverse("accounts:verify"), {"token": wrong})
    assert "Wacht tot uw app de volgende code toont" in first.content.decode()
    _hold_throttle(device)  # a slow machine may take longer than the first 1-second pause

    refused = client.post(reverse("accounts:verify"), {"token": _code(device)})
    error = refused.context["form"].errors["token"][0]
    assert error.startswith("Na een verkeerde code moet u even wachten: wacht ")
    assert re.search(r"wacht (5|6) seconden", error), error
    assert "niet geldig" not in error
    assert refused.content.decode().count("Na een verkeerde code") == 2  # summary and field


def test_setup_page_also_says_to_wait_after_a_wrong_code(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    client = Client()
    _login(client, user.username)
    client.get(reverse("accounts:setup_totp"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("accounts:setup_totp"), {"token": wrong})
    _hold_throttle(device)
    refused = client.post(reverse("accounts:setup_totp"), {"token": _code(device)})
    assert re.search(r"wacht (5|6) seconden", refused.context["form"].errors["token"][0])
    device.refresh_from_db()
    assert not device.confirmed


def test_changed_password_is_confirmed_on_the_account_page(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    from tests.web.factories import verified_client

    user = user_factory(Role.PROFESSIONAL, org_a)
    client = verified_client(user)
    new = "another-long-passphrase-77"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:account")
    assert "Uw wachtwoord is gewijzigd." in response.content.decode()
