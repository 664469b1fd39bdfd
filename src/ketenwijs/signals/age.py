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

# Statements led by a keyword, each with the lower-case substrings one of which it needs: the
# regex only runs on texts that contain one (a substring test is far cheaper than the regex).
_KEYWORD_PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (kind, needles, re.compile(pattern, re.IGNORECASE))
    for kind, needles, pattern in (
        (
            "birth_date",
            ("geboren", "geb.", "geb ", "geb:", "geboorte"),
            r"\b(?:geboren|geb\.?|geboortedatum|geb\.?\s*datum|geboortejaar)\s*(?:op|in|:)?\s*"
            r"(?:(?P<day>\d{1,2})\s*[-/. ]\s*(?P<month>\d{1,2}|"
            + _MONTH
            + r")\s*[-/. ]\s*)?"
            + _YEAR
            + r"\b",
        ),
        ("birth_date", ("geboren",), r"\b" + _YEAR + r"\s+geboren\b"),
        (
            "school",
            ("brugk", "brugp", "basiss", "basiso"),
            r"\b(?:brugklas\w*|brugpieper\w*|basisschool|basisonderwijs)\b",
        ),
        (
            "school",
            ("havo", "vwo", "vmbo", "mavo", "middelbare", "voortgezet", "gymnasium"),
            r"\b(?P<ordinal>eerste|tweede|derde|vierde|vijfde)\s+(?:klas|jaar)\s+"
            r"(?:van\s+(?:de|het)\s+)?(?:havo|vwo|vmbo|mavo|middelbare|voortgezet|gymnasium)",
        ),
        (
            "school",
            ("middelbare", "voortgezet"),
            r"\b(?:middelbare\s+school|voortgezet\s+onderwijs)\b",
        ),
        (
            "school",
            ("klas",),
            r"\b(?:(?:in|uit|van)\s{1,8}de\s{1,8}(?P<ordinal>eerste|tweede|derde|vierde|vijfde)"
            r"\s{1,8}klas\b|(?:eerste|tweede|derde|vierde|vijfde)[- ]?klasser)",
        ),
        (
            "word",
            ("minderjarig", "tiener"),
            r"\b(?P<minor>minderjarig\w*|tienermeisje|tienerjongen|tiener)\b",
        ),
        (
            "word",
            ("meerderjarig", "volwassen", "middelbare leeftijd"),
            r"\b(?P<adult>meerderjarig\w*|volwassen\s+(?:vrouw|man)|middelbare\s+leeftijd)\b",
        ),
    )
)

