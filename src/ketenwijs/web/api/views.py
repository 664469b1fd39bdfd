"""Token pages: organisation admins list, create and revoke their organisation's API tokens;
auditors create and revoke their own (to read the whole decision log from another system).

Anyone else (other roles, platform admins, another organisation's admin) gets 404, as for every
admin page. The secret is shown once, in the answer to the creating POST, and never stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ketenwijs.web.accounts.models import User
from ketenwijs.web.api import services
from ketenwijs.web.api.forms import TokenCreateForm
from ketenwijs.web.api.models import ApiToken


def _own_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """Organisation admins manage all their organisation's tokens, auditors only their own."""
    user: User = request.user  # type: ignore[assignment]
    if not services.can_manage_tokens(user):
        raise Http404
    tokens = ApiToken.objects.filter(organisation_id=user.organisation_id)
    if not user.is_org_admin:
        tokens = tokens.filter(created_by=user)
    return tokens.select_related("created_by")


def token_list(request: HttpRequest) -> HttpResponse:
    """The organisation's tokens, active and revoked, with when each was last used."""
    tokens = list(_own_tokens(request))
    for token in tokens:
        token.revocable = services.may_revoke(request.user, token)  # type: ignore[attr-defined,arg-type]
    return render(request, "api/token_list.html", {"tokens": tokens})


def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token; the answer shows its secret this one time."""
    _own_tokens(request)
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = services.record_token(
            created_by=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            lifetime_days=form.cleaned_data["lifetime"],
        )
        response = render(
            request,
            "api/token_created.html",
            {"token": new.token, "secret": new.secret},
        )
        # The secret must not stay in any cache or in the browser's back-forward history.
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "api/token_create.html", {"form": form})


def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Ask for confirmation, then revoke: programs using the token get 401 from then on.

    An auditor's token is the auditor's to revoke: an admin cannot cut the auditor's access to
    the log (it ends anyway when the auditor is deactivated).
    """
    token = get_object_or_404(_own_tokens(request), pk=token_id)
    if not services.may_revoke(request.user, token):  # type: ignore[arg-type]
        raise Http404
    if request.method == "POST":
        services.record_revocation(token, request.user)  # type: ignore[arg-type]
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
