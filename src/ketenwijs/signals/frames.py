"""Indicator frames: a predicate and its actor, object and other slots, matched on lemmas.

A pattern ("moet ... inleveren") fixes word order; Dutch case notes do not ("verklaarde dat zij
per avond 400 euro moest inleveren", "hij leverde het geld in", "wordt verkocht"). A frame names
what must occur together within a clause-sized window of one sentence, in any order:

    predicate: [verkopen, verhuren, aanbieden]   # lemmas: "verkocht", "bood ... aan" match too
    object:    [haar, hem, zichzelf]             # optional: who undergoes it
    actor:     [moeder, vader, hij]              # optional: who does it (to the subject)
    with:      [man, klant, webcam*]             # optional: one more word that must be there
    also:      [moeten, dwingen]                 # optional: and one more
    unless:    [fiets, auto]                     # optional: words that cancel the frame here

Each slot lists words or short phrases; every word is compared by lemma and by form (`x*`: any
word starting with x; `=mannen`: this form only, not every form of its lemma). A separable verb
written whole ("inleveren") also matches its split form ("leverde ... in", "in te leveren").
The predicate anchors the search: one dictionary lookup per distinct word form of a text finds
the anchors, so a text without them costs nothing more.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import accumulate

from ketenwijs.signals.lemmas import lemma, lemma_list, lemma_set, split_separable
from ketenwijs.signals.patterns import Match
from ketenwijs.signals.text import normalise_phrase

SLOTS = ("actor", "object", "with", "also")
_ONE = 1
DEFAULT_WINDOW = 10  # words either side of the predicate: about one clause of a case note


class FrameError(ValueError):
    """A frame is malformed; the message tells the author what to change."""


@dataclass(frozen=True, slots=True)
class Item:
    """One slot entry: a sequence of words, each a (lemma, form) pair or a form prefix."""

    words: tuple[tuple[str, str, bool], ...]  # (lemma or "" for form only, form, is_prefix)
    source: str


@dataclass(frozen=True, slots=True)
class SlotIndex:
    """A slot's items as sets for set operations: one-word items by lemma, form and prefix,
    longer items kept whole (checked only where their first word occurs)."""

    lemmas: frozenset[str]
    forms: frozenset[str]
    prefixes: tuple[str, ...]
    longer: tuple[Item, ...]
    first_lemmas: frozenset[str]  # of every item, for the quick "can it be filled?" test
    first_forms: frozenset[str]
    separable: tuple[tuple[str, str], ...]  # (particle, base lemma) of separable verbs
    starters: frozenset[str] = frozenset()  # every first lemma, form and separable base

    @classmethod
    def of(cls, items: Sequence[Item]) -> SlotIndex:
        """Index the items of one slot."""
        single = [item.words[0] for item in items if len(item.words) == 1]
        firsts = [item.words[0] for item in items]
        # A written word also stands for its own form as a lemma: "storten" matches "gestort"
        # (lemma "storten") even where the lemmatiser reads the word "storten" itself otherwise.
        return cls(
            frozenset([*(w[0] for w in single if w[0]), *(w[1] for w in single if w[0])]),
            frozenset(w[1] for w in single if not w[2]),
            tuple(w[1] for w in firsts if w[2]),
            tuple(item for item in items if len(item.words) > 1),
            frozenset([*(w[0] for w in firsts if w[0]), *(w[1] for w in firsts if w[0])]),
            frozenset(w[1] for w in firsts if not w[2]),
            tuple(
                dict.fromkeys(
                    split
                    for w in single
                    if w[0]
                    for written in (w[0], w[1])
                    if (split := split_separable(written)) is not None
                )
            ),
        )

    def __post_init__(self) -> None:
        """Join the sets the quick test needs into one (a frozen dataclass sets it once)."""
        starters = self.first_lemmas | self.first_forms | {base for _, base in self.separable}
        object.__setattr__(self, "starters", frozenset(starters))

    def may_fill(self, lemmas: AbstractSet[str], forms: AbstractSet[str]) -> bool:
        """Return False when no word of the window can start an item of this slot."""
        starters = self.starters
        if not starters.isdisjoint(lemmas) or not starters.isdisjoint(forms):
            return True
        return bool(self.prefixes) and any(f.startswith(self.prefixes) for f in forms)

    def present(self, window: _Window) -> bool:
        """Return whether any item of the slot occurs in the window (for `unless`)."""
        if not self.starters.isdisjoint(window.by_lemma) or not self.starters.isdisjoint(
            window.by_form
        ):
            return self.find(window, -1, ()) is not None
        return bool(self.prefixes) and self.find(window, -1, ()) is not None

    def find(self, window: _Window, anchor: int, used: Sequence[int]) -> list[int] | None:
        """Return the token indexes of the slot's occurrence nearest to `anchor`, or None."""
        spans: list[list[int]] = []
        for form in self.forms.intersection(window.by_form):
            spans.extend([k] for k in window.by_form[form])
        for word in self.lemmas.intersection(window.by_lemma):
            spans.extend([k] for k in window.by_lemma[word])
        if self.prefixes:
            spans.extend(
                [window.low + k] for k, f in enumerate(window.forms) if f.startswith(self.prefixes)
            )
        for particle, base in self.separable:  # "leverde het geld in", "in moest leveren"
            for k in window.by_lemma.get(base, ()):
                at = next((j for j in window.by_form.get(particle, ()) if j > k), None)
                if at is None:
                    at = _particle_before(window.tokens, k, particle)
                if at is not None:
                    spans.append(sorted((k, at)))
        for item in self.longer:
            first_lemma, first_form, _ = item.words[0]
            if first_form not in window.by_form and first_lemma not in window.by_lemma:
                continue  # its first word is not here: no call needed
            found = _find_item(item, window, anchor, used)
            if found is not None:
                spans.append(found)
        best: list[int] | None = None
        for span in spans:
            if any(k in used for k in span):
                continue
            # Nearest to the anchor, then the earlier one: the same choice in every process
            # (set order varies with the hash seed; the Dask path must equal the local one).
            if best is None or (abs(span[0] - anchor), span[0]) < (abs(best[0] - anchor), best[0]):
                best = span
        return best


