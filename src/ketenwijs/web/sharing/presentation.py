"""Turn the interview and the assessment into what the templates show, in the user's language.

Texts from the rules come in Dutch and English (`Text`); UI words (status names, yes/no) are
gettext strings. Colour is never the only cue: each status and outcome also has a symbol and a word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ketenwijs.sharing import Assessment, CheckResult, Comparison, Question, Source
from ketenwijs.sharing.infographic import OUTCOME_STYLE
from ketenwijs.sharing.schema import LawTextNotRead
from ketenwijs.web.sharing.wizard import NONE_OF_THESE, JSONValue, Wizard

MINIMISATION_STEP = "necessity"


def in_lang(text: Any, lang: str) -> str:
    """Return a content text (nl/en) in `lang`."""
    return str(getattr(text, lang))


def status_label(status: str) -> tuple[str, str]:
    """Return (symbol, word) for a check status."""
    labels = {
        "met": ("✓", _("met")),
        "not_met": ("✕", _("not met")),
        "unknown": ("?", _("unknown")),
        "not_applicable": ("—", _("not applicable")),
    }
    return labels[status]


def options(question: Question, lang: str) -> list[tuple[str, str]]:
    """Return the (value, label) choices of a question."""
    if question.type == "bool":
        return [("true", _("Yes")), ("false", _("No"))]
    return [(value, in_lang(label, lang)) for value, label in question.options.items()]


def answer_label(question: Question, value: JSONValue, lang: str) -> str:
    """Return an answer as the user saw it when choosing."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        if not value:
            return _("None of these")
        return ", ".join(
            in_lang(label, lang) for v, label in question.options.items() if v in value
        )
    return in_lang(question.options[value], lang)


def _selected(value: JSONValue | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list):
        return list(value) or [NONE_OF_THESE]
    return [value]


def law_text(source: Source, day: dt.date, lang: str) -> dict[str, Any] | None:
    """Return the article's wording as read (with where, when and which version) or why not.

    Issue 12: only text read in a source is shown, never a paraphrase; the version is compared
    with the reference date so a user sees when the text read may not be the one in force.
    """
    text = source.law_text
    if text is None:
        return None
    if isinstance(text, LawTextNotRead):
        return {"status": "not_read", "reason": in_lang(text.reason, lang)}
    where = (
        _("the official publication")
        if text.official
        else _("a verbatim reproduction, not the official publication")
    )
    if text.version_date is None:
        version = _(
            "The version date of this text is unknown: check the text in force on the reference "
            "date through the link."
        )
    elif text.version_date > day:
        version = _(
            "This version applies from %(date)s, after the reference date: the text in force "
            "then may differ."
        ) % {"date": text.version_date.isoformat()}
    else:
        version = _(
            "Version in force from %(date)s; later changes up to the reference date were not "
            "checked."
        ) % {"date": text.version_date.isoformat()}
    return {
        "status": "read",
        "text": text.nl,
        "read_on": text.read_on,
        "at": text.at,
        "where": where,
        "official": text.official,
        "version": version,
    }


def sources(
    items: tuple[Source, ...], lang: str, day: dt.date | None = None
) -> list[dict[str, Any]]:
    """Return sources with citation, link, verified mark, precedent and the law's own words.

    With the reference date `day`, each source links to the law as in force that day.
    """
    out = []
    on = day or dt.date.today()
    for source in items:
        precedent = source.precedent
        out.append(
            {
                "cite": source.cite,
                "title": source.title,
                "url": source.url,
                "url_in_force": source.url_on(on),
                # True when the link opens the law as in force that day (a BWB id is known).
                "link_dated": source.publication is not None and source.publication.bwb is not None,
                "day": on,
                "law_text": law_text(source, on, lang),
                "verified": source.verified,
                "note": None if source.note is None else in_lang(source.note, lang),
                "precedent": None
                if precedent is None
                else {
                    "id": precedent.id,
                    "url": precedent.url,
                    "date": precedent.date,
                    "held": precedent.held,
                    "summary": in_lang(precedent.summary, lang),
                },
            }
        )
    return out


def _check(
    result: CheckResult,
    lang: str,
    step_titles: dict[str, str],
    ruleset_sha: str,
    day: dt.date,
    relevant: SourceFilter | None = None,
    fact: bool = False,
) -> dict[str, Any]:
    symbol, word = status_label(result.status)
    check = result.check
    cited = check.sources if relevant is None else relevant(check.sources, check.id)
    if fact:
        # A fact about the case (e.g. "these are personal data"), not a test that failed.
        symbol, word = "i", _("fact")
    return {
        # Everything below follows from these three and the language (sharing_tags.check_item):
        # a check's texts and sources are rule-set wide, the same in every dated version.
        # The cited sources depend on the sender's regime (Wpg/Wjsg/AVG) and on which other
        # checks apply, so they are part of the key: one fragment per check, status, kind and
        # set of citations. The links go to the law as in force on the reference date, so that
        # date is part of the key too.
        "fragment_key": (
            ruleset_sha,
            check.id
            + ("|fact|" if fact else "|")
            + ";".join(s.cite for s in cited)
            + "|"
            + day.isoformat(),
            result.status,
        ),
        "id": check.id,
        "title": in_lang(check.title, lang),
        "step": step_titles.get(check.step, check.step),
        "status": "fact" if fact else result.status,
        "symbol": symbol,
        "status_label": word,
        "explanation": in_lang(check.explanation[result.status], lang),
        "sources": sources(cited, lang, day),
    }


