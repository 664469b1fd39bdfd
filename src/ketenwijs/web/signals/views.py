"""Signaleren pages: check a note (paste or upload), the checklist, the user's saved notes, and
professionals' feedback on findings with the counts content editors read.

Privacy by design: a checked note lives only in this request. It is not written to the database,
the session or the log; only "save this note" stores it, through services.record_note after the
privacy guard. Pages that show a note are sent with `Cache-Control: no-store`. Feedback stores
ids (services.record_verdict); a sentence only when the user ticks the box and the guard agrees.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from ketenwijs.signals import (
    ScanResult,
    UnknownIndicatorError,
    default_library,
    evaluate_checklist,
    scan_text,
)
from ketenwijs.web.accounts.models import User
from ketenwijs.web.core import ratelimit
from ketenwijs.web.signals import feedback, presenters, services
from ketenwijs.web.signals.extract import kind_of
from ketenwijs.web.signals.feedback import FindingKey
from ketenwijs.web.signals.forms import (
    MINOR_VALUES,
    FeedbackPeriodForm,
    MinorForm,
    MissedSignalForm,
    NoteForm,
)
from ketenwijs.web.signals.models import EvaluationSentence, SavedNote, SignalFeedback
from ketenwijs.web.signals.uploads import (
    TOO_LARGE_ATTR,
    MemoryOnlyUploadHandler,
    extraction_slot,
)


@never_cache
@csrf_exempt  # only to swap the upload handlers first; _check is CSRF-protected (Django docs)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Paste or upload a note and see its signals; optionally save it."""
    request.upload_handlers = [MemoryOnlyUploadHandler(request)]
    return _check(request)


def _note_form(can_save: bool, *args: Any, **kwargs: Any) -> NoteForm:
    form = NoteForm(*args, **kwargs)
    if not can_save:
        del form.fields["title"]  # platform admins have no organisation to save notes in
    return form