# A number of one or two digits is the usual form of an age; it is judged by the words around it.
_DIGIT_RUNS = re.compile(r"\d+")
_NOT_BEFORE = frozenset(".,/:-")  # "12.5", "3/4", "10:30", "2-3" are no ages
_NOT_AFTER_THEN_DIGIT = frozenset(".,:/")
# The patterns after a number are matched at its end; their white space is bounded (nobody
# writes ten spaces between "15" and "jaar"), so no run of spaces makes them costly.
_AFTER_BRACKET = re.compile(r"\s{0,8}(?:jr|jaar|j)?\.?\s{0,8}\)")
_AFTER_JARIG = re.compile(r"\s{0,8}-?\s{0,8}jarig(?:e|en)?\b", re.IGNORECASE)
_AFTER_JR = re.compile(
    r"\s{0,8}(?:jr\b\.?|j\.|jaar\s{1,8}oud\b|jaar\s{1,8}(?:oud\s{1,8})?te\s{1,8}zijn\b)",
    re.IGNORECASE,
)
_AFTER_COMMA_JAAR = re.compile(r"\s{1,8}jaar\s{0,8}[,.;:)]", re.IGNORECASE)
_AFTER_BLOCKED = re.compile(
    r"\s{0,8}(?:jaar\s{1,8})?(?:geleden|lang|later|eerder|getrouwd|samen|in\s{1,8}dienst|uur|minuten|keer|"
    r"euro|kilo|kg|procent|%|weken|dagen|maanden|km|meter|ste|de|e)\b",
    re.IGNORECASE,
)
_AFTER_JAAR = re.compile(r"\s{1,8}jaar\b", re.IGNORECASE)
_AFTER_SCHOOL = re.compile(
    r"(?:e|de|ste)?\s{0,8}(?:klas\s{1,8})?(?:havo|vwo|vmbo|mavo|gymnasium|atheneum|tl|kader|gt)\b",
    re.IGNORECASE,
)
_BEFORE_BRACKET = re.compile(r"\(\s*(?:[mvj]|jongen|meisje|man|vrouw)?\s*[,/]?\s*$", re.IGNORECASE)
_AFTER_BRACKET_SEX = re.compile(
    r"\s{0,8}(?:jr|jaar|j)?\.?\s{0,8}[,/]\s{0,8}(?:[mvj]|jongen|meisje)\s{0,8}\)", re.IGNORECASE
)
_BEFORE_NAME_COMMA = re.compile(r"\b[A-Z][a-zà-ÿ]+\.?\s*,\s*$")
_AFTER_COMMA = re.compile(r"\s{0,8}(?:jaar\s{0,8})?[,;)]")
_BEFORE_AGE_WORD = re.compile(
    r"\b(?:leeftijd|lft\.?)\s{0,8}:?\s{0,8}(?:van\s{1,8})?$", re.IGNORECASE
)
_BEFORE_CUE = re.compile(
    r"\b(?:is|was|wordt|werd|ben|bent|pas|nog\s+maar|bijna|net|inmiddels|nu|sinds\s+kort)"
    r"\s+(?:pas\s+|nog\s+maar\s+|bijna\s+|net\s+|nu\s+|inmiddels\s+)?$",
    re.IGNORECASE,
)
_BEFORE_NOUN = re.compile(
    r"\b(?:meisje|meid|jongen|dochter|zoon|kind|tiener|leerling|leerlinge|scholier|scholiere|"
    r"cli[eë]nte?|jongere|jeugdige|puber|vrouw|mevrouw|meneer|betrokkene|pati[eë]nte?|pupil|"
    r"aangeefster|aangever|melder|slachtoffer|huurster|huurder|bewoonster|bewoner)"
    r"\s*(?:,|van|:)?\s*(?:(?:rond\s+de|ongeveer|circa|ca\.|zo'n|hooguit|een\s+jaar\s+of)\s+)?$",
    re.IGNORECASE,
)
_BEFORE_COMMA = re.compile(r",\s*$")
_BEFORE_GROEP = re.compile(r"\bgroep\s+$", re.IGNORECASE)
# "klas 3", "in de 2e klas", "2e-klasser": a secondary-school year without the school type.
_BEFORE_KLAS = re.compile(r"\bklas\s{1,8}$", re.IGNORECASE)
_AFTER_KLAS_ORDINAL = re.compile(r"(?:e|de|ste)\s{0,8}-?\s{0,8}klas(?:ser)?\b", re.IGNORECASE)
# Estimates by an onlooker; only with nothing after the number that makes it a count.
_BEFORE_ESTIMATE = re.compile(
    r"\b(?:hooguit|hoogstens|ongeveer|circa|ca\.|rond\s{1,8}de|zo'n|jaar\s{1,8}of|geschat\s{1,8}op|"
    r"schat\w*\s{1,8}(?:ik|we|wij|hem|haar|ze)\s{1,8}(?:op\s{1,8})?|leek|lijkt|niet\s{1,8}ouder\s{1,8}dan)"
    r"\s{1,8}$",
    re.IGNORECASE,
)
_AFTER_ESTIMATE = re.compile(
    r"\s{0,8}(?:jaar\b|of\s{1,8}\d|-jarig|-\s{0,2}\d|[,.;:)!?\"'\u201d\u2019]|$|\n)", re.IGNORECASE
)
_BEFORE_SCHOOL = re.compile(r"\b(?:havo|vwo|vmbo|mavo|gymnasium|atheneum)[- ]?$", re.IGNORECASE)
# Number words only count with "jaar"/"-jarig" after them ("vijftien jaar", "vijftienjarige").
_JAAR = re.compile(r"jarig(?:e|en)?\b|\bjaar\b", re.IGNORECASE)
_NUM_WORD_BEFORE = re.compile(
    r"\b(?:(?P<cue>is|was|wordt|werd|pas|nog\s+maar|bijna|net|nu)\s+)?"
    r"(?P<num>" + "|".join(_NUM_WORDS) + r")\s*-?\s*$",
    re.IGNORECASE,
)

Candidate = tuple[int, int, str, dict[str, str | None]]


