"""Find how old the person a note is about is: ages, birth dates and years, school years.

The answer is `minor` true/false/unknown with the words it rests on, so a professional can check
it. Ages of other people ("haar vriend (24)", "een man van 45", "zijn zusje van 8") and past ages
("toen ze 14 was") are skipped; the first remaining statement decides. Pure regular expressions
over the original text, bounded by the text size (the callers bound that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ADULT_AGE = 18

_UNITS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9,
}  # fmt: skip
_SMALL = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}  # fmt: skip
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90,
}  # fmt: skip
_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6}


def number_word(word: str) -> int | None:
    """Return the value of a Dutch number word up to 99 ('vijftien', 'drieëntwintig'), or None."""
    word = word.lower().replace("ë", "e")
    if word.isdigit():
        return int(word)
    if word in _UNITS:
        return _UNITS[word]
    if word in _SMALL:
        return _SMALL[word]
    if word in _TENS:
        return _TENS[word]
    for unit, value in _UNITS.items():
        for tens, ten_value in _TENS.items():
            if word == f"{unit}en{tens}":
                return ten_value + value
    return None


# 'een' alone is far more often the article than the number: only read inside 'eenentwintig'.
_UNITS_ALONE = [u for u in _UNITS if u != "een"]
_NUM_WORDS = sorted(
    [*(f"{u}(?:e|ë)n{t}" for u in _UNITS for t in _TENS), *_SMALL, *_TENS, *_UNITS_ALONE],
    key=len,
    reverse=True,
)
_NUM = r"(?P<num>\d{1,2}|" + "|".join(_NUM_WORDS) + r")"
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Each pattern names what it found in `kind`; `num` is an age, `year` a birth year, `school` a
# school year. Word boundaries are explicit so that '2011' never reads as an age.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "birth_date",
            r"\b(?:geboren|geb\.?|geboortedatum|geb\.?\s*datum|geboortejaar|°)\s*(?:op|in|:)?\s*"
            r"(?:(?P<day>\d{1,2})\s*[-/. ]\s*(?P<month>\d{1,2}|"
            + _MONTH
            + r")\s*[-/. ]\s*)?"
            + _YEAR
            + r"\b",
        ),
        ("birth_date", r"\b" + _YEAR + r"\s+geboren\b"),
        ("age", r"\(\s*" + r"(?P<num>\d{1,2})" + r"\s*(?:jr|jaar|j)?\.?\s*\)"),
        ("age", r"\b" + _NUM + r"\s*-?\s*jarig(?:e|en)?\b"),
        ("age", r"\b" + _NUM + r"\s*(?:jr\b\.?|j\.|jaar\s+oud\b)"),
        ("age", r"\b(?:leeftijd|lft\.?)\s*:?\s*(?:van\s+)?" + _NUM + r"\b"),
        (
            "age_cue",
            r"\b(?:is|was|wordt|werd|ben|bent|pas|nog\s+maar|bijna|net|inmiddels|nu|sinds\s+kort)"
            r"\s+(?:pas\s+|nog\s+maar\s+|bijna\s+|net\s+|nu\s+|inmiddels\s+)?"
            + _NUM
            + r"(?:\s+jaar)?\b(?!\s*(?:jaar\s+)?(?:geleden|lang|later|eerder|getrouwd|samen|"
            r"in\s+dienst|uur|minuten|keer|euro|kilo|kg|procent|%|weken|dagen|maanden|km|"
            r"meter|ste|de|e)\b)",
        ),
        (
            "age",
            r"\b(?:meisje|meid|jongen|dochter|zoon|kind|tiener|leerling|leerlinge|scholier|"
            r"scholiere|cli[eë]nte?|jongere|jeugdige|puber|vrouw|mevrouw|meneer|betrokkene|"
            r"patiënte?|patiente?)\s*(?:,|van)\s*"
            + _NUM
            + r"(?:\s+jaar)?\b(?!\s*(?:geleden|lang))",
        ),
        ("age", r",\s*" + _NUM + r"\s+jaar\s*[,.]"),
        (
            "school",
            r"\bgroep\s+(?P<school>[1-8])\b(?!\s*(?:van|uit)\s+(?:de|het)\s+(?:politie|gemeente))",
        ),
        ("school", r"\b(?:brugklas\w*|brugpieper\w*|basisschool|basisonderwijs)\b"),
        (
            "school",
            r"\b(?P<school>[1-6])(?:e|de|ste)?\s*(?:klas\s+)?(?:havo|vwo|vmbo|mavo|gymnasium|"
            r"atheneum|vmbo-?\w+|tl|kader|gt)\b",
        ),
        ("school", r"\b(?:havo|vwo|vmbo|mavo|gymnasium|atheneum)[- ]?(?P<school>[1-6])\b"),
        (
            "school",
            r"\b(?P<ordinal>eerste|tweede|derde|vierde|vijfde)\s+(?:klas|jaar)\s+(?:van\s+(?:de|het)\s+)?"
            r"(?:havo|vwo|vmbo|mavo|middelbare|voortgezet|gymnasium)",
        ),
        ("school", r"\b(?:middelbare\s+school|voortgezet\s+onderwijs)\b"),
        ("word", r"\b(?P<minor>minderjarig\w*|tienermeisje|tienerjongen|tiener)\b"),
        ("word", r"\b(?P<adult>meerderjarig\w*|volwassen\s+(?:vrouw|man))\b"),
    )
)

# Words just before a statement that make it about someone else, or about the past.
_OTHER_BEFORE = re.compile(
    r"(?:\b(?:haar|zijn|hun|mijn|jouw|uw)\s+(?:\w+\s+)?(?:zoon|zoontje|dochter|dochtertje|"
    r"kind|kindje|kinderen|baby|broer|broertje|zus|zusje|vriend|vriendje|vriendin|ex|ex-vriend|"
    r"moeder|vader|stiefvader|stiefmoeder|oom|tante|neef|nicht|partner|man|vrouw|pooier|"
    r"baas|werkgever|oma|opa|halfbroer|halfzus)\w*"
    r"|\b(?:een|die|deze|de|twee|drie)\s+(?:\w+\s+)?(?:man|mannen|vriend|verdachte|dader|pleger|"
    r"klant|klanten|loverboy|pooier|jongen|jongens|volwassene)"
    r"|\b(?:man|mannen|verdachte|dader|pleger|klant|loverboy|pooier|ex|ex-vriend|vriend|vriendje|"
    r"stiefvader|oom|neef)"
    r"|\b(?:toen|als|vanaf|sinds|tot|op)\s+(?:ze|zij|hij|cli[eë]nte?|betrokkene|haar|zijn)?\s*"
    r"|\bals\s+|\bop\s+(?:haar|zijn)\s+|\b(?:al|sinds|na|over|binnen|ruim|gedurende|afgelopen|"
    r"laatste|elke|iedere|per|tot|vanaf|dan|onder|boven|tussen|jonger|ouder)\s+(?:de\s+|dan\s+)?)"
    r"[\s,(]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class AgeEvidence:
    """What the note says about the subject's age, and where (offsets into the original text)."""

    minor: bool | None
    age: int | None
    kind: str  # age | birth_date | school | word
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form."""
        return {
            "minor": self.minor,
            "age": self.age,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


def _from_birth(match: re.Match[str], reference: date) -> tuple[bool | None, int | None]:
    year = int(match.group("year"))
    day, month = match.groupdict().get("day"), match.groupdict().get("month")
    if year > reference.year:
        return None, None
    if day and month:
        month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."), 0)
        if 1 <= month_number <= 12 and 1 <= int(day) <= 31:
            age = (
                reference.year
                - year
                - ((month_number, int(day)) > (reference.month, reference.day))
            )
            return age < ADULT_AGE, age
    # A year alone: the age is one of two values; only a clear side decides.
    older, younger = reference.year - year, reference.year - year - 1
    if older < ADULT_AGE:
        return True, older
    if younger >= ADULT_AGE:
        return False, older
    return None, None


def _judge(kind: str, match: re.Match[str], reference: date) -> tuple[bool | None, int | None]:
    groups = match.groupdict()
    if kind == "birth_date":
        return _from_birth(match, reference)
    if kind in ("age", "age_cue"):
        age = number_word(groups["num"])
        # After a bare verb ("is 12") only a plausible age of a note's subject counts.
        if age is None or age > 99 or (kind == "age_cue" and age < 10):
            return None, None
        return age < ADULT_AGE, age
    if kind == "school":
        if groups.get("school") and groups["school"].isdigit():
            year = int(groups["school"])
            if "vwo" in match.group(0).lower() or "gymnasium" in match.group(0).lower():
                return (year <= 5 or None), None  # vwo 6 is often 17, sometimes 18
            return True, None
        if groups.get("ordinal"):
            return True, None
        return True, None
    if groups.get("minor"):
        return True, None
    if groups.get("adult"):
        return False, None
    return None, None


_NEGATED_BEFORE = re.compile(r"\b(?:niet|geen|nooit)\s+(?:meer\s+)?$", re.IGNORECASE)


def find_age(text: str, reference: date) -> AgeEvidence | None:
    """Return the first statement of the subject's age in `text`, or None when there is none."""
    candidates: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            candidates.append((match.start(), -match.end(), kind, match))
    candidates.sort(key=lambda c: (c[0], c[1]))
    taken_until = -1
    for start, _, kind, match in candidates:
        if start < taken_until:
            continue  # inside a statement already judged
        taken_until = match.end()
        before = text[max(0, start - 40) : start]
        if kind != "birth_date" and _OTHER_BEFORE.search(before):
            continue
        minor, age = _judge(kind, match, reference)
        if kind == "word" and _NEGATED_BEFORE.search(before):
            minor = None if minor is None else not minor
        if minor is None and age is None:
            continue
        shown = "age" if kind == "age_cue" else kind
        return AgeEvidence(minor, age, shown, match.group(0).strip(" ,."), *_strip_span(match))
    return None


def _strip_span(match: re.Match[str]) -> tuple[int, int]:
    start, end = match.span()
    text = match.string
    while start < end and text[start] in " ,.":
        start += 1
    while end > start and text[end - 1] in " ,.":
        end -= 1
    return start, end
