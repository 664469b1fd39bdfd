"""Delen pages: start, one question per page, check your answers, result, save, infographic.

Every page works without JavaScript: plain GET/POST forms, the interview state stored as the
user's draft under an assessment id in the URL (see `wizard.py`). The rules engine decides; these
views validate input, call it and render. A tampered form (unknown value, an answer to a question
that is not the current one, another user's assessment id) gets 400/404 and changes nothing; a
missing or expired draft gets a page that says so (404/410).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketenwijs.sharing import (
    CaseError,
    FieldError,
    Question,
    VersionError,
    compare_dates,
    load_rulebook,
    render_infographic_svg,
    render_infographic_text,
)
from ketenwijs.web.audit.permissions import visible_records
from ketenwijs.web.audit.services import ChainWiped, PrivacyRefused, record_decision
from ketenwijs.web.sharing import wizard as wz
from ketenwijs.web.sharing.forms import CompareForm, DecisionForm, StartForm
from ketenwijs.web.sharing.presentation import (
    answer_label,
    compare_context,
    draft_row,
    in_lang,
    result_context,
    step_context,
    summary_rows,
)


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _problem(
    request: HttpRequest,
    message: str,
    errors: list[FieldError] | None = None,
    back_url: str | None = None,
    status: int = 400,
) -> HttpResponse:
    """Explain why a request was refused; nothing was changed."""
    return render(
        request,
        "sharing/problem.html",
        {"message": message, "errors": errors or [], "back_url": back_url},
        status=status,
    )


def _contradiction(errors: list[FieldError], fact: str) -> str | None:
    """The form error for an answer that contradicts an earlier one, or None (issue 12)."""
    for e in errors:
        if e.field != fact:
            continue
        if e.code == "contradicts_none":
            return _(
                "The answers on personal data and on the kinds of data contradict each other: a "
                "BSN, health, sex-life, other special or criminal-law data are personal data by "
                "definition, so personal data cannot be 'None'. Choose 'Identifiable persons' or "
                "'Pseudonymised' there (go back), or leave those kinds out."
            )
        if e.code == "contradicts_pseudonymised":
            return _(
                "The answers on personal data and on the kinds of data contradict each other: a "
                "BSN identifies the person directly, so data with a BSN are not pseudonymised. "
                "Choose 'Identifiable persons' there (go back), or leave the BSN out."
            )
    return None


class _Gone(Exception):  # noqa: N818 -- a control-flow signal, not an error
    """The assessment cannot be opened; `response` explains why (404 or 410)."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _wizard(request: HttpRequest, assessment_id: Any) -> wz.Wizard:
    """Return the user's draft, or raise _Gone with the page that says why it is not there."""
    days = settings.KETENWIJS_DRAFT_DAYS
    try:
        wizard = wz.load(request.user, str(assessment_id))
    except wz.DraftExpiredError:
        raise _Gone(
            render(request, "sharing/draft_gone.html", {"expired": True, "days": days}, status=410)
        ) from None
    if wizard is None:
        raise _Gone(
            render(request, "sharing/draft_gone.html", {"expired": False, "days": days}, status=404)
        )
    return wizard


