"""Account views: second factor, own account, and organisation user management."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenwijs.web.accounts import services
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.forms import (
    OrganisationForm,
    ReplaceDeviceForm,
    StepUpForm,
    TokenForm,
    UserCreateForm,
    UserUpdateForm,
)
from ketenwijs.web.accounts.models import Organisation, PendingChange, User


def _safe_next(request: HttpRequest, default: str = "core:home") -> Any:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


CODE_REFUSED = gettext_lazy(
    "This code is not valid. Wait until your app shows the next code (a code works once) and "
    "enter that one."
)


def _wait_message(seconds: int) -> str:
    """After a wrong code every code is refused for a moment: say so, instead of "not valid"."""
    return ngettext(
        "After a wrong code you must wait a moment: wait %(seconds)d second, then enter the code "
        "your app shows at that time.",
        "After a wrong code you must wait a moment: wait %(seconds)d seconds, then enter the code "
        "your app shows at that time.",
        seconds,
    ) % {"seconds": seconds}


def verify(request: HttpRequest) -> HttpResponse:
    """Second login step: check a TOTP code against the user's confirmed device."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:setup_totp")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = services.throttle_seconds(TOTPDevice.objects.devices_for_user(request.user))
        device = None if wait else match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            # A new session key once the second factor is proved (session fixation, ASVS 3.2.1).
            request.session.cycle_key()
            return redirect(_safe_next(request))
        form.add_error("token", _wait_message(wait) if wait else CODE_REFUSED)
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request, "")})


def setup_totp(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the QR code and secret, confirm with a first code.

    Replacing a working authenticator needs the password and a code from the current app: a
    session left open must not be enough to move someone's second factor to another phone.
    """
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:verify")
    replacing = user_has_device(user, confirmed=True)
    proof = ReplaceDeviceForm(request.POST or None, prefix="current") if replacing else None
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (proof is None or proof.is_valid()):
        if proof is not None and not _proves_current_factor(request, proof):
            pass  # the errors are on the proof form
        elif wait := services.throttle_seconds([device]):
            form.add_error("token", _wait_message(wait))
        elif device.verify_token(form.cleaned_data["token"]):
            services.confirm_new_device(user, device, replaced=replacing)  # type: ignore[arg-type]
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(request, _("Two-step verification is on."))
            return redirect(_safe_next(request))
        else:
            form.add_error(
                "token", _("This code does not match. Check the time on your phone and try again.")
            )
    qr_uri = segno.make(device.config_url, micro=False).svg_data_uri(
        scale=5, dark="#000", light="#fff"
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "proof": proof,
        "qr_uri": qr_uri,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "required": user.requires_second_factor,  # type: ignore[union-attr]
        "next": _safe_next(request, ""),
    }
    return render(request, "accounts/setup_totp.html", context)


def _proves_current_factor(request: HttpRequest, proof: ReplaceDeviceForm) -> bool:
    """Check the password and a code of the confirmed (current) authenticator."""
    user: User = request.user  # type: ignore[assignment]
    if not user.check_password(proof.cleaned_data["password"]):
        proof.add_error("password", _("This password is not correct."))
        return False
    current = TOTPDevice.objects.filter(user=user, confirmed=True)
    if not any(device.verify_token(proof.cleaned_data["code"]) for device in current):
        proof.add_error("code", _("This code is not valid (or already used). Wait for the next."))
        return False
    return True


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


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):  # type: ignore[type-arg]
    """Change one's own password; the account page then confirms it (a save is always confirmed)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    success_message = gettext_lazy("Your password has been changed.")


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


STEP_UP_PREFIX = "stepup"
STEP_UP_ERROR = _("This code is not valid (or already used). Wait for the next code and retry.")


def _step_up(request: HttpRequest) -> StepUpForm:
    return StepUpForm(request.POST or None, prefix=STEP_UP_PREFIX)


def _stepped_up(request: HttpRequest, step_up: StepUpForm) -> bool:
    """The form is valid and its code is the acting admin's own current code."""
    if not step_up.is_valid():
        return False
    if not services.step_up_ok(request.user, step_up.cleaned_data["code"]):  # type: ignore[arg-type]
        step_up.add_error("code", STEP_UP_ERROR)
        return False
    return True


def user_list(request: HttpRequest, org_id: int) -> HttpResponse:
    """List the users of one organisation, invite a new one, and decide on pending changes."""
    organisation = _managed_organisation(request, org_id)
    actor: User = request.user  # type: ignore[assignment]
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: str(value) for key, value in form.cleaned_data.items()}
        if services.needs_second_admin(actor, {data["role"]}):  # invitation: no target yet
            services.request_change(actor, organisation, PendingChange.Kind.INVITE, payload=data)
            messages.info(request, _("A second administrator must approve this invitation."))
        else:
            user = services.record_invited_user(request, organisation, data, actor=actor)
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
    pending = [
        (change, services.may_decide(actor, change))
        for change in organisation.pending_changes.select_related("target", "requested_by")
    ]
    return render(
        request,
        "accounts/user_list.html",
        {
            "organisation": organisation,
            "rows": rows,
            "form": form,
            "pending": pending,
            "step_up": StepUpForm(prefix=STEP_UP_PREFIX),
        },
    )