SourceFilter = Callable[[tuple[Source, ...], str | None], tuple[Source, ...]]


def relevant_sources(assessment: Assessment, umbrellas: tuple[str, ...] = ()) -> SourceFilter:
    """Return a filter that leaves out citations only checks that did not apply rely on.

    A general item (the secrecy condition, "no special secrecy rule") cites every secrecy law;
    in a Bibob case the tax, medical and youth-care articles are unrelated. A citation stays when
    some other check that applies cites it, or when no check cites it at all (e.g. AVG 30 of
    "record the decision"); when nothing would stay, all stay. `umbrellas` are the general
    checks (`allowed_only_if`) that cite every such law: they do not make a citation relevant.
    """
    citing: dict[str, set[str]] = {}
    for r in assessment.checks:
        if r.check.id in umbrellas:
            continue
        for source in r.check.sources:
            citing.setdefault(source.cite, set()).add(r.check.id)
    applied = {r.check.id for r in assessment.checks if r.status != "not_applicable"}

    def keep(items: tuple[Source, ...], own: str | None = None) -> tuple[Source, ...]:
        kept = tuple(
            s
            for s in items
            if not (others := citing.get(s.cite, set()) - {own or ""}) or others & applied
        )
        return kept or items

    return keep


def step_context(wizard: Wizard, question: Question, lang: str) -> dict[str, Any]:
    """Return what the question page shows around the question."""
    rulebook = wizard.rulebook
    interview = wizard.interview
    facts = wizard.case.facts
    steps = []
    for step in rulebook.steps:
        asked = [q for q in rulebook.questions if q.step == step.id]
        if not asked:
            continue  # a step with checks only (e.g. which regime applies) has no page
        is_open = any(q.fact not in facts and interview.is_relevant(q) for q in asked)
        state = "current" if step.id == question.step else ("open" if is_open else "done")
        steps.append({"id": step.id, "title": in_lang(step.title, lang), "state": state})
    progress = wizard.progress()
    entry = wizard.entry_answers()
    step_def = next(s for s in rulebook.steps if s.id == question.step)
    preselected = wizard.preselected(question)
    return {
        "steps": steps,
        "step_title": in_lang(step_def.title, lang),
        "number": progress.answered - entry + 1,
        "total": max(progress.total, progress.answered + 1) - entry,
        "answered": progress.answered - entry,
        "question_text": in_lang(question.text, lang),
        "help_text": in_lang(question.help, lang),
        "choices": options(question, lang),
        "selected": _selected(preselected),
        "several": question.type == "enum_list",
        "none_value": NONE_OF_THESE,
        "is_suggested": question.fact in wizard.suggested and question.fact not in facts,
        "sources": sources(question.sources, lang, wizard.case.reference_date),
        "can_go_back": wizard.can_go_back(),
    }


def _is_fact(result: CheckResult, rulebook: Any) -> bool:
    """Whether a check states a fact about the case rather than a test to pass.

    "No personal data: not met" only says that personal data are shared: informational checks
    and the checks that make a share unconditionally allowed (`allowed_only_if`) are shown as
    what they establish, never as a failure.
    """
    return result.status in {"met", "not_met"} and (
        result.check.effect == "info" or result.check.id in rulebook.allowed_only_if
    )