def with_wizard(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Call `view(request, wizard, ...)` with the user's draft, or show why there is none."""

    @wraps(view)
    def wrapped(
        request: HttpRequest, assessment_id: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        try:
            wizard = _wizard(request, assessment_id)
        except _Gone as gone:
            return gone.response
        return view(request, wizard, *args, **kwargs)

    return wrapped


def _start_link(step: str) -> str:
    return f"{reverse('sharing:start')}?start={step}"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The first screen: an acute-danger entry, the normal start, the user's drafts."""
    try:
        if request.method == "POST":
            handoff = wz.read_handoff(request.POST, with_reference_date=False)
        else:
            handoff = wz.read_handoff(request.GET)
    except CaseError as exc:
        return _problem(
            request,
            _(
                "The link or form that started this assessment contains values Ketenwijs does not "
                "know. Nothing was started."
            ),
            exc.errors,
            back_url=reverse("sharing:start"),
        )
    form = StartForm(initial={"reference_date": handoff.reference_date})
    if request.method == "POST":
        entry = request.POST.get("entry")
        if entry not in {"normal", "urgent"}:
            return _problem(
                request, _("Choose one of the start buttons."), back_url=reverse("sharing:start")
            )
        form = StartForm(request.POST if entry == "normal" else {})
        if form.is_valid():
            day = form.cleaned_data.get("reference_date") or timezone.localdate()
            wizard = wz.new_wizard(handoff, reference_date=day, urgent=entry == "urgent")
            wz.store(request.user, wizard)
            if wizard.is_urgent():
                return redirect("sharing:result", assessment_id=wizard.id)
            return redirect("sharing:question", assessment_id=wizard.id)
    return _render_start(request, form, handoff)


def _render_start(request: HttpRequest, form: StartForm, handoff: wz.Handoff) -> HttpResponse:
    lang = _lang()
    rulebook = load_rulebook()
    questions = {q.fact: q for q in rulebook.questions}
    step_ids = [s.id for s in rulebook.steps]
    start_step = None
    if handoff.start_at is not None:
        # A step id, or a question's fact id: show the step it belongs to.
        step_id = handoff.start_at
        if step_id not in step_ids:
            step_id = questions[step_id].step
        step = rulebook.steps[step_ids.index(step_id)]
        start_step = {"number": step_ids.index(step_id) + 1, "title": in_lang(step.title, lang)}
    return render(
        request,
        "sharing/start.html",
        {
            "title": in_lang(rulebook.title, lang),
            "form": form,
            "hidden": handoff.as_pairs(),
            "suggested": [
                (in_lang(questions[fact].text, lang), answer_label(questions[fact], value, lang))
                for fact, value in handoff.facts.items()
                if fact in questions
            ],
            "start_step": start_step,
            "drafts": [draft_row(draft, wizard) for draft, wizard in wz.drafts(request.user)],
            "draft_days": settings.KETENWIJS_DRAFT_DAYS,
        },
    )


def _after_answer(wizard: wz.Wizard) -> HttpResponse:
    """Where the wizard goes after an answer: the next question, else the summary or result."""
    if wizard.current_question() is not None:
        return redirect("sharing:question", assessment_id=wizard.id)
    if wizard.is_urgent() and not wizard.paperwork:
        return redirect("sharing:result", assessment_id=wizard.id)
    return redirect("sharing:check", assessment_id=wizard.id)


def _answer_error(exc: wz.AnswerError) -> str:
    if exc.code == "none_combined":
        return _("'None of these' cannot be combined with other answers.")
    if exc.code == "unknown_combined":
        return _("'I don't know' cannot be combined with other answers.")
    return _("Choose an answer to continue.")


def _apply_answer(
    request: HttpRequest, wizard: wz.Wizard, current: Question, here: str
) -> tuple[wz.Wizard | None, str | None, HttpResponse | None]:
    """Read and apply the posted answer: (new wizard, form error, refusal page)."""
    try:
        value = wz.read_answer(current, request.POST)
        if value is wz.UNKNOWN:
            return wizard.answer_unknown(current.fact), None, None
        return wizard.answer(current.fact, value), None, None
    except wz.AnswerError as exc:
        return None, _answer_error(exc), None
    except CaseError as exc:
        error = _contradiction(exc.errors, current.fact)
        if error is not None:
            return None, error, None
        refused = _problem(
            request,
            _("That answer is not one of the options; nothing was changed."),
            exc.errors,
            back_url=here,
        )
        return None, None, refused


def _render_question(
    request: HttpRequest,
    wizard: wz.Wizard,
    current: Question,
    error: str | None,
    changing: bool = False,
) -> HttpResponse:
    context = step_context(wizard, current, _lang())
    context.update(
        {
            "wizard": wizard,
            "question": current,
            "error": error,
            "changing": changing,
            "dont_know": wz.DONT_KNOW,
            "dont_know_selected": current.fact in wizard.unknown,
            "draft_days": settings.KETENWIJS_DRAFT_DAYS,
        }
    )
    return render(request, "sharing/question.html", context)


@require_http_methods(["GET", "POST"])
@with_wizard
def question(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """One question with its help text and article; POST answers it or goes back."""
    here = reverse("sharing:question", args=[wizard.id])
    current = wizard.current_question()
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "back":
            wizard = wizard.back()
            wz.store(request.user, wizard)
            return redirect(here)
        if action != "answer":
            return _problem(request, _("Unknown action; nothing was changed."), back_url=here)
        fact = request.POST.get("fact")
        if current is None or fact != current.fact:
            return _problem(
                request,
                _(
                    "This answer is not for the question that is open now (the page may be out of "
                    "date, or a question was skipped). Nothing was changed."
                ),
                [FieldError(fact or "fact", _("expected '%(fact)s'") % {"fact": current.fact})]
                if current is not None
                else [],
                back_url=here,
            )
        answered, error, refused = _apply_answer(request, wizard, current, here)
        if refused is not None:
            return refused
        if answered is not None:
            wz.store(request.user, answered)
            return _after_answer(answered)
    if current is None:
        return _after_answer(wizard)
    return _render_question(request, wizard, current, error)


@require_http_methods(["GET", "POST"])
@with_wizard
def change(request: HttpRequest, wizard: wz.Wizard, fact: str) -> HttpResponse:
    """Change one earlier answer from the summary page, then return there.

    When the new answer makes other questions matter, those are asked first (the question
    page sends the user back to the summary when nothing is open).
    """
    target = next((q for q in wizard.rulebook.questions if q.fact == fact), None)
    if target is None or not wizard.answered(fact):
        return _problem(
            request,
            _("This question has no answer to change in this assessment."),
            back_url=reverse("sharing:check", args=[wizard.id]),
            status=404,
        )
    here = reverse("sharing:change", args=[wizard.id, fact])
    error = None
    if request.method == "POST":
        if request.POST.get("action") != "answer" or request.POST.get("fact") != fact:
            return _problem(request, _("Unknown action; nothing was changed."), back_url=here)
        answered, error, refused = _apply_answer(request, wizard, target, here)
        if refused is not None:
            return refused
        if answered is not None:
            wz.store(request.user, answered)
            return _after_answer(answered)
    return _render_question(request, wizard, target, error, changing=True)


@require_GET
@with_wizard
def check(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """Check your answers: every answer with a link to change it, before the result."""
    if not wizard.is_complete():
        return redirect("sharing:question", assessment_id=wizard.id)
    lang = _lang()
    return render(
        request,
        "sharing/check.html",
        {"wizard": wizard, "rows": summary_rows(wizard, lang), "urgent": wizard.is_urgent()},
    )


@require_GET
@with_wizard
def result(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """The outcome, conditions, what to record and the next step first; all checks folded."""
    if not wizard.is_complete():
        return redirect("sharing:question", assessment_id=wizard.id)
    context = result_context(wizard, _lang())
    context.update({"wizard": wizard, "compare_form": CompareForm()})
    return render(request, "sharing/result.html", context)


@require_GET
@with_wizard
def compare(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """The finished case as on its reference date and on another date, side by side per check.

    A GET form (nothing is stored): an invalid or missing date shows the form with the error.
    """
    if not wizard.is_complete():
        return redirect("sharing:question", assessment_id=wizard.id)
    form = CompareForm(request.GET)
    context: dict[str, Any] = {"wizard": wizard, "form": form}
    if form.is_valid():
        rulebook = load_rulebook()
        first = wizard.assessment().valid_on
        comparison = compare_dates(wizard.case, rulebook, first, form.cleaned_data["compare_date"])
        context.update(compare_context(comparison, _lang()))
    return render(request, "sharing/compare.html", context)


@require_POST
@with_wizard
def paperwork(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """After the urgent answer, go on with the remaining questions (the paperwork)."""
    if not wizard.is_urgent():
        return _problem(
            request,
            _("This assessment is not on the urgency path; nothing was changed."),
            back_url=reverse("sharing:question", args=[wizard.id]),
        )
    wz.store(request.user, replace(wizard, paperwork=True))
    return redirect("sharing:question", assessment_id=wizard.id)


@require_POST
@with_wizard
def delete_draft(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """Delete the draft (its answers); saved decisions are not touched."""
    wz.delete(request.user, wizard.id)
    messages.success(request, _("The unfinished assessment has been deleted."))
    return redirect("sharing:start")


def _render_save(
    request: HttpRequest, wizard: wz.Wizard, form: DecisionForm, status: int = 200
) -> HttpResponse:
    context = result_context(wizard, _lang())
    context.update({"wizard": wizard, "form": form})
    return render(request, "sharing/save.html", context, status=status)


@require_http_methods(["GET", "POST"])
@with_wizard
def save(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """Its own page: store the assessment with the user's motivation in the decision log.

    A refusal (empty, too long, or personal details the privacy guard finds) shows this page
    again with the error summary first in main, focus on it and "Fout:" in the title.
    """
    result_url = reverse("sharing:result", args=[wizard.id])
    if not wizard.is_complete():
        return _problem(
            request,
            _("This assessment is not finished yet; answer the open questions first."),
            back_url=reverse("sharing:question", args=[wizard.id]),
        )
    if request.user.organisation_id is None:  # type: ignore[union-attr]
        return _problem(
            request,
            _("Only members of an organisation can save decisions."),
            back_url=result_url,
            status=403,
        )
    if request.method == "GET":
        return _render_save(request, wizard, DecisionForm())
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_save(request, wizard, form)
    corrected = None
    if form.cleaned_data.get("corrects"):
        corrected = (
            visible_records(request.user)  # type: ignore[arg-type]
            .filter(sequence=form.cleaned_data["corrects"])
            .first()
        )
        if corrected is None:
            form.add_error("corrects", _("You have no saved decision with this number."))
            return _render_save(request, wizard, form)
    try:
        record = record_decision(
            user=request.user,  # type: ignore[arg-type]
            case=wizard.case,
            # With what would change the outcome, so the record and its PDF show it too.
            assessment=wizard.assessment(explain=True),
            motivation=form.cleaned_data["motivation"],
            corrects=corrected,
        )
    except PrivacyRefused as exc:
        form.add_error("motivation", exc.message(_lang()))
        return _render_save(request, wizard, form)
    except ChainWiped:
        return _problem(
            request,
            _(
                "Your organisation's decision log is broken (its records were removed), so "
                "nothing can be added to it. Nothing was saved. Report this to your privacy "
                "officer (FG)."
            ),
            back_url=result_url,
            status=409,
        )
    url = record.get_absolute_url()
    wz.store(request.user, replace(wizard, saved_url=url))
    messages.success(
        request, _("The decision has been saved in the decision log of your organisation.")
    )
    return redirect(url)


def _download(data: dict[str, Any], filename: str) -> HttpResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@with_wizard
def assessment_json(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """The assessment as the §4.1 JSON, as `ketenwijs share assess` prints it."""
    if not wizard.is_complete():
        return redirect("sharing:question", assessment_id=wizard.id)
    assessment = wizard.assessment(explain=True)
    return _download(assessment.to_dict(), f"ketenwijs-assessment-{assessment.valid_on}.json")


@require_GET
@with_wizard
def case_json(request: HttpRequest, wizard: wz.Wizard) -> HttpResponse:
    """The answers as a §4.1 case file, for `ketenwijs share assess --case`."""
    return _download(wizard.case.to_dict(), "ketenwijs-case.json")


def _infographic_version(request: HttpRequest) -> str | None:
    version = request.GET.get("version") or None
    if version is not None:
        load_rulebook().version(version)  # VersionError names the valid versions
    return version


@require_GET
def infographic(request: HttpRequest) -> HttpResponse:
    """The infographic (generated SVG) with its text version and a start link per step."""
    rulebook = load_rulebook()
    try:
        version = _infographic_version(request)
    except VersionError as exc:
        return _problem(request, str(exc), back_url=reverse("sharing:infographic"))
    compiled = rulebook.version(version) if version else rulebook.versions[-1]
    lang = _lang()
    svg_url = reverse("sharing:infographic_svg")
    return render(
        request,
        "sharing/infographic.html",
        {
            "title": in_lang(rulebook.title, lang),
            "version": {"id": compiled.version.id, "label": in_lang(compiled.version.label, lang)},
            "versions": [(v.version.id, in_lang(v.version.label, lang)) for v in rulebook.versions],
            "svg_url": f"{svg_url}?version={compiled.version.id}&lang={lang}",
            "text": render_infographic_text(rulebook, version=compiled.version.id, lang=lang),
            "steps": [
                {
                    "title": in_lang(step.title, lang),
                    "description": in_lang(step.description, lang),
                    "url": _start_link(step.id),
                }
                for step in rulebook.steps
            ],
        },
    )


# The SVG carries its own <style>; it has no script, so this one response may allow inline style.
@csp_replace(
    {"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "script-src": ["'none'"]}
)
@require_GET
def infographic_svg(request: HttpRequest) -> HttpResponse:
    """The generated SVG; its step boxes link to the start page at that step."""
    try:
        version = _infographic_version(request)
    except VersionError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    lang = request.GET.get("lang") or _lang()
    if lang not in {"nl", "en"}:
        return HttpResponse(
            "lang: must be nl or en", status=400, content_type="text/plain; charset=utf-8"
        )
    svg = render_infographic_svg(
        load_rulebook(), version=version, lang=lang, link=_start_link("{step}")
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
