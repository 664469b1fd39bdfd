"""Word lists the name and address detectors rely on: names (data files) and words that stop them.

Given names and surnames are facts kept as data in `data/*.txt` (see the header of each file for
where they come from). The stop lists here are grammar, not facts: words that are capitalised at
the start of a sentence, months, nationalities, and nouns that make a capitalised sequence an
organisation or a place rather than a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class NameLists:
    """Given names (sure and ambiguous) and stand-alone surnames, as loaded from data files."""

    first_names: frozenset[str]
    ambiguous_first_names: frozenset[str]
    surnames: frozenset[str]
    # Sure given names in lower case, for text typed without capitals ("jan de vries").
    lowercase_first_names: frozenset[str]


def _read_list(filename: str) -> list[str]:
    text = resources.files("ketenwijs.privacy").joinpath("data", filename).read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


@cache
def load_name_lists() -> NameLists:
    """Read the name data files once per process."""
    sure: set[str] = set()
    ambiguous: set[str] = set()
    for entry in _read_list("first_names.txt"):
        if entry.endswith("?"):
            ambiguous.add(entry[:-1].strip())
        else:
            sure.add(entry)
    lowercase = frozenset(name.lower() for name in sure if len(name) >= 3) - COMMON_WORDS
    return NameLists(
        frozenset(sure), frozenset(ambiguous), frozenset(_read_list("surnames.txt")), lowercase
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lowercase particles of surnames (tussenvoegsels and their Arabic, Romance and German cousins).
# "in", "op", "aan", "te" are left out on purpose: "Piet in Utrecht" is not a surname.
TUSSENVOEGSELS = _words(
    """van de der den het 't ter ten la le du da das dos di del della el al ben bin ibn abu ait
    von vd v.d. d'"""
)

MONTHS_AND_DAYS = _words(
    """januari februari maart april mei juni juli augustus september oktober november december
    january february march may june july august october
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    monday tuesday wednesday thursday friday saturday sunday"""
)

# Words that start sentences or headings; capitalised they are still not names.
COMMON_WORDS = (
    _words(
        """de het een dit dat deze die daarna daarom daarbij daarmee daarvoor dan toen ook er wij
    we ik zij ze hij het in op met voor na bij uit aan om over tot van volgens omdat als wanneer
    indien hoewel maar en of want dus verder bovendien tevens echter wel niet geen alle beide
    zie conform gelet gezien mede namens per sinds tijdens vanwege zonder ons onze mijn haar
    zijn hun welke wat wie waar hoe nu hier daar gisteren vandaag morgen vanochtend vanmiddag
    vanavond inmiddels eerder later nadat voordat toen waarna hierbij hierdoor hiervan mevrouw
    meneer besluit advies conclusie motivatie toelichting samenvatting bijlage artikel lid
    onderwerp datum aanleiding vraag antwoord opmerking let op noot zij's iemand niemand
    iedereen alles niets ja nee oke okay graag dank bedankt groet groeten vriendelijke hoogachtend
    beste geachte hallo hoi dag goedemorgen goedemiddag namens u jij je jullie men
    the this that these those a an in on at we i he she they it our his her their after
    before because if when although but and or see also not no yes dear regards kind best"""
    )
    | MONTHS_AND_DAYS
)

# Nouns that make a capitalised sequence an organisation, a building or a place.
ORGANISATION_NOUNS = _words(
    """gemeente politie rechtbank gerechtshof hof ziekenhuis kinderziekenhuis mc umc huis school
    college stichting centrum centre center kliniek instituut universiteit hogeschool lyceum
    gymnasium academie fonds ministerie raad dienst inspectie groep holding vereniging kerk
    moskee partij prijs museum station kazerne gevangenis pi bureau team basisteam
    ziekenhuizen zorg thuis veilig bv nv b.v. n.v. inc ltd gmbh foundation hospital university
    ggd riec rivm ind kmar fiod om vnv fnv wet regeling besluit verdrag richtlijn verordening
    convenant protocol meldcode"""
)

# Words before a name that make it a place, a ship or royalty rather than a private person.
PLACE_PREFIXES = _words("Sint St. Sankt Saint San Santa Prins Prinses Koning Koningin Hertog Graaf")

