"""Landing, home, health and error views."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ketenwijs.learning import load_learning_content
from ketenwijs.site.glossary import load_glossary
from ketenwijs.site.search import MAX_QUERY_LENGTH, Document, QueryError, search
from ketenwijs.site.statements import StatementKind, default_statement, parse_blocks
from ketenwijs.web.api.problems import problem
from ketenwijs.web.core import services
from ketenwijs.web.core.forms import StatementForm
from ketenwijs.web.core.models import SiteStatement
from ketenwijs.web.core.modules import cards_for

# RFC 9116 §2.5.5: Expires SHOULD be less than a year ahead; computed per request, so the file
# never goes stale while the service runs.
SECURITY_TXT_LIFETIME = dt.timedelta(days=180)


@login_not_required
def landing(request: HttpRequest) -> HttpResponse:
    """Public page: what Ketenwijs is, and the way in."""
    if request.user.is_authenticated:
        return redirect("core:home")
    return render(request, "core/landing.html")


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's start page: the modules and tasks their role can use."""
    return render(request, "core/home.html", {"cards": cards_for(request.user)})


def _language() -> str:
    return "en" if (translation.get_language() or "nl").startswith("en") else "nl"


def _statement(request: HttpRequest, kind: StatementKind) -> HttpResponse:
    """A statement page: the platform admin's text, or the packaged default until there is one."""
    default = default_statement(kind)
    stored = SiteStatement.objects.filter(kind=kind.value).first()
    language = _language()
    if stored is not None:
        body = stored.body_en if language == "en" else stored.body_nl
        updated: dt.date = stored.updated_at.date()
    else:
        body = default.en if language == "en" else default.nl
        updated = default.as_of
    user = request.user
    context = {
        "kind": kind.value,
        "title": default.title.in_language(language),
        "blocks": parse_blocks(body),
        "updated": updated,
        "is_default": stored is None,
        "platform_contact": settings.KETENWIJS_CONTACT_EMAIL,
        "organisation_contact": services.contact_for(getattr(user, "organisation", None))
        if user.is_authenticated
        else None,
        "may_edit": user.is_authenticated and user.is_platform_admin,  # type: ignore[union-attr]
    }
    return render(request, "core/statement.html", context)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """Toegankelijkheidsverklaring: public, like every government site's."""
    return _statement(request, StatementKind.ACCESSIBILITY)


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    """Privacyverklaring: public, so it can be read before logging in."""
    return _statement(request, StatementKind.PRIVACY)


