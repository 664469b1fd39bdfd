"""Spot the signal: the learner ticks the sentences of a case note that hold a signal about the
client; Signaleren's scan of the note is the answer key, context included.

The answer key is never written in the content file: it is computed from the indicator library,
so the exercise stays in step with what Signaleren finds. A ticked sentence with an affirmed
signal about the client is a hit; a ticked sentence whose mentions are negated, hypothetical or
about someone else (or that has none) is a false alarm; an unticked sentence with an affirmed
signal is missed, and each missed indicator becomes a review card. A ticked sentence that holds
only a vulnerability or the client's own history (ran away a year ago) is context: relevant to
the picture, so it counts neither for nor against the learner. A sentence about another young
person may carry an authored `other_person_action`: not a signal about the client, but it still
calls for action (shown whatever the learner ticked).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from ketenwijs.content import ContentError, LocatedData, validate
from ketenwijs.learning.schema import NonEmpty, Profession, Slug, Strict, Text
from ketenwijs.signals import IndicatorLibrary, default_library, scan_text
from ketenwijs.signals.engine import Finding
from ketenwijs.signals.text import split_sentences

# A note the learner reads in one sitting; also bounds the scan work per note.
MAX_SENTENCES = 25
MAX_SENTENCE_CHARS = 400
# Every note must train both sides: signals to find and mentions that only look like one.
MIN_SIGNAL_SENTENCES = 3
MIN_DECOY_SENTENCES = 2
SPOT_MINIMUM_NOTES = 6
CARD_PREFIX = "spot:"  # a colon is not allowed in content card ids, so ids never collide

Sentence = Annotated[str, Field(min_length=1, max_length=MAX_SENTENCE_CHARS)]


class SpotSentence(Strict):
    """One sentence of a note, in Dutch (scanned by Signaleren) and English (shown in English)."""

    nl: Sentence
    en: Sentence
    # What to do when the sentence discloses that another minor is being exploited: no signal
    # about the client, yet it calls for action. Allowed only where Signaleren finds a signal
    # about a third person (checked in check_spot_note), so it stays in step with the key.
    other_person_action: Text | None = None

    def in_language(self, language: str) -> str:
        """Return the English text for an English language code, else the Dutch one."""
        return self.en if language.startswith("en") else self.nl


class SpotNoteFile(Strict):
    """A realistic case note written for the exercise; one item per sentence."""

    id: Slug
    order: int
    setting: Profession  # the professional who wrote the note
    title: Text
    writer: Text  # who wrote it, such as "mentor, vmbo"
    client: NonEmpty  # the name the learner looks for signals about
    sentences: Annotated[list[SpotSentence], Field(min_length=4, max_length=MAX_SENTENCES)]


class Verdict(StrEnum):
    """What a sentence holds according to Signaleren."""

    SIGNAL = "signal"  # an affirmed signal about the client: ticking it is a hit
    DECOY = "decoy"  # only mentions that do not count (negated, other person, ...)
    HISTORY = "history"  # the client's own past (ran away a year ago): context, not a signal now
    CONTEXT = "context"  # only a vulnerability of the client: context, not a signal
    NOTHING = "nothing"  # no mention at all


@dataclass(frozen=True)
class Mention:
    """A Signaleren finding in a sentence, reduced to what the feedback explains."""

    indicator: str
    context: str  # affirmed | negated | hypothetical | historical | other_person
    role: str  # subject | perpetrator_on_subject | third_person
    text: str  # the words that matched
    trigger: str | None  # the words that decided the context ("geen", "haar vriendin")
    kind: str  # signal | vulnerability

    @property
    def about_client(self) -> bool:
        """Return whether the mention counts: affirmed and not about a third person."""
        return self.context == "affirmed" and self.role != "third_person"

    @property
    def reason(self) -> str:
        """Return why a mention does not count: its context, or 'other_person' for a third
        person's affirmed mention; 'affirmed' when it counts."""
        if self.context == "affirmed" and self.role == "third_person":
            return "other_person"
        return self.context


