"""Template filters for learning content: show a bilingual text in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ketenwijs.learning.schema import SourceKind

register = template.Library()

SOURCE_KIND_LABELS = {
    SourceKind.STATUTE: _("statute"),
    SourceKind.CASE_LAW: _("case law"),
    SourceKind.OFFICIAL_REPORT: _("official report"),
    SourceKind.STUDY: _("study"),
    SourceKind.NEWS: _("news"),
}


def current_language() -> str:
    """Return 'en' when the active language is English, else 'nl' (Dutch first)."""
    return "en" if (get_language() or "nl").startswith("en") else "nl"


@register.filter
def tr(text: object) -> str:
    """Return a content Text (nl/en) in the active language; other values as they are."""
    in_language = getattr(text, "in_language", None)
    if in_language is None:
        return "" if text is None else str(text)
    return str(in_language(current_language()))


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """Look a key up in a dict (templates cannot index with a variable)."""
    return mapping.get(key)


@register.filter
def timeuntil_label(delta: object) -> str:
    """Render a timedelta as a short, translated duration such as '10 minutes' or '3 days'."""
    import datetime as dt

    from django.utils.timesince import timesince

    if not isinstance(delta, dt.timedelta):
        return ""
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return timesince(start, start + max(delta, dt.timedelta(minutes=1)), depth=1)


@register.filter
def source_kind_label(kind: object) -> str:
    """Return the translated name of a source kind (statute, case law, official report, ...)."""
    return str(SOURCE_KIND_LABELS[kind]) if isinstance(kind, SourceKind) else ""
