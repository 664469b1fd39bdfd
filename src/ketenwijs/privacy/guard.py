"""The privacy guard: run every detector, drop what is an organisation, resolve overlaps."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from ketenwijs.privacy.addresses import find_addresses
from ketenwijs.privacy.dates import find_dates_of_birth
from ketenwijs.privacy.hits import Hit, HitKind
from ketenwijs.privacy.lexicon import load_name_lists
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


class _Intervals:
    """Non-overlapping [start, end) spans kept sorted: overlap tests in O(log n), not O(n).

    A text full of candidates (100 kB of "de Vries de Vries …") must not cost quadratic time.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            if not self.overlaps(start, end):
                self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)  # spans starting before `end`
        return index > 0 and self._ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)


def _resolve(candidates: Iterable[Hit]) -> list[Hit]:
    """Keep the most specific of overlapping hits (then the longest), sorted by position."""
    chosen: list[Hit] = []
    taken = _Intervals()
    ranked = sorted(candidates, key=lambda h: (_PRIORITY[h.kind], -(h.end - h.start), h.start))
    for hit in ranked:
        if taken.overlaps(hit.start, hit.end):
            continue
        chosen.append(hit)
        taken.add(hit.start, hit.end)
    return sorted(chosen, key=lambda h: (h.start, h.end))


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of organisation names, cut short where a person's name starts inside one.

    "Politie Jan Jansen" is an officer, not a police unit: the protection ends before a known
    given name or initials followed by another capitalised word.
    """
    lists = load_name_lists()
    spans = []
    for m in _ORGANISATIONS.finditer(text):
        end = m.end()
        words = list(re.finditer(r"\S+", m.group()))
        for index, word in enumerate(words[1:-1], start=1):
            token = word.group()
            following = words[index + 1].group()
            person_start = token in lists.first_names or re.fullmatch(r"(?:[A-Z]\.){1,4}", token)
            if person_start and following[:1].isupper():
                end = m.start() + word.start()
                break
        spans.append((m.start(), end))
    return spans


def check_text(text: str) -> list[Hit]:
    """Find personal data in `text`: sorted, non-overlapping hits with offsets into `text`."""
    protected = _Intervals(_protected_spans(text))
    names = [hit for hit in find_person_names(text) if not protected.overlaps(hit.start, hit.end)]
    person_ends = frozenset(hit.end for hit in names)
    return _resolve(
        [
            *find_emails(text),
            *find_ibans(text),
            *find_bsns(text),
            *find_phones(text),
            *find_dates_of_birth(text, person_ends),
            *find_other_ids(text),
            *find_addresses(text),
            *names,
        ]
    )


def contains_personal_data(text: str) -> bool:
    """Tell whether the guard finds anything; for validators that only need yes or no."""
    return bool(check_text(text))
