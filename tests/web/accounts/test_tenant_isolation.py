"""Nobody reaches another organisation's admin pages; only org admins reach their own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from tests.web.factories import current_code

ORG_ROLES = [Role.PROFESSIONAL, Role.TRAINER, Role.CONTENT_EDITOR, Role.AUDITOR, Role.ORG_ADMIN]


def _admin_requests(org: Organisation, member: User) -> list[tuple[str, str]]:
    ids = {"org_id": org.pk, "user_id": member.pk}
    return [
        ("get", reverse("accounts:user_list", kwargs={"org_id": org.pk})),
        ("post", reverse("accounts:user_list", kwargs={"org_id": org.pk})),
        ("get", reverse("accounts:user_detail", kwargs=ids)),
        ("post", reverse("accounts:user_detail", kwargs=ids)),
        ("post", reverse("accounts:user_reset_second_factor", kwargs=ids)),
        ("post", reverse("accounts:user_send_password_link", kwargs=ids)),
    ]


@pytest.mark.parametrize("role", ORG_ROLES)
def test_user_cannot_reach_another_organisations_admin_pages(
    role: str,
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    actor = user_factory(role, org_a)
    victim = user_factory(Role.PROFESSIONAL, org_b)
    client = client_for(actor)
    for method, url in _admin_requests(org_b, victim):
        response = getattr(client, method)(url, {"role": Role.ORG_ADMIN, "username": "x"})
        assert response.status_code == 404, (role, method, url, response.status_code)
    victim.refresh_from_db()
    assert victim.role == Role.PROFESSIONAL
    assert not User.objects.filter(username="x").exists()


@pytest.mark.parametrize("role", [r for r in ORG_ROLES if r != Role.ORG_ADMIN])
def test_non_admin_cannot_manage_own_organisation(
    role: str,
    org_a: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    actor = user_factory(role, org_a)
    colleague = user_factory(Role.PROFESSIONAL, org_a)
    client = client_for(actor)
    for method, url in _admin_requests(org_a, colleague):
        assert getattr(client, method)(url).status_code == 404, (role, method, url)
    assert client.get(reverse("accounts:organisation_list")).status_code == 404


def test_org_admin_cannot_edit_other_org_user_through_own_org_url(
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    """The user id must belong to the organisation in the URL, not just any organisation."""
    admin = user_factory(Role.ORG_ADMIN, org_a)
    outsider = user_factory(Role.PROFESSIONAL, org_b)
    url = reverse("accounts:user_detail", kwargs={"org_id": org_a.pk, "user_id": outsider.pk})
    assert client_for(admin).get(url).status_code == 404


def test_org_admin_manages_own_users(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    colleague = user_factory(Role.PROFESSIONAL, org_a)
    client = client_for(admin)
    listing = client.get(reverse("accounts:user_list", kwargs={"org_id": org_a.pk}))
    assert listing.status_code == 200
    assert colleague.username in listing.content.decode()
    url = reverse("accounts:user_detail", kwargs={"org_id": org_a.pk, "user_id": colleague.pk})
    response = client.post(
        url,
        {
            "first_name": "",
            "last_name": "",
            "email": colleague.email,
            "role": Role.TRAINER,
            "is_active": "on",
            "stepup-code": current_code(admin),
        },
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == Role.TRAINER


def test_org_admin_cannot_hand_out_platform_admin(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    colleague = user_factory(Role.PROFESSIONAL, org_a)
    url = reverse("accounts:user_detail", kwargs={"org_id": org_a.pk, "user_id": colleague.pk})
    response = client_for(admin).post(
        url, {"email": colleague.email, "role": Role.PLATFORM_ADMIN, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    colleague.refresh_from_db()
    assert colleague.role == Role.PROFESSIONAL


def test_org_admin_cannot_demote_self(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    admin = user_factory(Role.ORG_ADMIN, org_a)
    url = reverse("accounts:user_detail", kwargs={"org_id": org_a.pk, "user_id": admin.pk})
    client = client_for(admin)
    response = client.post(
        url,
        {
            "email": admin.email,
            "role": Role.PROFESSIONAL,
            "is_active": "on",
            "stepup-code": current_code(admin),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    admin.refresh_from_db()
    assert admin.role == Role.ORG_ADMIN


def test_platform_admin_reaches_every_organisation(
    org_a: Organisation,
    org_b: Organisation,
    user_factory: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    platform = user_factory(Role.PLATFORM_ADMIN, None)
    client = client_for(platform)
    assert client.get(reverse("accounts:organisation_list")).status_code == 200
    for org in (org_a, org_b):
        assert (
            client.get(reverse("accounts:user_list", kwargs={"org_id": org.pk})).status_code == 200
        )


def test_platform_admin_creates_organisation(
    user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    platform = user_factory(Role.PLATFORM_ADMIN, None)
    response = client_for(platform).post(
        reverse("accounts:organisation_list"),
        {"name": "RIEC Noord", "kind": "riec", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="RIEC Noord", kind="riec").exists()
