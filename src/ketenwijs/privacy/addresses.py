"""Street addresses and Dutch postcodes: a street name with a house number, or 1234 AB.

A street name alone ("in de Kerkstraat") says little; with a house number it points at a
household. Postcodes are flagged on their own: 1234 AB narrows a person down to a few houses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ketenwijs.privacy.hits import Hit
from ketenwijs.privacy.lexicon import COMMON_WORDS, NOT_STREETS, street_suffix_at

_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_WORD_POSSESSIVE = r"[\w'\u2019]{0,60}+(?:[-.][\w'\u2019]{1,60}+){0,4}+\.?"
_HOUSE_NUMBER = (
    r"(?P<number>[1-9]\d{0,4}"
    r"(?:[ \t]?[a-zA-Z](?![\w])|-\d{1,4}(?![\w])"
    r"|[ \t]?-?[ \t]?(?:bis|hs|huis|zw|bg|I{1,3})(?![\w]))?)"
    r"(?![\w/-]|[.,]\d|:\d|[ \t]*%|[ \t]+(?i:jaar|keer|maal|uur|minuten|dagen|weken|maanden))"
)
# A street word: capitalised, or lower case with an unmistakable suffix ("kalverstraat 12a").
# Each part is possessive and starts only at a word boundary, so a long run of capitals
# ("AAAA…") costs linear time: the suffix is checked in Python, not by backtracking.
_STREET = re.compile(
    rf"(?<![\w'\u2019-])(?P<street>(?:(?:[{_UPPER}]{_WORD_POSSESSIVE}|van|de|der|den|het|'t|ter|ten|"
    rf"la|le|rue|avenue|chaussée|place)[ \t]){{0,3}}"
    rf"(?P<word>[\w'\u2019-]{{3,60}}+))[ \t]+{_HOUSE_NUMBER}"
)
_PREFIX_STREET = re.compile(
    rf"(?P<street>(?:Laan|Weg|Boulevard|Plantage|Burgemeester|Rue|Avenue|Chaussée|Place)[ \t]"
    rf"(?:(?:van|der|de|den|naar|het|'t|ter|ten|op|la|le|du|des|d')[ \t]?){{0,2}}"
    rf"[{_UPPER}][\w'\u2019-]{{1,60}}+)"
    rf"[ \t]+{_HOUSE_NUMBER}"
)
# "postcode 1012 ab", "pc: 1012AB": after the word, the letters may be lower case.
_POSTCODE_KEYWORD = re.compile(
    r"(?i:\b(?:postcode|pc|postal\s+code)\b)[\s:.]*(?P<code>[1-9]\d{3}[ \t]?[A-Za-z]{2})(?![\w-])"
)
# After a street and number: a Belgian (4 digits) or German (5 digits) postcode and its town.
_FOREIGN_POSTCODE = re.compile(
    rf"[ \t]{{0,3}}(?:,[ \t]{{0,3}})?(?:[BD]-)?\d{{4,5}}[ \t]+"
    rf"(?P<city>[{_UPPER}][\w'\u2019-]+(?:[ \t][{_UPPER}][\w'\u2019-]+)?)"
)
_POSTCODE = re.compile(
    rf"(?<![\w-])[1-9]\d{{3}}[ \t]?(?!SA|SD|SS)(?P<letters>[A-Z]{{2}})(?![\w-])"
    rf"(?P<city>[ \t]+(?:'s-)?[{_UPPER}][\w'\u2019-]+(?:[ \t][{_UPPER}][\w'\u2019-]+)?)?"
)
# A postcode typed in lower case counts only with a town after it ("1012 ab Amsterdam"), and not
# when the two letters are a word: "in 2024 is Amsterdam …", "1998 en Utrecht".
_LOWER_POSTCODE = re.compile(
    rf"(?<![\w-])[1-9]\d{{3}}[ \t]?(?P<letters>[a-z]{{2}})(?![\w-])"
    rf"(?P<city>[ \t]+(?:'s-)?[{_UPPER}][a-zà-ÿ'\u2019-]+)"
)
_WORD_LETTERS = frozenset(
    [
        "en",
        "is",
        "op",
        "de",
        "in",
        "te",
        "om",
        "of",
        "al",
        "na",
        "nu",
        "zo",
        "ze",
        "we",
        "je",
        "ik",
        "er",
        "ja",
        "af",
        "an",
        "as",
        "at",
        "by",
        "do",
        "go",
        "if",
        "it",
        "me",
        "my",
        "no",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "hé",
        "dé",
    ]
)
# Two capitals after four digits that are usually something else: BW (Burgerlijk Wetboek),
# EU, OM, NJ (jurisprudence), AP (Autoriteit Persoonsgegevens)...
_NOT_POSTCODE_LETTERS = frozenset(
    [
        "BW",
        "EU",
        "NL",
        "OM",
        "VN",
        "VS",
        "UK",
        "US",
        "EC",
        "EG",
        "KB",
        "AP",
        "FG",
        "ID",
        "IT",
        "NJ",
        "JV",
        "HR",
        "AR",
        "RB",
        "CB",
        "GS",
        "OR",
        "PG",
        "AG",
        "EN",
        "OF",
        "IN",
        "TO",
        "AT",
        "ON",
        "PR",
        "DB",
        "MB",
        "GB",
        "TB",
        "PC",
    ]
)
_PARTICLES = frozenset({"Van", "De", "Den", "Ter", "Ten", "Het", "'t"})


def _trim_street_start(text: str, start: int, street: str) -> int:
    """Drop leading words that are not part of the street name ("Wonend aan de ...")."""
    words = list(re.finditer(r"\S+", street))
    keep_from = len(words) - 1
    for index in range(len(words) - 2, -1, -1):
        word = words[index].group()
        next_is_street = index == len(words) - 2
        if word in _PARTICLES and next_is_street:
            keep_from = index
            continue
        if not word[0].isupper() and word not in {"van", "de", "der", "den", "ter", "ten", "'t"}:
            break
        if word[0].isupper() and word.lower() in COMMON_WORDS:
            break
        keep_from = index
    # A lowercase particle cannot open a street name: "de Kerkstraat" is "Kerkstraat".
    while keep_from < len(words) - 1 and not words[keep_from].group()[0].isupper():
        keep_from += 1
    return start + words[keep_from].start()


def _is_street_word(word: str) -> bool:
    """A street name: a known suffix after a stem; in lower case only the unmistakable ones."""
    if word.lower() in NOT_STREETS:
        return False
    return street_suffix_at(word, lowercase_only=not word[0].isupper()) > 0


def _with_foreign_postcode(text: str, end: int) -> int:
    """Extend an address over a following Belgian or German postcode and town."""
    m = _FOREIGN_POSTCODE.match(text, end)
    if m is None or m.group("city").split()[0].lower() in COMMON_WORDS:
        return end
    return m.end()


def find_addresses(text: str) -> Iterator[Hit]:
    """Yield street + house number and postcode (+ city) hits, joined when they are adjacent."""
    spans: list[tuple[int, int]] = []
    for m in _STREET.finditer(text):
        if not _is_street_word(m.group("word")):
            continue
        start = _trim_street_start(text, m.start("street"), m.group("street"))
        spans.append((start, _with_foreign_postcode(text, m.end("number"))))
    for m in _PREFIX_STREET.finditer(text):
        spans.append((m.start("street"), _with_foreign_postcode(text, m.end("number"))))
    for m in _POSTCODE_KEYWORD.finditer(text):
        spans.append(m.span("code"))
    for m in _LOWER_POSTCODE.finditer(text):
        if m.group("letters") not in _WORD_LETTERS:
            spans.append((m.start(), m.end("city")))
    for m in _POSTCODE.finditer(text):
        if m.group("letters") in _NOT_POSTCODE_LETTERS:
            continue
        end = m.end("letters")
        if m.group("city"):
            city_words = list(re.finditer(r"\S+", m.group("city")))
            for word in city_words:
                if word.group().lower() in COMMON_WORDS:
                    break
                end = m.start("city") + word.end()
        spans.append((m.start(), end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        # "Kerkstraat 12, 3511 AB Utrecht" is one address.
        if merged and re.fullmatch(r"[\s,]{0,3}", text[merged[-1][1] : max(start, merged[-1][1])]):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in merged:
        yield Hit("address", start, end, text[start:end])
