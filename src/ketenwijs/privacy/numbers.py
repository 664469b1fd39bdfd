"""Detectors for personal numbers and addresses-by-wire: BSN, IBAN, phone, e-mail, other ids.

Each detector yields candidate `Hit`s; `guard.check_text` resolves overlaps. Checksums come from
python-stdnum, so a number is only called a BSN or IBAN when it passes the official check.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from ketenwijs.privacy.hits import Hit

# --- e-mail -------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}(?![\w-])")

# Functional mailboxes of organisations are not personal data; refusing "meldpunt@…" in a
# motivation would only teach people to misspell it.
_FUNCTIONAL_MAILBOXES = frozenset(
    [
        "info",
        "contact",
        "meldpunt",
        "meldingen",
        "secretariaat",
        "servicedesk",
        "helpdesk",
        "privacy",
        "fg",
        "avg",
        "functionarisgegevensbescherming",
        "noreply",
        "no-reply",
        "support",
        "post",
        "postbus",
        "klantenservice",
        "riec",
        "admin",
        "office",
        "mail",
        "receptie",
        "intake",
        "aanmelden",
        "vragen",
        "webmaster",
        "communicatie",
        "pers",
        "juridischezaken",
        "juridisch",
        "ondermijning",
    ]
)


def find_emails(text: str) -> Iterator[Hit]:
    """Yield e-mail addresses, except functional mailboxes such as info@ or meldpunt@."""
    for m in _EMAIL.finditer(text):
        local = m.group().split("@", 1)[0].lower()
        if local in _FUNCTIONAL_MAILBOXES:
            continue
        yield Hit("email", m.start(), m.end(), m.group())


# --- IBAN ---------------------------------------------------------------------------------------

_IBAN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}(?![A-Za-z0-9])")
_NL_IBAN_SHAPE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")


def find_ibans(text: str) -> Iterator[Hit]:
    """Yield valid IBANs; an NL-shaped one with a wrong checksum is still reported as `other`."""
    for m in _IBAN_CANDIDATE.finditer(text):
        raw = m.group()
        # The candidate may run on into a following number ("… 00 3 keer"): try each cut at a
        # space, longest first.
        cuts = [len(raw)] + [i for i in range(len(raw) - 1, 0, -1) if raw[i] == " "]
        for cut in cuts:
            part = raw[:cut]
            if stdnum_iban.is_valid(part):
                yield Hit("iban", m.start(), m.start() + cut, part)
                break
        else:
            for cut in cuts:
                if _NL_IBAN_SHAPE.fullmatch(raw[:cut].replace(" ", "")):
                    yield Hit("other", m.start(), m.start() + cut, raw[:cut])
                    break


# --- BSN ----------------------------------------------------------------------------------------

_BSN_CANDIDATE = re.compile(
    r"(?<![\w.,/€-])"
    r"(?:\d{9}|\d{4}([. ])\d{2}\1\d{3}|\d{3}([. ])\d{3}\2\d{3}|\d{2}([. ])\d{3}\3\d{3}\3\d)"
    r"(?![\w/-]|[.,]\d)"
)
_BSN_KEYWORD_NUMBER = re.compile(
    r"(?i:\b(?:bsn|burgerservicenummer|sofi-?nummer)\b)[\s:.#-]*(?:(?i:nummer|nr\.?)[\s:.#]*)?"
    r"(?P<num>\d[\d. ]{6,11}\d)(?![\w/-]|[.,]\d)"
)
# Numbers of cases, files and organisations can pass the elfproef by chance (1 in 11).
_NOT_A_PERSON_NUMBER = re.compile(
    r"(?i:zaak\s?(?:nummer|nr\.?)|parket\s?(?:nummer|nr\.?)|dossier\s?(?:nummer|nr\.?)|"
    r"(?:ons|uw)?\s?kenmerk|referentie|registratie\s?(?:nummer|nr\.?)|kvk(?:-?nummer)?|rsin|"
    r"btw(?:-?nummer)?|factuur\s?(?:nummer|nr\.?)|ordernummer|besluitnummer|"
    r"ecli|eur|euro|€)[\s:.#-]*$"
)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def find_bsns(text: str) -> Iterator[Hit]:
    """Yield BSNs that pass the elfproef, with or without dots/spaces; not case or KvK numbers.

    A number right after the word BSN that fails the elfproef is still reported, as `other`: the
    writer meant a BSN, and a mistyped one is still personal data.
    """
    for m in _BSN_CANDIDATE.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        if _NOT_A_PERSON_NUMBER.search(before) or re.match(r"\s*(?i:euro)\b", text[m.end() :]):
            continue
        if stdnum_bsn.is_valid(_digits(m.group())):
            yield Hit("bsn", m.start(), m.end(), m.group())
    for m in _BSN_KEYWORD_NUMBER.finditer(text):
        start, end = m.span("num")
        digits = _digits(m.group("num"))
        if len(digits) in (8, 9) and stdnum_bsn.is_valid(digits):
            yield Hit("bsn", start, end, m.group("num"))
        elif 7 <= len(digits) <= 10:
            yield Hit("other", start, end, m.group("num"))


# --- phone numbers ------------------------------------------------------------------------------

_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+@/.,:-])"
    r"(?P<prefix>(?:\+|00)31[ .-]?(?:\(0\)[ .-]?)?|\(0(?=\d{1,3}\))|0(?=[1-9]))"
    r"(?P<body>[1-9]\d*(?:(?:\)[ .-]?|[ .-])\d+){0,5})"
)
_SEPARATOR = re.compile(r"[^\d]+")
# Service numbers of organisations (0800 free, 090x paid), e.g. Veilig Thuis 0800-2000.
_SERVICE_PREFIXES = ("800", "900", "906", "909")


def _phone_end(text: str, prefix: str, body: str, body_start: int) -> int | None:
    """Return where a valid Dutch number ends inside `body`, or None if it is not one."""
    groups = [(g.start(), g.end()) for g in re.finditer(r"\d+", body)]
    seps = [body[a_end:b_start] for (_, a_end), (b_start, _) in itertools.pairwise(groups)]
    total = 0
    for index, (g_start, g_end) in enumerate(groups):
        total += g_end - g_start
        if total < 9:
            continue
        if total > 9:
            return None
        used = groups[: index + 1]
        used_seps = seps[:index]
        digits = "".join(body[a:b] for a, b in used)
        if digits.startswith(_SERVICE_PREFIXES):
            return None
        first = used[0][1] - used[0][0]
        if prefix == "(0" and not (used_seps and used_seps[0].startswith(")")):
            return None
        if len(used) > 1:
            # Area part: 6 (mobile), or a 2- or 3-digit area code (20, 10, 111...).
            if first > 3 or (first == 1 and digits[0] != "6"):
                return None
            rest_lengths = [b - a for a, b in used[1:]]
            rest_seps = {s.strip(")") or " " for s in used_seps[1:]}
            if len(used) > 2 and (len(rest_seps) > 1 or not all(2 <= n <= 4 for n in rest_lengths)):
                return None
        end = body_start + used[-1][1]
        after = text[end : end + 2]
        if (after and (after[0].isalnum() or after[0] in "-@")) or re.match(r"[.,:]\d", after):
            return None
        return end
    return None


def find_phones(text: str) -> Iterator[Hit]:
    """Yield Dutch phone numbers: 06, landline, +31/0031, with spaces, dashes or dots."""
    for m in _PHONE_CANDIDATE.finditer(text):
        end = _phone_end(text, m.group("prefix"), m.group("body"), m.start("body"))
        if end is not None:
            yield Hit("phone", m.start(), end, text[m.start() : end])


# --- other identifiers announced by a keyword --------------------------------------------------

_OTHER_ID = re.compile(
    r"(?i:\b(?:paspoort(?:nummer|nr\.?)?|documentnummer|id-?kaart(?:nummer)?|"
    r"identiteitskaart(?:nummer)?|identiteitsbewijs|rijbewijs(?:nummer)?|v-?nummer|"
    r"vreemdelingennummer|kenteken|cli[eë]ntnummer|pati[eë]ntnummer|klantnummer|"
    r"personeelsnummer|leerlingnummer|onderwijsnummer|passport(?:\s?(?:number|no\.?))?|"
    r"licen[cs]e\s?plate))"
    r"\s*(?::|#|nr\.?|nummer|number|no\.?)?\s*"
    r"(?P<id>[A-Za-z0-9](?:[A-Za-z0-9]|[.-](?=[A-Za-z0-9])){3,20})"
)


def find_other_ids(text: str) -> Iterator[Hit]:
    """Yield passport, licence-plate, V-number and similar ids that follow their keyword."""
    for m in _OTHER_ID.finditer(text):
        value = m.group("id")
        if any(c.isdigit() for c in value):
            yield Hit("other", m.start("id"), m.end("id"), value)
