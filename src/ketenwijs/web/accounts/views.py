"""Account views: second factor, own account, and organisation user management."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts import services
from ketenwijs.web.accounts.forms import (
    OrganisationForm,
    TokenForm,
    UserCreateForm,
    UserUpdateForm,
)
from ketenwijs.web.accounts.models import Organisation, User


def _safe_next(request: HttpRequest, default: str = "core:home") -> Any:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def verify(request: HttpRequest) -> HttpResponse:
    """Second login step: check a TOTP code against the user's confirmed device."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:setup_totp")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not valid (or has expired). Try the current code."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request, "")})


def setup_totp(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the QR code and secret, confirm with a first code."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on."))
            return redirect(_safe_next(request))
        form.add_error(
            "token", _("This code does not match. Check the time on your phone and try again.")
        )
    qr_uri = segno.make(device.config_url, micro=False).svg_data_uri(
        scale=5, dark="#000", light="#fff"
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_uri": qr_uri,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "required": user.requires_second_factor,  # type: ignore[union-attr]
        "next": _safe_next(request, ""),
    }
    return render(request, "accounts/setup_totp.html", context)


def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own account: role, organisation, second-factor state."""
    return render(
        request,
        "accounts/account.html",
        {"has_device": user_has_device(request.user, confirmed=True)},
    )


class LoginView(auth_views.LoginView):
    """Password step of login; the second factor follows through SecondFactorMiddleware."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


# ---- Management -----------------------------------------------------------------------------


def _managed_organisation(request: HttpRequest, org_id: int) -> Organisation:
    """Return the organisation if the user may manage it; otherwise 404 (don't reveal it exists)."""
    organisation = get_object_or_404(Organisation, pk=org_id)
    if not request.user.can_manage_organisation(organisation):  # type: ignore[union-attr]
        raise Http404
    return organisation


def manage_index(request: HttpRequest) -> HttpResponse:
    """Send admins to what they manage: platform admins to organisations, others to their users."""
    user: User = request.user  # type: ignore[assignment]
    if user.is_platform_admin:
        return redirect("accounts:organisation_list")
    if user.is_org_admin and user.organisation_id:
        return redirect("accounts:user_list", org_id=user.organisation_id)
    raise Http404


def organisation_list(request: HttpRequest) -> HttpResponse:
    """List all organisations (platform admins)."""
    if not request.user.is_platform_admin:  # type: ignore[union-attr]
        raise Http404
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("Organisation %(name)s created.") % {"name": organisation.name})
        return redirect("accounts:user_list", org_id=organisation.pk)
    organisations = Organisation.objects.all()
    return render(
        request, "accounts/organisation_list.html", {"organisations": organisations, "form": form}
    )


def user_list(request: HttpRequest, org_id: int) -> HttpResponse:
    """List the users of one organisation and invite a new one."""
    organisation = _managed_organisation(request, org_id)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.record_invited_user(request, organisation, form.cleaned_data)
        messages.success(
            request,
            _("%(username)s was created; an e-mail with a link to choose a password was sent.")
            % {"username": user.username},
        )
        return redirect("accounts:user_list", org_id=organisation.pk)
    users = organisation.users.order_by("username")
    confirmed = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    rows = [(u, u.pk in confirmed) for u in users]
    return render(
        request,
        "accounts/user_list.html",
        {"organisation": organisation, "rows": rows, "form": form},
    )


def user_detail(request: HttpRequest, org_id: int, user_id: int) -> HttpResponse:
    """Edit one user of the organisation: role, name, e-mail, active."""
    organisation = _managed_organisation(request, org_id)
    member = get_object_or_404(User, pk=user_id, organisation=organisation)
    original_role = member.role  # is_valid() below copies the posted values onto `member`
    form = UserUpdateForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        if member.pk == request.user.pk and (
            form.cleaned_data["role"] != original_role or not form.cleaned_data["is_active"]
        ):
            form.add_error(None, _("You cannot change your own role or deactivate yourself."))
        else:
            form.save()
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_list", org_id=organisation.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "organisation": organisation,
            "member": member,
            "form": form,
            "has_device": user_has_device(member, confirmed=True),
        },
    )


@require_POST
def user_reset_second_factor(request: HttpRequest, org_id: int, user_id: int) -> HttpResponse:
    """Remove a user's authenticator (lost phone); they set up a new one at their next login."""
    organisation = _managed_organisation(request, org_id)
    member = get_object_or_404(User, pk=user_id, organisation=organisation)
    services.reset_second_factor(member)
    messages.success(
        request,
        _("Two-step verification for %(username)s was reset.") % {"username": member.username},
    )
    return redirect("accounts:user_detail", org_id=organisation.pk, user_id=member.pk)


@require_POST
def user_send_password_link(request: HttpRequest, org_id: int, user_id: int) -> HttpResponse:
    """E-mail a user a new link to choose a password."""
    organisation = _managed_organisation(request, org_id)
    member = get_object_or_404(User, pk=user_id, organisation=organisation)
    services.send_password_link(request, member)
    messages.success(request, _("A password link was sent to %(email)s.") % {"email": member.email})
    return redirect("accounts:user_detail", org_id=organisation.pk, user_id=member.pk)
