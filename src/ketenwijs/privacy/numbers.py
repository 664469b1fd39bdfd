"""Detectors for personal numbers and addresses-by-wire: BSN, IBAN, phone, e-mail, other ids.

Each detector yields candidate `Hit`s; `guard.check_text` resolves overlaps. Checksums come from
python-stdnum, so a number is only called a BSN or IBAN when it passes the official check.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.be import nn as stdnum_be_nn
from stdnum.nl import bsn as stdnum_bsn

from ketenwijs.privacy.hits import Hit

# --- e-mail -------------------------------------------------------------------------------------

# The '@' and the dots as people write them to dodge harvesters: "jan (at) gmail.com",
# "j.jansen[at]ziggo[dot]nl", "jan punt jansen apestaartje hotmail punt com".
_AT_WORD = r"(?:at|apenstaartje|apestaartje)"
_SPELLED_AT = rf"(?:\s*[(\[{{]\s*{_AT_WORD}\s*[)\]}}]\s*|\s+{_AT_WORD}\s+)"
_SPELLED_DOT = r"(?:\s*[(\[{]\s*(?:dot|punt)\s*[)\]}]\s*|\s+(?:dot|punt)\s+)"
_EMAIL = re.compile(
    # Segments are bounded so that a long chain without '@' costs linear time, not quadratic.
    r"(?<![\w.+-])[\w+-]{1,64}(?:\.[\w+-]{1,64}){0,8}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,6}"
    r"\.[A-Za-z]{2,24}(?![\w-])"
)
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])(?P<local>[\w+-]{{1,64}}(?:(?:\.|{_SPELLED_DOT})[\w+-]{{1,64}}){{0,6}})"
    rf"(?i:{_SPELLED_AT}|\s*@\s+|\s+@\s*)"
    rf"[\w-]{{1,63}}(?:(?:\.|{_SPELLED_DOT})[\w-]{{1,63}}){{0,4}}(?:\.|{_SPELLED_DOT})"
    r"(?i:nl|be|de|com|net|org|eu|fr|uk|info|biz|io|me|nu|online|email|mail)(?![\w-])",
    re.IGNORECASE,
)

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
    """Yield e-mail addresses, also spelled out ("(at)", "punt"), except functional mailboxes."""
    for m in _EMAIL.finditer(text):
        local = m.group().split("@", 1)[0].lower()
        if local in _FUNCTIONAL_MAILBOXES:
            continue
        yield Hit("email", m.start(), m.end(), m.group())
    for m in _OBFUSCATED_EMAIL.finditer(text):
        local = re.split(r"\s|[(\[{]|\.", m.group("local"), maxsplit=1)[0].lower()
        if local in _FUNCTIONAL_MAILBOXES or ("@" in m.group() and _EMAIL.fullmatch(m.group())):
            continue
        yield Hit("email", m.start(), m.end(), m.group())


# --- IBAN ---------------------------------------------------------------------------------------

# Any case, and spaces, dots or dashes between the characters: "nl91abna0417164300",
# "NL91-ABNA-0417-1643-00", "IBAN: NL91.ABNA.0417.1643.00", "BE68 5390 0754 7034".
_IBAN_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ .-]?[A-Za-z0-9]){10,30}(?![A-Za-z0-9])"
)
_NL_IBAN_SHAPE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
_IBAN_SEPARATORS = re.compile(r"[ .-]")


def _compact(value: str) -> str:
    return _IBAN_SEPARATORS.sub("", value).upper()


def find_ibans(text: str) -> Iterator[Hit]:
    """Yield valid IBANs; an NL-shaped one with a wrong checksum is still reported as `other`."""
    for m in _IBAN_CANDIDATE.finditer(text):
        raw = m.group()
        # The candidate may run on into a following number ("… 00 3 keer"): try each cut at a
        # separator, longest first.
        cuts = [len(raw)] + [i for i in range(len(raw) - 1, 0, -1) if raw[i] in " .-"]
        for cut in cuts:
            part = raw[:cut]
            # The IBAN check digits and the country's length and format are enough: a
            # national account check ("BE68 5390 0754 7034" fails Belgium's) would let a
            # mistyped number through, and a mistyped account number is still personal data.
            if stdnum_iban.is_valid(_compact(part), check_country=False):
                yield Hit("iban", m.start(), m.start() + cut, part)
                break
        else:
            for cut in cuts:
                if _NL_IBAN_SHAPE.fullmatch(_compact(raw[:cut])):
                    yield Hit("other", m.start(), m.start() + cut, raw[:cut])
                    break


# --- BSN ----------------------------------------------------------------------------------------

_BSN_CANDIDATE = re.compile(
    r"(?<![\w.,/€-])"
    r"(?:\d{9}|\d{4}([. -])\d{2}\1\d{3}|\d{3}([. -])\d{3}\2\d{3}|\d{2}([. -])\d{3}\3\d{3}\3\d)"
    r"(?![\w/-]|[.,]\d)"
)
# After the word, the number may be glued to it or split any way: "BSN123456782",
# "burgerservicenummer 123-456-782", "bsn: 1234.56.782".
_BSN_KEYWORD_NUMBER = re.compile(
    r"(?i:(?<![a-z])(?:bsn|burgerservicenummer|burger\s?service\s?nummer|sofi-?nummer|sofinr))"
    # Up to three short words may stand between the word and the number ("het bsn van
    # moeder: 111 22 23 33"); the elfproef still decides.
    r"(?:[\s:.#-]{0,3}(?![\d])[^\W\d]{1,12}){0,3}?[\s:.#-]*(?:(?i:nummer|nr\.?|is)[\s:.#]*)?"
    r"(?P<num>\d(?:[. -]?\d){6,9}+)(?![\w/-]|[.,]\d)"
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
    # Not glued to other digits or words; "tel:0612345678" is the one colon allowed before it.
    r"(?:(?<![\w+@/.,:-])|(?<=(?i:tel):)|(?<=(?i:mob):)|(?<=(?i:gsm):))"
    r"(?P<prefix>(?:\+|00)31[ .-]?(?:\(0\)[ .-]?)?|\(0(?=\d{1,3}\))|0(?=[1-9]))"
    r"(?P<body>[1-9]\d{0,9}(?:(?:\)[ .-]?|[ ]?[./-][ ]?|[ ])\d{1,10}){0,5})"
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


# Foreign numbers: a country code other than the Dutch one, then digit groups.
_FOREIGN_PHONE = re.compile(
    r"(?<![\w+@/.,:-])(?:\+|00)(?!31)[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:[ ./-]?\d{1,5}){2,6}+"
    r"(?![\w@-]|[.,]\d)"
)


def find_phones(text: str) -> Iterator[Hit]:
    """Yield phone numbers: Dutch (06, 06/, landline, +31/0031) and foreign (+32, 0049…).

    Dutch numbers are read by the rules below; a foreign number must be a valid number of its
    country according to Google's libphonenumber (the `phonenumbers` package).
    """
    for m in _PHONE_CANDIDATE.finditer(text):
        end = _phone_end(text, m.group("prefix"), m.group("body"), m.start("body"))
        if end is not None:
            yield Hit("phone", m.start(), end, text[m.start() : end])
    for m in _FOREIGN_PHONE.finditer(text):
        raw = m.group()
        try:
            number = phonenumbers.parse("+" + raw[2:] if raw.startswith("00") else raw, None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            yield Hit("phone", m.start(), m.end(), raw)


# --- other identifiers announced by a keyword --------------------------------------------------

_OTHER_ID = re.compile(
    r"(?i:\b(?:paspoort(?:nummer|nr\.?)?|documentnummer|id-?kaart(?:nummer)?|"
    r"identiteitskaart(?:nummer)?|identiteitsbewijs|rijbewijs(?:nummer)?|v-?nummer|"
    r"vreemdelingennummer|kenteken|cli[eë]ntnummer|pati[eë]ntnummer|klantnummer|"
    r"personeelsnummer|leerlingnummer|onderwijsnummer|passport(?:\s?(?:number|no\.?))?|"
    r"licen[cs]e\s?plate|rijksregisternummer|rijksregisternr\.?|insz(?:-?nummer)?|"
    r"steuer-?id(?:entifikationsnummer)?|steuernummer|idnr\.?))"
    r"\s*(?::|#|nr\.?|nummer|number|no\.?)?\s*"
    r"(?P<id>[A-Za-z0-9](?:[A-Za-z0-9]|[.-](?=[A-Za-z0-9])|(?<=\d) (?=\d)){3,20}+)"
)
# Dutch number plates in the side codes issued since 1978 (letters and digits in three groups).
_PLATE = re.compile(
    r"(?<![\w-])(?:"
    r"[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}|"
    r"[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|"
    r"[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|"
    r"\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d"
    r")(?![\w-])"
)
# A Belgian national register number (yy.mm.dd-ooo.cc) carries a mod-97 check (stdnum.be.nn).
_BE_NATIONAL_NUMBER = re.compile(
    r"(?<![\w.,/-])\d{2}\.?\d{2}\.?\d{2}[ .-]?\d{3}\.?\d{2}(?![\w/-]|[.,]\d)"
)
# Social-media handles: "@lisa_2008" (not part of an e-mail address), or a platform's name
# followed by a user name that is not an ordinary word ("TikTok lisaaa08", "snap: lisa.x").
_AT_HANDLE = re.compile(r"(?<![\w.@+-])@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}+))(?![@\w])")
_PLATFORM_HANDLE = re.compile(
    r"(?P<platform>(?i:\b(?:instagram|insta|ig|snapchat|snap|sc|tiktok|twitter|facebook|fb|"
    r"telegram|discord|onlyfans|kik|threads|x\.com|youtube|twitch|roblox|reddit)\b))"
    r"(?:\s?(?:-?account|naam|name|handle|gebruikersnaam|username|profiel))?"
    r"(?P<sep>\s*[:=]\s*|\s+)@?(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29}+))(?![\w@])"
)


# A profile address: "instagram.com/lisa_2008", "https://www.onlyfans.com/lisa08", "t.me/lisa".
_PROFILE_URL = re.compile(
    r"(?i:(?:https?://)?(?:www\.|m\.)?(?:instagram\.com|tiktok\.com|onlyfans\.com|"
    r"snapchat\.com/add|facebook\.com|fb\.com|twitter\.com|x\.com|t\.me|youtube\.com|"
    r"twitch\.tv|reddit\.com/u(?:ser)?|threads\.net|wa\.me)/)@?(?P<handle>[A-Za-z0-9_.]{2,40}+)"
)


def _handle_evidence(handle: str, separator: str) -> bool:
    # "via Snapchat benaderd" names no account; "snap: lisa", "TikTok lisaaa08" do.
    return ":" in separator or "=" in separator or any(c in handle for c in "0123456789_.")


def _is_short_platform(word: str) -> bool:
    # "ig", "sc" and "fb" are too short to trust alone: "IG: lisa", "IG lisa_2008" yes, "ig ben" no.
    return word.lower() in {"ig", "sc", "fb"}


def find_other_ids(text: str) -> Iterator[Hit]:
    """Yield ids that point at one person: passport and similar numbers after their keyword,
    number plates, Belgian national register numbers and social-media handles."""
    for m in _OTHER_ID.finditer(text):
        value = m.group("id")
        if any(c.isdigit() for c in value):
            yield Hit("other", m.start("id"), m.end("id"), value)
    for m in _PLATE.finditer(text):
        yield Hit("other", m.start(), m.end(), m.group())
    for m in _BE_NATIONAL_NUMBER.finditer(text):
        if stdnum_be_nn.is_valid(m.group()):
            yield Hit("other", m.start(), m.end(), m.group())
    for m in _AT_HANDLE.finditer(text):
        handle = m.group("handle").rstrip(".")
        yield Hit("other", m.start(), m.start() + 1 + len(handle), "@" + handle)
    for m in _PROFILE_URL.finditer(text):
        handle = m.group("handle").rstrip(".")
        yield Hit(
            "other",
            m.start(),
            m.start("handle") + len(handle),
            text[m.start() : m.start("handle") + len(handle)],
        )
    for m in _PLATFORM_HANDLE.finditer(text):
        handle = m.group("handle").rstrip(".")
        short = _is_short_platform(m.group("platform"))
        if short and ":" not in m.group("sep") and not any(c in handle for c in "0123456789_"):
            continue
        if _handle_evidence(handle, m.group("sep")):
            start = m.start("handle") - (1 if text[m.start("handle") - 1] == "@" else 0)
            end = m.start("handle") + len(handle)
            yield Hit("other", start, end, text[start:end])