def _detail(
    request: HttpRequest,
    organisation: Organisation,
    member: User,
    form: UserUpdateForm,
    step_up: StepUpForm,
) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "organisation": organisation,
            "member": member,
            "form": form,
            "step_up": step_up,
            "has_device": user_has_device(member, confirmed=True),
            "four_eyes": services.needs_second_admin(
                actor, services.roles_at_stake(member), member
            ),
        },
    )


def user_detail(request: HttpRequest, org_id: int, user_id: int) -> HttpResponse:
    """Edit one user of the organisation: role, name, e-mail, active (with step-up)."""
    organisation = _managed_organisation(request, org_id)
    actor: User = request.user  # type: ignore[assignment]
    member = get_object_or_404(User, pk=user_id, organisation=organisation)
    stored = User.objects.get(pk=member.pk)  # is_valid() below copies the posted values on `member`
    form = UserUpdateForm(request.POST or None, instance=member)
    step_up = _step_up(request)
    if request.method == "POST" and form.is_valid() and _stepped_up(request, step_up):
        data = {name: form.cleaned_data[name] for name in services.MEMBER_FIELDS}
        if stored.pk == actor.pk and (data["role"] != stored.role or not data["is_active"]):
            form.add_error(None, _("You cannot change your own role or deactivate yourself."))
        elif services.needs_second_admin(
            actor, services.roles_at_stake(stored) | {data["role"]}, stored
        ):
            try:
                services.request_change(
                    actor, organisation, PendingChange.Kind.UPDATE, target=stored, payload=data
                )
            except services.ChangeRefused as refused:
                form.add_error("role", refused.message)
                return _detail(request, organisation, stored, form, step_up)
            messages.info(request, _("A second administrator must approve this change."))
            return redirect("accounts:user_list", org_id=organisation.pk)
        else:
            services.apply_member_update(actor, stored, data)
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_list", org_id=organisation.pk)
    return _detail(
        request, organisation, stored if request.method != "POST" else member, form, step_up
    )


def _member_action(request: HttpRequest, org_id: int, user_id: int, kind: str) -> HttpResponse:
    """Reset a user's second factor or send them a password link, with step-up and four eyes."""
    organisation = _managed_organisation(request, org_id)
    actor: User = request.user  # type: ignore[assignment]
    member = get_object_or_404(User, pk=user_id, organisation=organisation)
    step_up = _step_up(request)
    if not _stepped_up(request, step_up):
        return _detail(request, organisation, member, UserUpdateForm(instance=member), step_up)
    if services.needs_second_admin(actor, services.roles_at_stake(member), member):
        services.request_change(actor, organisation, kind, target=member)
        messages.info(request, _("A second administrator must approve this change."))
        return redirect("accounts:user_list", org_id=organisation.pk)
    if kind == PendingChange.Kind.RESET_SECOND_FACTOR:
        services.apply_second_factor_reset(actor, member)
        messages.success(
            request,
            _("Two-step verification for %(username)s was reset.") % {"username": member.username},
        )
    else:
        services.apply_password_link(request, actor, member)
        messages.success(
            request, _("A password link was sent to %(email)s.") % {"email": member.email}
        )
    return redirect("accounts:user_detail", org_id=organisation.pk, user_id=member.pk)


