"""Herkennen pages: overview, lessons, explainer, scenarios, quiz, key cards, certificates, trainer.

Every page works without JavaScript; the explainer's player is an enhancement of a static page.
Views resolve the organisation from the signed-in user only, never from the URL.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ketenwijs.learning import ReviewRating, RunError, is_wrong_choice
from ketenwijs.learning.explainer import layout_scene, text_width
from ketenwijs.learning.quiz import ATTEMPTS_BEFORE_REVEAL, QUIZ_COOLDOWN, correct_answer
from ketenwijs.learning.review import next_intervals
from ketenwijs.learning.schema import Expression, Outcome, Profession
from ketenwijs.learning.scoring import RETRY_WAIT
from ketenwijs.learning.spot import Mark, SpotInputError, UnknownChoiceError
from ketenwijs.learning.state import debrief, weeks_later
from ketenwijs.learning.tracks import track_cards, track_lessons, track_scenarios
from ketenwijs.signals import default_library
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import User
from ketenwijs.web.learning import reports, services
from ketenwijs.web.learning.forms import (
    AssignmentForm,
    LearningSettingsForm,
    TrackChoiceForm,
    VerifyForm,
)
from ketenwijs.web.learning.models import (
    AssignedLearner,
    Certificate,
    QuizAttempt,
    QuizDraw,
    ScenarioRun,
    SpotAttempt,
    TrackAssignment,
)
from ketenwijs.web.learning.templatetags.learning_tags import current_language

TRAINER_ROLES = frozenset({Role.TRAINER, Role.ORG_ADMIN})
EXPRESSION_LABELS = {
    Expression.NEUTRAL: gettext_lazy("neutral"),
    Expression.HAPPY: gettext_lazy("happy"),
    Expression.WORRIED: gettext_lazy("worried"),
    Expression.SCARED: gettext_lazy("scared"),
    Expression.ANGRY: gettext_lazy("angry"),
}
OUTCOME_LABELS = {
    Outcome.GOOD: gettext_lazy("Good outcome"),
    Outcome.MIXED: gettext_lazy("Mixed outcome"),
    Outcome.POOR: gettext_lazy("Poor outcome"),
}
PROFESSION_LABELS = {
    Profession.SCHOOL: gettext_lazy("school"),
    Profession.HUISARTS_GGZ: gettext_lazy("GP practice or mental health care"),
    Profession.WIJKTEAM: gettext_lazy("neighbourhood team"),
    Profession.POLITIE: gettext_lazy("police"),
    Profession.JEUGDZORG: gettext_lazy("youth care"),
    Profession.HORECA_HOTEL: gettext_lazy("hotel and hospitality"),
}
RATING_LABELS = {
    ReviewRating.AGAIN: gettext_lazy("Again"),
    ReviewRating.HARD: gettext_lazy("Hard"),
    ReviewRating.GOOD: gettext_lazy("Good"),
    ReviewRating.EASY: gettext_lazy("Easy"),
}


def _learner(request: HttpRequest) -> User:
    """Return the signed-in user; learning needs an organisation (platform admins have none)."""
    user: User = request.user  # type: ignore[assignment]
    if user.organisation_id is None:
        raise Http404
    return user


def _sources(ids: list[str]) -> list[tuple[str, Any]]:
    learning = services.content()
    return [(source_id, learning.sources[source_id]) for source_id in ids]


def index(request: HttpRequest) -> HttpResponse:
    """The module overview: what to do next and how far the learner is."""
    user = _learner(request)
    learning = services.content()
    read = services.lessons_read(user)
    finished = services.scenarios_ended_well(user)
    track = services.current_track(user)
    held = services.held_certificate(user, track)
    return render(
        request,
        "learning/index.html",
        {
            "module": learning.module,
            "explainer": learning.explainer,
            "track": track,
            "track_form": _track_form(track.id),
            "held": held,
            "needs_repeat": held is not None and bool(services.certificate_changes(held)),
            "assignments": _own_assignments(user),
            "lessons": [
                (lesson, lesson.id in read) for lesson in track_lessons(track, learning.lessons)
            ],
            "scenarios": [
                (s, s.id in finished) for s in track_scenarios(track, learning.scenarios)
            ],
            "progress": services.progress_for(user, track),
            "due_cards": services.due_card_count(user),
            "last_attempt": QuizAttempt.objects.filter(user=user).first(),
            "threshold": round(learning.module.quiz_pass_threshold * 100),
            "is_trainer": user.role in TRAINER_ROLES,
            "spot_count": len(learning.spot),
        },
    )


def _resolved_links(lesson: Any) -> list[tuple[Any, str | None]]:
    links = []
    for link in lesson.links:
        try:
            url: str | None = reverse(link.route)
        except NoReverseMatch:
            url = None  # the page is not built yet: name it, do not link to it
        links.append((link, url))
    return links


def lesson_detail(request: HttpRequest, lesson_id: str) -> HttpResponse:
    """One lesson with its sources; POST marks it as read and moves on."""
    user = _learner(request)
    learning = services.content()
    lesson = learning.lesson(lesson_id)
    if lesson is None:
        raise Http404
    index_of = [les.id for les in learning.lessons].index(lesson.id)
    following = learning.lessons[index_of + 1] if index_of + 1 < len(learning.lessons) else None
    if request.method == "POST":
        services.record_lesson_read(user, lesson.id)
        messages.success(request, _("Lesson marked as read."))
        if following is not None:
            return redirect("learning:lesson", lesson_id=following.id)
        return redirect("learning:index")
    cited: list[str] = []
    for section in lesson.sections:
        for paragraph in section.paragraphs:
            for ref in paragraph.sources:
                if ref not in cited:
                    cited.append(ref)
    return render(
        request,
        "learning/lesson.html",
        {
            "lesson": lesson,
            "number": index_of + 1,
            "total": len(learning.lessons),
            "sources": _sources(cited),
            "source_numbers": {ref: i + 1 for i, ref in enumerate(cited)},
            "links": _resolved_links(lesson),
            "is_read": lesson.id in services.lessons_read(user),
            "following": following,
        },
    )


# Fixed decoration of the party and hotel sets (positions on the 800 x 450 stage).
PARTY_LIGHTS = [
    (40 + i * 80, 76 + (i % 2) * 14, ("gold", "rose", "sky", "mint")[i % 4]) for i in range(10)
]
HOTEL_DOORS = [(40, 211), (300, 213), (560, 215)]
HOTEL_LAMPS = [220, 480, 740]


def _explainer_scenes(trajectory: Any, characters: dict[str, Any]) -> list[dict[str, Any]]:
    # The core lays every scene out in the active language; the templates only draw it.
    language = current_language()
    scenes = []
    for scene in trajectory.scenes:
        layout = layout_scene(scene, characters, language)
        scenes.append(
            {
                "scene": scene,
                "figures": [
                    {"figure": f, "expression_label": EXPRESSION_LABELS[f.expression]}
                    for f in layout.figures
                ],
                "chat": layout.chat,
                "plate_width": text_width(scene.setting.in_language(language), 22) + 24,
                "chat_with": next((m.character for m in layout.chat if not m.own), None),
                "words": [(f.name, f.says) for f in layout.figures if f.says]
                + [(m.character.name.in_language(language), m.text) for m in layout.chat],
            }
        )
    return scenes


def _explainer_context(request: HttpRequest, trajectory_id: str | None) -> dict[str, Any]:
    _learner(request)
    learning = services.content()
    trajectories = learning.explainer.trajectories
    if trajectory_id is None:
        trajectory = trajectories[0]
    else:
        trajectory = next((t for t in trajectories if t.id == trajectory_id), None)
        if trajectory is None:
            raise Http404
    characters = {c.id: c for c in learning.explainer.characters}
    return {
        "explainer": learning.explainer,
        "trajectories": trajectories,
        "trajectory": trajectory,
        "scenes": _explainer_scenes(trajectory, characters),
        "sources": _sources(list(trajectory.sources)),
        "party_lights": PARTY_LIGHTS,
        "hotel_doors": HOTEL_DOORS,
        "hotel_lamps": HOTEL_LAMPS,
    }


def explainer(request: HttpRequest, trajectory_id: str | None = None) -> HttpResponse:
    """The animated explainer: one route as illustrated SVG scenes, a player, and a transcript."""
    return render(request, "learning/explainer.html", _explainer_context(request, trajectory_id))


def explainer_present(request: HttpRequest, trajectory_id: str) -> HttpResponse:
    """Presenter mode for trainers: one route full screen, large captions, keyboard control."""
    return render(
        request, "learning/explainer_present.html", _explainer_context(request, trajectory_id)
    )


def scenario_list(request: HttpRequest) -> HttpResponse:
    """All scenarios with the learner's best result for each."""
    user = _learner(request)
    learning = services.content()
    best: dict[str, ScenarioRun] = {}
    for run in ScenarioRun.objects.filter(user=user, finished_at__isnull=False):
        if run.scenario_id not in best or run.percent > best[run.scenario_id].percent:
            best[run.scenario_id] = run
    ended_well = services.scenarios_ended_well(user)
    open_runs = {
        run.scenario_id: run
        for run in ScenarioRun.objects.filter(user=user, finished_at__isnull=True).order_by(
            "started_at"
        )
    }
    track = services.current_track(user)
    return render(
        request,
        "learning/scenario_list.html",
        {
            "retry_hours": int(RETRY_WAIT.total_seconds() // 3600),
            "track": track,
            "track_scenario_ids": {s.id for s in track_scenarios(track, learning.scenarios)},
            "rows": [
                (
                    s,
                    best.get(s.id),
                    open_runs.get(s.id),
                    s.id in ended_well,
                    PROFESSION_LABELS[s.profession] if s.profession else None,
                )
                for s in learning.scenarios
            ],
        },
    )


@require_POST
def scenario_start(request: HttpRequest, scenario_id: str) -> HttpResponse:
    """Start a new run of a scenario."""
    user = _learner(request)
    if services.content().scenario(scenario_id) is None:
        raise Http404
    run = services.record_run_start(user, scenario_id)
    return redirect("learning:run", run_id=run.pk)


def scenario_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """One node per page; POST a choice (works without JavaScript)."""
    user = _learner(request)
    run = get_object_or_404(ScenarioRun, pk=run_id, user=user)
    scenario = services.content().scenario(run.scenario_id)
    if scenario is None or run.node_id not in scenario.nodes:
        messages.warning(request, _("This scenario has changed since you started it. Start again."))
        return redirect("learning:scenarios")
    if request.method == "POST":
        try:
            services.record_choice(run.pk, user, request.POST.get("choice", ""))
        except RunError:
            messages.error(request, _("Choose one of the options offered."))
        return redirect("learning:run", run_id=run.pk)
    played = services.replay_run(run)
    if played is None:
        messages.warning(request, _("This scenario has changed since you started it. Start again."))
        return redirect("learning:scenarios")
    history = [
        {"node": scenario.nodes[taken.node_id], "choice": taken.choice, "points": points}
        for taken, points in zip(
            played.steps,
            run.choices.order_by("position").values_list("points", flat=True),
            strict=False,
        )
    ]
    last = history[-1] if history else None
    node = scenario.nodes[played.node_id]
    return render(
        request,
        "learning/scenario_run.html",
        {
            "run": run,
            "scenario": scenario,
            "node": node,
            "last": last,
            "history": history,
            "step_number": len(history) + 1,
            "time_passed": weeks_later(played.steps[-1].choice.weeks) if played.steps else None,
            "week": played.state.week,
            "outcome_label": OUTCOME_LABELS[node.ending.outcome] if node.ending else None,
            "choices": services.choices_of_run(run),
            "debrief": _debrief(scenario, [t.choice.id for t in played.steps])
            if node.ending
            else None,
            "counts": run.pk in services.counted_runs(user) if node.ending else None,
            "retry_hours": int(RETRY_WAIT.total_seconds() // 3600),
            "profession": PROFESSION_LABELS[scenario.profession] if scenario.profession else None,
            "sources": _sources(list(scenario.sources)),
        },
    )


def _debrief(scenario: Any, path: list[str]) -> dict[str, Any]:
    """The debrief of a finished path: signals there, noticed and missed; assumptions; trust."""
    found = debrief(scenario, path)
    signals = {signal.id: signal for signal in scenario.signals}
    return {
        "signals": scenario.signals,
        "noticed": [signals[s] for s in found.noticed],
        "missed": [signals[s] for s in found.missed],
        "assumptions": [
            {"choice": choice, "assumption": assumption, "costly": is_wrong_choice(choice)}
            for choice, assumption in found.assumptions
        ],
        "counters": [
            {"label": c.label, "start": c.start, "end": c.end, "delta": c.end - c.start}
            for c in found.counters
        ],
        "weeks": found.weeks,
    }


def _quiz_page(
    request: HttpRequest,
    draw: QuizDraw,
    posted: dict[str, str] | None = None,
    unanswered: list[str] | None = None,
) -> HttpResponse:
    learning = services.content()
    orders = services.draw_order(draw)
    missing = set(unanswered or [])
    drawn = [question for question in learning.quiz.questions if question.id in orders]
    questions = [
        {
            "question": question,
            "number": number,
            "options": list(enumerate(orders[question.id], start=1)),
            "chosen": (posted or {}).get(question.id, ""),
            "missing": question.id in missing,
        }
        for number, question in enumerate(drawn, start=1)
    ]
    attempts = QuizAttempt.objects.filter(user=request.user).count()
    return render(
        request,
        "learning/quiz.html",
        {
            "draw": draw,
            "questions": questions,
            "unanswered": [q for q in questions if q["missing"]],
            "threshold": round(learning.module.quiz_pass_threshold * 100),
            "reveal_after": ATTEMPTS_BEFORE_REVEAL,
            "cooldown_hours": round(QUIZ_COOLDOWN.total_seconds() / 3600),
            "attempts": attempts,
            "pool_size": len(learning.quiz.questions),
        },
        status=400 if missing else 200,
    )


def quiz(request: HttpRequest) -> HttpResponse:
    """The knowledge check: this attempt's own questions drawn from the pool, in its own answer
    order; POST grades a complete attempt.

    Unanswered questions are refused with an error summary (nothing is graded or stored).
    """
    user = _learner(request)
    learning = services.content()
    if request.method == "POST":
        draw_id = request.POST.get("draw", "")
        valid = draw_id.isdigit() and len(draw_id) <= 18  # within a database integer
        draw = get_object_or_404(QuizDraw, pk=int(draw_id) if valid else 0, user=user)
        posted = {q.id: request.POST.get(f"q-{q.id}", "") for q in learning.quiz.questions}
        try:
            attempt = services.record_quiz_attempt(user, draw.pk, posted)
        except services.QuizCooldownError as cooldown:
            return _quiz_cooldown_page(request, cooldown.until)
        except services.QuizDrawChangedError:
            messages.warning(request, _("The quiz has changed since you opened it. Answer again."))
            return redirect("learning:quiz")
        except services.UnansweredError as missing:
            return _quiz_page(request, draw, posted, missing.question_ids)
        return redirect("learning:quiz_result", attempt_id=attempt.pk)
    try:
        draw = services.open_draw(user)
    except services.QuizCooldownError as cooldown:
        return _quiz_cooldown_page(request, cooldown.until)
    return _quiz_page(request, draw)


def _quiz_cooldown_page(request: HttpRequest, until: dt.datetime) -> HttpResponse:
    """The quiz while a cooldown runs: when the next attempt opens, and what to do meanwhile."""
    return render(
        request,
        "learning/quiz_cooldown.html",
        {"until": until, "cooldown_hours": round(QUIZ_COOLDOWN.total_seconds() / 3600)},
        status=429 if request.method == "POST" else 200,
    )


def quiz_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """An attempt: right or wrong per question; the correct answers only after a pass or after
    ATTEMPTS_BEFORE_REVEAL attempts, so guessing and reading the answers is not a way to pass."""
    user = _learner(request)
    attempt = get_object_or_404(QuizAttempt, pk=attempt_id, user=user)
    learning = services.content()
    reveal = services.attempt_reveals_answers(attempt)
    given = {a.question_id: a.answer_id for a in attempt.answers.all()}
    rows = []
    for question in learning.quiz.questions:
        if question.id not in given:
            continue  # a question added after this attempt
        chosen = next((a for a in question.answers if a.id == given[question.id]), None)
        right = correct_answer(question)
        rows.append(
            {
                "question": question,
                "chosen": chosen,
                "correct": right,
                "is_correct": chosen is not None and chosen.id == right.id,
                "source": learning.sources.get(question.source),
            }
        )
    attempts = QuizAttempt.objects.filter(user=user, pk__lte=attempt.pk).count()
    return render(
        request,
        "learning/quiz_result.html",
        {
            "attempt": attempt,
            "rows": rows,
            "reveal": reveal,
            "cooldown_until": services.quiz_cooldown_until(user),
            "attempts_left": max(0, ATTEMPTS_BEFORE_REVEAL - attempts),
            "threshold": round(learning.module.quiz_pass_threshold * 100),
        },
    )


def review(request: HttpRequest) -> HttpResponse:
    """Spaced repetition in two steps without script: the front of the next due card with a
    "show the answer" button; then (GET ?show=<card>) the answer and the rating buttons, so a
    learner rates only after seeing the answer. POST stores the rating."""
    user = _learner(request)
    learning = services.content()
    if request.method == "POST":
        card_id = request.POST.get("card", "")
        try:
            rating = ReviewRating(request.POST.get("rating", ""))
            services.record_review(user, card_id, rating)
        except ValueError:
            messages.error(request, _("Choose how well you remembered the card."))
        return redirect("learning:review")
    due = services.due_card_ids(user)
    card = services.card_for(user, due[0]) if due else None
    # The answer is shown for the card that was on screen, even if the due order moved since.
    shown = services.card_for(user, request.GET.get("show", "")[:80])
    revealed = shown is not None
    if shown is not None:
        card = shown
    ratings: list[tuple[str, Any, Any]] = []
    if card is not None and revealed:
        now = timezone.now()
        intervals = next_intervals(
            services.schedule_for(user, card.id, now), now, services.retention_for(user)
        )
        ratings = [(r.value, RATING_LABELS[r], intervals[r]) for r in ReviewRating]
    return render(
        request,
        "learning/review.html",
        {
            "card": card,
            "due_count": len(due),
            "ratings": ratings,
            "revealed": revealed,
            "source": learning.sources.get(card.source) if card and card.source else None,
            "deck_size": len(track_cards(services.current_track(user), learning.cards))
            + len(services.spot_card_ids(user)),
        },
    )


def certificate(request: HttpRequest) -> HttpResponse:
    """What completion needs, what is missing, and the learner's certificates; POST issues one."""
    user = _learner(request)
    learning = services.content()
    track = services.current_track(user)
    progress = services.progress_for(user, track)
    if request.method == "POST":
        try:
            services.record_certificate(user, track)
        except services.NotCompleteError:
            messages.error(request, _("Complete the module first."))
            return redirect("learning:certificate")
        messages.success(request, _("Your certificate is ready."))
        return redirect("learning:certificate")
    since = services.recertification_since(user, track)
    return render(
        request,
        "learning/certificate.html",
        {
            "module": learning.module,
            "track": track,
            "repeat_since": since,
            "progress": progress,
            "missing_lessons": [learning.lesson(i) for i in progress.lessons_missing],
            "missing_scenarios": [learning.scenario(i) for i in progress.scenarios_missing],
            "threshold": round(learning.module.quiz_pass_threshold * 100),
            "certificates": [
                (cert, services.certificate_track(cert), services.certificate_changes(cert))
                for cert in Certificate.objects.filter(user=user)
            ],
            "content_version": learning.version,
        },
    )


def _pdf_stylesheet() -> str:
    found = finders.find("learning/certificate.css")
    if not found:
        raise FileNotFoundError("learning/certificate.css")
    return str(found if isinstance(found, str) else found[0])


def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The certificate as PDF; only its holder can download it."""
    from weasyprint import CSS, HTML

    user = _learner(request)
    cert = get_object_or_404(Certificate, pk=certificate_id, user=user)
    learning = services.content()
    html = render_to_string(
        "learning/certificate_pdf.html",
        {
            "certificate": cert,
            "name": user.get_full_name() or user.username,
            "organisation": cert.organisation.name,
            "module": learning.module,
            "track": services.certificate_track(cert),
            "verify_url": request.build_absolute_uri(reverse("learning:verify")),
            "lang": current_language(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[CSS(filename=_pdf_stylesheet())]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ketenwijs-certificaat-{Path(cert.code).name}.pdf"'
    )
    return response


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    """Public check of a certificate code: valid or not, module and date, nothing personal."""
    form = VerifyForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        found = services.verify_certificate(form.cleaned_data["code"])
        changes = services.certificate_changes(found) if found else []
        result = {
            "valid": found is not None,
            "module": services.content().module if found else None,
            "track": services.certificate_track(found) if found else None,
            "issued_on": found.issued_on if found else None,
            "is_current": not changes,
            "changed_on": changes[-1].date if changes else None,
        }
    return render(request, "learning/verify.html", {"form": form, "result": result})


def _trainer(request: HttpRequest) -> User:
    user = _learner(request)
    if user.role not in TRAINER_ROLES:
        raise PermissionDenied
    return user


def trainer(request: HttpRequest) -> HttpResponse:
    """Anonymous aggregates of the trainer's own organisation (individuals only if enabled)."""
    user = _trainer(request)
    organisation = user.organisation
    assert organisation is not None  # _learner guarantees it
    learning = services.content()
    show_individuals = services.shows_individual_results(organisation)
    return render(
        request,
        "learning/trainer.html",
        {
            "organisation": organisation,
            "report": reports.organisation_report(organisation, learning),
            "min_group": reports.MIN_GROUP,
            "show_individuals": show_individuals,
            "learners": reports.individual_results(organisation, learning)
            if show_individuals
            else [],
            "lesson_total": len(learning.lessons),
            "scenario_total": sum(1 for s in learning.scenarios if s.required),
            "is_org_admin": user.is_org_admin,
        },
    )


def learning_settings(request: HttpRequest) -> HttpResponse:
    """Organisation admins decide whether trainers see individual results, and the desired
    retention of key cards (left empty, it stays as it was)."""
    user = _learner(request)
    if not user.is_org_admin:
        raise PermissionDenied
    organisation = user.organisation
    assert organisation is not None
    initial = {
        "show_individual_results": services.shows_individual_results(organisation),
        "desired_retention": services.desired_retention_percent(organisation),
    }
    form = LearningSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_learning_settings(
            organisation,
            form.cleaned_data["show_individual_results"],
            actor=user,
            desired_retention=form.cleaned_data["desired_retention"],
        )
        messages.success(request, _("Settings saved."))
        return redirect("learning:settings")
    return render(request, "learning/settings.html", {"form": form, "organisation": organisation})


# Tracks, assignments and re-certification ------------------------------------------------------


def _track_choices() -> list[tuple[str, str]]:
    return [(t.id, t.title.in_language(current_language())) for t in services.content().tracks]


def _track_form(track_id: str) -> TrackChoiceForm:
    return TrackChoiceForm(initial={"track": track_id}, tracks=_track_choices())


def _own_assignments(user: User) -> list[dict[str, Any]]:
    learning = services.content()
    today = timezone.localdate()
    rows = []
    for row in AssignedLearner.objects.filter(user=user).select_related("assignment"):
        track = learning.track(row.assignment.track_id)
        if track is None:
            continue
        rows.append(
            {
                "track": track,
                "deadline": row.assignment.deadline,
                "certified": services.is_certified(user, track),
                "overdue": row.assignment.deadline < today,
            }
        )
    return sorted(rows, key=lambda r: r["deadline"])


def tracks(request: HttpRequest) -> HttpResponse:
    """Every role track with what it asks; POST sets the track the learner follows."""
    user = _learner(request)
    learning = services.content()
    current = services.current_track(user)
    form = TrackChoiceForm(request.POST or None, tracks=_track_choices())
    if request.method == "POST":
        if form.is_valid():
            services.record_track_choice(user, form.cleaned_data["track"])
            messages.success(request, _("Your learning track is saved."))
            return redirect("learning:index")
        messages.error(request, _("Choose one of the learning tracks."))
    return render(
        request,
        "learning/tracks.html",
        {
            "current": current,
            "form": form,
            "rows": [
                {
                    "track": track,
                    "lessons": track_lessons(track, learning.lessons),
                    "scenarios": track_scenarios(track, learning.scenarios),
                    "profession": PROFESSION_LABELS[track.profession] if track.profession else None,
                    "cards": len(track_cards(track, learning.cards)),
                }
                for track in learning.tracks
            ],
        },
        status=400 if form.errors else 200,
    )


def track_changes(request: HttpRequest, track_id: str) -> HttpResponse:
    """What changed in a track: the dated changelog, with the entries since the learner's
    certificate of the track marked as new (those make a repeat necessary)."""
    user = _learner(request)
    track = services.content().track(track_id)
    if track is None:
        raise Http404
    held = services.held_certificate(user, track)
    since = held.material_version if held is not None else None
    return render(
        request,
        "learning/track_changes.html",
        {
            "track": track,
            "held": held,
            "new_changes": [c for c in track.changes if since is not None and c.version > since],
            "changes": list(reversed(track.changes)),
        },
    )


def _assignment_for(request: HttpRequest, assignment_id: int) -> tuple[User, TrackAssignment]:
    """Return the trainer and the assignment, only within the trainer's own organisation."""
    user = _trainer(request)
    assignment = get_object_or_404(
        TrackAssignment, pk=assignment_id, organisation_id=user.organisation_id
    )
    return user, assignment


def assignments(request: HttpRequest) -> HttpResponse:
    """A trainer's assignments in the own organisation; POST assigns a track with a deadline."""
    user = _trainer(request)
    learning = services.content()
    candidates = User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
    form = AssignmentForm(request.POST or None, tracks=_track_choices(), learners=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = (
            list(candidates) if form.cleaned_data["all_learners"] else form.cleaned_data["learners"]
        )
        try:
            assignment = services.record_assignment(
                user, form.cleaned_data["track"], form.cleaned_data["deadline"], chosen
            )
        except services.AssignmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The track is assigned."))
            return redirect("learning:assignment", assignment_id=assignment.pk)
    rows = [
        {"assignment": a, "track": learning.track(a.track_id), "learners": a.learners.count()}
        for a in TrackAssignment.objects.filter(organisation_id=user.organisation_id)
    ]
    return render(
        request,
        "learning/assignments.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Per assigned learner: lessons, quiz, scenarios, certificate, overdue. These are named
    colleagues the trainer assigned the track to, so names are shown (own organisation only)."""
    _user, assignment = _assignment_for(request, assignment_id)
    track = services.content().track(assignment.track_id)
    if track is None:
        raise Http404
    return render(
        request,
        "learning/assignment.html",
        {
            "assignment": assignment,
            "track": track,
            "rows": services.assignment_progress(assignment),
        },
    )


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading =,+,-,@ becomes text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


CSV_HEADERS = [
    "Naam", "Gebruikersnaam", "Route", "Deadline", "Lessen gelezen", "Lessen totaal",
    "Quiz gehaald", "Casussen goed", "Casussen totaal", "Gecertificeerd", "Te laat",
]  # fmt: skip


def assignment_csv(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The assignment's progress as CSV, `;`-separated with Dutch headers (as Dutch spreadsheet
    programs expect)."""
    _user, assignment = _assignment_for(request, assignment_id)
    track = services.content().track(assignment.track_id)
    if track is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ketenwijs-toewijzing-{assignment.pk}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (ë, é) correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADERS)
    for row in services.assignment_progress(assignment):
        writer.writerow(
            [
                _csv_safe(v)
                for v in (
                    row.user.get_full_name(), row.user.username, track.title.nl,
                    assignment.deadline.isoformat(), row.progress.lessons_done,
                    row.progress.lessons_total, "ja" if row.progress.quiz_passed else "nee",
                    row.progress.scenarios_done, row.progress.scenarios_total,
                    "ja" if row.certified else "nee", "ja" if row.overdue else "nee",
                )
            ]
        )  # fmt: skip
    return response


# Spot the signal -----------------------------------------------------------------------------

# Why a mention does not count; %(client)s is the client's name, %(words)s the trigger words.
DECOY_REASONS = {
    "negated": gettext_lazy(
        "Not a signal: the note says it is not there (“%(words)s”). Signaleren counts a "
        "negated mention as absent."
    ),
    "other_person": gettext_lazy(
        "Not a signal about %(client)s: this is about someone else (“%(words)s”)."
    ),
    "hypothetical": gettext_lazy(
        "Not a signal: this is a possibility or a doubt, not an observation (“%(words)s”)."
    ),
    "historical": gettext_lazy(
        "Not a signal now: this lies in the past (“%(words)s”). It can be context, but "
        "Signaleren does not count it as a current signal."
    ),
}
# The client's own past: relevant history, so ticking it is context, not a false alarm.
HISTORY_REASON = gettext_lazy(
    "Relevant history of %(client)s, not a current signal (“%(words)s”): it belongs in the "
    "picture, so ticking it counts neither for nor against you."
)


def _indicator_text(indicator: str) -> dict[str, str]:
    spec = default_library().indicators[indicator]
    language = current_language()
    return {
        "id": indicator,
        "label": spec.label.en if language == "en" else spec.label.nl,
        "description": spec.description.en if language == "en" else spec.description.nl,
    }


def _explained(sentence: Any, client: str, named: str = "") -> dict[str, Any]:
    """A sentence of the key with its findings explained in the learner's language."""

    def words(text: str) -> str:
        # The learned detector reads a whole sentence: quoting it again adds nothing.
        return "" if text.strip() == sentence.text.nl.strip() else text

    signals = [
        {**_indicator_text(m.indicator), "words": words(m.text), "role": m.role}
        for m in sentence.signals
    ]
    history = set(sentence.history)
    decoys = [
        {
            **_indicator_text(m.indicator),
            "words": words(m.text),
            "why": (HISTORY_REASON if m in history else DECOY_REASONS[m.reason])
            % {"client": client, "words": m.trigger or m.text},
        }
        for m in sentence.decoys
    ]
    vulnerabilities = [
        {**_indicator_text(m.indicator), "words": m.text} for m in sentence.vulnerabilities
    ]
    right = {m.indicator for m in sentence.signals}
    known = default_library().indicators
    return {
        "number": sentence.number,
        "text": sentence.text,
        "named": _indicator_text(named) if named in known else None,
        "named_right": named in right,
        "signals": signals,
        "decoys": decoys,
        "vulnerabilities": vulnerabilities,
        "action": sentence.other_person_action,
    }


def spot_list(request: HttpRequest) -> HttpResponse:
    """The spot-the-signal notes, with the learner's best score for each."""
    user = _learner(request)
    best = services.best_spot_percent(user)
    return render(
        request,
        "learning/spot_list.html",
        {
            "rows": [
                (spot, PROFESSION_LABELS[spot.note.setting], best.get(spot.id))
                for spot in services.content().spot
            ]
        },
    )


def _spot_page(
    request: HttpRequest,
    spot: Any,
    ticked: set[int] | None = None,
    named: dict[int, str] | None = None,
    error: SpotInputError | None = None,
) -> HttpResponse:
    language = current_language()
    library = default_library()
    choices = sorted(
        (
            (spec.id, spec.label.en if language == "en" else spec.label.nl)
            for spec in library.signals
        ),
        key=lambda choice: choice[1].casefold(),
    )
    return render(
        request,
        "learning/spot_exercise.html",
        {
            "spot": spot,
            "note": spot.note,
            "setting": PROFESSION_LABELS[spot.note.setting],
            "ticked": ticked or set(),
            "named": named or {},
            "choices": choices,
            "error": error is not None,
            "wrong_choice": error.sentence if isinstance(error, UnknownChoiceError) else None,
        },
        status=400 if error is not None else 200,
    )


def spot_exercise(request: HttpRequest, note_id: str) -> HttpResponse:
    """A case note as tickable sentences; POST scores the marks and shows the feedback.

    An empty submit is refused with an error summary: the learner ticks at least one sentence
    or says they see no signal, so a slip is never scored as "saw nothing".
    """
    user = _learner(request)
    spot = services.content().spot_note(note_id)
    if spot is None:
        raise Http404
    if request.method == "POST":
        values = request.POST.getlist("sentence")[: len(spot.key)]
        ticked = {int(v) for v in values if v.isdigit() and len(v) <= 3}
        nothing = request.POST.get("nothing") == "1"
        named = {
            s.number: value
            for s in spot.key
            if (value := request.POST.get(f"indicator-{s.number}", "")[:80])
        }
        try:
            attempt = services.record_spot_attempt(user, spot.id, ticked, nothing, named)
        except SpotInputError as error:
            return _spot_page(request, spot, ticked, named, error=error)
        return redirect("learning:spot_result", attempt_id=attempt.pk)
    return _spot_page(request, spot)


def spot_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Feedback on an attempt: hits, false alarms (with why they do not count) and misses, each
    with Signaleren's explanation of the indicator and its context."""
    user = _learner(request)
    attempt = get_object_or_404(SpotAttempt, pk=attempt_id, user=user)
    spot = services.content().spot_note(attempt.note_id)
    marks = list(attempt.marks.all())
    current = spot is not None and len(marks) == len(spot.key)
    groups: dict[str, list[dict[str, Any]]] = {mark.value: [] for mark in Mark}
    if spot is not None and current:
        for row in marks:
            groups[row.mark].append(
                _explained(spot.key[row.sentence - 1], spot.note.client, row.named)
            )
    missed = [
        _indicator_text(indicator)
        for indicator in dict.fromkeys(
            signal["id"] for item in groups[Mark.MISSED.value] for signal in item["signals"]
        )
    ]
    return render(
        request,
        "learning/spot_result.html",
        {
            "attempt": attempt,
            "spot": spot,
            "note": spot.note if spot else None,
            "current": current,
            "hits": groups[Mark.HIT.value],
            "false_alarms": groups[Mark.FALSE_ALARM.value],
            "misses": groups[Mark.MISSED.value],
            "context": groups[Mark.CONTEXT.value],
            # Disclosures about another young person the learner left unticked: their action
            # is shown anyway (ticked ones show it among the false alarms).
            "actions": [item for item in groups[Mark.PASSED.value] if item["action"] is not None],
            "missed_cards": missed,
            "library_version": default_library().version,
        },
    )
