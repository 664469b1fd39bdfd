"""The only place that writes accounts: views call these, so rules live in one spot."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User


@transaction.atomic
def record_invited_user(
    request: HttpRequest, organisation: Organisation, form_data: dict[str, str]
) -> User:
    """Create a user without a usable password and e-mail them a link to choose one."""
    user = User(
        username=form_data["username"],
        first_name=form_data.get("first_name", ""),
        last_name=form_data.get("last_name", ""),
        email=form_data["email"],
        role=form_data["role"],
        organisation=organisation,
    )
    # Nobody (admin included) ever knows the user's password: they set it via the reset link.
    user.set_unusable_password()
    user.save()
    send_password_link(request, user)
    return user


def send_password_link(request: HttpRequest, user: User) -> None:
    """E-mail `user` a one-time link to choose a password (also for invited users).

    Django's PasswordResetForm skips users without a usable password, which is exactly what an
    invited user has, so the mail is composed here with the same token generator and template.
    """
    context = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": "Ketenwijs",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
    }
    PasswordResetForm().send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.txt",
        context,
        None,
        user.email,
    )


def reset_second_factor(user: User) -> int:
    """Remove all TOTP devices of `user` (lost phone); they must set up a new one at next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def ensure_demo_organisation(
    org_name: str = "Demo-gemeente", username: str = "demo-admin"
) -> tuple[User, str | None]:
    """Create the demo organisation and its admin once; return the password only when new."""
    organisation, _ = Organisation.objects.get_or_create(
        name=org_name, defaults={"kind": "municipality"}
    )
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, None
    password = secrets.token_urlsafe(15)
    user = User.objects.create_user(
        username=username,
        password=password,
        email="demo-admin@example.invalid",
        first_name="Demo",
        last_name="Beheerder",
        role=Role.ORG_ADMIN,
        organisation=organisation,
    )
    return user, password
