"""Separation of duties (issue #17): no admin can read or rewrite what is not theirs.

Each test reproduces a finding of the adversarial review: an organisation admin reading every
colleague's decision through an API token; an admin silently taking over the auditor's account
(e-mail, second factor, password link); tokens that never end; changes nobody can see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import AdminEvent, Organisation, PendingChange, User
from ketenwijs.web.api.models import ApiToken
from ketenwijs.web.api.services import record_token
from tests.web.api.conftest import api_client
from tests.web.audit.conftest import make_record
from tests.web.factories import PASSWORD, current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org_a: Organisation, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.ORG_ADMIN, org_a, with_device=True)


@pytest.fixture
def second_admin(org_a: Organisation, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.ORG_ADMIN, org_a, with_device=True)


@pytest.fixture
def auditor(org_a: Organisation, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.AUDITOR, org_a, with_device=True)


def _detail_url(member: User) -> str:
    assert member.organisation_id is not None
    return reverse(
        "accounts:user_detail", kwargs={"org_id": member.organisation_id, "user_id": member.pk}
    )


def _unthrottle(user: User) -> None:
    # django-otp delays the next try after a wrong code; tests do not wait for it.
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def _edit(client: Client, member: User, actor: User, **changes: object) -> object:
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": member.role,
        "is_active": "on" if member.is_active else "",
        "stepup-code": current_code(actor),
        **changes,
    }
    return client.post(_detail_url(member), {k: v for k, v in data.items() if v != ""})


# -- API tokens never exceed their creator's rights ----------------------------------------------


def test_an_admins_token_reads_only_the_decisions_the_admin_may_read(
    org_a: Organisation, admin: User, user_factory: Callable[..., User]
) -> None:
    colleague = user_factory(Role.PROFESSIONAL, org_a)
    make_record(colleague, motivation="Besluit van een collega.")
    own = make_record(admin)
    secret = record_token(created_by=admin, name="X", scopes=["decisions:read"]).secret
    body = api_client(secret).get("/api/v1/decisions").json()
    # The web app shows an admin only their own records; the token may not show more.
    assert [r["content"]["sequence"] for r in body["records"]] == [own.sequence]
    colleague_record = org_a.decision_records.exclude(pk=own.pk).get()
    detail = api_client(secret).get(f"/api/v1/decisions/{colleague_record.sequence}")
    assert detail.status_code == 404


def test_an_auditors_token_reads_the_whole_log(
    org_a: Organisation, auditor: User, client_for: Callable[[User], Client],
    user_factory: Callable[..., User],
) -> None:  # fmt: skip
    for _ in range(3):
        make_record(user_factory(Role.PROFESSIONAL, org_a))
    response = client_for(auditor).post(
        "/api-tokens/new/", {"name": "FG-dashboard", "scopes": ["decisions:read"]}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(created_by=auditor)
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=90)).date()
    secret = response.context["secret"]
    assert api_client(secret).get("/api/v1/decisions").json()["count"] == 3


def test_tokens_expire_and_the_list_says_when(
    admin: User, client_for: Callable[[User], Client]
) -> None:
    new = record_token(created_by=admin, name="Kort", scopes=["privacy"], lifetime_days=30)
    listing = client_for(admin).get("/api-tokens/").content.decode()
    assert f"{new.token.expires_at:%-d}" in listing
    url = "/api/v1/privacy/check"
    assert api_client(new.secret).post(url, {"text": "x"}, "application/json").status_code == 200
    ApiToken.objects.filter(pk=new.token.pk).update(expires_at=timezone.now())
    assert api_client(new.secret).post(url, {"text": "x"}, "application/json").status_code == 401
    with pytest.raises(ValueError, match="lifetime"):
        record_token(created_by=admin, name="Eeuwig", scopes=["privacy"], lifetime_days=10_000)


def test_deactivating_the_creator_revokes_their_tokens(
    org_a: Organisation,
    second_admin: User,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    platform = user_factory(Role.PLATFORM_ADMIN, None, with_device=True)
    new = record_token(created_by=second_admin, name="X", scopes=["sharing"])
    response = _edit(client_for(platform), second_admin, platform, is_active="")
    assert response.status_code == 302  # type: ignore[attr-defined]
    new.token.refresh_from_db()
    assert new.token.revoked_at is not None
    assert api_client(new.secret).get("/api/v1/sharing/rulesets").status_code == 401


def test_a_token_stops_when_its_creator_is_inactive_even_if_not_revoked(admin: User) -> None:
    new = record_token(created_by=admin, name="X", scopes=["sharing"])
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert api_client(new.secret).get("/api/v1/sharing/rulesets").status_code == 401


# -- Changing another user's account: step-up, notification, four eyes, log ----------------------


def test_changing_an_email_needs_the_admins_own_code_and_tells_the_old_address(
    org_a: Organisation,
    admin: User,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    member = user_factory(Role.PROFESSIONAL, org_a)
    old = member.email
    client = client_for(admin)
    refused = _edit(
        client, member, admin, email="nieuw@example.invalid", **{"stepup-code": "000000"}
    )
    assert refused.status_code == 200  # type: ignore[attr-defined]
    member.refresh_from_db()
    assert member.email == old
    _unthrottle(admin)
    assert _edit(client, member, admin, email="nieuw@example.invalid").status_code == 302  # type: ignore[attr-defined]
    member.refresh_from_db()
    assert member.email == "nieuw@example.invalid"
    told = [m for m in mail.outbox if old in m.to]
    assert told
    assert "nieuw@example.invalid" not in told[0].to
    event = AdminEvent.objects.get(action=AdminEvent.Action.USER_CHANGED)
    assert event.changes == {"email": [old, "nieuw@example.invalid"]}
    assert (event.actor, event.target) == (admin, member)


def test_one_admin_cannot_take_over_the_auditor(
    org_a: Organisation,
    admin: User,
    second_admin: User,
    auditor: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(admin)
    old_email = auditor.email
    # E-mail change, second-factor reset and password link: each only asked, nothing done.
    assert _edit(client, auditor, admin, email="aanvaller@example.invalid").status_code == 302  # type: ignore[attr-defined]
    reset = reverse(
        "accounts:user_reset_second_factor", kwargs={"org_id": org_a.pk, "user_id": auditor.pk}
    )
    assert client.post(reset, {"stepup-code": current_code(admin, window=1)}).status_code == 302
    auditor.refresh_from_db()
    assert auditor.email == old_email
    assert TOTPDevice.objects.filter(user=auditor).exists()
    assert PendingChange.objects.count() == 2
    assert not [m for m in mail.outbox if "aanvaller@example.invalid" in m.to]
    # The admin who asked cannot approve their own change.
    pending = PendingChange.objects.get(kind=PendingChange.Kind.UPDATE)
    decide = reverse(
        "accounts:pending_decide", kwargs={"org_id": org_a.pk, "pending_id": pending.pk}
    )
    assert client.post(decide, {"decision": "approve", "stepup-code": "123456"}).status_code == 404
    # A second admin rejects it; the auditor's account is untouched and everything is logged.
    second = client_for(second_admin)
    response = second.post(
        decide, {"decision": "reject", "stepup-code": current_code(second_admin)}
    )
    assert response.status_code == 302
    auditor.refresh_from_db()
    assert auditor.email == old_email
    actions = list(AdminEvent.objects.values_list("action", flat=True))
    assert actions.count(AdminEvent.Action.CHANGE_REQUESTED) == 2
    assert AdminEvent.Action.CHANGE_REJECTED in actions


def test_a_second_admin_approves_a_change_to_the_auditor(
    org_a: Organisation,
    admin: User,
    second_admin: User,
    auditor: User,
    client_for: Callable[[User], Client],
) -> None:
    old_email = auditor.email
    _edit(client_for(admin), auditor, admin, last_name="Jansen", email="fg@example.invalid")
    pending = PendingChange.objects.get()
    decide = reverse(
        "accounts:pending_decide", kwargs={"org_id": org_a.pk, "pending_id": pending.pk}
    )
    second = client_for(second_admin)
    listing = second.get(reverse("accounts:user_list", kwargs={"org_id": org_a.pk}))
    assert "fg@example.invalid" in listing.content.decode()
    assert second.post(decide, {"decision": "approve", "stepup-code": "000000"}).status_code == 302
    assert PendingChange.objects.exists()  # a wrong code decides nothing
    _unthrottle(second_admin)
    second.post(decide, {"decision": "approve", "stepup-code": current_code(second_admin)})
    auditor.refresh_from_db()
    assert (auditor.last_name, auditor.email) == ("Jansen", "fg@example.invalid")
    assert [m for m in mail.outbox if old_email in m.to]
    assert not PendingChange.objects.exists()


def test_inviting_an_auditor_needs_a_second_admin(
    org_a: Organisation, admin: User, second_admin: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("accounts:user_list", kwargs={"org_id": org_a.pk})
    data = {"username": "tweede-fg", "email": "fg2@example.invalid", "role": Role.AUDITOR}
    assert client_for(admin).post(url, data).status_code == 302
    assert not User.objects.filter(username="tweede-fg").exists()
    pending = PendingChange.objects.get(kind=PendingChange.Kind.INVITE)
    decide = reverse(
        "accounts:pending_decide", kwargs={"org_id": org_a.pk, "pending_id": pending.pk}
    )
    client_for(second_admin).post(
        decide, {"decision": "approve", "stepup-code": current_code(second_admin)}
    )
    invited = User.objects.get(username="tweede-fg")
    assert invited.role == Role.AUDITOR
    assert not invited.has_usable_password()


def test_a_platform_admin_changes_an_auditor_alone(
    org_a: Organisation, auditor: User, user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    platform = user_factory(Role.PLATFORM_ADMIN, None, with_device=True)
    assert _edit(client_for(platform), auditor, platform, last_name="Visser").status_code == 302  # type: ignore[attr-defined]
    auditor.refresh_from_db()
    assert auditor.last_name == "Visser"
    assert not PendingChange.objects.exists()


def test_admins_and_auditors_see_every_change_professionals_do_not(
    org_a: Organisation,
    admin: User,
    auditor: User,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    admin_client = client_for(admin)
    admin_client.post(
        reverse("audit:retention"), {"retention_days": 30, "stepup-code": current_code(admin)}
    )
    record_token(created_by=admin, name="Koppeling", scopes=["sharing"])
    url = reverse("accounts:admin_events", kwargs={"org_id": org_a.pk})
    page = client_for(auditor).get(url).content.decode()
    assert "retention_days: 1825 → 30" in page
    assert "Koppeling" in page
    assert admin_client.get(url).status_code == 200
    professional = user_factory(Role.PROFESSIONAL, org_a)
    assert client_for(professional).get(url).status_code == 404


# -- One's own second factor ----------------------------------------------------------------------


def test_replacing_the_authenticator_needs_password_and_current_code(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    from django_otp.oath import totp

    user = user_factory(Role.PROFESSIONAL, org_a, with_device=True)
    old_device = TOTPDevice.objects.get(user=user)
    client = client_for(user)
    page = client.get(reverse("accounts:setup_totp"))
    assert "current-password" in page.content.decode()
    new_device = TOTPDevice.objects.get(user=user, confirmed=False)
    new_code = f"{totp(new_device.bin_key):06d}"
    # A session alone is not enough.
    client.post(reverse("accounts:setup_totp"), {"token": new_code})
    assert TOTPDevice.objects.filter(pk=old_device.pk).exists()
    client.post(
        reverse("accounts:setup_totp"),
        {"token": new_code, "current-password": PASSWORD, "current-code": current_code(user)},
    )
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert TOTPDevice.objects.get(user=user).pk == new_device.pk
    assert AdminEvent.objects.filter(action=AdminEvent.Action.SECOND_FACTOR_REPLACED).exists()


def test_the_session_key_changes_when_the_second_factor_is_proved(
    org_a: Organisation, user_factory: Callable[..., User]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a, with_device=True)
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    before = client.session.session_key
    client.post(reverse("accounts:verify"), {"token": current_code(user)})
    assert client.session.get("otp_device_id")
    assert client.session.session_key != before


# -- The re-review's takeover routes: a second admin made or taken over by one admin ------------


def test_one_admin_cannot_create_a_second_admin_alone(
    org_a: Organisation, admin: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("accounts:user_list", kwargs={"org_id": org_a.pk})
    data = {"username": "sokpop", "email": "admin-a@example.invalid", "role": Role.ORG_ADMIN}
    assert client_for(admin).post(url, data).status_code == 302
    assert not User.objects.filter(username="sokpop").exists()
    assert PendingChange.objects.get().kind == PendingChange.Kind.INVITE


def test_one_admin_cannot_promote_someone_to_admin_alone(
    org_a: Organisation,
    admin: User,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    member = user_factory(Role.PROFESSIONAL, org_a)
    _edit(client_for(admin), member, admin, role=Role.ORG_ADMIN, email="ik@example.invalid")
    member.refresh_from_db()
    assert (member.role, member.email) != (Role.ORG_ADMIN, "ik@example.invalid")
    assert member.role == Role.PROFESSIONAL
    assert PendingChange.objects.filter(kind=PendingChange.Kind.UPDATE).exists()


def test_one_admin_cannot_take_over_the_other_admin(
    org_a: Organisation, admin: User, second_admin: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(admin)
    old = second_admin.email
    _edit(client, second_admin, admin, email="mallory@example.invalid")
    for name in ("user_reset_second_factor", "user_send_password_link"):
        url = reverse(f"accounts:{name}", kwargs={"org_id": org_a.pk, "user_id": second_admin.pk})
        # A code works once; the test does not wait 30 s for the next one.
        TOTPDevice.objects.filter(user=admin).update(last_t=-1)
        client.post(url, {"stepup-code": current_code(admin)})
    second_admin.refresh_from_db()
    assert second_admin.email == old
    assert TOTPDevice.objects.filter(user=second_admin).exists()
    assert not [m for m in mail.outbox if "mallory@example.invalid" in m.to]
    assert PendingChange.objects.count() == 3


def test_an_admin_edits_their_own_name_alone(
    org_a: Organisation, admin: User, client_for: Callable[[User], Client]
) -> None:
    assert _edit(client_for(admin), admin, admin, first_name="Anna").status_code == 302  # type: ignore[attr-defined]
    admin.refresh_from_db()
    assert admin.first_name == "Anna"


def test_learning_settings_changes_are_logged(
    org_a: Organisation, admin: User, client_for: Callable[[User], Client]
) -> None:
    client_for(admin).post(reverse("learning:settings"), {"show_individual_results": "on"})
    event = AdminEvent.objects.get(action=AdminEvent.Action.LEARNING_SETTINGS_CHANGED)
    assert event.changes == {"show_individual_results": [False, True]}


def test_changing_retention_needs_a_code_and_tells_the_auditors(
    org_a: Organisation, admin: User, auditor: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(admin)
    url = reverse("audit:retention")
    assert client.post(url, {"retention_days": 30}).status_code == 200
    assert not AdminEvent.objects.filter(action=AdminEvent.Action.RETENTION_CHANGED).exists()
    response = client.post(url, {"retention_days": 30, "stepup-code": current_code(admin)})
    assert response.status_code == 302
    assert [m for m in mail.outbox if auditor.email in m.to]


def test_an_admin_cannot_revoke_the_auditors_token(
    org_a: Organisation, admin: User, auditor: User, client_for: Callable[[User], Client]
) -> None:
    token = record_token(created_by=auditor, name="FG", scopes=["decisions:read"]).token
    client = client_for(admin)
    client.cookies["ketenwijs_language"] = "en"
    assert "the auditor revokes it" in client.get("/api-tokens/").content.decode()
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client_for(auditor).post(f"/api-tokens/{token.pk}/revoke/").status_code == 302


def test_an_account_taken_over_first_cannot_then_be_promoted(
    org_a: Organisation,
    admin: User,
    second_admin: User,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    # The re-review's route: take over a professional alone (e-mail, second factor, password
    # link), then have an honest second admin approve their promotion to admin.
    member = user_factory(Role.PROFESSIONAL, org_a, with_device=True)
    client = client_for(admin)
    _edit(client, member, admin, email="mallory@example.invalid")
    member.refresh_from_db()
    TOTPDevice.objects.filter(user=admin).update(last_t=-1)
    response = _edit(client, member, admin, role=Role.ORG_ADMIN)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "30" in response.content.decode()  # type: ignore[attr-defined]
    assert not PendingChange.objects.exists()


def test_while_a_promotion_is_pending_every_change_needs_four_eyes(
    org_a: Organisation,
    admin: User,
    second_admin: User,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    member = user_factory(Role.PROFESSIONAL, org_a, with_device=True)
    client = client_for(admin)
    _edit(client, member, admin, role=Role.ORG_ADMIN)
    assert PendingChange.objects.count() == 1
    TOTPDevice.objects.filter(user=admin).update(last_t=-1)
    old = member.email
    _edit(client, member, admin, email="mallory@example.invalid")
    member.refresh_from_db()
    assert member.email == old
    assert PendingChange.objects.count() == 2
    # And if a takeover step slipped in before the approval, the approval is refused.
    pending = PendingChange.objects.filter(payload__role=Role.ORG_ADMIN).get()

    AdminEvent.objects.create(
        organisation=org_a,
        actor=admin,
        actor_username=admin.username,
        target=member,
        target_username=member.username,
        action=AdminEvent.Action.PASSWORD_LINK_SENT,
    )
    decide = reverse(
        "accounts:pending_decide", kwargs={"org_id": org_a.pk, "pending_id": pending.pk}
    )
    client_for(second_admin).post(
        decide, {"decision": "approve", "stepup-code": current_code(second_admin)}
    )
    member.refresh_from_db()
    assert member.role == Role.PROFESSIONAL