@csrf_protect
def _check(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    can_save = user.organisation_id is not None
    if request.method != "POST":
        form = _note_form(can_save)
        return render(request, "signals/check.html", {"form": form, "can_save": can_save})
    data, files = request.POST, request.FILES  # parses the upload, which sets TOO_LARGE_ATTR
    upload = files.get("file")
    rich = upload is not None and kind_of(upload.name or "") in ("docx", "pdf")
    if rich:
        # Reading a Word or PDF file may cost up to the extraction fence (8 s CPU): count them
        # per user, so one account cannot keep the workers busy (issue #17).
        verdict = ratelimit.hit("upload", f"user:{user.pk}")
        if not verdict.allowed:
            return ratelimit.too_many_requests(request, verdict)
    too_large = "file" in getattr(request, TOO_LARGE_ATTR, set())
    form = _note_form(can_save, data, files, too_large=too_large)
    with extraction_slot() if rich else nullcontext(True) as free:
        if not free:
            response = render(request, "signals/busy.html", status=503)
            response["Retry-After"] = "15"
            return response
        valid = form.is_valid()  # reads the file (in the fence) when one was sent
    if not valid:
        return render(request, "signals/check.html", {"form": form, "can_save": can_save})
    text: str = form.cleaned_data["text"]
    if request.POST.get("action") == "save":
        if not can_save:
            raise Http404
        try:
            title = form.cleaned_data.get("title", "")
            note = services.record_note(user=user, text=text, title=title)
        except services.NoteRefused as refused:
            form.add_error(refused.field, refused.message(presenters.lang()))
            # The uploaded text goes into the text box, so it is kept even when a file was sent.
            form.data = form.data.copy()
            form.data["text"] = text
            return render(request, "signals/check.html", {"form": form, "can_save": can_save})
        messages.success(request, _("The note has been saved. Only you can see it."))
        return redirect("signals:note_detail", pk=note.pk)
    result = scan_text(text, minor=form.minor_value)
    teach = services.can_give_feedback(user)
    given = feedback.answered(request.POST.getlist("answered")) if teach else {}
    missed_form = MissedSignalForm(note=text) if teach else None
    notice: dict[str, str] | None = None
    if teach and "feedback" in request.POST:
        notice = _take_verdict(request, user, result, given)
        if notice is None:
            return _bad_request(request, _("The answer could not be read. Check the note again."))
    elif teach and request.POST.get("action") == "missed":
        missed_form, notice = _take_missed(request, user, text, result)
    again = _note_form(
        can_save,
        initial={
            "text": text,
            "minor": form.cleaned_data["minor"],
            "title": form.cleaned_data.get("title", ""),
        },
    )
    context: dict[str, Any] = {
        "form": again,
        "can_save": can_save,
        "result": presenters.scan_context(text, result, given if teach else None),
        "from_file": bool(form.cleaned_data.get("file")),
        "missed_form": missed_form,
        "notice": notice,
        "answered_values": [f"{verdict}|{key.encode()}" for key, verdict in given.items()],
    }
    return render(request, "signals/check.html", context)


def _take_verdict(
    request: HttpRequest, user: User, result: ScanResult, given: dict[FindingKey, str]
) -> dict[str, str] | None:
    """Store "klopt"/"klopt niet" for a finding the posted note really has; None if unreadable.

    The button carries ids only; the note is posted with it (as for "check again") and scanned
    again in memory, so the page can show the same result without keeping the note anywhere.
    """
    parsed = feedback.parse_verdict(request.POST.get("feedback", ""))
    if parsed is None:
        return None
    verdict, key = parsed
    version = result.assessment.library.version
    found = {
        feedback.FindingKey.of(f, version) for f in (*result.findings, *result.vulnerabilities)
    }
    if key.version != version or key not in found:
        return {
            "level": "error",
            "text": _(
                "Your answer was not stored: the note or the indicator library changed since "
                "the check. Look at the result below and answer again."
            ),
        }
    if key in given:
        return {"level": "info", "text": _("You already answered for this finding.")}
    services.record_verdict(user=user, verdict=verdict, key=key)
    given[key] = verdict
    label = presenters.pick(result.assessment.library.indicators[key.indicator].label)
    if verdict == SignalFeedback.Verdict.CONFIRMED:
        text = _("Thank you. Stored: '%(signal)s' is correct.")
    else:
        text = _("Thank you. Stored: '%(signal)s' is not correct.")
    return {"level": "success", "text": text % {"signal": label}}


def _take_missed(
    request: HttpRequest, user: User, text: str, result: ScanResult
) -> tuple[MissedSignalForm, dict[str, str] | None]:
    """Count a missed signal; keep its sentence only when asked and the privacy guard agrees."""
    form = MissedSignalForm(request.POST, note=text)
    if not form.is_valid():
        return form, None
    keep = bool(form.cleaned_data["keep_sentence"])
    indicator = form.cleaned_data["indicator"]
    try:
        services.record_missed(
            user=user,
            indicator=indicator,
            version=result.assessment.library.version,
            sentence=form.cleaned_data["sentence"] if keep else None,
        )
    except services.SentenceRefused as refused:
        form.add_error("sentence", refused.message(presenters.lang()))
        return form, None
    label = presenters.pick(result.assessment.library.indicators[indicator].label)
    message = _("Thank you. The missed signal '%(signal)s' has been counted.") % {"signal": label}
    if keep:
        message += " " + _("The sentence has been saved in your organisation's evaluation set.")
    return MissedSignalForm(note=text), {"level": "success", "text": message}


@never_cache
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest) -> HttpResponse:
    """Tick observed signals by category and see the same summary, guidance and next steps."""
    if request.method != "POST":
        return render(
            request,
            "signals/checklist.html",
            {"groups": presenters.checklist_groups(), "form": MinorForm()},
        )
    ticked = request.POST.getlist("indicator")
    form = MinorForm(request.POST)
    if not form.is_valid():
        return _bad_request(
            request, _("The answer to 'Is the person a minor?' is not one of the choices.")
        )
    try:
        assessment = evaluate_checklist(ticked, minor=form.minor_value)
    except UnknownIndicatorError as exc:
        message = _(
            "The checklist contains an unknown signal ('%(name)s'). Reload the checklist and "
            "tick the signals again."
        ) % {"name": exc.name}
        return _bad_request(request, message)
    return render(
        request,
        "signals/checklist.html",
        {
            "groups": presenters.checklist_groups(ticked),
            "form": form,
            "result": presenters.assessment_context(assessment),
        },
    )


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "signals/bad_request.html", {"message": message}, status=400)


def _own_note(request: HttpRequest, pk: int) -> SavedNote:
    user: User = request.user  # type: ignore[assignment]
    return get_object_or_404(services.notes_of(user), pk=pk)


@never_cache
def note_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's saved notes, newest first."""
    user: User = request.user  # type: ignore[assignment]
    if user.organisation_id is None:
        raise Http404
    return render(request, "signals/note_list.html", {"notes": services.notes_of(user)})


