"""Decision log pages: list with filters, detail, CSV/JSON export, PDF record, verification."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ketenwijs.sharing import load_rulebook
from ketenwijs.web.accounts import services as account_services
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.forms import StepUpForm
from ketenwijs.web.accounts.models import User
from ketenwijs.web.audit import services, tree
from ketenwijs.web.audit.forms import (
    ActivityFilterForm,
    LogFilterForm,
    RedactionForm,
    RetentionForm,
)
from ketenwijs.web.audit.labels import localised, option_label, question_text, steps
from ketenwijs.web.audit.models import DecisionRecord, LogEvent
from ketenwijs.web.audit.permissions import (
    can_read_activity,
    can_read_log,
    can_redact,
    can_run_verification,
    can_verify,
    visible_records,
)

PAGE_SIZE = 50
STATUS_LABELS = {
    "met": gettext_lazy("met"),
    "not_met": gettext_lazy("not met"),
    "unknown": gettext_lazy("unknown"),
    "not_applicable": gettext_lazy("not applicable"),
}


def _records_for(request: HttpRequest) -> QuerySet[DecisionRecord]:
    user: User = request.user  # type: ignore[assignment]
    if not can_read_log(user):
        raise Http404
    return visible_records(user).select_related("user")


def _filtered(request: HttpRequest) -> tuple[LogFilterForm, QuerySet[DecisionRecord]]:
    user: User = request.user  # type: ignore[assignment]
    colleagues = User.objects.filter(organisation_id=user.organisation_id).order_by("username")
    form = LogFilterForm(
        request.GET or None, organisation_users=colleagues if can_verify(user) else None
    )
    records = _records_for(request).order_by("-sequence")
    if form.is_bound and form.is_valid():
        records = form.apply(records)
    elif form.is_bound:
        records = records.none()  # show the field errors, not an unfiltered list
    return form, records


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _flag(
    record: DecisionRecord,
    status: services.IntegrityStatus,
    redacted: set[int],
    previous: dict[int, str] | None = None,
    *,
    full: bool = True,
) -> str | None:
    """Why this record cannot be trusted as shown, or None: its own check first, then the
    organisation's last verification (a record at or after the first break is not vouched for)."""
    if services.record_problem(record, redacted, previous, full=full) is not None:
        return str(_("This record no longer matches its hash: it was changed outside Ketenwijs."))
    if not status.ok and (status.broken_from is None or record.sequence >= status.broken_from):
        return str(_("The decision log is broken at or before this record: do not rely on it."))
    return None


def record_list(request: HttpRequest) -> HttpResponse:
    """The organisation's (auditor) or the user's own (others) decisions, newest first."""
    user: User = request.user  # type: ignore[assignment]
    form, records = _filtered(request)
    # The list shows no assessment; not loading it keeps a page of 50 fast.
    records = records.defer("assessment")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status = services.integrity_status(user.organisation) if user.organisation else None
    redacted = services.redacted_sequences(user.organisation) if user.organisation else set()
    shown = list(page)
    previous = (
        services.predecessor_hashes(user.organisation, [r.sequence for r in shown])
        if user.organisation
        else {}
    )
    # The list checks links, shown columns and texts of every row (cheap); the full content
    # hash of a row is recomputed on its detail page, PDF and by every verification.
    rows = [
        (record, _flag(record, status, redacted, previous, full=False) if status else None)
        for record in shown
    ]
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "status": status,
            "status_detail": status.detail(_lang()) if status else "",
            "query": query.urlencode(),
            "is_auditor": can_verify(user),
            "can_run_verification": can_run_verification(user),
            "can_read_activity": can_read_activity(user),
        },
    )


def _fact_rows(record: DecisionRecord) -> list[tuple[str, str]]:
    rows = []
    for fact, value in record.facts.items():
        if fact == "necessity" and isinstance(value, dict):
            for key, item in value.items():
                rows.append(
                    (question_text(f"necessity.{key}"), option_label(f"necessity.{key}", item))
                )
        else:
            rows.append((question_text(fact), option_label(fact, value)))
    return rows


