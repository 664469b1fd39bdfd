"""Messages for a refused save: what was found and where, in Dutch and English, never the value.

The message names the kind and the place (line, first and last character) but does not
repeat the personal data itself, so it is safe to show, log or send back in an error response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ketenwijs.privacy.hits import Hit, HitKind

RANGE_DASH = "\u2013"  # en dash, as ranges are written in Dutch and English text

KIND_LABELS: dict[HitKind, tuple[str, str]] = {
    "bsn": ("BSN (burgerservicenummer)", "BSN (citizen service number)"),
    "iban": ("IBAN-rekeningnummer", "IBAN bank account number"),
    "phone": ("telefoonnummer", "phone number"),
    "email": ("e-mailadres", "e-mail address"),
    "date_of_birth": ("geboortedatum", "date of birth"),
    "person_name": ("naam van een persoon", "person's name"),
    "address": ("adres", "address"),
    "other": ("identificerend nummer", "identifying number"),
}


@dataclass(frozen=True)
class Location:
    """A 1-based line and the 1-based first and last character of a hit on that line."""

    line: int
    first_column: int
    last_column: int


def locate(text: str, hit: Hit) -> Location:
    """Return where a hit sits as a person counts: line, first and last character (1-based)."""
    line_start = text.rfind("\n", 0, hit.start) + 1
    line = text.count("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.start)
    last = min(hit.end, line_end if line_end != -1 else hit.end)
    return Location(
        line, hit.start - line_start + 1, max(last - line_start, hit.start - line_start + 1)
    )


@dataclass(frozen=True)
class RefusalMessage:
    """The same message in Dutch and English; `str()` gives both, Dutch first."""

    nl: str
    en: str

    def __str__(self) -> str:
        return f"{self.nl}\n{self.en}"


def describe_hit(text: str, hit: Hit) -> tuple[str, str]:
    """Return "regel L, teken A-B: BSN (burgerservicenummer)" (en dash) and its English twin."""
    where = locate(text, hit)
    label_nl, label_en = KIND_LABELS[hit.kind]
    span = f"{where.first_column}{RANGE_DASH}{where.last_column}"
    return (
        f"regel {where.line}, teken {span}: {label_nl}",
        f"line {where.line}, characters {span}: {label_en}",
    )


def refusal_message(text: str, hits: Sequence[Hit]) -> RefusalMessage:
    """Explain why a text is refused: each finding with its place, and what to do instead."""
    if not hits:
        return RefusalMessage("Geen persoonsgegevens gevonden.", "No personal data found.")
    parts = [describe_hit(text, hit) for hit in hits]
    nl_items = "; ".join(nl for nl, _ in parts)
    en_items = "; ".join(en for _, en in parts)
    return RefusalMessage(
        "Niet opgeslagen: de tekst lijkt persoonsgegevens te bevatten van de mensen over wie hij "
        f"gaat ({nl_items}). Laat ze weg of vervang ze door een aanduiding als 'cliënte A' of "
        "'betrokkene 1'; uw tekst is bewaard in het formulier.",
        "Not saved: the text seems to contain personal data of the people it is "
        f"about ({en_items}). Leave them out or replace them with a label such as 'client A' or "
        "'person 1'; your text has been kept in the form.",
    )