@dataclass(frozen=True)
class KeySentence:
    """A sentence of the note with Signaleren's findings in it (the answer key)."""

    number: int  # 1-based position in the note
    text: SpotSentence
    mentions: tuple[Mention, ...]

    @property
    def signals(self) -> tuple[Mention, ...]:
        """Return the affirmed signals about the client, one per indicator."""
        seen: dict[str, Mention] = {}
        for m in self.mentions:
            if m.kind == "signal" and m.about_client and m.indicator not in seen:
                seen[m.indicator] = m
        return tuple(seen.values())

    @property
    def decoys(self) -> tuple[Mention, ...]:
        """Return the signal mentions that do not count, one per indicator and reason."""
        counted = {m.indicator for m in self.signals}
        seen: dict[tuple[str, str], Mention] = {}
        for m in self.mentions:
            key = (m.indicator, m.reason)
            if m.kind == "signal" and not m.about_client and m.indicator not in counted:
                seen.setdefault(key, m)
        return tuple(seen.values())

    @property
    def vulnerabilities(self) -> tuple[Mention, ...]:
        """Return the vulnerability items mentioned about the client (context, not signals)."""
        seen: dict[str, Mention] = {}
        for m in self.mentions:
            if m.kind == "vulnerability" and m.context in ("affirmed", "historical"):
                seen.setdefault(m.indicator, m)
        return tuple(seen.values())

    @property
    def history(self) -> tuple[Mention, ...]:
        """Return the not-counting signal mentions that are the client's own past."""
        return tuple(
            m for m in self.decoys if m.reason == "historical" and m.role != "third_person"
        )

    @property
    def other_person_action(self) -> Text | None:
        """Return the authored action for a disclosure about another young person, if any."""
        if any(m.reason == "other_person" for m in self.decoys):
            return self.text.other_person_action
        return None

    @property
    def verdict(self) -> Verdict:
        """Return what ticking this sentence means."""
        if self.signals:
            return Verdict.SIGNAL
        if self.history:
            return Verdict.HISTORY
        if self.decoys:
            return Verdict.DECOY
        if self.vulnerabilities:
            return Verdict.CONTEXT
        return Verdict.NOTHING


@dataclass(frozen=True)
class SpotNote:
    """A checked note with its answer key and the indicator library version that made it."""

    note: SpotNoteFile
    key: tuple[KeySentence, ...]
    library_version: str

    @property
    def id(self) -> str:
        """Return the note's id."""
        return self.note.id

    @property
    def signal_count(self) -> int:
        """Return how many sentences hold a signal about the client."""
        return sum(1 for s in self.key if s.verdict is Verdict.SIGNAL)

    @property
    def decoy_count(self) -> int:
        """Return how many sentences hold only mentions that do not count."""
        return sum(1 for s in self.key if s.verdict is Verdict.DECOY)


def _mention(finding: Finding, kind: str) -> Mention:
    return Mention(
        indicator=finding.indicator,
        context=finding.context,
        role=finding.role,
        text=finding.text,
        trigger=(finding.trigger.text if finding.trigger else None)
        or (finding.actor.text if finding.actor else None),
        kind=kind,
    )