def _digit_candidates(text: str) -> list[Candidate]:
    """Judge every one- or two-digit number by the words just before and after it."""
    found: list[Candidate] = []
    for match in _DIGIT_RUNS.finditer(text):
        start, end = match.span()
        number = match.group()
        if end - start > 2:
            continue
        before = text[max(0, start - 40) : start]
        if start and text[start - 1] in _NOT_BEFORE and not _BEFORE_BRACKET.search(before):
            continue  # "(m/16)" and "(v, 17)" are ages; "3/4" and "12.5" are not
        if end + 1 < len(text) and text[end] in _NOT_AFTER_THEN_DIGIT and text[end + 1].isdigit():
            continue
        groups: dict[str, str | None] = {"num": number}
        kind = ""
        stop = end
        after = _AFTER_BRACKET.match(text, end) or _AFTER_BRACKET_SEX.match(text, end)
        if after and _BEFORE_BRACKET.search(before):
            # "(15)", "(15 jr)", "(v, 15)", "(15/m)"
            kind, start, stop = "age", start - len(before) + before.rfind("("), after.end()
        elif after := _AFTER_JARIG.match(text, end) or _AFTER_JR.match(text, end):
            kind, stop = "age", after.end()
        # A school year is read before the cues: in "ze is 4 havo" the 4 is a year, not an age.
        elif _BEFORE_GROEP.search(before) and 1 <= int(number) <= 8:
            kind, start = "school", start - len(before) + before.lower().rfind("groep")
            groups = {"school": number}
        elif (tail := _AFTER_SCHOOL.match(text, end)) and 1 <= int(number) <= 6:
            kind, stop, groups = "school", tail.end(), {"school": number}
        elif (cue := _BEFORE_SCHOOL.search(before)) and 1 <= int(number) <= 6:
            kind, start = "school", start - len(before) + cue.start()
            groups = {"school": number}
        elif (cue := _BEFORE_KLAS.search(before)) and 1 <= int(number) <= 6:
            kind, start, groups = "school", start - len(before) + cue.start(), {"school": number}
        elif (tail := _AFTER_KLAS_ORDINAL.match(text, end)) and 1 <= int(number) <= 6:
            kind, stop, groups = "school", tail.end(), {"school": number}
        elif (cue := _BEFORE_ESTIMATE.search(before)) and _AFTER_ESTIMATE.match(text, end):
            # An onlooker's estimate ("hooguit 14 of 15", "een jaar of 15", "rond de 15").
            kind, start = "age_cue", start - len(before) + cue.start()
            tail = _AFTER_JAAR.match(text, end)
            stop = tail.end() if tail else end
        elif (cue := _BEFORE_AGE_WORD.search(before)) or (
            (cue := _BEFORE_NOUN.search(before)) and not _AFTER_BLOCKED.match(text, end)
        ):
            kind, start = "age", start - len(before) + cue.start()
            tail = _AFTER_JAAR.match(text, end)
            stop = tail.end() if tail and not _AFTER_BLOCKED.match(text, end) else end
        elif (cue := _BEFORE_CUE.search(before)) and not _AFTER_BLOCKED.match(text, end):
            kind, start = "age_cue", start - len(before) + cue.start()
            tail = _AFTER_JAAR.match(text, end)
            stop = tail.end() if tail else end
        elif (tail := _AFTER_COMMA_JAAR.match(text, end)) and _BEFORE_COMMA.search(before):
            kind, stop = "age", tail.end() - 1
        elif (tail := _AFTER_COMMA.match(text, end)) and (cue := _BEFORE_NAME_COMMA.search(before)):
            # "Lisa, 15, woont bij haar moeder": a name, then the age between commas.
            kind, start, stop = "age", start - len(before) + cue.start(), tail.end() - 1
        if kind:
            found.append((start, stop, kind, groups))
    return found


def _word_candidates(text: str, lowered: str) -> list[Candidate]:
    """Find ages written as words: "vijftien jaar", "vijftienjarige"."""
    found: list[Candidate] = []
    if "jaar" not in lowered and "jarig" not in lowered:
        return found
    # Every number word of an age from 10 on contains one of these (units alone are rarely ages).
    if not any(part in lowered for part in ("tien", "elf", "twaalf", "tig")):
        return found
    for match in _JAAR.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        number = _NUM_WORD_BEFORE.search(before)
        if number is None:
            continue
        start = match.start() - len(before) + number.start()
        found.append((start, match.end(), "age", {"num": number.group("num")}))
    return found


