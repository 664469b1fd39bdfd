"""Every page of the URL inventory, at 1280, 390 and 320 CSS px, with the CSP on.

The inventory comes from Django's URL resolver: every named route. Each is visited with GET as
a user who may see it; the page must reflow (WCAG 1.4.10: no horizontal page scroll at 320 px),
pass axe (WCAG 2.1 A/AA) and trigger no Content-Security-Policy violation. A route that cannot
be visited with GET as a page is listed in NOT_A_PAGE with the reason, so a new route fails this
test until someone decides which of the two it is.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.api import services as api_services
from ketenwijs.web.learning.models import AssignedLearner, TrackAssignment
from ketenwijs.web.signals import services as signals_services
from tests.browser.conftest import csp_violations, run_axe
from tests.web.audit.conftest import make_record
from tests.web.factories import make_organisation, make_user, verified_client
from tests.web.learning.conftest import play, quiz_answers
from tests.web.sharing.conftest import WITH_CONDITIONS, complete, result_url, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390, 320)

# Routes that are not an HTML page for GET, with the reason (checked in their own HTTP tests).
NOT_A_PAGE = {
    "core:health": "JSON health check for monitoring",
    "core:security_txt": "plain-text security.txt (RFC 9116)",
    "set_language": "POST only (the language switch form)",
    "accounts:logout": "POST only",
    "accounts:user_reset_second_factor": "POST only",
    "accounts:user_send_password_link": "POST only",
    "accounts:pending_decide": "POST only",
    "audit:export_csv": "download (CSV)",
    "audit:export_json": "download (JSON)",
    "audit:export_xlsx": "download (Excel)",
    "audit:pdf": "download (PDF)",
    "learning:scenario_start": "POST only",
    "learning:certificate_pdf": "download (PDF)",
    "signals:note_delete": "POST only",
    "signals:sentence_delete": "POST only",
    "signals:feedback_csv": "download (CSV)",
    "signals:feedback_xlsx": "download (Excel)",
    "signals:evaluation_export": "download (YAML)",
    "sharing:paperwork": "POST only (download of the paperwork)",
    "sharing:save": "POST only",
    "sharing:assessment_json": "download (JSON)",
    "sharing:case_json": "download (JSON)",
    "sharing:infographic_svg": "image (SVG), shown inside the infographic page",
    "sharing:delete": "POST only (delete a draft)",
    "sharing:change": "GET redirects to the question being changed (tests/web/sharing)",
    "learning:assignment_csv": "download (CSV)",
}
# Whole namespaces that are no HTML pages.
NOT_A_PAGE_NAMESPACES = {"api": "JSON API under /api/v1/, checked against its OpenAPI document"}

# Routes that answer a GET with a redirect to their real page, and why.
REDIRECTS = {
    "accounts:password_reset_confirm": "Django moves the token out of the URL (set-password/)",
    "accounts:manage": "an organisation admin lands on the own organisation's users",
}

# Who visits a route; a route not named here is visited by a professional.
VISITOR = {
    "core:landing": "anonymous",
    "accounts:login": "anonymous",
    "accounts:password_reset": "anonymous",
    "accounts:password_reset_done": "anonymous",
    "accounts:password_reset_confirm": "anonymous",
    "accounts:password_reset_complete": "anonymous",
    "accounts:verify": "pending",
    "accounts:setup_totp": "new",
    "accounts:manage": "org_admin",
    "accounts:organisation_list": "platform_admin",
    "accounts:user_list": "org_admin",
    "accounts:user_detail": "org_admin",
    "accounts:admin_events": "org_admin",
    "audit:list": "auditor",
    "audit:verify": "auditor",
    "audit:detail": "auditor",
    "audit:retention": "org_admin",
    "audit:redact": "auditor",
    "audit:activity": "auditor",
    "learning:assignments": "trainer",
    "core:statement_edit": "platform_admin",
    "accounts:organisation_help": "org_admin",
    "learning:assignment": "trainer",
    "learning:verify": "anonymous",
    "learning:trainer": "trainer",
    "learning:settings": "org_admin",
    "signals:feedback_summary": "content_editor",
    "api_tokens:list": "org_admin",
    "api_tokens:create": "org_admin",
    "api_tokens:revoke": "org_admin",
}


def named_routes() -> Iterator[tuple[str, list[str]]]:
    """Yield (namespaced name, names of the path's arguments) for every named route."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, list[str]]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                yield from walk(entry.url_patterns, namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield prefix + entry.name, list(entry.pattern.regex.groupindex)

    yield from walk(get_resolver().url_patterns, "")


@dataclass
class World:
    """One object of each kind, so every detail page resolves, and a session per visitor."""

    sessions: dict[str, str]
    arguments: dict[str, dict[str, object]]


def build_world() -> World:
    organisation = make_organisation("Gemeente Schermstad")
    users = {
        role: make_user(role, organisation if role != Role.PLATFORM_ADMIN else None)
        for role in (
            Role.PROFESSIONAL,
            Role.TRAINER,
            Role.CONTENT_EDITOR,
            Role.AUDITOR,
            Role.ORG_ADMIN,
            Role.PLATFORM_ADMIN,
        )
    }
    clients = {str(role): verified_client(user) for role, user in users.items()}
    professional = users[Role.PROFESSIONAL]
    org_admin = users[Role.ORG_ADMIN]

    pending_user = make_user(Role.PROFESSIONAL, organisation, with_device=True)
    pending = Client()
    pending.force_login(pending_user, backend="django.contrib.auth.backends.ModelBackend")
    new = Client()
    new.force_login(
        make_user(Role.PROFESSIONAL, organisation),
        backend="django.contrib.auth.backends.ModelBackend",
    )

    # A long motivation and the real chain's SHA-256 hashes: the widest content a record has.
    record = make_record(professional, motivation="Gedeeld na het casusoverleg. " * 12)
    note = signals_services.record_note(
        user=professional,
        text="Ze moet haar loon afgeven aan de man die haar kamer regelt en werkt 14 uur per dag.",
        title="Intake week 12",
    )
    token = api_services.record_token(
        created_by=org_admin, name="Koppeling zaaksysteem", scopes=["decisions:read"]
    ).token

    client = clients[Role.PROFESSIONAL]
    unfinished = start(client)
    finished = start(client)
    complete(client, finished, {**WITH_CONDITIONS, "sender": "police"})
    learning = load_learning_content()
    run_id = play(client, learning.scenarios[0].id)
    answered = client.post(reverse("learning:quiz"), quiz_answers(client))
    attempt_id = int(re.findall(r"\d+", answered["Location"])[-1])
    spot = learning.spot[0]
    spotted = client.post(reverse("learning:spot_exercise", args=[spot.id]), {"nothing": "1"})
    spot_attempt_id = int(re.findall(r"\d+", spotted["Location"])[-1])
    assignment = TrackAssignment.objects.create(
        organisation=organisation,
        track_id="jeugdzorg",
        deadline=dt.date.today() + dt.timedelta(days=14),
        assigned_by=users[Role.TRAINER],
    )
    AssignedLearner.objects.create(assignment=assignment, user=professional)

    def assessment(url: str) -> str:
        return url.rstrip("/").split("/")[-1]

    assert "/result/" in result_url(finished)
    user_args = {"org_id": organisation.pk, "user_id": professional.pk}
    return World(
        sessions={
            **{name: c.cookies["sessionid"].value for name, c in clients.items()},
            "pending": pending.cookies["sessionid"].value,
            "new": new.cookies["sessionid"].value,
        },
        arguments={
            "accounts:password_reset_confirm": {
                "uidb64": urlsafe_base64_encode(force_bytes(professional.pk)),
                "token": default_token_generator.make_token(professional),
            },
            "accounts:user_list": {"org_id": organisation.pk},
            "accounts:admin_events": {"org_id": organisation.pk},
            "accounts:user_detail": user_args,
            "audit:detail": {"sequence": record.sequence},
            "learning:lesson": {"lesson_id": learning.lessons[0].id},
            "learning:explainer_trajectory": {
                "trajectory_id": learning.explainer.trajectories[-1].id
            },
            "learning:run": {"run_id": run_id},
            "learning:quiz_result": {"attempt_id": attempt_id},
            "signals:note_detail": {"pk": note.pk},
            "sharing:question": {"assessment_id": assessment(unfinished)},
            "sharing:result": {"assessment_id": assessment(finished)},
            "sharing:compare": {"assessment_id": assessment(finished)},
            "sharing:check": {"assessment_id": assessment(finished)},
            "audit:redact": {"sequence": record.sequence},
            "core:statement_edit": {"kind": "privacy"},
            "accounts:organisation_help": {"org_id": organisation.pk},
            "learning:explainer_present": {"trajectory_id": learning.explainer.trajectories[0].id},
            "learning:spot_exercise": {"note_id": spot.id},
            "learning:spot_result": {"attempt_id": spot_attempt_id},
            "learning:track_changes": {"track_id": "jeugdzorg"},
            "learning:assignment": {"assignment_id": assignment.pk},
            "api_tokens:revoke": {"token_id": token.pk},
        },
    )


def pages(world: World) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Return (visitor, name, url) per page, grouped by visitor, and the names left unresolved."""
    visits, unresolved = [], []
    for name, parameters in named_routes():
        if name in NOT_A_PAGE or name.split(":")[0] in NOT_A_PAGE_NAMESPACES:
            continue
        arguments = world.arguments.get(name, {})
        if set(parameters) != set(arguments):
            unresolved.append(name)
            continue
        visits.append(
            (VISITOR.get(name, str(Role.PROFESSIONAL)), name, reverse(name, kwargs=arguments))
        )
    return sorted(visits), unresolved


# The outermost elements that stick out to the right: what to fix when a page does not reflow.
WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
    .slice(0, 4)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
        + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


# Forms the browser would validate itself (an English bubble on a Dutch page) instead of the
# server's error summary; the header's language switch and log-out button have nothing to validate.
VALIDATED = """() => [...document.querySelectorAll('main form:not([novalidate])')]
    .map(f => (f.getAttribute('action') || '') + ' ' + (f.className || ''))"""


def check_page(page: Any, url: str, redirects: bool = False) -> list[str]:
    """Visit `url` at every width; return the problems found (empty when the page is fine)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(f"{width}px: HTTP {response.status if response else '?'}")
            continue
        if page.url.split("?")[0] != url.split("?")[0] and not redirects:
            problems.append(f"{width}px: redirected to {page.url}")
        overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if overflow[0] > overflow[1]:
            problems.append(f"{width}px: page is {overflow[0]} px wide: {page.evaluate(WIDEST)}")
        if width != 390:
            continue  # axe's rules do not depend on the width; 390 is the phone width checked
        for violation in run_axe(page):
            problems.append(f"axe {violation['id']}: {violation['nodes']}")
    problems.extend(f"CSP: {v}" for v in csp_violations(page))
    if not url.split("/", 3)[-1].startswith("sharing/"):  # the Delen pages are reworked apart
        problems.extend(f"form without novalidate: {form}" for form in page.evaluate(VALIDATED))
    return problems


def test_every_page_reflows_passes_axe_and_keeps_the_csp(
    live_server: Any, page: Any, record_property: Callable[[str, object], None]
) -> None:
    started = time.monotonic()
    world = build_world()
    visits, unresolved = pages(world)
    assert unresolved == [], f"give these routes an object or a NOT_A_PAGE reason: {unresolved}"
    assert len(visits) >= 40

    failures: dict[str, list[str]] = {}
    visitor_now = None
    for visitor, name, path in visits:
        if visitor != visitor_now:
            page.context.clear_cookies()
            if visitor != "anonymous":
                cookie = {"name": "sessionid", "value": world.sessions[visitor]}
                page.context.add_cookies([{**cookie, "url": live_server.url}])
            visitor_now = visitor
        problems = check_page(page, live_server.url + path, name in REDIRECTS)
        if problems:
            failures[f"{name} ({path}, as {visitor})"] = problems
    record_property("pages", len(visits))
    record_property("seconds", round(time.monotonic() - started, 1))
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())