# Nationality adjectives: "een jongere Marokkaanse vrouw" names nobody.
NATIONALITIES = _words(
    """nederlands marokkaans turks pools surinaams antilliaans arubaans roemeens bulgaars
    nigeriaans eritrees syrisch afghaans oekraïens hongaars litouws lets ests chinees
    vietnamees thais braziliaans europees afrikaans arabisch indiaas indonesisch duits belgisch
    frans engels brits spaans italiaans portugees grieks russisch albanees servisch kroatisch
    bosnisch somalisch ethiopisch ghanees kaapverdisch dominicaans colombiaans venezolaans
    filipijns iraaks iraans koerdisch libisch egyptisch algerijns tunesisch soedanees guinees
    kameroens hindostaans creools javaans moluks amerikaans"""
)


def is_nationality(word: str) -> bool:
    """Tell whether a word is a nationality adjective such as Marokkaanse or Poolse."""
    lowered = word.lower()
    if lowered in NATIONALITIES:
        return True
    return lowered.endswith("e") and (
        lowered[:-1] in NATIONALITIES or _strip_double_vowel(lowered[:-1]) in NATIONALITIES
    )


def _strip_double_vowel(stem: str) -> str:
    # Open syllables drop a vowel: Marokkaans -> Marokkaanse keeps it, Eritrees -> Eritrese,
    # Chinees -> Chinese, Portugees -> Portugese lose it. Restore it for the lookup.
    if len(stem) >= 3 and stem[-2] in "aeiou" and stem[-3] not in "aeiou":
        return stem[:-1] + stem[-2] + stem[-1]
    return stem


STREET_SUFFIXES = (
    "straatweg",
    "straat",
    "laan",
    "weg",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "pad",
    "hof",
    "dreef",
    "steeg",
    "markt",
    "park",
    "baan",
    "wal",
    "haven",
    "veld",
    "erf",
    "kamp",
    "vaart",
    "oord",
    "plantsoen",
    "passage",
    "allee",
    "hoven",
    "weide",
    "zijde",
    "straße",
    "strasse",
    "str.",
    "gasse",
    "steenweg",
    "dreef",
)

# In lower case ("kalverstraat 12a") only suffixes that are hardly ever an ordinary word's end:
# "antwoord 2" or "loopbaan 3" must not become addresses.
LOWERCASE_STREET_SUFFIXES = (
    "straatweg",
    "straat",
    "laan",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "steeg",
    "dreef",
    "plantsoen",
    "allee",
    "straße",
    "strasse",
    "steenweg",
)

# Words with a street suffix that are not streets (or not a private person's address).
NOT_STREETS = _words(
    """gerechtshof binnenhof hof loopbaan zorgpad werkveld speelveld aandachtsveld
    draagvlak spoorweg snelweg uitweg omweg tussenweg werkweg leerpad stappenpad
    arbeidsmarkt woningmarkt bedrijvenpark werkkamp zomerkamp vakantiepark opvanghaven
    zijpad voetpad fietspad wandelpad onderweg halfweg straat laan plein gracht kade singel
    dijk steeg dreef allee"""
)


def _suffix_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    # One regular expression instead of a loop over suffixes: this runs for every capitalised
    # word of a text.
    return re.compile("(?:" + "|".join(re.escape(s) for s in suffixes) + ")$")


_STREET_SUFFIX = _suffix_pattern(STREET_SUFFIXES)
_LOWERCASE_STREET_SUFFIX = _suffix_pattern(LOWERCASE_STREET_SUFFIXES)


def street_suffix_at(word: str, *, lowercase_only: bool = False) -> int:
    """Where a street suffix starts in `word` (lowercased), or -1 when it has none."""
    pattern = _LOWERCASE_STREET_SUFFIX if lowercase_only else _STREET_SUFFIX
    m = pattern.search(word.lower())
    return -1 if m is None else m.start()


def has_street_suffix(word: str) -> bool:
    """Tell whether a capitalised word looks like a street name (Kerkstraat, De Ruyterkade)."""
    if word.lower() in NOT_STREETS:
        return False
    return street_suffix_at(word) > 1
