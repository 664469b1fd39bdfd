"""`{{ value|fact_label:"recipient" }}`: show an answer with the interview's wording."""

from django import template

from ketenwijs.web.audit.labels import option_label

register = template.Library()


@register.filter
def fact_label(value: object, fact: str) -> str:
    return option_label(fact, value) if value not in (None, "") else "—"