class SentenceSplitError(ValueError):
    """A note's items do not match the sentences Signaleren reads; `index` is the 0-based item."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def answer_key(note: SpotNoteFile, library: IndicatorLibrary | None = None) -> SpotNote:
    """Scan the note's Dutch text with Signaleren and return the findings per sentence.

    Raises SentenceSplitError when an item is not exactly one sentence as Signaleren splits it:
    context (a negation, "haar vriendin") reaches to the end of a sentence, so the items shown
    must be the sentences that were scanned.
    """
    lib = library or default_library()
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    at = 0
    for item in note.sentences:
        sentence = item.nl.strip()
        spans.append((at, at + len(sentence)))
        parts.append(sentence)
        at += len(sentence) + 1
    text = " ".join(parts)
    read_stripped = [
        (s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip()))
        for s, e in split_sentences(text)
    ]
    if read_stripped != spans:
        index = next(
            (
                i
                for i, (span, got) in enumerate(zip(spans, read_stripped, strict=False))
                if span != got
            ),
            min(len(spans), len(read_stripped)) - 1,
        )
        raise SentenceSplitError(
            index,
            f"sentence {index + 1} is not one sentence as Signaleren reads it "
            f"(it reads {len(read_stripped)} sentences in {len(spans)} items): "
            "write exactly one sentence per item, ending in '.', '?' or '!'",
        )
    result = scan_text(text, library=lib, use_model=True)
    found = [(f, "signal") for f in result.findings] + [
        (f, "vulnerability") for f in result.vulnerabilities
    ]
    key = []
    for number, ((start, end), item) in enumerate(zip(spans, note.sentences, strict=True), 1):
        mentions = tuple(
            _mention(f, kind)
            for f, kind in sorted(found, key=lambda pair: pair[0].start)
            if start <= f.start < end
        )
        key.append(KeySentence(number, item, mentions))
    return SpotNote(note, tuple(key), lib.version)


def check_spot_note(
    located: LocatedData, _sources: object = None
) -> tuple[SpotNoteFile, list[ContentError]]:
    """Validate a note: schema, id equal to the file name, one sentence per item, and an answer
    key with enough signals about the client and enough mentions that do not count."""
    note = validate(SpotNoteFile, located)
    errors: list[ContentError] = []
    if located.path is not None and located.path.stem != note.id:
        errors.append(
            located.error(
                f"id '{note.id}' does not match the file name '{located.path.name}'", ("id",)
            )
        )
    try:
        spot = answer_key(note)
    except SentenceSplitError as split:
        errors.append(located.error(str(split), ("sentences", split.index, "nl")))
        return note, errors
    if spot.signal_count < MIN_SIGNAL_SENTENCES:
        errors.append(
            located.error(
                f"note '{note.id}' has {spot.signal_count} sentences with an affirmed signal "
                f"about the client; Signaleren must find at least {MIN_SIGNAL_SENTENCES}",
                ("sentences",),
            )
        )
    for sentence in spot.key:
        if sentence.text.other_person_action is not None and sentence.other_person_action is None:
            errors.append(
                located.error(
                    f"sentence {sentence.number} has other_person_action, but Signaleren finds "
                    "no signal about another person in it",
                    ("sentences", sentence.number - 1, "other_person_action"),
                )
            )
    if spot.decoy_count < MIN_DECOY_SENTENCES:
        errors.append(
            located.error(
                f"note '{note.id}' has {spot.decoy_count} sentences whose mentions do not count "
                f"(negated, hypothetical, other person); at least "
                f"{MIN_DECOY_SENTENCES} are needed",
                ("sentences",),
            )
        )
    return note, errors


class Mark(StrEnum):
    """How one sentence turned out for the learner."""

    HIT = "hit"  # ticked, holds a signal about the client
    FALSE_ALARM = "false_alarm"  # ticked, holds none
    MISSED = "missed"  # not ticked, holds a signal about the client
    CONTEXT = "context"  # ticked, holds only a vulnerability or history: explained, not counted
    PASSED = "passed"  # not ticked, holds no signal: right to leave it


class SpotInputError(ValueError):
    """The submitted marks cannot be scored (nothing chosen, or contradictory, or unknown)."""


class UnknownChoiceError(SpotInputError):
    """A sentence was given an indicator that is not one of the signals offered; `sentence` is
    its number."""

    def __init__(self, sentence: int, name: str) -> None:
        super().__init__(f"sentence {sentence}: unknown indicator '{name}'")
        self.sentence = sentence


@dataclass(frozen=True)
class MarkedSentence:
    """A sentence of the key with the learner's mark."""

    sentence: KeySentence
    ticked: bool
    mark: Mark
    named: str | None = None  # the indicator the learner named for this sentence, if any

    @property
    def named_right(self) -> bool:
        """Return whether the learner named an indicator Signaleren finds about the client here."""
        return self.named is not None and self.named in {m.indicator for m in self.sentence.signals}


@dataclass(frozen=True)
class SpotResult:
    """The scored exercise."""

    sentences: tuple[MarkedSentence, ...]

    def _count(self, mark: Mark) -> int:
        return sum(1 for s in self.sentences if s.mark is mark)

    @property
    def hits(self) -> int:
        """Return the number of signal sentences the learner ticked."""
        return self._count(Mark.HIT)

    @property
    def false_alarms(self) -> int:
        """Return the number of ticked sentences without a signal about the client."""
        return self._count(Mark.FALSE_ALARM)

    @property
    def misses(self) -> int:
        """Return the number of signal sentences the learner left unticked."""
        return self._count(Mark.MISSED)

    @property
    def named(self) -> int:
        """Return on how many hits the learner also named which signal it is."""
        return sum(1 for s in self.sentences if s.mark is Mark.HIT and s.named is not None)

    @property
    def named_right(self) -> int:
        """Return on how many hits the learner named a signal Signaleren finds there."""
        return sum(1 for s in self.sentences if s.mark is Mark.HIT and s.named_right)

    @property
    def percent(self) -> int:
        """Return hits as a share of hits, misses and false alarms (100 when all are right)."""
        total = self.hits + self.misses + self.false_alarms
        return round(100 * self.hits / total) if total else 100

    def missed_indicators(self) -> list[tuple[str, KeySentence]]:
        """Return each missed indicator once, with the first sentence it was missed in."""
        seen: dict[str, KeySentence] = {}
        for marked in self.sentences:
            if marked.mark is Mark.MISSED:
                for mention in marked.sentence.signals:
                    seen.setdefault(mention.indicator, marked.sentence)
        return list(seen.items())


