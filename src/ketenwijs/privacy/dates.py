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

# Birth words. "geb." and "*" are how Dutch (and genealogical) notes abbreviate "born".
_BIRTH_WORD = re.compile(
    r"(?i:\b(?:geboren|geb\.|geb\b|geboortedatum|geb\.?\s?datum|geboortedag|d\.o\.b\.?|dob|"
    r"date\s+of\s+birth|birth\s?date|born)|\(\s*\*|(?<!\w)\*\s*(?=\d))"
)
_YEAR_OF_BIRTH = re.compile(
    rf"(?i:\b(?:geboortejaar|geboren\s+in|born\s+in)\s*:?\s*)(?P<year>{_YEAR})"
    r"(?![\w/-])"
)
# Between the birth word and the date: a short stretch within the sentence, e.g. ": ",
# " op ", " te Nador op ", " in Warschau on ".
_GAP_LIMIT = 45
_SENTENCE_BREAK = re.compile(r"[!?;\n]|\.\s+[A-Z]")


def find_dates_of_birth(text: str) -> Iterator[Hit]:
    """Yield dates announced as a birth date, and a birth year after "geboortejaar"/"geboren in"."""
    for m in _DATE.finditer(text):
        window_start = max(0, m.start() - _GAP_LIMIT - 16)
        window = text[window_start : m.start()]
        for trigger in _BIRTH_WORD.finditer(window):
            gap = window[trigger.end() :]
            if len(gap) <= _GAP_LIMIT and not _SENTENCE_BREAK.search(gap):
                yield Hit("date_of_birth", m.start(), m.end(), m.group())
                break
    for m in _YEAR_OF_BIRTH.finditer(text):
        yield Hit("date_of_birth", m.start("year"), m.end("year"), m.group("year"))
