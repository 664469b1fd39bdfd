"""The GOV.UK error pattern on every page: one summary at the top of main, "Fout: " in the title.

Both tags read the page's whole template context, so a view only has to pass its bound forms (as
it already does): every form with errors is summarised, whatever its variable is called.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm, RadioSelect
from django.template.context import Context
from django.utils.translation import gettext

register = template.Library()


def forms_with_errors(context: Context) -> list[BaseForm]:
    """Return the bound forms in the context that have errors, each once, in context order."""
    found: dict[int, BaseForm] = {}
    for value in context.flatten().values():
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            found.setdefault(id(value), value)
    return list(found.values())


@register.simple_tag(takes_context=True)
def error_title_prefix(context: Context) -> str:
    """Return "Fout: " when a form on the page has errors (GOV.UK: the title says so first)."""
    return f"{gettext('Error')}: " if forms_with_errors(context) else ""


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context: Context) -> dict[str, Any]:
    """Render one summary of every error of every form on the page, each linked to its field."""
    items: list[tuple[str, str]] = []  # (target id or "", text)
    for form in forms_with_errors(context):
        items.extend(("", str(error)) for error in form.non_field_errors())
        for field in form:
            for error in field.errors:
                target = field.auto_id
                # A group of radios or checkboxes has no element with the field's own id that
                # takes focus: link to its first option, as GOV.UK does.
                if isinstance(field.field.widget, RadioSelect):  # CheckboxSelectMultiple too
                    target = f"{field.auto_id}_0"
                items.append((target, f"{field.label}: {error}" if field.label else str(error)))
    return {"items": items}
