"""Decision log pages: list with filters, detail, CSV/JSON export, PDF record, verification."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ketenwijs.sharing import load_rulebook
from ketenwijs.web.accounts import services as account_services
from ketenwijs.web.accounts.forms import StepUpForm
from ketenwijs.web.accounts.models import User
from ketenwijs.web.audit import services
from ketenwijs.web.audit.forms import LogFilterForm, RetentionForm
from ketenwijs.web.audit.labels import localised, option_label, question_text, steps
from ketenwijs.web.audit.models import DecisionRecord
from ketenwijs.web.audit.permissions import can_read_log, can_verify, visible_records

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


def record_list(request: HttpRequest) -> HttpResponse:
    """The organisation's (auditor) or the user's own (others) decisions, newest first."""
    form, records = _filtered(request)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_auditor": can_verify(request.user),  # type: ignore[arg-type]
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


def _source(source: dict[str, Any]) -> dict[str, Any]:
    """A stored source with its precedent (ECLI or AP decision) ready to show."""
    shown = dict(source)
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
    checks = [
        {
            "id": check.get("id"),
            "effect": check.get("effect"),
            "title": localised(check.get("title")),
            "status": check.get("status"),
            "status_label": STATUS_LABELS.get(str(check.get("status")), check.get("status")),
            "step": check.get("step"),
            "explanation": localised(check.get("explanation")),
            "sources": [_source(source) for source in check.get("sources", [])],
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
            dict(c, text=localised(c.get("text"))) for c in assessment.get("conditions", [])
        ],
        "next_steps": [
            dict(s, text=localised(s.get("text"))) for s in assessment.get("next_steps", [])
        ],
        # Records saved before Delen 2 have no `what_would_change`: None shows nothing.
        "changes": None
        if assessment.get("what_would_change") is None
        else [localised(c.get("text")) for c in assessment["what_would_change"]],
        "outcome_label": record.get_outcome_display(),
        "sender": option_label("sender", record.sender),
        "recipient": option_label("recipient", record.recipient),
        "purpose": option_label("purpose", record.purpose),
        "lang": "en" if (get_language() or "nl").startswith("en") else "nl",
    }


def record_detail(request: HttpRequest, sequence: int) -> HttpResponse:
    """One decision with its facts, checks and sources, conditions and motivation."""
    record = get_object_or_404(_records_for(request), sequence=sequence)
    return render(request, "audit/detail.html", _record_context(record))


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
    context = _record_context(record)
    context["retention_days"] = services.retention_days(record.organisation)
    context["generated_at"] = timezone.now()
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
    html = render_to_string("audit/record_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"ketenwijs-besluit-{record.organisation_id}-{record.sequence}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading =,+,-,@ becomes text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


CSV_COLUMNS = [
    "sequence", "created_at", "decision_maker", "role", "sender", "recipient", "purpose",
    "outcome", "ruleset_id", "ruleset_version", "ruleset_sha256", "motivation",
    "content_hash", "prev_hash", "chain_hash",
]  # fmt: skip


def export_csv(request: HttpRequest) -> HttpResponse:
    """The (filtered) visible log as CSV, one row per decision, with its hashes."""
    _form, records = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ketenwijs-besluitenlog.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (ë, é) correctly
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for r in records.order_by("sequence").iterator():
        writer.writerow(
            [
                _csv_safe(v)
                for v in (
                    r.sequence, r.created_at.isoformat(), r.decision_maker.get("username"),
                    r.decision_maker.get("role"), r.sender, r.recipient, r.purpose, r.outcome,
                    r.ruleset_id, r.ruleset_version, r.ruleset_sha256, r.motivation,
                    r.content_hash, r.prev_hash, r.chain_hash,
                )
            ]
        )  # fmt: skip
    return response


def export_json(request: HttpRequest) -> HttpResponse:
    """The (filtered) visible log as JSON: each record's hashed content plus its three hashes."""
    _form, records = _filtered(request)
    items = [r.export_dict() for r in records.order_by("sequence").iterator()]
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
    """Auditors: recompute the organisation's chain and show the first broken link, if any."""
    user: User = request.user  # type: ignore[assignment]
    if not can_verify(user) or user.organisation is None:
        raise Http404
    result = services.verify_organisation(user.organisation)
    return render(request, "audit/verify.html", {"result": result, "lang": get_language()})
