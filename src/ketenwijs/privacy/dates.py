"""Dates of birth: a date only counts when a birth word announces it in the same sentence.

Motivations are full of dates (of decisions, meetings, laws entering into force); those are not
personal data and must pass. "geboren op 3 maart 2009" or "geb. 12-03-2001" must not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ketenwijs.privacy.hits import Hit

_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"january|february|march|may|june|july|august|october|"
    r"jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|oct|nov|dec"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"

_DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"{_DAY}(?P<sep>[-/.]){_MONTH_NUM}(?P=sep)(?:{_YEAR}|\d{{2}})"  # 12-03-2001, 1/3/01
    rf"|{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"  # 2001-03-12
    rf"|{_DAY}(?:e|ste|de)?\s+(?i:{_MONTHS})\.?\s+{_YEAR}"  # 12 maart 2001
    rf"|(?i:{_MONTHS})\.?\s+{_DAY},?\s+{_YEAR}"  # March 12, 2001
    rf")(?![\w/-]|[.,]\d)"
)

# Birth words. "geb.", "gd" and "*" (or the Belgian "°") are how Dutch, Flemish and
# genealogical notes abbreviate "born".
_BIRTH_WORD = re.compile(
    r"(?i:\b(?:geboren|geb\.|geb\b|geboortedatum|geb\.?\s?datum|geb\.?\s?dat\.?|geboortedag|"
    r"gd\b\.?|g\.d\.|d\.o\.b\.?|dob|date\s+of\s+birth|birth\s?date|born|geburtsdatum|"
    r"né(?:e)?\s+le))"
)
# "* 12-03-2008", "(* 12-03-2008)", "° 12.03.2008": the sign right before the date.
_BIRTH_SIGN = re.compile(r"(?:^|[^\w*°])[*°]\s{0,2}$")
# Words for a person right before a date in brackets: "meisje (12-03-2008)".
_PERSON_WORD = re.compile(
    r"(?i:\b(?:cli[eë]nte?|betrokkene|slachtoffer|verdachte|jongere|minderjarige|meisje|jongen|"
    r"kind|dochter|zoon|leerling|pati[eë]nte?|moeder|vader|broer|zus|baby|jeugdige|pupil|"
    r"mevrouw|meneer|dhr\.?|mw\.?))\s*$"
)
_BRACKETED = re.compile(r"\(\s*$")
_YEAR_OF_BIRTH = re.compile(
    rf"(?i:\b(?:geboortejaar|geboren\s+in|born\s+in)\s*:?\s*)(?P<year>{_YEAR})"
    r"(?![\w/-])"
)
# Between the birth word and the date: a short stretch within the sentence, e.g. ": ",
# " op ", " te Nador op ", " in Warschau on ".
_GAP_LIMIT = 45
_SENTENCE_BREAK = re.compile(r"[!?;\n]|\.\s+[A-Z]")


def find_dates_of_birth(text: str, person_ends: frozenset[int] = frozenset()) -> Iterator[Hit]:
    """Yield dates announced as a birth date, and a birth year after "geboortejaar"/"geboren in".

    A date in brackets right after a person ("meisje (12-03-2008)", or a name that ends at one
    of `person_ends`) is a birth date too: that is how case notes write it.
    """
    for m in _DATE.finditer(text):
        window_start = max(0, m.start() - _GAP_LIMIT - 16)
        window = text[window_start : m.start()]
        if _BIRTH_SIGN.search(window) or _bracketed_after_person(text, m.start(), person_ends):
            yield Hit("date_of_birth", m.start(), m.end(), m.group())
            continue
        for trigger in _BIRTH_WORD.finditer(window):
            gap = window[trigger.end() :]
            if len(gap) <= _GAP_LIMIT and not _SENTENCE_BREAK.search(gap):
                yield Hit("date_of_birth", m.start(), m.end(), m.group())
                break
    for m in _YEAR_OF_BIRTH.finditer(text):
        yield Hit("date_of_birth", m.start("year"), m.end("year"), m.group("year"))


def _bracketed_after_person(text: str, start: int, person_ends: frozenset[int]) -> bool:
    before = text[max(0, start - 40) : start]
    bracket = _BRACKETED.search(before)
    if bracket is None:
        return False
    head = before[: bracket.start()]
    stripped = head.rstrip()
    end = start - len(before) + len(stripped)
    return end in person_ends or _PERSON_WORD.search(head) is not None