@dataclass(frozen=True, slots=True)
class CompiledFrame:
    """A frame ready to match: its slots as items, the owner index and its public id."""

    id: str  # "<indicator>/<frame id>"
    owner: int
    predicate: tuple[Item, ...]
    slots: tuple[tuple[str, tuple[Item, ...]], ...]  # (slot name, items) for the other slots
    unless: tuple[Item, ...]
    window: int
    index: tuple[SlotIndex, ...]  # per slot, in the order of `slots`
    unless_index: SlotIndex


# Object words that refer to the note's subject: when the object slot matches one, the finding
# is about someone acting on the subject (role "perpetrator_on_subject").
SUBJECT_OBJECTS = frozenset(
    [
        "haar",
        "hem",
        "cliente",
        "client",
        "betrokkene",
        "jongere",
        "jeugdige",
        "dochter",
        "zoon",
        "leerling",
        "zichzelf",
    ]
)


def _item(text: str, where: str) -> Item:
    parsed: list[tuple[str, str, bool]] = []
    for raw in text.split():
        exact = raw.startswith("=")
        prefix = raw.endswith("*")
        body = raw.strip("=*")
        if "*" in body or "=" in body or (prefix and len(body) < 4):
            raise FrameError(
                f"{where}: '*' only ends a word of at least 4 letters and '=' only starts one "
                f"('{text}')"
            )
        for form in normalise_phrase(body).split():  # "id-kaart" is the two words "id kaart"
            parsed.append(("" if prefix or exact else lemma(form), form, prefix))
    if not parsed:
        raise FrameError(f"{where}: empty word ('{text}')")
    return Item(tuple(parsed), text)