def result_context(wizard: Wizard, lang: str) -> dict[str, Any]:
    """Return the outcome, conditions, next steps first; then facts, checks and provenance.

    Each check is listed once: a reason is not repeated under minimisation or the other checks.
    """
    rulebook = wizard.rulebook
    assessment = wizard.assessment(explain=True)
    step_titles = {s.id: in_lang(s.title, lang) for s in rulebook.steps}
    relevant = relevant_sources(assessment, rulebook.allowed_only_if)
    sha = assessment.sha256
    reasons = list(assessment.reasons)
    applied = [r for r in assessment.checks if r.status != "not_applicable" and r not in reasons]
    facts = [r for r in applied if _is_fact(r, rulebook)]
    tests = [r for r in applied if r not in facts]
    minimise_step = next((s for s in rulebook.steps if s.id == MINIMISATION_STEP), None)
    version = rulebook.version(assessment.version).version
    day = assessment.valid_on

    def shown(r: CheckResult, fact: bool = False) -> dict[str, Any]:
        return _check(r, lang, step_titles, sha, day, relevant, fact)

    not_applicable = [r for r in assessment.checks if r.status == "not_applicable"]
    return {
        "assessment": assessment,
        "outcome": {
            "key": assessment.outcome,
            "symbol": OUTCOME_STYLE[assessment.outcome][0],
            "label": assessment.outcome_label[lang],
            "description": in_lang(rulebook.outcomes[assessment.outcome].description, lang),
        },
        "urgent": assessment.urgent,
        "paperwork_left": wizard.paperwork_left(),
        "reasons": [shown(r) for r in reasons],
        "facts": [shown(r, fact=True) for r in facts],
        "checks": [shown(r) for r in tests if r.check.step != MINIMISATION_STEP],
        "not_applicable": [
            {"title": in_lang(r.check.title, lang), "step": step_titles.get(r.check.step, "")}
            for r in not_applicable
        ],
        "all_checks_count": len(assessment.checks),
        "conditions": [
            {
                "id": c.id,
                "text": in_lang(c.text, lang),
                "sources": sources(relevant(c.sources, None), lang, day),
                # The sources markup is cached per rule set, condition, citations and date.
                "fragment_key": (
                    sha,
                    "condition:" + c.id + "|" + ";".join(s.cite for s in relevant(c.sources, None)),
                    day.isoformat(),
                ),
            }
            for c in assessment.conditions
        ],
        "next_steps": [in_lang(n.text, lang) for n in assessment.next_steps],
        "changes": [c.text[lang] for c in assessment.changes or ()],
        "minimisation": {
            "advice": in_lang(minimise_step.description, lang) if minimise_step else "",
            "checks": [shown(r) for r in tests if r.check.step == MINIMISATION_STEP],
        },
        "answers": summary_rows(wizard, lang),
        "ruleset": {
            "id": assessment.ruleset_id,
            "version": assessment.version,
            "version_label": in_lang(version.label, lang),
            "valid_on": assessment.valid_on,
            "sha256": assessment.sha256,
        },
        "disclaimer": assessment.disclaimer[lang],
    }


def summary_rows(wizard: Wizard, lang: str) -> list[dict[str, Any]]:
    """Return every answered question (and each "I don't know") in the order of the rules."""
    rows = []
    for question in wizard.rulebook.questions:
        if question.fact in wizard.case.facts:
            value = wizard.preselected(question)
            assert value is not None
            label = answer_label(question, value, lang)
        elif question.fact in wizard.unknown:
            label = _("I don't know")
        else:
            continue
        rows.append(
            {
                "fact": question.fact,
                "question": in_lang(question.text, lang),
                "answer": label,
                "unknown": question.fact in wizard.unknown,
            }
        )
    return rows


def compare_context(comparison: Comparison, lang: str) -> dict[str, Any]:
    """Return both outcomes and one row per check that applies on either date, changed first."""
    a, b = comparison.a, comparison.b

    def side(x: Any) -> dict[str, Any]:
        symbol = OUTCOME_STYLE[x.outcome][0]
        return {"date": x.valid_on, "version": x.version, "outcome": x.outcome_label[lang],
                "key": x.outcome, "symbol": symbol}  # fmt: skip

    rows = []
    for row in comparison.checks:
        if not row.applies:
            continue
        rows.append(
            {
                "id": row.check.id,
                "title": in_lang(row.check.title, lang),
                "a": status_label(row.a.status),
                "b": status_label(row.b.status),
                "changed": row.changed,
                "why": list(row.why(lang)),
                "sources": [s for p in row.parameters for s in sources(p.parameter.sources, lang)],
            }
        )
    rows.sort(key=lambda r: not r["changed"])  # stable: changed rows first, in check order
    return {
        "a": side(a),
        "b": side(b),
        "outcome_changed": comparison.outcome_changed,
        "same_version": comparison.same_version,
        "rows": rows,
        "changed_count": sum(1 for r in rows if r["changed"]),
        "conditions_only_a": [in_lang(c.text, lang) for c in comparison.conditions_only_in("a")],
        "conditions_only_b": [in_lang(c.text, lang) for c in comparison.conditions_only_in("b")],
    }


def draft_row(draft: Any, wizard: Wizard) -> dict[str, Any]:
    """Return what the start page lists for one unfinished assessment."""
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    questions = {q.fact: q for q in wizard.rulebook.questions}
    parties = [
        answer_label(questions[fact], value, lang)
        for fact in ("sender", "recipient")
        if (value := wizard.preselected(questions[fact])) is not None and fact in wizard.case.facts
    ]
    progress = wizard.progress()
    entry = wizard.entry_answers()
    return {
        "id": wizard.id,
        "parties": " → ".join(parties),
        "updated_at": draft.updated_at,
        "expires_at": draft.expires_at(),
        "answered": progress.answered - entry,
        "total": max(progress.total, progress.answered) - entry,
        "complete": wizard.is_complete(),
        "saved": wizard.saved_url is not None,
    }