def score_spot(
    spot: SpotNote,
    ticked: Collection[int],
    nothing_seen: bool = False,
    named: Mapping[int, str] | None = None,
    known: Collection[str] | None = None,
) -> SpotResult:
    """Score the learner's ticked sentence numbers (1-based) against the answer key.

    `named` optionally gives, per sentence, the indicator the learner thinks it shows (naming
    one counts as ticking the sentence); `known` are the indicator ids that may be named.
    An empty submit is refused unless the learner says they see nothing, so a slip of the mouse
    is not scored as "saw nothing"; ticking sentences and "nothing" together is refused too.
    """
    names = dict(named or {})
    allowed = set(known) if known is not None else set(default_library().indicators)
    wrong = sorted(number for number, name in names.items() if name not in allowed)
    if wrong:
        raise UnknownChoiceError(wrong[0], names[wrong[0]])
    chosen = set(ticked) | set(names)
    unknown = sorted(n for n in chosen if not 1 <= n <= len(spot.key))
    if unknown:
        raise SpotInputError(f"sentence {unknown[0]} is not part of this note")
    if not chosen and not nothing_seen:
        raise SpotInputError("choose at least one sentence, or say that you see nothing")
    if chosen and nothing_seen:
        raise SpotInputError("you ticked sentences and said you see nothing: choose one")
    marked = []
    for sentence in spot.key:
        is_ticked = sentence.number in chosen
        verdict = sentence.verdict
        if verdict is Verdict.SIGNAL:
            mark = Mark.HIT if is_ticked else Mark.MISSED
        elif not is_ticked:
            mark = Mark.PASSED
        elif verdict in (Verdict.CONTEXT, Verdict.HISTORY):
            mark = Mark.CONTEXT
        else:
            mark = Mark.FALSE_ALARM
        marked.append(MarkedSentence(sentence, is_ticked, mark, names.get(sentence.number)))
    return SpotResult(tuple(marked))


def card_id(indicator: str) -> str:
    """Return the review-card id of a missed indicator."""
    return CARD_PREFIX + indicator


def indicator_of_card(card: str) -> str | None:
    """Return the indicator of a spot review-card id, or None for any other card id."""
    return card.removeprefix(CARD_PREFIX) if card.startswith(CARD_PREFIX) else None


@dataclass(frozen=True)
class IndicatorCard:
    """A review card derived from an indicator: the exercise sentence in front, the indicator's
    label and description on the back (the library's own words, so it stays in step)."""

    id: str
    indicator: str
    front: Text
    back: Text
    sentence: SpotSentence | None
    kind: str = "indicator"
    source: None = None
    time_sensitive: None = None


def indicator_card(
    indicator: str, sentence: SpotSentence | None, library: IndicatorLibrary | None = None
) -> IndicatorCard:
    """Build the review card of an indicator; `sentence` is the exercise sentence it was missed in
    (our own content), else the library's first example sentence is shown."""
    lib = library or default_library()
    spec = lib.indicators[indicator]
    shown = sentence or SpotSentence(nl=spec.examples.match[0], en=spec.examples.match[0])
    front = Text(
        nl=f"Welk signaal staat in deze zin? “{shown.nl}”",
        en=f"Which signal is in this sentence? “{shown.en}”",
    )
    back = Text(
        nl=f"{spec.label.nl}. {spec.description.nl}",
        en=f"{spec.label.en}. {spec.description.en}",
    )
    return IndicatorCard(card_id(indicator), indicator, front, back, sentence)