def compile_frame(
    frame_id: str,
    owner: int,
    predicate: Sequence[str],
    slots: dict[str, Sequence[str] | None],
    unless: Sequence[str] = (),
    window: int = DEFAULT_WINDOW,
) -> CompiledFrame:
    """Compile one frame; raise FrameError naming the slot and the word that is wrong."""
    if not predicate:
        raise FrameError(f"frame '{frame_id}': a predicate is required")
    compiled = tuple(_item(p, f"frame '{frame_id}' predicate") for p in predicate)
    for item in compiled:
        if len(item.words) != 1 or item.words[0][2]:
            raise FrameError(
                f"frame '{frame_id}' predicate: '{item.source}' must be one word without '*' "
                "(put other words in 'with')"
            )
    others = tuple(
        (name, tuple(_item(w, f"frame '{frame_id}' {name}") for w in words))
        for name, words in slots.items()
        if words
    )
    return CompiledFrame(
        frame_id,
        owner,
        compiled,
        others,
        tuple(_item(w, f"frame '{frame_id}' unless") for w in unless),
        window,
        tuple(SlotIndex.of(items) for _, items in others),
        SlotIndex.of(tuple(_item(w, f"frame '{frame_id}' unless") for w in unless)),
    )


def _matches_word(word: tuple[str, str, bool], form: str, form_lemma: str) -> bool:
    item_lemma, item_form, prefix = word
    if prefix:
        return form.startswith(item_form)
    return form == item_form or (item_lemma != "" and form_lemma in (item_lemma, item_form))


