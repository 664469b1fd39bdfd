"""The top navigation: the four modules, help, search and the account, current section marked."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """One link of the top navigation; `current` is "page", "true" (in its section) or ""."""

    label: str | Promise
    url: str
    current: str = ""


def _sections(user: object) -> list[tuple[str | Promise, str, tuple[str, ...]]]:
    """Return (label, URL name, namespaces or view names of the section) the user may open.

    The module names stay Dutch in English too: they are the names of the modules.
    """
    from ketenwijs.web.audit.permissions import can_read_log

    sections: list[tuple[str | Promise, str, tuple[str, ...]]] = [
        ("Delen", "sharing:start", ("sharing",)),
    ]
    if getattr(user, "organisation_id", None) is not None:  # lessons keep progress per member
        sections.append(("Herkennen", "learning:index", ("learning",)))
    sections.append(("Signaleren", "signals:check", ("signals",)))
    if can_read_log(user):  # type: ignore[arg-type]
        sections.append(("Verantwoorden", "audit:list", ("audit",)))
    sections += [
        (_("Search"), "core:search", ("core:search",)),
        (_("Help"), "core:help", ("core:help", "core:glossary")),
    ]
    if getattr(user, "is_platform_admin", False) or getattr(user, "is_org_admin", False):
        sections.append((_("Management"), "accounts:manage", ("accounts:manage*", "api_tokens")))
    sections.append((_("My account"), "accounts:account", ("accounts:account",)))
    return sections


def _in_section(view_name: str, namespace: str, members: tuple[str, ...]) -> bool:
    for member in members:
        if ":" in member:
            prefix = member.rstrip("*")
            if view_name == member or (member.endswith("*") and view_name.startswith(prefix)):
                return True
        elif namespace == member:
            return True
    return False


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """Return the menu of the signed-in user, with the section of the current page marked."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    namespace = match.namespace if match else ""
    if view_name.startswith("accounts:") and view_name not in ("accounts:account",):
        # The user and organisation pages are management; password pages belong to the account.
        view_name = (
            "accounts:account"
            if view_name.startswith("accounts:password") or view_name == "accounts:setup_totp"
            else "accounts:manage_" + view_name.split(":", 1)[1]
        )
    items = []
    for label, url_name, members in _sections(request.user):
        url = reverse(url_name)
        current = ""
        if _in_section(view_name, namespace, members):
            current = "page" if request.path == url else "true"
        items.append(NavItem(label=label, url=url, current=current))
    return items
