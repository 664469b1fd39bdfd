"""Privacy guard: find personal data in free text before it is stored.

Pure Python, no Django: the decision-log forms, the API and `ketenwijs privacy check` all call
`check_text`. See docs/decisions/0004-privacy-guard.md for what it finds and why it is built
this way instead of on deduce.
"""

from ketenwijs.privacy.guard import check_text, contains_personal_data
from ketenwijs.privacy.hits import HIT_KINDS, Hit, HitKind
from ketenwijs.privacy.messages import (
    KIND_LABELS,
    Location,
    RefusalMessage,
    describe_hit,
    locate,
    refusal_message,
)

__all__ = [
    "HIT_KINDS",
    "KIND_LABELS",
    "Hit",
    "HitKind",
    "Location",
    "RefusalMessage",
    "check_text",
    "contains_personal_data",
    "describe_hit",
    "locate",
    "refusal_message",
]
