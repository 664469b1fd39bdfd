"""The only place that writes accounts: views call these, so rules live in one spot.

Separation of duties (issue #17): every change to another user's account needs the acting
admin's own current second-factor code (step-up); a change to an auditor's account, or one that
makes someone an auditor, needs a second organisation admin (four eyes) unless a platform admin
makes it; the old e-mail address is told when an address changes; every change is an AdminEvent.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import AdminEvent, Organisation, PendingChange, User

# The fields an admin may change on another user's account (UserUpdateForm).
MEMBER_FIELDS = ("first_name", "last_name", "email", "role", "is_active")


class ChangeRefused(Exception):  # noqa: N818 -- a refusal with a message for the form, not a bug
    """The change may not be made by this actor (or not like this); `message` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def log_event(
    actor: User,
    action: str,
    *,
    organisation: Organisation | None,
    target: User | None = None,
    target_username: str = "",
    changes: dict[str, Any] | None = None,
) -> AdminEvent:
    """Append one administrative event (never edited afterwards), and its copy in the
    organisation's hash-chained log (issue 14: changes to users, roles, tokens and settings are
    tamper-evident; the chain record links to this event by id)."""
    from ketenwijs.web.audit.services import record_admin_event  # audit imports this module

    with transaction.atomic():
        event = AdminEvent.objects.create(
            organisation=organisation,
            actor=actor,
            actor_username=actor.username,
            target=target,
            target_username=target.username if target is not None else target_username,
            action=action,
            changes=changes or {},
        )
        record_admin_event(event)
    return event


def throttle_seconds(devices: Iterable[TOTPDevice]) -> int:
    """Return how many seconds to wait before a code can be checked at all (0: now).

    django-otp refuses every code, the right one too, for 1, 2, 4, … seconds after a wrong one;
    the user must be told to wait, not that a right code is wrong.
    """
    now = timezone.now()
    waits = [0]
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(math.ceil((data["locked_until"] - now).total_seconds()))
    return max(waits)


def step_up_ok(actor: User, code: str) -> bool:
    """Check the acting admin's own current authenticator code (re-authentication for a change)."""
    return bool(code) and match_token(actor, code) is not None


# Roles whose accounts one organisation admin may not change alone: the auditor reads the whole
# decision log, and an admin can approve changes, so creating or taking over either would let
# one admin act as two (the re-review's takeover through a second admin created for the purpose).
FOUR_EYES_ROLES = frozenset({Role.AUDITOR, Role.ORG_ADMIN})


def needs_second_admin(actor: User, roles: set[str], target: User | None = None) -> bool:
    """Four eyes: an org admin changing another auditor's or admin's account, or granting either
    role, needs a second org admin; a platform admin stands above organisations and acts alone."""
    if actor.is_platform_admin or (target is not None and target.pk == actor.pk):
        return False
    return bool(FOUR_EYES_ROLES & roles)


# How far back a takeover step on an account blocks granting it an auditor's or admin's role.
TAKEOVER_WINDOW = timedelta(days=30)


def roles_at_stake(member: User) -> set[str]:
    """The member's role and every role a pending change would give them: while a promotion is
    pending, the account is treated as what it may become (four eyes for every change)."""
    roles = {member.role}
    for change in member.pending_changes.filter(kind=PendingChange.Kind.UPDATE):
        role = change.payload.get("role")
        if isinstance(role, str):
            roles.add(role)
    return roles


def recent_takeover_steps(member: User) -> list[AdminEvent]:
    """Changes by someone else in the last 30 days that could hand the account to them: a new
    e-mail address, a reset second factor, a password link."""
    since = timezone.now() - TAKEOVER_WINDOW
    events = AdminEvent.objects.filter(target=member, created_at__gte=since).exclude(actor=member)
    return [
        event
        for event in events
        if event.action
        in (AdminEvent.Action.SECOND_FACTOR_RESET, AdminEvent.Action.PASSWORD_LINK_SENT)
        or (event.action == AdminEvent.Action.USER_CHANGED and "email" in event.changes)
    ]


def _refuse_grant_after_takeover_steps(member: User, new_role: object) -> None:
    """Four eyes are worthless if one admin took over the account before asking to promote it:
    granting an auditor's or admin's role waits 30 days after such a step (or a platform admin)."""
    granting = new_role in FOUR_EYES_ROLES and member.role not in FOUR_EYES_ROLES
    if granting and recent_takeover_steps(member):
        raise ChangeRefused(
            gettext(
                "This account's e-mail address, two-step verification or password was changed "
                "by an administrator in the last 30 days. Only a platform administrator can make "
                "it an auditor or administrator now."
            )
        )


