"""`|glossary_links` links glossary terms in a text; `{% fg_contact %}` shows the user's FG."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ketenwijs.site.glossary import link_segments, load_glossary

register = template.Library()


@register.filter(is_safe=True)
def glossary_links(text: Any) -> SafeString:
    """Escape `text` and link the first occurrence of each glossary term to its entry.

    A value that is already HTML (a SafeString) is returned unchanged: it may hold links, and a
    link inside a link is invalid. Plain text is escaped piece by piece, so nothing in it becomes
    markup.
    """
    if isinstance(text, SafeString):
        return text
    value = "" if text is None else str(text)
    language = translation.get_language() or "nl"
    base = reverse("core:glossary")
    parts: list[str] = []
    for piece, term in link_segments(value, load_glossary(), language):
        if term is None:
            parts.append(conditional_escape(piece))
        else:
            parts.append(
                format_html('<a class="glossary-link" href="{}#{}">{}</a>', base, term.id, piece)
            )
    return mark_safe("".join(parts))  # noqa: S308 -- every piece is escaped or format_html


@register.inclusion_tag("core/_fg_contact.html", takes_context=True)
def fg_contact(context: template.Context) -> dict[str, Any]:
    """The FG contact of the signed-in user's organisation, or where to find one when not set."""
    from ketenwijs.web.core.services import contact_for

    request = context.get("request")
    user = getattr(request, "user", None)
    organisation = getattr(user, "organisation", None) if user is not None else None
    return {"contact": contact_for(organisation), "has_organisation": organisation is not None}