@never_cache
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One saved note, checked again with the current indicator library."""
    note = _own_note(request, pk)
    form = MinorForm(request.GET if "minor" in request.GET else None)
    minor = form.minor_value if form.is_bound and form.is_valid() else MINOR_VALUES["text"]
    result = scan_text(note.text, minor=minor)
    return render(
        request,
        "signals/note_detail.html",
        {"note": note, "form": form, "result": presenters.scan_context(note.text, result)},
    )


@require_POST
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a saved note for good."""
    services.delete_note(_own_note(request, pk))
    messages.success(request, _("The note has been deleted."))
    return redirect("signals:note_list")


def _editor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not services.can_read_feedback(user):
        raise PermissionDenied
    return user


def _period(request: HttpRequest) -> tuple[FeedbackPeriodForm, dict[str, Any]]:
    form = FeedbackPeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, {
            "since": form.cleaned_data["date_from"],
            "until": form.cleaned_data["date_to"],
        }
    return form, {}


@never_cache
def feedback_summary(request: HttpRequest) -> HttpResponse:
    """Content editors: how often each indicator and rule was confirmed, rejected or missed."""
    user = _editor(request)
    form, period = _period(request)
    if form.is_bound and not form.is_valid():
        rows: list[dict[str, Any]] = []
        sentences: list[EvaluationSentence] = []
        sentence_count = 0
    else:
        library = default_library()
        rows = feedback.summary(services.feedback_of(user, **period), library, presenters.lang())
        for row in rows:
            for rule in row["rules"]:
                rule["kind_label"] = presenters.RULE_LABELS.get(
                    rule["rule_kind"], rule["rule_kind"]
                )
        sentences = list(services.sentences_of(user, **period).select_related("feedback"))
        sentence_count = len(sentences)
    return render(
        request,
        "signals/feedback_summary.html",
        {
            "form": form,
            "rows": rows,
            "sentence_count": sentence_count,
            "sentences": [
                {"pk": s.pk, "day": s.day, "text": s.text, "label": _label(s.feedback.indicator)}
                for s in sentences
            ],
            "query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
        },
    )


def _label(indicator: str) -> str:
    """The indicator's name in the page language, its id when the library no longer has it."""
    spec = default_library().indicators.get(indicator)
    return str(getattr(spec.label, presenters.lang())) if spec is not None else indicator


@require_POST
def sentence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase one saved evaluation sentence (AVG art. 17): the editor's own organisation only."""
    user = _editor(request)
    if not services.delete_sentence(user, pk):
        raise Http404
    messages.success(request, _("The sentence has been erased; the missed signal stays counted."))
    return redirect("signals:feedback_summary")


def _filename(stem: str, period: dict[str, Any], extension: str) -> str:
    dates = "-".join(str(period[k]) for k in ("since", "until") if period.get(k))
    return f"{stem}{'-' + dates if dates else ''}.{extension}"


@never_cache
def feedback_csv(request: HttpRequest) -> HttpResponse:
    """The counts as CSV (`;`, Dutch headers, UTF-8 with BOM) for a spreadsheet."""
    user = _editor(request)
    form, period = _period(request)
    if form.is_bound and not form.is_valid():
        return _bad_request(request, _("The period is not valid."))
    rows = feedback.summary(services.feedback_of(user, **period), default_library(), "nl")
    response = HttpResponse(feedback.summary_csv(rows), content_type="text/csv; charset=utf-8")
    name = _filename("ketenwijs-signaal-feedback", period, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
def feedback_xlsx(request: HttpRequest) -> HttpResponse:
    """The counts as an Excel workbook, the same table as the CSV."""
    user = _editor(request)
    form, period = _period(request)
    if form.is_bound and not form.is_valid():
        return _bad_request(request, _("The period is not valid."))
    rows = feedback.summary(services.feedback_of(user, **period), default_library(), "nl")
    response = HttpResponse(feedback.summary_xlsx(rows), content_type=XLSX)
    name = _filename("ketenwijs-signaal-feedback", period, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@never_cache
def evaluation_export(request: HttpRequest) -> HttpResponse:
    """The organisation's saved sentences as labelled notes (YAML of tests/signals/dev2)."""
    user = _editor(request)
    form, period = _period(request)
    if form.is_bound and not form.is_valid():
        return _bad_request(request, _("The period is not valid."))
    body = feedback.evaluation_yaml(services.sentences_of(user, **period), default_library())
    response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
    name = _filename("ketenwijs-evaluatiezinnen", period, "yaml")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