def _notify(user_email: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """A short service mail in Dutch and English (the recipient's language is not known)."""
    notify_users([user_email], subject, template, context)


def notify_users(
    addresses: list[str], subject: str, template: str, context: dict[str, Any]
) -> None:
    """Send the same short service mail to each address (one mail each: no shared To line)."""
    with translation.override("nl"):
        body = render_to_string(template, context)
    for address in addresses:
        if address:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def _changes(member: User, data: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [getattr(member, name), data[name]]
        for name in MEMBER_FIELDS
        if name in data and getattr(member, name) != data[name]
    }


@transaction.atomic
def record_invited_user(
    request: HttpRequest,
    organisation: Organisation,
    form_data: dict[str, str],
    *,
    actor: User | None = None,
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
    if actor is not None:
        log_event(
            actor,
            AdminEvent.Action.USER_INVITED,
            organisation=organisation,
            target=user,
            changes={"role": user.role, "email": user.email},
        )
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


@transaction.atomic
def confirm_new_device(user: User, device: TOTPDevice, *, replaced: bool) -> None:
    """Make `device` the user's only authenticator; a replacement is logged."""
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if replaced:
        log_event(
            user,
            AdminEvent.Action.SECOND_FACTOR_REPLACED,
            organisation=user.organisation,
            target=user,
        )


def reset_second_factor(user: User) -> int:
    """Remove all TOTP devices of `user` (lost phone); they must set up a new one at next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


# -- changes to another user's account ------------------------------------------------------------


@transaction.atomic
def apply_member_update(actor: User, member: User, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Save new values on `member`; tell the old address, revoke tokens on deactivation, log it."""
    changes = _changes(member, data)
    if not changes:
        return changes
    old_email = member.email
    for name, (_old, new) in changes.items():
        setattr(member, name, new)
    member.save(update_fields=list(changes))
    if "is_active" in changes and not member.is_active:
        from ketenwijs.web.api.services import revoke_tokens_of

        revoked = revoke_tokens_of(member)
        if revoked:
            changes["api_tokens_revoked"] = [0, revoked]
    log_event(
        actor,
        AdminEvent.Action.USER_CHANGED,
        organisation=member.organisation,
        target=member,
        changes=changes,
    )
    if "email" in changes:
        # The old address hears of it: an address changed behind someone's back is how a
        # password link is then sent to an attacker.
        _notify(
            old_email,
            "Ketenwijs: uw e-mailadres is gewijzigd / your e-mail address was changed",
            "accounts/email/address_changed.txt",
            {"member": member, "actor": actor, "new_email": member.email},
        )
    return changes


@transaction.atomic
def apply_second_factor_reset(actor: User, member: User) -> int:
    """Remove the member's authenticator, tell them by e-mail, log it."""
    removed = reset_second_factor(member)
    log_event(
        actor,
        AdminEvent.Action.SECOND_FACTOR_RESET,
        organisation=member.organisation,
        target=member,
        changes={"devices_removed": removed},
    )
    _notify(
        member.email,
        "Ketenwijs: tweestapsverificatie is gereset / two-step verification was reset",
        "accounts/email/second_factor_reset.txt",
        {"member": member, "actor": actor},
    )
    return removed


def apply_password_link(request: HttpRequest, actor: User, member: User) -> None:
    """Send the member a password link and log that it was sent (not the link)."""
    send_password_link(request, member)
    log_event(
        actor,
        AdminEvent.Action.PASSWORD_LINK_SENT,
        organisation=member.organisation,
        target=member,
        changes={"to": member.email},
    )


def request_change(
    actor: User,
    organisation: Organisation,
    kind: str,
    *,
    target: User | None = None,
    payload: dict[str, Any] | None = None,
) -> PendingChange:
    """Put a change before a second organisation admin (four eyes) and log the request."""
    if target is not None and kind == PendingChange.Kind.UPDATE:
        _refuse_grant_after_takeover_steps(target, (payload or {}).get("role"))
    pending = PendingChange.objects.create(
        organisation=organisation,
        target=target,
        kind=kind,
        payload=payload or {},
        requested_by=actor,
    )
    log_event(
        actor,
        AdminEvent.Action.CHANGE_REQUESTED,
        organisation=organisation,
        target=target,
        target_username=(payload or {}).get("username", ""),
        changes={"kind": kind, "pending": pending.pk, **_payload_changes(target, payload or {})},
    )
    return pending


def _payload_changes(target: User | None, payload: dict[str, Any]) -> dict[str, Any]:
    if target is None:
        return {"new": payload}
    return _changes(target, payload)


def may_decide(actor: User, pending: PendingChange) -> bool:
    """A second org admin of the organisation, or a platform admin; never the requester."""
    if actor.pk == pending.requested_by_id:
        return False
    if actor.is_platform_admin:
        return True
    return actor.is_org_admin and actor.organisation_id == pending.organisation_id


@transaction.atomic
def decide_change(request: HttpRequest, actor: User, pending: PendingChange, approve: bool) -> None:
    """Approve (and apply) or reject a pending change; both are logged."""
    if not may_decide(actor, pending):
        raise ChangeRefused(gettext("A second administrator must decide on this change."))
    target = pending.target
    if approve and target is not None and pending.kind == PendingChange.Kind.UPDATE:
        _refuse_grant_after_takeover_steps(target, pending.payload.get("role"))
    log_event(
        actor,
        AdminEvent.Action.CHANGE_APPROVED if approve else AdminEvent.Action.CHANGE_REJECTED,
        organisation=pending.organisation,
        target=target,
        target_username=pending.payload.get("username", ""),
        changes={
            "kind": pending.kind,
            "pending": pending.pk,
            "requested_by": pending.requested_by.username,
        },
    )
    kind, payload = pending.kind, dict(pending.payload)
    pending.delete()
    if not approve:
        return
    if kind == PendingChange.Kind.INVITE:
        record_invited_user(request, pending.organisation, payload, actor=actor)
    elif target is None:
        raise ChangeRefused(gettext("The account no longer exists."))
    elif kind == PendingChange.Kind.UPDATE:
        apply_member_update(actor, target, payload)
    elif kind == PendingChange.Kind.RESET_SECOND_FACTOR:
        apply_second_factor_reset(actor, target)
    else:
        apply_password_link(request, actor, target)


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