def statement_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit a statement's Dutch and English text (platform admins only; others get a 404)."""
    user = request.user
    if not user.is_platform_admin:  # type: ignore[union-attr]
        raise Http404
    try:
        statement_kind = StatementKind(kind)
    except ValueError:
        raise Http404 from None
    page = "core:accessibility" if statement_kind is StatementKind.ACCESSIBILITY else "core:privacy"
    if request.method == "POST" and request.POST.get("action") == "reset":
        services.reset_statement(user, statement_kind)  # type: ignore[arg-type]
        messages.success(request, _("The default text is shown again."))
        return redirect(page)
    stored = SiteStatement.objects.filter(kind=statement_kind.value).first()
    default = default_statement(statement_kind)
    initial = {"body_nl": default.nl, "body_en": default.en} if stored is None else None
    form = StatementForm(request.POST or None, instance=stored, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_statement(
            user,  # type: ignore[arg-type]
            statement_kind,
            form.cleaned_data["body_nl"],
            form.cleaned_data["body_en"],
        )
        messages.success(request, _("The statement has been saved."))
        return redirect(page)
    context = {
        "form": form,
        "title": default.title.in_language(_language()),
        "page": page,
        "is_default": stored is None,
    }
    return render(request, "core/statement_edit.html", context)


@login_not_required
def glossary(request: HttpRequest) -> HttpResponse:
    """The glossary of terms Ketenwijs uses; public, like the statements that use its terms."""
    language = _language()
    terms = [
        {
            "id": term.id,
            "term": term.term.in_language(language),
            "definition": term.definition.in_language(language),
            "sources": term.sources,
        }
        for term in load_glossary().sorted_terms(language)
    ]
    return render(request, "core/glossary.html", {"terms": terms})


def help_page(request: HttpRequest) -> HttpResponse:
    """Help and contact of the user's organisation, its FG, and the service pages."""
    user = request.user
    organisation = getattr(user, "organisation", None)
    contact = services.contact_for(organisation)
    context = {
        "organisation": organisation,
        "contact": contact,
        "help_blocks": parse_blocks(contact.help_text(_language())) if contact else [],
        "may_edit": organisation is not None and user.can_manage_organisation(organisation),  # type: ignore[union-attr]
        "platform_contact": settings.KETENWIJS_CONTACT_EMAIL,
    }
    return render(request, "core/help.html", context)


# Lesson and glossary documents per (content version, language): built once, searched often.
_DOCUMENTS: dict[tuple[str, str], tuple[Document, ...]] = {}


def _content_documents(language: str, with_lessons: bool) -> list[Document]:
    learning = load_learning_content()
    key = (learning.sha256, language)
    documents = _DOCUMENTS.get(key)
    if documents is None:
        built = []
        for lesson in learning.lessons:
            texts = [lesson.summary.in_language(language)]
            for section in lesson.sections:
                texts.append(section.heading.in_language(language))
                texts += [p.text.in_language(language) for p in section.paragraphs]
            texts += [point.in_language(language) for point in lesson.key_points]
            built.append(
                Document(
                    kind="lesson",
                    title=lesson.title.in_language(language),
                    text=" ".join(" ".join(texts).split()),
                    url=reverse("learning:lesson", kwargs={"lesson_id": lesson.id}),
                )
            )
        glossary_url = reverse("core:glossary")
        for term in load_glossary().terms:
            built.append(
                Document(
                    kind="glossary",
                    title=term.term.in_language(language),
                    text=term.search_text(language),
                    url=f"{glossary_url}#{term.id}",
                )
            )
        documents = _DOCUMENTS[key] = tuple(built)
    return [doc for doc in documents if with_lessons or doc.kind != "lesson"]


def site_search(request: HttpRequest) -> HttpResponse:
    """Search lessons, the glossary and the organisation's help; the query is not stored."""
    query = request.GET.get("q", "")
    language = _language()
    user = request.user
    organisation = getattr(user, "organisation", None)
    error = ""
    results = []
    if query.strip():
        documents = _content_documents(language, with_lessons=organisation is not None)
        contact = services.contact_for(organisation)
        if contact is not None and contact.help_text(language):
            documents.append(
                Document(
                    kind="help",
                    title=_("Help and contact of %(org)s") % {"org": organisation},
                    text=" ".join(contact.help_text(language).split()),
                    url=reverse("core:help"),
                )
            )
        try:
            results = search(query, documents)
        except QueryError as exc:
            if str(exc).startswith("too_long"):
                error = _("Use at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH}
            else:
                error = _("Enter at least one word of two letters or more.")
    context = {
        "query": query[: MAX_QUERY_LENGTH * 2],  # echoed in the field, never stored
        "searched": bool(query.strip()) and not error,
        "results": results,
        "error": error,
        "max_length": MAX_QUERY_LENGTH,
        "kind_labels": {"lesson": _("Lesson"), "glossary": _("Glossary"), "help": _("Help")},
    }
    return render(request, "core/search.html", context)


def _cache_state() -> str:
    """`ok`, `unreachable`, or `local` when no shared cache is configured (development)."""
    if not settings.CONFIG.cache_url:
        return "local"
    try:
        cache.set("health:probe", 1, timeout=5)
        return "ok" if cache.get("health:probe") == 1 else "unreachable"
    except Exception:  # any client error means the same to a monitor: not reachable
        return "unreachable"


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Report whether this worker can reach its database and cache (for load balancers).

    Without the database the worker is useless: 503, so the balancer takes it out. Without Redis
    it still serves (rate limits fail open, sessions fall back to the database): 200 "degraded",
    so monitoring sees it while users keep working.
    """
    body: dict[str, str] = {"status": "ok", "database": "ok", "cache": _cache_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        body.update(status="error", database="unreachable")
        return JsonResponse(body, status=503)
    if body["cache"] == "unreachable":
        body["status"] = "degraded"
    # No version here: the probe is public, and a version tells an attacker what to try. The
    # version is in `ketenwijs --version` and in the footer after login (docs/DEPLOYMENT.md).
    return JsonResponse(body)


@login_not_required
def security_txt(request: HttpRequest) -> HttpResponse:
    """`/.well-known/security.txt` (RFC 9116): where to report a vulnerability, until when."""
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    expires = (today + SECURITY_TXT_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        "# Ketenwijs: report security problems of this installation here; see SECURITY.md in",
        "# the source code for what is in scope and how reports are handled.",
        f"Contact: mailto:{settings.KETENWIJS_CONTACT_EMAIL}",
        f"Expires: {expires}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing CSRF token instead of Django's technical page."""
    return render(request, "core/csrf_failure.html", status=403)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's bare "Bad Request (400)" as the service's own page (too many files or fields).

    A request refused before the middleware ran (an unknown Host header) has no user yet; the
    page is then shown as to a visitor who is not signed in.
    """
    if _is_api(request):
        return problem(400, "The request could not be read.")
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
        request.second_factor_step = None  # type: ignore[attr-defined]
    return render(request, "core/400.html", status=400)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem(404, "Not found.")
    return render(request, "core/404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem(500, "Something went wrong on our side; the error is logged.")
    return render(request, "core/500.html", status=500)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem(403, "Forbidden.")
    return render(request, "core/403.html", status=403)


def _is_api(request: HttpRequest) -> bool:
    """The API's errors are problem details (RFC 9457), never the HTML pages."""
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")
