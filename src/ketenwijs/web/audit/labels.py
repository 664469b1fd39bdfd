"""Human labels for case facts and outcomes, taken from the rules (one source of wording)."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language, gettext

from ketenwijs.sharing import load_rulebook


@cache
def _options(lang: str) -> dict[str, dict[str, str]]:
    rulebook = load_rulebook()
    return {
        question.fact: {
            value: (text.en if lang == "en" else text.nl)
            for value, text in question.options.items()
        }
        for question in rulebook.questions
        if question.options
    }


@cache
def _questions(lang: str) -> dict[str, str]:
    rulebook = load_rulebook()
    return {q.fact: (q.text.en if lang == "en" else q.text.nl) for q in rulebook.questions}


@cache
def _steps(lang: str) -> list[tuple[str, str]]:
    rulebook = load_rulebook()
    return [(step.id, step.title.en if lang == "en" else step.title.nl) for step in rulebook.steps]


def steps() -> list[tuple[str, str]]:
    """Return (step id, title) in the order of the assessment: the sections of a record."""
    return _steps(_lang())


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def option_label(fact: str, value: object) -> str:
    """Return the label of an answer as the interview shows it, or the raw value."""
    if isinstance(value, bool):
        return {"nl": {True: "ja", False: "nee"}, "en": {True: "yes", False: "no"}}[_lang()][value]
    if isinstance(value, list):
        return ", ".join(option_label(fact, item) for item in value) or "—"
    return _options(_lang()).get(fact, {}).get(str(value), str(value))


def option_choices(fact: str) -> list[tuple[str, str]]:
    """Return (value, label) pairs for a filter on an enum fact."""
    return sorted(_options(_lang()).get(fact, {}).items(), key=lambda item: item[1])


def question_text(fact: str) -> str:
    """Return the interview question for a fact (used as its label in records)."""
    if fact == "reference_date":  # not asked: the date whose law the assessment applied
        return str(gettext("Reference date (the law as it stood on)"))
    return _questions(_lang()).get(fact, fact)


def localised(text: object) -> str:
    """Pick the active language from a {"nl": …, "en": …} dict in a stored assessment."""
    if isinstance(text, dict):
        return str(text.get(_lang()) or text.get("nl") or "")
    return str(text or "")