class FrameSet:
    """Many frames behind one anchor table: predicate lemma or form -> (frame, particle)."""

    def __init__(self, frames: Sequence[CompiledFrame]) -> None:
        self.frames = tuple(frames)
        anchors: dict[str, list[tuple[int, str | None]]] = {}
        for index, frame in enumerate(self.frames):
            for item in frame.predicate:
                item_lemma, form, _ = item.words[0]
                for key in dict.fromkeys((item_lemma, form)):
                    if key:  # a form-only word ("=mannen") has no lemma key
                        anchors.setdefault(key, []).append((index, None))
                for written in dict.fromkeys((item_lemma, form)):
                    split = split_separable(written)
                    if split is not None:
                        anchors.setdefault(split[1], []).append((index, split[0]))
        self._anchors = {k: tuple(dict.fromkeys(v)) for k, v in anchors.items()}
        # Per word form seen: its anchor entries (empty when none); bounded like the lemma cache.
        self._form_anchors: dict[str, tuple[tuple[int, str | None], ...]] = {}
        self._anchor_forms: set[str] = set()  # the forms seen that are anchors

    def _anchors_of(self, form: str) -> tuple[tuple[int, str | None], ...]:
        found = self._form_anchors.get(form)
        if found is None:
            entries = self._anchors.get(form, ())
            form_lemma = lemma(form)
            if form_lemma != form:
                entries = tuple(dict.fromkeys((*entries, *self._anchors.get(form_lemma, ()))))
            found = entries
            if len(self._form_anchors) < 200_000:
                self._form_anchors[form] = found
                if found:
                    self._anchor_forms.add(form)
        return found

    def find(self, hay: str, bounds: Sequence[int]) -> tuple[list[Match], set[Match]]:
        """Find every frame in the haystack; `bounds` are the sentence starts (hay indexes).

        Also returns the matches where someone acts on the subject: the actor slot is filled
        ("haar moeder houdt al het geld") or the object slot names the subject ("verkoopt haar").
        """
        acted_on: set[Match] = set()
        if not self.frames or len(hay) < 3:
            return [], acted_on
        tokens = hay[1:-1].split(" ")
        distinct = set(tokens)
        new = distinct.difference(self._form_anchors)
        anchored = [form for form in new if self._anchors_of(form)]
        anchored.extend(distinct.intersection(self._anchor_forms).difference(anchored))
        if not anchored:
            return [], acted_on
        # A frame whose slots cannot all be filled anywhere in the text is skipped here, once
        # per text, so its anchors in ordinary sentences cost nothing more.
        lemmas = lemma_set(distinct)
        possible = {
            index
            for form in anchored
            for index, _ in self._form_anchors[form]
            if all(slot.may_fill(lemmas, distinct) for slot in self.frames[index].index)
        }
        anchor_forms = {
            form for form in anchored if any(i in possible for i, _ in self._form_anchors[form])
        }
        if not anchor_forms:
            return [], acted_on
        # Hay index of each token's first character (the hay starts with one space).
        starts = list(accumulate(map(_ONE.__add__, map(len, tokens[:-1])), initial=1))
        # The token indexes of the anchors, found with str.find (in C), not a loop over tokens.
        places: list[int] = []
        for form in anchor_forms:
            key = f" {form} "
            at = hay.find(key)
            while at != -1:
                places.append(bisect_left(starts, at + 1))
                at = hay.find(key, at + len(form) + 1)
        places.sort()
        matches: list[Match] = []
        seen: dict[int, tuple[set[str], set[str]]] = {}
        for i in places:
            form = tokens[i]
            sentence = bisect_right(bounds, starts[i]) - 1
            first = bisect_left(starts, bounds[sentence]) if sentence >= 0 else 0
            last = (
                bisect_left(starts, bounds[sentence + 1])
                if sentence + 1 < len(bounds)
                else len(tokens)
            )
            windows: dict[tuple[int, int], _Window] = {}
            # The words of the sentence, once: a frame that cannot be filled in it is skipped
            # before its window is built.
            sentence_words = seen.get(sentence)
            if sentence_words is None:
                forms = set(tokens[first:last])
                sentence_words = seen[sentence] = (forms, lemma_set(forms))
            for frame_index, particle in self._form_anchors[form]:
                if frame_index not in possible:
                    continue
                frame = self.frames[frame_index]
                if not all(
                    slot.may_fill(sentence_words[1], sentence_words[0]) for slot in frame.index
                ):
                    continue
                low, high = max(first, i - frame.window), min(last, i + frame.window + 1)
                # "komt" without "over" is not "overkomen": checked before any other work.
                if (
                    particle is not None
                    and particle not in tokens[i + 1 : high]
                    and _particle_before(tokens, i, particle) is None
                ):
                    continue
                window = windows.get((low, high))
                if window is None:
                    window = windows[low, high] = _Window(tokens, low, high)
                filled = self._match(frame, window, i, particle)
                if filled is None:
                    continue
                used, objects, actors = filled
                match = Match(
                    frame.owner, f"frame {frame.id}", _segments(sorted(used), tokens, starts)
                )
                matches.append(match)
                if actors or any(tokens[k] in SUBJECT_OBJECTS for k in objects):
                    acted_on.add(match)
        return matches, acted_on

    @staticmethod
    def _match(
        frame: CompiledFrame, window: _Window, anchor: int, particle: str | None
    ) -> tuple[list[int], list[int], list[int]] | None:
        """Return the token indexes that fill the frame around `anchor` (and those of its
        object and actor slots), or None when a slot stays empty or an `unless` word is there."""
        used = [anchor]
        tokens = window.tokens
        if particle is not None:
            # The particle follows the verb ("leverde het geld in") or stands before "te"
            # ("in te leveren").
            at = next((j for j in window.by_form.get(particle, ()) if j > anchor), None)
            if at is None:
                at = _particle_before(tokens, anchor, particle)
            if at is None:
                return None
            used.append(at)
        forms, lemmas = window.by_form.keys(), window.by_lemma.keys()
        for slot in frame.index:
            if not slot.may_fill(lemmas, forms):
                return None
        if frame.unless and frame.unless_index.present(window):
            return None
        objects: list[int] = []
        actors: list[int] = []
        for (name, _), slot in zip(frame.slots, frame.index, strict=True):
            best = slot.find(window, anchor, used)
            if best is None:
                return None
            used.extend(best)
            if name == "object":
                objects.extend(best)
            elif name == "actor":
                actors.extend(best)
        return used, objects, actors