@require_POST
def user_reset_second_factor(request: HttpRequest, org_id: int, user_id: int) -> HttpResponse:
    """Remove a user's authenticator (lost phone); they set up a new one at their next login."""
    return _member_action(request, org_id, user_id, PendingChange.Kind.RESET_SECOND_FACTOR)


@require_POST
def user_send_password_link(request: HttpRequest, org_id: int, user_id: int) -> HttpResponse:
    """E-mail a user a new link to choose a password."""
    return _member_action(request, org_id, user_id, PendingChange.Kind.SEND_PASSWORD_LINK)


@require_POST
def pending_decide(request: HttpRequest, org_id: int, pending_id: int) -> HttpResponse:
    """A second administrator approves or rejects a pending change (with their own code)."""
    organisation = _managed_organisation(request, org_id)
    actor: User = request.user  # type: ignore[assignment]
    pending = get_object_or_404(PendingChange, pk=pending_id, organisation=organisation)
    if not services.may_decide(actor, pending):
        raise Http404
    step_up = _step_up(request)
    if not _stepped_up(request, step_up):
        messages.error(request, str(STEP_UP_ERROR))
        return redirect("accounts:user_list", org_id=organisation.pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_change(request, actor, pending, approve)
    except services.ChangeRefused as refused:
        messages.error(request, refused.message)
        return redirect("accounts:user_list", org_id=organisation.pk)
    messages.success(request, _("Change approved.") if approve else _("Change rejected."))
    return redirect("accounts:user_list", org_id=organisation.pk)


def admin_events(request: HttpRequest, org_id: int) -> HttpResponse:
    """Who changed which account or setting, and when: for admins and auditors."""
    organisation = get_object_or_404(Organisation, pk=org_id)
    user: User = request.user  # type: ignore[assignment]
    may_read = user.can_manage_organisation(organisation) or (
        user.role == Role.AUDITOR and user.organisation_id == organisation.pk
    )
    if not may_read:
        raise Http404
    page = Paginator(organisation.admin_events.all(), 50).get_page(request.GET.get("page"))
    for event in page:
        event.details = [  # type: ignore[attr-defined]
            f"{key}: {value[0]} → {value[1]}"
            if isinstance(value, list) and len(value) == 2
            else f"{key}: {value}"
            for key, value in event.changes.items()
        ]
    return render(
        request, "accounts/admin_events.html", {"organisation": organisation, "page": page}
    )


def organisation_help(request: HttpRequest, org_id: int) -> HttpResponse:
    """Set the organisation's help text, help desk and FG contact (its admins; others get 404)."""
    from ketenwijs.web.core.forms import OrganisationContactForm
    from ketenwijs.web.core.services import contact_for, record_organisation_contact

    organisation = _managed_organisation(request, org_id)
    form = OrganisationContactForm(request.POST or None, instance=contact_for(organisation))
    if request.method == "POST" and form.is_valid():
        fields = OrganisationContactForm.Meta.fields
        record_organisation_contact(
            request.user,  # type: ignore[arg-type]
            organisation,
            {name: form.cleaned_data[name] for name in fields},
        )
        messages.success(request, _("Help and contact have been saved."))
        if request.user.organisation_id == organisation.pk:  # type: ignore[union-attr]
            return redirect("core:help")  # the admin sees the result as colleagues will
        return redirect("accounts:user_list", org_id=organisation.pk)
    return render(
        request, "accounts/organisation_help.html", {"organisation": organisation, "form": form}
    )
