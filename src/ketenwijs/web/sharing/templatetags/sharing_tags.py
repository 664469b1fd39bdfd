"""`{% check_item check %}`: one check of the result page, rendered once per rule set and language.

A check's markup depends only on the rule set (by sha256), the check, its status and the language:
its title, explanation, step and sources all come from the rules. The result page shows up to
34 of them with their sources, which was most of its render time (docs/PERFORMANCE.md), so each
fragment is rendered once per process and reused by every later result page.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# 34 checks x 4 statuses x 2 languages x the dated versions stays far below this bound; past it,
# fragments are rendered each time rather than evicted (a new rule set means a restart anyway).
MAX_FRAGMENTS = 4096
_fragments: dict[tuple[str, str, str, str], str] = {}


@register.simple_tag
def check_item(check: dict[str, Any]) -> SafeString:
    """Render `sharing/_check.html` for this check, from the cache when it was rendered before."""
    ruleset_sha, check_id, status = check["fragment_key"]
    language = translation.get_language() or "nl"
    key = (ruleset_sha, check_id, status, language)
    html = _fragments.get(key)
    if html is None:
        html = render_to_string("sharing/_check.html", {"check": check})
        if len(_fragments) < MAX_FRAGMENTS:
            _fragments[key] = html
    return mark_safe(html)  # noqa: S308 -- rendered by Django's template engine, autoescaped


@register.simple_tag
def sources_item(item: dict[str, Any]) -> SafeString:
    """Render `sharing/_sources.html` for a condition's sources, cached like `check_item`.

    A condition's sources, their law texts and the links at the reference date depend only on
    the rule set, the condition, the date and the language (`item["fragment_key"]`).
    """
    ruleset_sha, item_key, day = item["fragment_key"]
    language = translation.get_language() or "nl"
    key = (ruleset_sha, item_key, day, language)
    html = _fragments.get(key)
    if html is None:
        html = render_to_string("sharing/_sources.html", {"sources": item["sources"]})
        if len(_fragments) < MAX_FRAGMENTS:
            _fragments[key] = html
    return mark_safe(html)  # noqa: S308 -- rendered by Django's template engine, autoescaped