# Words that may stand between a particle and its verb: "in te leveren", "in moest leveren".
_BETWEEN_PARTICLE_AND_VERB = frozenset(
    [
        "te",
        "moet",
        "moest",
        "moeten",
        "moesten",
        "kan",
        "kon",
        "kunnen",
        "wil",
        "wilde",
        "zal",
        "zou",
        "zouden",
        "mag",
        "mocht",
        "gaat",
        "ging",
    ]
)


def _particle_before(tokens: list[str], verb: int, particle: str) -> int | None:
    """Return the index of `particle` just before the verb ("in leverde", "in te leveren")."""
    if verb >= 1 and tokens[verb - 1] == particle:
        return verb - 1
    if (
        verb >= 2
        and tokens[verb - 2] == particle
        and tokens[verb - 1] in _BETWEEN_PARTICLE_AND_VERB
    ):
        return verb - 2
    return None


class _Window:
    """The words around one anchor, indexed by form and by lemma (built once per anchor)."""

    __slots__ = ("by_form", "by_lemma", "forms", "lemmas", "low", "tokens")

    def __init__(self, tokens: list[str], low: int, high: int) -> None:
        self.tokens = tokens
        self.low = low
        self.forms = tokens[low:high]
        self.lemmas = lemma_list(self.forms)
        self.by_form: dict[str, list[int]] = {}
        self.by_lemma: dict[str, list[int]] = {}
        index = low
        for form, form_lemma in zip(self.forms, self.lemmas, strict=True):
            found = self.by_form.get(form)
            if found is None:
                self.by_form[form] = [index]
            else:
                found.append(index)
            found = self.by_lemma.get(form_lemma)
            if found is None:
                self.by_lemma[form_lemma] = [index]
            else:
                found.append(index)
            index += 1

    def starts(self, word: tuple[str, str, bool]) -> list[int]:
        """Return the token indexes in the window where `word` occurs."""
        item_lemma, form, prefix = word
        if prefix:
            return [self.low + k for k, f in enumerate(self.forms) if f.startswith(form)]
        found = self.by_form.get(form, [])
        if item_lemma:
            found = found + self.by_lemma.get(item_lemma, [])
        return found

    def holds(self, word: tuple[str, str, bool], index: int) -> bool:
        """Return whether token `index` (inside the window) is `word`."""
        offset = index - self.low
        if offset >= len(self.forms):
            return False
        return _matches_word(word, self.forms[offset], self.lemmas[offset])


def _find_item(item: Item, window: _Window, anchor: int, used: Sequence[int]) -> list[int] | None:
    """Return the token indexes of the occurrence of `item` nearest to `anchor`, or None."""
    size = len(item.words)
    best: list[int] | None = None
    for j in window.starts(item.words[0]):
        span = list(range(j, j + size))
        if any(k in used for k in span):
            continue
        if all(
            window.holds(word, k) for word, k in zip(item.words[1:], span[1:], strict=True)
        ) and (best is None or (abs(j - anchor), j) < (abs(best[0] - anchor), best[0])):
            best = span
    return best


def _segments(
    indexes: list[int], tokens: list[str], starts: list[int]
) -> tuple[tuple[int, int], ...]:
    """Turn sorted token indexes into haystack spans, joining neighbours into one segment."""
    segments: list[list[int]] = []
    previous = -2
    for index in indexes:
        start, end = starts[index], starts[index] + len(tokens[index])
        if index == previous + 1 and segments:
            segments[-1][1] = end
        else:
            segments.append([start, end])
        previous = index
    return tuple((s, e) for s, e in segments)
