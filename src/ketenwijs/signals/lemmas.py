"""Dutch lemmas for the frame matcher: simplemma's packaged dictionary, cached per word form.

simplemma (MIT) ships its Dutch data inside the wheel; nothing is downloaded at run time. Words
arrive normalised (lower case, accents folded) from the haystack. Separable verbs come back with
an underscore ("aan_bieden"), which is dropped so "aangeboden" and "aanbieden" meet.
"""

from __future__ import annotations

from collections.abc import Iterable

import simplemma

_LONGEST = 40  # letters: longer tokens are not looked up (bounded work per token)
_CACHE_LIMIT = 200_000  # word forms; a text in another language must not grow it without end


class _LemmaCache(dict[str, str]):
    """word form -> lemma; filled on first sight, bounded."""

    def __missing__(self, word: str) -> str:
        if not word or len(word) > _LONGEST:
            return word  # nothing to look up; a very long "word" is not Dutch vocabulary
        lemma = simplemma.lemmatize(word, lang="nl").lower().replace("_", "")
        if lemma == word and word.startswith("ge") and word[-1] in "dt" and len(word) > 6:
            lemma = _participle(word) or lemma
        if len(self) < _CACHE_LIMIT:
            self[word] = lemma
        return lemma


def _participle(word: str) -> str | None:
    """Guess the infinitive of a regular past participle the dictionary lacks ("gecontroleerd").

    ge + stem + d/t: the infinitive is stem + "en", with a doubled vowel made single
    ("controleer" -> "controleren"); only an infinitive the dictionary knows is returned.
    """
    stem = word[2:-1]
    candidates = [stem + "en"]
    if len(stem) > 2 and stem[-2] == stem[-3] and stem[-2] in "aeou":
        candidates.append(stem[:-2] + stem[-1] + "en")
    for candidate in candidates:
        if simplemma.is_known(candidate, lang="nl"):
            return candidate
    return None


_LEMMAS = _LemmaCache()


def lemma(word: str) -> str:
    """Return the lemma of one normalised Dutch word (the word itself when unknown)."""
    return _LEMMAS[word]


def lemma_list(words: list[str]) -> list[str]:
    """Return the lemmas of many words, in order (cached words cost one C-level lookup each)."""
    return list(map(_LEMMAS.__getitem__, words))


def lemma_set(words: Iterable[str]) -> set[str]:
    """Return the lemmas of many words (cached words cost one C-level lookup each)."""
    return set(map(_LEMMAS.__getitem__, words))


# Particles of Dutch separable verbs ("haalt haar op" = ophalen), longest first.
PARTICLES: tuple[str, ...] = tuple(
    sorted(
        [
            "op",
            "af",
            "aan",
            "in",
            "uit",
            "mee",
            "weg",
            "door",
            "terug",
            "over",
            "binnen",
            "toe",
            "vast",
            "achter",
            "na",
            "voor",
            "om",
            "bij",
            "samen",
            "langs",
            "thuis",
            "rond",
            "neer",
            "tegen",
            "open",
            "dicht",
            "los",
            "kwijt",
        ],
        key=len,
        reverse=True,
    )
)


def split_separable(verb_lemma: str) -> tuple[str, str] | None:
    """Return (particle, base lemma) of a separable verb lemma ("inleveren" -> in, leveren)."""
    for particle in PARTICLES:
        rest = verb_lemma[len(particle) :]
        if verb_lemma.startswith(particle) and len(rest) >= 4 and rest.endswith("en"):
            return particle, rest
    return None