def _law_text_status(assessment: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Map (law, article) to the stored law text of a record saved since issue 12."""
    entries = assessment.get("law_texts")
    if not isinstance(entries, list):
        return {}  # saved before issue 12
    return {
        (str(e.get("law")), str(e.get("article"))): e["law_text"]
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("law_text"), dict)
    }


def _source(
    source: dict[str, Any], law_texts: dict[tuple[str, str], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A stored source with its precedent (ECLI or AP decision) ready to show.

    Records saved since issue 12 link to the law as in force on the reference date and say
    whether the article's wording was read (the text itself stays on the result page).
    """
    shown = dict(source)
    shown["link"] = source.get("url_in_force") or source.get("url", "")
    key = (str(source.get("law")), str(source.get("article")))
    shown["law_text"] = (law_texts or {}).get(key)
    precedent = source.get("precedent")
    if isinstance(precedent, dict):
        shown["precedent"] = {
            "id": precedent.get("id", ""),
            "date": precedent.get("date", ""),
            "url": precedent.get("url", ""),
            "summary": localised(precedent.get("summary")),
        }
    elif precedent:
        shown["precedent"] = {"id": str(precedent), "date": "", "url": "", "summary": ""}
    return shown


def _record_context(record: DecisionRecord) -> dict[str, Any]:
    assessment = record.assessment
    law_texts = _law_text_status(assessment)
    checks = [
        {
            "id": check.get("id"),
            "effect": check.get("effect"),
            "title": localised(check.get("title")),
            "status": check.get("status"),
            "status_label": STATUS_LABELS.get(str(check.get("status")), check.get("status")),
            "step": check.get("step"),
            "explanation": localised(check.get("explanation")),
            "sources": [_source(source, law_texts) for source in check.get("sources", [])],
        }
        for check in assessment.get("checks", [])
    ]
    # Checks grouped per step: request, secrecy, regime, basis, special data, necessity and
    # safeguards are the sections of an accountability record (the ICO decision form's order).
    known = {step_id for step_id, _title in steps()}
    sections = [(title, [c for c in checks if c["step"] == step_id]) for step_id, title in steps()]
    orphans = [c for c in checks if c["step"] not in known]
    if orphans:
        sections.append((_("Other checks"), orphans))
    return {
        "record": record,
        "facts": _fact_rows(record),
        "sections": [(title, items) for title, items in sections if items],
        "conditions": [
            dict(
                c,
                text=localised(c.get("text")),
                sources=[_source(source, law_texts) for source in c.get("sources", [])],
            )
            for c in assessment.get("conditions", [])
        ],
        "next_steps": [
            dict(s, text=localised(s.get("text"))) for s in assessment.get("next_steps", [])
        ],
        # Records saved before Delen 2 have no `what_would_change`: None shows nothing.
        "changes": None
        if assessment.get("what_would_change") is None
        else [localised(c.get("text")) for c in assessment["what_would_change"]],
        "outcome_label": record.get_outcome_display(),
        # Shown from the hashed facts, never from the filter columns (issue 14).
        "sender": option_label("sender", record.fact("sender")),
        "recipient": option_label("recipient", record.fact("recipient")),
        "purpose": option_label("purpose", record.fact("purpose")),
        "lang": _lang(),
    }


def _integrity_context(request: HttpRequest, record: DecisionRecord) -> dict[str, Any]:
    """Redaction, corrections and the integrity warning shown with one record."""
    organisation = record.organisation
    redacted = services.redacted_sequences(organisation)
    status = services.integrity_status(organisation)
    redaction = (
        LogEvent.objects.filter(
            organisation=organisation, kind=LogEvent.Kind.MOTIVATION_REDACTED,
            decision=record.sequence,
        ).first()
    )  # fmt: skip
    visible = _records_for(request)
    corrected = (
        visible.filter(sequence=record.corrects).first() if record.corrects is not None else None
    )
    corrections = list(visible.filter(corrects=record.sequence).order_by("sequence"))
    user: User = request.user  # type: ignore[assignment]
    return {
        "integrity_warning": _flag(record, status, redacted),
        "redaction": redaction,
        "corrected": corrected,
        "corrections": corrections,
        "can_redact": can_redact(user) and record.format_version >= 2 and not record.is_redacted,
    }


def record_detail(request: HttpRequest, sequence: int) -> HttpResponse:
    """One decision with its facts, checks and sources, conditions and motivation."""
    record = get_object_or_404(_records_for(request), sequence=sequence)
    context = _record_context(record) | _integrity_context(request, record)
    response = render(request, "audit/detail.html", context)
    services.append_event(
        record.organisation_id, LogEvent.Kind.DECISION_VIEWED, actor=request.user,  # type: ignore[arg-type]
        decision=record.sequence, details={"via": "web"},
    )  # fmt: skip
    return response


def _grouped_changes(record: DecisionRecord) -> list[str] | None:
    """What would change the outcome, one line per question and new outcome (for the PDF).

    "Sender: Veilig Thuis -> Seek advice" for eight senders is one line naming the eight.
    """
    changes = record.assessment.get("what_would_change")
    if changes is None:
        return None
    groups: dict[tuple[str, str, str], list[str]] = {}
    for change in changes:
        text = localised(change.get("text"))
        outcome = text.rsplit(" -> ", 1)[-1]
        key = (str(change.get("fact")), str(change.get("change")), outcome)
        value = change.get("value")
        label = option_label(key[0], [value] if key[1] in {"add", "remove"} else value)
        groups.setdefault(key, []).append(label)
    signs = {"add": "+ ", "remove": "- "}
    return [
        f"{question_text(fact)} {signs.get(action, '')}{', '.join(labels)} → {outcome}"
        for (fact, action, outcome), labels in groups.items()
    ]


def record_pdf(request: HttpRequest, sequence: int) -> HttpResponse:
    """The accountability record of one decision as PDF (modelled on the ICO decision form)."""
    from weasyprint import HTML

    record = get_object_or_404(_records_for(request), sequence=sequence)
    context = _record_context(record) | _integrity_context(request, record)
    context["retention_days"] = services.retention_days(record.organisation)
    context["generated_at"] = timezone.now()
    context["inclusion"] = tree.inclusion_for(record)
    # Two pages for a typical case (issue 15): the checks that applied get a row each, the
    # ones that did not apply are named on one line (they are all in the record and its page).
    # A fact about the case ("these are personal data") is not a failed test (as on the result
    # page): informational checks and those of `allowed_only_if` get the label "fact".
    umbrellas = set(load_rulebook().allowed_only_if)
    for _title, items in context["sections"]:
        for check in items:
            if check["status"] in {"met", "not_met"} and (
                check["effect"] == "info" or check["id"] in umbrellas
            ):
                check.update(status="fact", status_label=_("fact"))
    context["applied_sections"] = [
        (title, [c for c in items if c["status"] != "not_applicable"])
        for title, items in context["sections"]
    ]
    context["applied_sections"] = [(t, items) for t, items in context["applied_sections"] if items]
    context["not_applicable"] = [
        c["title"] for _title, items in context["sections"] for c in items
        if c["status"] == "not_applicable"
    ]  # fmt: skip
    context["changes"] = _grouped_changes(record)
    # Whether each cited article's wording was read, counted once per article (the page lists them).
    statuses = {
        (source.get("law"), source.get("article")): (source.get("law_text") or {}).get("status")
        for _title, items in context["applied_sections"]
        for check in items
        for source in check["sources"]
    }
    context["law_text_counts"] = {
        "read": sum(1 for v in statuses.values() if v == "read"),
        "not_read": sum(1 for v in statuses.values() if v == "not_read"),
    }
    html = render_to_string("audit/record_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"ketenwijs-besluit-{record.organisation_id}-{record.sequence}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    services.append_event(
        record.organisation_id, LogEvent.Kind.DECISION_PRINTED, actor=request.user,  # type: ignore[arg-type]
        decision=record.sequence, details={"via": "web"},
    )  # fmt: skip
    return response


def _log_export(request: HttpRequest, form: LogFilterForm, count: int, fmt: str) -> None:
    """One chain record per export: format, how many records and the filters (no free text)."""
    user: User = request.user  # type: ignore[assignment]
    filters = {
        key: str(value)
        for key, value in (form.cleaned_data.items() if form.is_bound and form.is_valid() else [])
        if value not in (None, "")
    }
    services.append_event(
        user.organisation_id or 0, LogEvent.Kind.LOG_EXPORTED, actor=user,
        details={"via": "web", "format": fmt, "count": count, "filters": filters},
    )  # fmt: skip


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading =,+,-,@ becomes text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


# Dutch headers and `;` as separator: Dutch Excel splits a CSV on `;` (with `,` it puts every
# row in one column). Labels as on screen, times in local time; the hashes stay as stored.
CSV_COLUMNS = [
    "Nummer", "Datum en tijd", "Besluitnemer", "Rol", "Verstrekker", "Ontvanger", "Doel",
    "Uitkomst", "Regelset", "Versie regelset", "Hash regelset (SHA-256)", "Motivering",
    "Inhoudshash", "Vorige hash", "Ketenhash", "Corrigeert besluit",
]  # fmt: skip


def _export_rows(records: QuerySet[DecisionRecord]) -> Iterator[list[object]]:
    """Yield one row per decision for the CSV and .xlsx exports (Dutch labels, local time)."""
    with translation.override("nl"):
        for r in records.order_by("sequence").iterator():
            yield [
                r.sequence,
                timezone.localtime(r.created_at),
                r.decision_maker.get("username"),
                _role_label(r.decision_maker.get("role")),
                # Every value from the hashed content (facts, decision maker), never a filter
                # column (issue 14: hash what is shown).
                option_label("sender", r.fact("sender")),
                option_label("recipient", r.fact("recipient")),
                option_label("purpose", r.fact("purpose")),
                r.get_outcome_display(),
                r.ruleset_id, r.ruleset_version, r.ruleset_sha256, r.shown_motivation,
                r.content_hash, r.prev_hash, r.chain_hash, r.corrects or "",
            ]  # fmt: skip


def export_csv(request: HttpRequest) -> HttpResponse:
    """The (filtered) visible log as CSV, one row per decision, with its hashes."""
    _form, records = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ketenwijs-besluitenlog.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (ë, é) correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in _export_rows(records):
        count += 1
        row[1] = row[1].strftime("%d-%m-%Y %H:%M:%S")  # type: ignore[attr-defined]
        writer.writerow([_csv_safe(value) for value in row])
    _log_export(request, _form, count, "csv")
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The same rows as the CSV as an Excel workbook: numbers and dates typed, no formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _form, records = _filtered(request)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Besluitenlog"
    sheet.append(CSV_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for row in _export_rows(records):
        count += 1
        moment = row[1].replace(tzinfo=None)  # type: ignore[attr-defined] -- Excel has no zones
        # Text that starts like a formula stays text (CSV injection): the same rule as the CSV.
        sheet.append([row[0], moment, *(_csv_safe(value) for value in row[2:])])
        sheet.cell(row=sheet.max_row, column=2).number_format = "dd-mm-yyyy hh:mm:ss"
    sheet.freeze_panes = "A2"
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ketenwijs-besluitenlog.xlsx"'
    workbook.save(response)
    _log_export(request, _form, count, "xlsx")
    return response


def _role_label(role: object) -> str:
    """The role's name as the application shows it; an unknown (old) code as it was stored."""
    return str(Role(role).label) if role in Role.values else str(role or "")


def export_json(request: HttpRequest) -> HttpResponse:
    """The (filtered) visible log as JSON: each record's hashed content, its three hashes and its
    inclusion proof against the latest signed checkpoint (ADR 0019)."""
    _form, records = _filtered(request)
    user: User = request.user  # type: ignore[assignment]
    getter = tree.all_nodes_getter(user.organisation_id) if user.organisation_id else None
    items = []
    for record in records.order_by("sequence").iterator():
        item = record.export_dict()
        item["sequence"] = record.sequence
        item["inclusion"] = tree.inclusion_for(record, getter)
        items.append(item)
    _log_export(request, _form, len(items), "json")
    body = json.dumps({"records": items}, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ketenwijs-besluitenlog.json"'
    return response


def retention(request: HttpRequest) -> HttpResponse:
    """Organisation admins set how long their organisation keeps decision records."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_org_admin or user.organisation is None:
        raise Http404
    services.retention_days(user.organisation)  # creates the default settings row if absent
    form = RetentionForm(request.POST or None, instance=user.organisation.audit_settings)
    # The retention decides how soon records disappear: a change needs the admin's own code,
    # and the auditors are told (separation of duties, issue #17).
    step_up = StepUpForm(request.POST or None, prefix="stepup")
    if request.method == "POST" and form.is_valid() and step_up.is_valid():
        if account_services.step_up_ok(user, step_up.cleaned_data["code"]):
            services.record_retention(user, form.cleaned_data["retention_days"])
            messages.success(request, _("Retention period saved."))
            return redirect("audit:retention")
        step_up.add_error(
            "code", _("This code is not valid (or already used). Wait for the next code and retry.")
        )
    return render(request, "audit/retention.html", {"form": form, "step_up": step_up})


def verify(request: HttpRequest) -> HttpResponse:
    """Auditors and organisation admins: recompute their organisation's chain and show the
    first broken link, if any (the run is kept, so the pages warn on the affected records)."""
    user: User = request.user  # type: ignore[assignment]
    if not can_run_verification(user) or user.organisation is None:
        raise Http404
    result = services.run_verification(user.organisation, trigger="page", actor=user)
    redactions = LogEvent.objects.filter(
        organisation=user.organisation, kind=LogEvent.Kind.MOTIVATION_REDACTED
    ).order_by("sequence")
    return render(
        request,
        "audit/verify.html",
        {"result": result, "lang": get_language(), "redactions": redactions},
    )


def activity(request: HttpRequest) -> HttpResponse:
    """Who looked and what changed: the organisation's non-decision log records, by type."""
    user: User = request.user  # type: ignore[assignment]
    if not can_read_activity(user) or user.organisation is None:
        raise Http404
    form = ActivityFilterForm(request.GET or None)
    events = LogEvent.objects.filter(organisation=user.organisation).order_by("-sequence")
    if form.is_bound and form.is_valid():
        events = form.apply(events)
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    actors = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(
            organisation=user.organisation, pk__in={e.actor_id for e in page if e.actor_id}
        )
    }
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(event, actors.get(event.actor_id or 0, "")) for event in page]
    return render(
        request,
        "audit/activity.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def redact(request: HttpRequest, sequence: int) -> HttpResponse:
    """The auditor (FG) erases a motivation text on an AVG art 16/17 request, with a reason."""
    user: User = request.user  # type: ignore[assignment]
    if not can_redact(user):
        raise Http404
    record = get_object_or_404(_records_for(request), sequence=sequence)
    form = RedactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.redact_motivation(record, actor=user, reason=form.cleaned_data["reason"])
        except services.PrivacyRefused as exc:
            form.add_error("reason", exc.message(_lang()))
        except services.RedactionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The motivation was redacted; the log still verifies."))
            return redirect(record.get_absolute_url())
    return render(request, "audit/redact.html", {"form": form, "record": record})


@login_not_required
def public_keys(request: HttpRequest) -> HttpResponse:
    """The installation's checkpoint public keys, old ones included (public: needed to verify)."""
    keys = tree.public_keys()
    if request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    ):
        body = json.dumps({"keys": keys}, indent=2)
        return HttpResponse(body, content_type="application/json; charset=utf-8")
    return render(request, "audit/public_keys.html", {"keys": keys})