# "ze is pas vijftien", "een jaar of vijftien": a number word after a cue, without "jaar". The
# number words are rare, so they are found first (str.find) and only their left context is read.
_AGE_WORDS = (
    "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
    "negentien", "twintig",
)  # fmt: skip
_NOT_AN_AGE_AFTER = re.compile(
    r"\s{0,8}(?:keer|uur|euro|minuten|dagen|weken|maanden|kilo|procent|klanten|mannen)\b",
    re.IGNORECASE,
)
_CUE_BEFORE_WORD = re.compile(
    r"\b(?:is|was|ben|bent|wordt|werd|pas|nog\s{1,8}maar|bijna|net|hooguit|ongeveer|rond\s{1,8}de|"
    r"zo'n|jaar\s{1,8}of)\s{1,8}(?:pas\s{1,8}|nog\s{1,8}maar\s{1,8}|bijna\s{1,8}|net\s{1,8})?$",
    re.IGNORECASE,
)


def _cued_word_candidates(text: str, lowered: str) -> list[Candidate]:
    found: list[Candidate] = []
    if len(lowered) != len(text):
        return found  # a character whose lower case is longer ("İ"): offsets would not match
    for word in _AGE_WORDS:
        at = lowered.find(word)
        while at != -1:
            end = at + len(word)
            start = at
            if word == "twintig":  # "drieëntwintig", "eenentwintig": the whole word counts
                while start > 0 and lowered[start - 1].isalpha():
                    start -= 1
            whole = (start == 0 or not lowered[start - 1].isalnum()) and (
                end == len(lowered) or not lowered[end].isalnum()
            )
            if whole and not _NOT_AN_AGE_AFTER.match(text, end):
                before = text[max(0, start - 30) : start]
                cue = _CUE_BEFORE_WORD.search(before)
                if cue is not None and number_word(text[start:end]) is not None:
                    begin = start - len(before) + cue.start()
                    found.append((begin, end, "age_cue", {"num": text[start:end]}))
            at = lowered.find(word, end)
    return found


def _keyword_candidates(text: str, lowered: str) -> list[Candidate]:
    found: list[Candidate] = []
    for kind, needles, pattern in _KEYWORD_PATTERNS:
        if any(needle in lowered for needle in needles):
            found.extend((m.start(), m.end(), kind, m.groupdict()) for m in pattern.finditer(text))
    return found


# Words just before a statement that make it about someone else, or about the past.
_OTHER_BEFORE = re.compile(
    r"(?:\b(?:haar|zijn|hun|mijn|jouw|uw)\s+(?:\w+\s+)?(?:zoon|zoontje|dochter|dochtertje|"
    r"kind|kindje|kinderen|baby|broer|broertje|zus|zusje|vriend|vriendje|vriendin|ex|ex-vriend|"
    r"moeder|vader|stiefvader|stiefmoeder|oom|tante|neef|nicht|partner|man|vrouw|pooier|"
    r"baas|werkgever|oma|opa|halfbroer|halfzus)\w*"
    r"|\b(?:een|die|deze|de|twee|drie)\s+(?:\w+\s+)?(?:man|mannen|vriend|verdachte|dader|pleger|"
    r"klant|klanten|loverboy|pooier|jongen|jongens|volwassene)"
    r"|\b(?:een|die|de|twee|drie)\s+(?:\w+\s+)?(?:man|mannen|heer|klant|verdachte|dader|pleger)\s+van"
    r"\s+(?:rond\s+de\s+|ongeveer\s+|circa\s+|ca\.\s+|zo'n\s+|hooguit\s+|een\s+jaar\s+of\s+)?"
    r"|\b(?:man|mannen|verdachte|dader|pleger|klant|loverboy|pooier|ex|ex-vriend|vriend|vriendje|"
    r"stiefvader|oom|neef)"
    r"|\b(?:toen|als|vanaf|sinds|tot|op)\s+(?:ze|zij|hij|cli[eë]nte?|betrokkene|haar|zijn)?\s*"
    r"|\bals\s+|\bop\s+(?:haar|zijn)\s+|\b(?:al|sinds|na|over|binnen|ruim|gedurende|afgelopen|"
    r"laatste|elke|iedere|per|tot|vanaf|dan|onder|boven|tussen|jonger|ouder)\s+(?:de\s+|dan\s+)?)"
    r"[\s,(]*$",
    re.IGNORECASE,
)


# "een dochter van 4", "haar zusje van 12": the age belongs to the relative the noun names.
_RELATIVE_FIRST = re.compile(
    r"(?:dochter|zoon|kind|baby|zus|broer|moeder|vader|vriend|partner|neef|nicht)", re.IGNORECASE
)
_OWNER_BEFORE = re.compile(
    r"\b(?:een|haar|zijn|hun|mijn|jouw|uw|twee|drie)\s+(?:\w+\s+)?$", re.IGNORECASE
)

