"""Person names: a capitalised sequence counts only with evidence that it names a person.

Evidence is one of: a title or role word before it (mevrouw, dhr., de heer, cliënte, verdachte),
a known given name (data/first_names.txt), initials (J.P. de Jong), or a distinctive surname
(data/surnames.txt). Capitalised words alone are never enough: motivations are full of law
names, organisations and places. A single capital after a title ("cliënte X", "meneer A.") is
the recommended pseudonym and passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ketenwijs.privacy.hits import Hit
from ketenwijs.privacy.lexicon import (
    COMMON_WORDS,
    ORGANISATION_NOUNS,
    PLACE_PREFIXES,
    TUSSENVOEGSELS,
    has_street_suffix,
    is_nationality,
    load_name_lists,
)

_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_WORD_BODY = r"[\w'\u2019]+(?:-[\w'\u2019]+)*"
_TOKEN = re.compile(
    rf"(?P<init>(?:[{_UPPER}]\.-?){{1,4}})(?![\w])|(?P<word>(?:'[st]-)?{_WORD_BODY})"
)
_CAPITALISED = re.compile(rf"(?<![\w'\u2019.-])[{_UPPER}]{_WORD_BODY}")

# Titles and salutations: what follows is a name (or a pseudonym letter).
_TITLES = (
    r"mevrouw|mevr\.?|mw\.?|mej\.?|mejuffrouw|juffrouw|meneer|mijnheer|mnr\.?|dhr\.?|de\s+heer|"
    r"mr\.|dr\.|drs\.|ir\.|ing\.|prof\.|mrs\.?|ms\.?|miss|madam|sir"
)
# Roles of people in a case: "cliënte Fatima", "verdachte Jansen", "haar vriend Mark".
_ROLES = (
    r"cli[eë]nte?|betrokkene|slachtoffer|verdachte|dader|aangever|aangeefster|melder|"
    r"minderjarige|jongere|leerling|pati[eë]nte?|moeder|vader|broer|zus|zoon|dochter|oom|tante|"
    r"neef|nicht|opa|oma|vriend|vriendin|partner|echtgenoot|echtgenote|ex|collega|wijkagent|"
    r"jeugdwerker|mentor|werkgever|huisbaas|familie|gezin|victim|suspect|client|mother|father|"
    r"brother|sister|friend|boyfriend|girlfriend"
)
_TRIGGER = re.compile(rf"(?<![\w])(?i:(?P<title>{_TITLES})|(?P<role>{_ROLES}))(?![\w])[ \t]+")
_INITIALS = re.compile(rf"(?<![\w.])(?:[{_UPPER}]\.-?){{1,4}}(?=[ \t]?[\w'])")
_NOT_INITIALS = frozenset({"B.V.", "N.V.", "C.V.", "V.O.F.", "U.A.", "N.B.", "P.S.", "O.M."})
_CAPITAL_PARTICLES = frozenset(
    {"Van", "De", "Der", "Den", "Ter", "Ten", "El", "Al", "Ben", "Bin", "Ait", "Abu", "Da", "Di",
     "Du", "Le", "La", "Von", "Van't", "'T", "Op", "In"}
)  # fmt: skip
_MAX_TOKENS = 7


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    words: int  # capitalised name words in the span
    organisation: bool  # ran into an organisation or place noun: not a person


def _is_name_word(word: str) -> bool:
    if len(word) < 2 or not word[0].isupper():
        return False
    if word.isupper():  # acronyms: RIEC, AVG, BW
        return False
    return word.lower() not in COMMON_WORDS


def _name_follows(text: str, pos: int) -> bool:
    nxt = _TOKEN.match(text, pos + 1) if text[pos : pos + 1] == " " else None
    return nxt is not None and (_is_name_word(nxt.group()) or nxt.group() in TUSSENVOEGSELS)


def _parse_name(text: str, pos: int) -> _Span | None:
    """Read a name from `pos`: initials, given names, particles, surnames; None if none."""
    start: int | None = None
    end = pos
    words = 0
    i = pos
    seen_word = False
    particle_start: int | None = None
    for _ in range(_MAX_TOKENS):
        m = _TOKEN.match(text, i)
        if m is None:
            break
        token = m.group()
        if m.group("init") is not None:
            if seen_word or token in _NOT_INITIALS:
                break
            start = m.start() if start is None else start
        elif token.lower() in TUSSENVOEGSELS and (
            token[0].islower() or seen_word or start is not None
        ):
            # A particle only counts when a name word follows; `end` stays put.
            particle_start = m.start() if particle_start is None else particle_start
        elif token in _CAPITAL_PARTICLES and not seen_word and _name_follows(text, m.end()):
            # "De Vries", "El Amrani"; but "Ben" alone is a given name.
            particle_start = m.start() if particle_start is None else particle_start
        elif _is_name_word(token):
            if token.lower() in ORGANISATION_NOUNS or has_street_suffix(token):
                return _Span(start if start is not None else pos, m.end(), words, True)
            if start is None:
                start = particle_start if particle_start is not None else m.start()
            end = m.end()
            words += 1
            seen_word = True
        else:
            break
        # Names continue over one space (or none after initials); anything else ends them.
        gap = re.match(r"[ \t]{1,2}" if m.group("init") is None else r"[ \t]{0,2}", text[m.end() :])
        if gap is None or (m.group("init") is None and gap.end() == 0):
            break
        i = m.end() + gap.end()
    if start is None or words == 0:
        return None
    return _Span(start, end, words, False)


def _preceding_word(text: str, pos: int) -> str:
    m = re.search(r"(\S+)\s+$", text[max(0, pos - 30) : pos])
    return m.group(1) if m else ""


def _from_triggers(text: str) -> Iterator[_Span]:
    for m in _TRIGGER.finditer(text):
        span = _parse_name(text, m.end())
        if span is None or span.organisation:
            continue
        first = _TOKEN.match(text, span.start)
        if m.group("role") is not None and first is not None and is_nationality(first.group()):
            continue
        yield span


def _from_given_names(text: str) -> Iterator[_Span]:
    lists = load_name_lists()
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        head = word.split("-", 1)[0]
        sure = head in lists.first_names
        if not sure and head not in lists.ambiguous_first_names:
            continue
        before = _preceding_word(text, m.start())
        if before in PLACE_PREFIXES or before[-1:].isdigit():  # Sint Maarten, 15 Jan 2024
            continue
        span = _parse_name(text, m.start())
        if span is None or span.organisation:
            continue
        if not sure and span.words < 2 and not _after_title(text, m.start()):
            continue
        yield span


def _after_title(text: str, pos: int) -> bool:
    return any(t.end() == pos for t in _TRIGGER.finditer(text, max(0, pos - 20), pos + 1))


def _from_initials(text: str) -> Iterator[_Span]:
    for m in _INITIALS.finditer(text):
        if m.group() in _NOT_INITIALS:
            continue
        span = _parse_name(text, m.start())
        if span is not None and not span.organisation:
            yield span


def _from_surnames(text: str) -> Iterator[_Span]:
    surnames = load_name_lists().surnames
    for m in _CAPITALISED.finditer(text):
        if m.group().split("-", 1)[0] not in surnames:
            continue
        start = m.start()
        # Take the particles right before it: "de Vries", "van der Vries".
        while True:
            prev = re.search(r"(\S+)[ \t]$", text[max(0, start - 12) : start])
            if prev is None or prev.group(1).lower() not in TUSSENVOEGSELS:
                break
            start -= len(prev.group())
        yield _Span(start, m.end(), 1, False)


_LOWER_WORD = re.compile(r"(?<![\w'\u2019.@-])[a-zà-öø-ÿ]{2,}(?:-[a-zà-öø-ÿ]{2,})?(?![\w@])")
_NICKNAME = re.compile(
    rf"(?<![\w])(?i:(?:{_TITLES}|{_ROLES}|alias|genaamd|bijnaam|roepnaam|ook\s+wel|nickname))"
    r"[ \t]*[:,]?[ \t]*['\u2018\u2019\"\u201c\u201d]"
    r"(?P<nick>[^\W\d_][\w-]{1,20}(?:[ \t][^\W\d_][\w-]{1,20})?)['\u2018\u2019\"\u201c\u201d]"
)


def _from_lowercase(text: str) -> Iterator[_Span]:
    """Names typed without capitals ("jan de vries", "fatima el amrani", "piet jansen").

    Lowercase needs two pieces of evidence: a given name that is not an ordinary word, then a
    tussenvoegsel with a word, or a known surname. A single lowercase given name passes.
    """
    lists = load_name_lists()
    lowered_first = lists.lowercase_first_names
    for m in _LOWER_WORD.finditer(text):
        if m.group() not in lowered_first:
            continue
        before = _preceding_word(text, m.start())
        if before[-1:].isdigit():  # "15 jan de ..." is a date
            continue
        pos = m.end()
        particles = 0
        end = None
        for _ in range(4):
            nxt = re.match(r"[ \t]([\w'\u2019-]+)", text[pos : pos + 40])
            if nxt is None:
                break
            word = nxt.group(1)
            lowered = word.lower()
            if lowered in TUSSENVOEGSELS:
                particles += 1
                pos += nxt.end()
                continue
            is_surname = word.capitalize() in lists.surnames
            if (particles and lowered not in COMMON_WORDS and len(word) > 1) or is_surname:
                end = pos + nxt.end()
            break
        if end is not None:
            yield _Span(m.start(), end, 2, False)


def _from_nicknames(text: str) -> Iterator[_Span]:
    """A nickname in quotes after a role or "alias": "haar vriend 'Dave'", "alias “Kleine”"."""
    for m in _NICKNAME.finditer(text):
        yield _Span(m.start("nick"), m.end("nick"), 1, False)


def find_person_names(text: str) -> Iterator[Hit]:
    """Yield person names found through titles, roles, given names, initials and surnames."""
    spans = sorted(
        (*_from_triggers(text), *_from_given_names(text), *_from_initials(text),
         *_from_surnames(text), *_from_lowercase(text), *_from_nicknames(text)),
        key=lambda s: (s.start, -s.end),
    )  # fmt: skip
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span.end))
        else:
            merged.append((span.start, span.end))
    for start, end in merged:
        yield Hit("person_name", start, end, text[start:end])
