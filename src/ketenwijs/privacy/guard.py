"""The privacy guard: run every detector, drop what is an organisation, resolve overlaps."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ketenwijs.privacy.addresses import find_addresses
from ketenwijs.privacy.dates import find_dates_of_birth
from ketenwijs.privacy.hits import Hit, HitKind
from ketenwijs.privacy.names import find_person_names
from ketenwijs.privacy.numbers import (
    find_bsns,
    find_emails,
    find_ibans,
    find_other_ids,
    find_phones,
)

# When two findings overlap the more specific, checksum-backed one wins.
_PRIORITY: dict[HitKind, int] = {
    "email": 0,
    "iban": 1,
    "bsn": 2,
    "phone": 3,
    "date_of_birth": 4,
    "other": 5,
    "address": 6,
    "person_name": 7,
}

_CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w'\u2019]*(?:-[\w'\u2019]+)*"
# Organisations in the chain. A person-name finding inside one of these is dropped: "Veilig
# Thuis", "Gemeente Utrecht", "RIEC Amsterdam-Amstelland", "Emma Kinderziekenhuis".
_ORGANISATIONS = re.compile(
    r"\b(?:Veilig Thuis|CoMensha|Openbaar Ministerie|Nationale Politie|Koninklijke Marechaussee|"
    r"Belastingdienst|Nederlandse Arbeidsinspectie|Raad voor de Kinderbescherming|"
    r"Raad van State|Hoge Raad|Centrale Raad van Beroep|Autoriteit Persoonsgegevens|"
    r"Leger des Heils|Slachtofferhulp Nederland|Nationaal Rapporteur|William Schrikker\w*|"
    r"Prinses Máxima Centrum|Máxima MC|Erasmus MC|Anne Frank\w*|Thomas More|Jeroen Bosch|"
    r"Antoni van Leeuwenhoek|Juliana Kinderziekenhuis|Sophia Kinderziekenhuis|"
    r"Emma Kinderziekenhuis|Wilhelmina Kinderziekenhuis)\b"
    rf"|\b(?:Gemeente|Politie|Rechtbank|Gerechtshof|RIEC|Zorg- en Veiligheidshuis|"
    rf"Veiligheidshuis|Veiligheidsregio|GGD|Provincie|Waterschap|Stichting|Ministerie|"
    rf"Universiteit|Hogeschool|Basisteam|Eenheid|Arrondissementsparket|Parket|Woonstichting)"
    rf"(?:[ \t](?:van|voor|de|der|den|en|het|'t|{_CAP_WORD})){{1,5}}"
)


def _resolve(candidates: Iterable[Hit]) -> list[Hit]:
    """Keep the most specific of overlapping hits (then the longest), sorted by position."""
    chosen: list[Hit] = []
    taken: list[tuple[int, int]] = []
    ranked = sorted(candidates, key=lambda h: (_PRIORITY[h.kind], -(h.end - h.start), h.start))
    for hit in ranked:
        if any(hit.start < end and start < hit.end for start, end in taken):
            continue
        chosen.append(hit)
        taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: (h.start, h.end))


def check_text(text: str) -> list[Hit]:
    """Find personal data in `text`: sorted, non-overlapping hits with offsets into `text`."""
    protected = [m.span() for m in _ORGANISATIONS.finditer(text)]
    names = [
        hit
        for hit in find_person_names(text)
        if not any(hit.start < end and start < hit.end for start, end in protected)
    ]
    return _resolve(
        [
            *find_emails(text),
            *find_ibans(text),
            *find_bsns(text),
            *find_phones(text),
            *find_dates_of_birth(text),
            *find_other_ids(text),
            *find_addresses(text),
            *names,
        ]
    )


def contains_personal_data(text: str) -> bool:
    """Tell whether the guard finds anything; for validators that only need yes or no."""
    return bool(check_text(text))