# A note that opens with a parent or other reporter is about the child they report on.
_REPORTER_START = re.compile(
    r"\W{0,3}(?:melding\s+(?:van\s+)?)?(?:de\s+)?(?:moeder|vader|ouders|stiefvader|stiefmoeder|pleegmoeder|"
    r"pleegvader|oma|opa|tante|oom)\b",
    re.IGNORECASE,
)
_CHILD_OF_REPORTER = re.compile(
    r"\b(?:haar|zijn|hun)\s+(?:dochter|dochtertje|zoon|zoontje|kind)[\s,(]*$", re.IGNORECASE
)
# "zagen eruit als brugklassers": an estimate of the subject's age, not "als" = "when".
_LOOKS_LIKE_BEFORE = re.compile(
    r"\b(?:uitz\w*|eruitz\w*|(?:ziet|zien|zag|zagen)\s+(?:er\s+)?uit|uit)\s+als\s+$", re.IGNORECASE
)
_OTHER_AFTER = re.compile(
    r"\s{0,8}(?:vriend|vriendje|ex|ex-vriend|partner|verdachte|dader|pooier|klant|loverboy|"
    r"stiefvader|oom|neef|buurman|werkgever|baas)\b",
    re.IGNORECASE,
)
# The age of a parent, neighbour or teacher who reports about the subject.
_REPORTER_BEFORE = re.compile(
    r"\b(?:moeder|vader|ouders?|stiefvader|stiefmoeder|pleegmoeder|pleegvader|melder|melding\s+van|"
    r"buurman|buurvrouw|docent|docente|mentor|oma|opa|tante|oom|getuige|verdachte)\s*[,:]?\s*$",
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


def _from_birth(groups: dict[str, str | None], reference: date) -> tuple[bool | None, int | None]:
    year = int(groups["year"] or 0)
    day, month = groups.get("day"), groups.get("month")
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


def _judge(
    kind: str, groups: dict[str, str | None], shown: str, reference: date
) -> tuple[bool | None, int | None]:
    if kind == "birth_date":
        return _from_birth(groups, reference)
    if kind in ("age", "age_cue"):
        age = number_word(groups["num"] or "")
        # After a bare verb ("is 12") only a plausible age of a note's subject counts.
        if age is None or age > 99 or (kind == "age_cue" and age < 10):
            return None, None
        return age < ADULT_AGE, age
    if kind == "school":
        school = groups.get("school")
        if school and school.isdigit():
            year = int(school)
            if "vwo" in shown.lower() or "gymnasium" in shown.lower():
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
    lowered = text.lower()
    candidates = [
        *_digit_candidates(text),
        *_word_candidates(text, lowered),
        *_keyword_candidates(text, lowered),
        *_cued_word_candidates(text, lowered),
    ]
    candidates.sort(key=lambda c: (c[0], -c[1]))
    taken_until = -1
    reporter_seen = _REPORTER_START.match(text) is not None
    for start, end, kind, groups in candidates:
        if start < taken_until:
            continue  # inside a statement already judged
        taken_until = end
        before = text[max(0, start - 40) : start]
        if (
            kind != "birth_date"
            and _OTHER_BEFORE.search(before)
            and not _LOOKS_LIKE_BEFORE.search(before)
            and not (reporter_seen and _CHILD_OF_REPORTER.search(before))
        ):
            continue
        if kind == "age" and _OTHER_AFTER.match(text, end):
            continue  # "de 22-jarige vriend van het meisje": the friend's age
        if kind in ("age", "age_cue") and _REPORTER_BEFORE.search(before):
            reporter_seen = True
            continue  # "Moeder (42) meldt ...": the one reporting is not the one reported on
        relative = _RELATIVE_FIRST.match(text, start)
        # A parent's report is about their child: "Moeder (42) meldt dat haar dochter van 14".
        reported_child = (
            reporter_seen
            and relative is not None
            and relative.group().lower() in ("dochter", "zoon", "kind")
        )
        if relative and _OWNER_BEFORE.search(before) and not reported_child:
            continue
        shown = text[start:end]
        minor, age = _judge(kind, groups, shown, reference)
        if kind == "word" and _NEGATED_BEFORE.search(before):
            minor = None if minor is None else not minor
        if minor is None and age is None:
            continue
        first, last = _strip_span(text, start, end)
        return AgeEvidence(
            minor, age, "age" if kind == "age_cue" else kind, text[first:last], first, last
        )
    return None


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,.":
        start += 1
    while end > start and text[end - 1] in " ,.":
        end -= 1
    return start, end
