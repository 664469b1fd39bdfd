"""Scan a Dutch case note: find indicator phrases, then give each finding its context (ConText).

Two passes keep it fast. Pass one runs one Aho-Corasick automaton over the whole normalised text
and finds every indicator phrase. Pass two runs only over the sentences that had a hit: a second
automaton finds context triggers (negation, hypothetical, historical, other person, pseudo-triggers,
termination terms) and the indicators' exclusions, and each finding gets exactly one context value.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ketenwijs.signals.lemmas import lemma
from ketenwijs.signals.library import ContextRule, IndicatorLibrary, default_library
from ketenwijs.signals.model import SentenceModel, confidence
from ketenwijs.signals.patterns import Match
from ketenwijs.signals.schema import IndicatorSpec
from ketenwijs.signals.text import Haystack, split_sentences

# When several triggers reach one finding, the first kind in this order is reported.
CONTEXT_PRIORITY: tuple[str, ...] = ("negated", "other_person", "hypothetical", "historical")
_CLOSERS = "\"')]\u201d\u2019"  # closing quotes and brackets after a question mark
_CLAUSE_MARKS = ",;:"
_CLAUSE_BOUND_SCOPE = 2  # backward triggers this short do not reach across a clause mark
# Words that open a new clause after a comma: subject pronouns, connectives and frequent finite
# verbs ("geen jas aan, lijkt gedrogeerd"; "geen signalen van dwang, ze lijkt ..."). A list
# after a negation ("geen blauwe plekken, snijwonden of brandwonden") starts with none of them.
_CLAUSE_OPENERS = frozenset(
    ["ze", "zij", "hij", "ik", "je", "jij", "we", "wij", "men", "het", "er", "dit", "deze",
     "cliente", "client", "betrokkene", "jeugdige", "jongere", "moeder", "vader",
     "maar", "wel", "toch", "ook", "dan", "daarna", "verder", "bovendien", "nu", "inmiddels",
     "is", "was", "zijn", "waren", "wordt", "werd", "heeft", "had", "hebben", "moet", "moest",
     "kan", "kon", "wil", "wilde", "mag", "mocht", "gaat", "ging", "komt", "kwam", "zit", "zat",
     "ligt", "lag", "staat", "stond", "blijft", "bleef", "lijkt", "leek", "oogt", "oogde",
     "blijkt", "bleek", "zegt", "zei", "vertelt", "vertelde", "krijgt", "kreeg", "loopt", "liep",
     "slaapt", "sliep", "verblijft", "verbleef", "draagt", "droeg", "heb", "ben", "was"]
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Trigger:
    """The context trigger that decided a finding's context, with its place in the original text."""

    kind: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form."""
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Finding:
    """One indicator found in the text (offsets are characters in the original text)."""

    indicator: str
    category: str
    dimension: str
    strength: str
    start: int
    end: int
    text: str
    context: str
    trigger: Trigger | None = None
    role: str = "subject"  # subject | perpetrator_on_subject | third_person
    actor: Trigger | None = None  # who acts on the subject or who it is about, when named
    reported_by: Trigger | None = None  # the source of the report ("volgens zijn zus")
    rule: str = ""  # the pattern or "frame <indicator>/<id>" that fired
    source_file: str = ""  # the content file the rule is written in
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float | None = None  # only for the learned detector's findings (rule "model")

    @property
    def rule_kind(self) -> str:
        """Return what found it: "pattern", "frame" or "model" (the learned detector)."""
        if self.rule.startswith("frame "):
            return "frame"
        return "model" if self.rule == MODEL_RULE else "pattern"

    @property
    def is_affirmed(self) -> bool:
        """Return whether the finding counts (only affirmed findings enter summaries)."""
        return self.context == "affirmed"

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of spec §4.2 (plus `category`, `trigger` and the extensions:
        who it is about, who reported it, the rule that fired and its sentence)."""
        return {
            "indicator": self.indicator,
            "dimension": self.dimension,
            "strength": self.strength,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "context": self.context,
            "category": self.category,
            "trigger": self.trigger.to_dict() if self.trigger else None,
            "role": self.role,
            "actor": self.actor.to_dict() if self.actor else None,
            "reported_by": self.reported_by.to_dict() if self.reported_by else None,
            "rule": {
                "kind": self.rule_kind,
                "id": self.rule.removeprefix("frame "),
                "file": self.source_file,
                **({"confidence": self.confidence} if self.confidence is not None else {}),
            },
            "sentence": {"start": self.sentence_start, "end": self.sentence_end},
        }


_FUNCTION_WORDS = frozenset(
    ["haar", "zijn", "hun", "ze", "zij", "hij", "hem", "de", "het", "een", "die", "dat", "deze"]
)


class _Hit(NamedTuple):
    rule: ContextRule
    start: int
    end: int


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _reaches(
    haystack: Haystack,
    trigger: _Hit,
    match: Match,
    terminations: Sequence[_Hit],
) -> bool:
    """Return whether a trigger's scope reaches the match (direction, scope, termination)."""
    spec = trigger.rule.trigger
    assert spec is not None  # only trigger hits are passed in
    hay = haystack.hay
    for s, e in match.segments:
        if _overlaps(trigger.start, trigger.end, s, e):
            shared = hay[max(s, trigger.start) : min(e, trigger.end)].split()
            # A trigger word inside the phrase itself ("geen sleutel", a frame's "moeder") is not
            # a context; sharing only a pronoun or article ("Haar vriendin ..." where a frame
            # took "haar" as its object) is no reason to ignore it.
            if not all(word in _FUNCTION_WORDS for word in shared):
                return False

    def stopping(term: _Hit) -> bool:
        stops = term.rule.trigger
        return stops is not None and (stops.terminates is None or spec.kind in stops.terminates)

    # A termination term cuts the scope when it lies between the trigger and the end of the phrase
    # (forward) or between the start of the phrase and the trigger (backward). It may overlap the
    # phrase ("haalt haar op" ends an other-person scope) but must reach beyond the trigger itself.
    if spec.direction in ("forward", "both"):
        target = next((s for s, _ in match.segments if s >= trigger.end), None)
        if target is not None:
            distance = haystack.tokens_between(trigger.end, target)
            blocked = any(
                stopping(t) and trigger.start < t.start and trigger.end < t.end <= match.end
                for t in terminations
            ) or (spec.kind == "negated" and _new_clause_between(haystack, trigger.end, target))
            if (spec.max_scope is None or distance <= spec.max_scope) and not blocked:
                return True
    if spec.direction in ("backward", "both"):
        ends = [e for _, e in match.segments if e <= trigger.start]
        if ends and spec.max_scope is not None and spec.max_scope <= _CLAUSE_BOUND_SCOPE:
            # A short backward trigger stays in its clause: "vanavond 3 klanten, niet zeuren".
            between = haystack.text[
                haystack.to_original(ends[-1] - 1) + 1 : haystack.to_original(trigger.start + 1)
            ]
            if any(mark in between for mark in _CLAUSE_MARKS):
                ends = []
        if ends:
            distance = haystack.tokens_between(ends[-1], trigger.start)
            blocked = any(
                stopping(t) and match.start <= t.start < trigger.start and t.end < trigger.end
                for t in terminations
            )
            if (spec.max_scope is None or distance <= spec.max_scope) and not blocked:
                return True
    return False


def _opens_clause(word: str) -> bool:
    """Return whether a word after a comma starts a new clause: an opener, or a finite verb
    (present "-t" or past "-de/-te" of a verb the lemmatiser knows; not a participle "ge-")."""
    if word in _CLAUSE_OPENERS:
        return True
    base = lemma(word)
    return (
        base != word
        and base.endswith("en")
        and not word.startswith("ge")
        and word.endswith(("t", "de", "te"))
    )


def _new_clause_between(haystack: Haystack, start: int, target: int) -> bool:
    """Return whether a new clause begins between a forward negation (ending at hay index
    `start`) and the phrase at `target`: a clause mark followed by a clause opener.

    "Geen jas aan, lijkt gedrogeerd" does not negate "gedrogeerd"; "geen blauwe plekken,
    snijwonden of brandwonden" still negates every item of the list.
    """
    text = haystack.text
    o_start = haystack.to_original(start - 1) + 1
    o_target = haystack.to_original(target)
    cut = max(text.rfind(mark, o_start, o_target) for mark in _CLAUSE_MARKS)
    if cut < 0:
        return False
    word = _WORD.search(text, cut + 1, min(o_target + 40, len(text)))
    return word is not None and _opens_clause(word.group().lower())


class _Judged(NamedTuple):
    match: Match
    context: str
    hit: _Hit | None
    role: str
    actor: _Hit | None
    source: _Hit | None


# Words after "haar" that show it is the object ("slaat haar op straat"), not a possessive
# ("haar geld"): a preposition, particle, adverb or conjunction, or the end of the sentence.
_AFTER_OBJECT = frozenset(
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
        "bij",
        "na",
        "voor",
        "om",
        "toe",
        "naar",
        "met",
        "van",
        "tot",
        "te",
        "en",
        "of",
        "maar",
        "want",
        "omdat",
        "als",
        "dat",
        "die",
        "dan",
        "niet",
        "nooit",
        "ook",
        "al",
        "nog",
        "steeds",
        "vaak",
        "soms",
        "elke",
        "iedere",
        "iedereen",
        "hard",
        "kapot",
        "bont",
        "blauw",
        "continu",
        "constant",
        "dagelijks",
        "wekelijks",
        "zo",
        "zodat",
        "wanneer",
        "waar",
        "hier",
        "daar",
        "er",
        "sinds",
        "tijdens",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "aan",
        "door",
        "met",
        "van",
        "bij",
        "voor",
        "naar",
        "tegen",
        "over",
        "op",
        "om",
        "achter",
        "onder",
        "zonder",
        "dan",
        "als",
    ]
)
_RELATIVES = frozenset(
    ["vader", "moeder", "stiefvader", "stiefmoeder", "pleegvader", "pleegmoeder", "oom", "tante",
     "opa", "oma", "broer", "neef", "ouders"]
)  # fmt: skip
_FEMALE = frozenset(("ze", "zij"))
_MALE = frozenset(("hij",))


def _refers_to_subject(hay: str, person: _Hit, end: int) -> bool:
    """Return whether, after a named other person, the sentence refers to the note's subject.

    "Haar moeder houdt al het geld dat ze verdient", "Haar ex-vriend slaat haar": the possessive
    gives the subject's gender, and a later pronoun of that gender (a subject pronoun, or
    'haar'/'hem' used as an object) is the subject, so the other person acts on the subject.
    """
    words = hay[person.start : person.end].split()
    after = hay[person.end : end].split()
    owner = words[0] if words else ""
    objects: tuple[str, ...]
    if owner == "haar":
        subject, objects = _FEMALE, ("haar",)
    elif owner == "zijn":
        subject, objects = _MALE, ("hem",)
    else:
        subject, objects = frozenset(), ("haar", "hem")
    # A parent, step-parent or other relative who does something with "haar" after a
    # preposition ("brengt mannen mee die voor seks met haar betalen") acts on the subject too:
    # in these notes the family perpetrator is the case, not a bystander (issue 11, class 6).
    relative = (
        len(words) > 1
        and words[1] in _RELATIVES
        and not (after and after[0] in ("wordt", "werd", "worden", "werden"))  # she undergoes it
    )
    for k, word in enumerate(after):
        if word in subject:
            return True
        after_door = k > 0 and after[k - 1] == "door"  # "door haar vriend": not her
        if relative and word in objects and owner in ("haar", "zijn") and not after_door:
            return True
        if (
            word in objects
            and (k + 1 == len(after) or after[k + 1] in _AFTER_OBJECT)
            and (k == 0 or after[k - 1] not in _PREPOSITIONS)  # "aan hem": the other person
        ):
            return True
    return False


def _sentence_contexts(
    library: IndicatorLibrary,
    haystack: Haystack,
    start: int,
    end: int,
    matches: Sequence[Match],
    acted_on: set[Match],
) -> list[_Judged]:
    """Give each match in one sentence its context and role, dropping excluded matches."""
    found = library.context_patterns.find(haystack, start, end)
    if not found:
        return [
            _Judged(m, "affirmed", None, "perpetrator_on_subject" if m in acted_on else "subject",
                    None, None)
            for m in matches
        ]  # fmt: skip
    rules = library.context_rules
    excluded: set[str] = set()
    pseudo: list[_Hit] = []
    sources: list[_Hit] = []
    others: list[_Hit] = []
    for m in found:
        rule = rules[m.owner]
        if rule.excludes is not None:
            excluded.add(rule.excludes)
        if rule.trigger is not None:
            hit = _Hit(rule, m.segments[0][0], m.segments[-1][1])
            kind = rule.trigger.kind
            (pseudo if kind == "pseudo" else sources if kind == "source" else others).append(hit)
    live = (
        [h for h in others if not any(_overlaps(h.start, h.end, p.start, p.end) for p in pseudo)]
        if pseudo
        else others
    )
    if sources:  # the source of a report is not the person the signal is about
        live = [
            h
            for h in live
            if not (
                h.rule.trigger is not None
                and h.rule.trigger.kind == "other_person"
                and any(_overlaps(h.start, h.end, p.start, p.end) for p in sources)
            )
        ]
    terminations = [h for h in live if h.rule.trigger and h.rule.trigger.kind == "termination"]
    triggers = [h for h in live if h.rule.trigger and h.rule.trigger.kind != "termination"]
    if len(triggers) > 1:
        # The longest trigger wins where triggers overlap: "niet bekend of" is a doubt, not the
        # negation "niet" inside it (as in ConText implementations).
        triggers = [
            t
            for t in triggers
            if not any(
                o is not t
                and o.start <= t.start
                and t.end <= o.end
                and o.end - o.start > t.end - t.start
                for o in triggers
            )
        ]
    order = library.indicator_order
    hay = haystack.hay
    result: list[_Judged] = []
    for match in matches:
        if order[match.owner] in excluded:
            continue
        source = next((p for p in reversed(sources) if p.end <= match.start), None)
        role = "perpetrator_on_subject" if match in acted_on else "subject"
        if not triggers:
            result.append(_Judged(match, "affirmed", None, role, None, source))
            continue
        reached: dict[str, _Hit] = {}
        # The nearest trigger of each kind is the one reported.
        match_start = match.start
        for trigger in sorted(triggers, key=lambda t: abs(t.start - match_start)):
            assert trigger.rule.trigger is not None
            kind = trigger.rule.trigger.kind
            if kind not in reached and _reaches(haystack, trigger, match, terminations):
                reached[kind] = trigger
        actor = None
        person = reached.get("other_person")
        if person is not None:
            if _refers_to_subject(hay, person, end):
                del reached["other_person"]
                role, actor = "perpetrator_on_subject", person
            else:
                role, actor = "third_person", person
        chosen = next((k for k in CONTEXT_PRIORITY if k in reached), None)
        result.append(
            _Judged(
                match,
                chosen or "affirmed",
                reached[chosen] if chosen else None,
                role,
                actor,
                source,
            )
        )
    return result


def _dedupe(matches: list[Match]) -> list[Match]:
    """Keep one match per indicator where its matches overlap: the longest, then the earliest."""
    matches.sort(key=lambda m: (m.owner, m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for match in matches:
        if kept and kept[-1].owner == match.owner and match.start < kept[-1].end:
            continue
        kept.append(match)
    kept.sort(key=lambda m: (m.start, m.owner))
    return kept


def find_indicators(
    text: str, library: IndicatorLibrary | None = None, model: SentenceModel | None = None
) -> list[Finding]:
    """Find every indicator and vulnerability item in `text` with its context, in text order.

    With a `model`, sentences are also read by the learned detector; its findings carry the
    rule kind "model" and a confidence, and never repeat what a rule found in that sentence.
    """
    lib = library or default_library()
    haystack = Haystack.build(text)
    sentences = split_sentences(text)
    if not sentences:
        return []
    bounds = haystack.to_hay_many([s for s, _ in sentences])
    bounds[0] = 0
    hay_len = len(haystack.hay)
    frame_matches, acted_on = lib.frames.find(haystack.hay, bounds)
    kept = _dedupe([*lib.indicator_patterns.find(haystack, 0, hay_len, bounds), *frame_matches])
    if not kept:
        if model is None:
            return []
        return _drop_unsupported(
            _model_findings(lib, model, haystack, text, sentences, bounds, []), lib.indicators
        )
    # Original offsets of every kept match, mapped in one go: [start, end).
    firsts = haystack.to_original_many([m.segments[0][0] for m in kept])
    lasts = haystack.to_original_many([m.segments[-1][1] - 1 for m in kept])
    offsets = {id(m): (first, last + 1) for m, first, last in zip(kept, firsts, lasts, strict=True)}
    by_sentence: dict[int, list[Match]] = {}
    for match in kept:
        by_sentence.setdefault(bisect_right(bounds, match.segments[0][0]) - 1, []).append(match)

    indicators = lib.indicators
    order = lib.indicator_order
    findings: list[Finding] = []
    for index in sorted(by_sentence):
        start = max(bounds[index] - 1, 0)
        end = bounds[index + 1] if index + 1 < len(bounds) else hay_len
        sentence_text = text[sentences[index][0] : sentences[index][1]].rstrip()
        question = sentence_text.rstrip(_CLOSERS).endswith("?")
        matches = by_sentence[index]
        s_start, s_end = sentences[index][0], sentences[index][0] + len(sentence_text)
        for judged in _sentence_contexts(lib, haystack, start, end, matches, acted_on):
            match, context, hit = judged.match, judged.context, judged.hit
            spec = indicators[order[match.owner]]
            first, last = offsets[id(match)]
            trigger = _trigger(haystack, text, hit)
            if trigger is None and question:
                context, trigger = "hypothetical", _question_mark(text, s_start, s_end)
            findings.append(
                Finding(
                    spec.id,
                    spec.category,
                    spec.ilo_dimension,
                    spec.strength,
                    first,
                    last,
                    text[first:last],
                    context,
                    trigger,
                    judged.role,
                    _trigger(haystack, text, judged.actor, "person"),
                    _trigger(haystack, text, judged.source, "source"),
                    match.pattern,
                    lib.origins.get(spec.id, ""),
                    s_start,
                    s_end,
                )
            )
    if model is not None:
        findings = _model_findings(lib, model, haystack, text, sentences, bounds, findings)
    return _drop_unsupported(findings, indicators)


MODEL_RULE = "sentence_model"
MODEL_THRESHOLD = 3.0  # log-odds a model finding needs (docs/decisions/0012)
# At most this many learned findings per sentence, the highest scores first: a long summarising
# sentence otherwise gave four or five weak ones. Chosen on dev2 (k=2: P 0.829 -> 0.843, R equal;
# k=1 lost recall), never on the blind set.
MODEL_PER_SENTENCE = 2


def _model_findings(
    lib: IndicatorLibrary,
    model: SentenceModel,
    haystack: Haystack,
    text: str,
    sentences: Sequence[tuple[int, int]],
    bounds: Sequence[int],
    findings: list[Finding],
) -> list[Finding]:
    """Add the learned detector's findings, sentence by sentence, after the rule findings."""
    by_rule: dict[int, set[str]] = {}
    for f in findings:
        by_rule.setdefault(f.sentence_start, set()).add(f.indicator)
    hay = haystack.hay
    added: list[Finding] = []
    for index, (s_start, s_end) in enumerate(sentences):
        start = max(bounds[index] - 1, 0)
        end = bounds[index + 1] if index + 1 < len(bounds) else len(hay)
        scores = model.scores(hay[start:end].split(), MODEL_THRESHOLD)
        ruled = by_rule.get(s_start, set())
        hits = [
            (i, score)
            for i, score in scores.items()
            if score >= MODEL_THRESHOLD and i not in ruled and i in lib.indicators
        ]
        if len(hits) > MODEL_PER_SENTENCE:
            hits = sorted(hits, key=lambda h: -h[1])[:MODEL_PER_SENTENCE]
        if not hits:
            continue
        sentence_text = text[s_start:s_end].rstrip()
        first = s_start + len(sentence_text) - len(sentence_text.lstrip())
        last = s_start + len(sentence_text)
        for indicator, score in sorted(hits, key=lambda h: lib.indicator_order.index(h[0])):
            spec = lib.indicators[indicator]
            context, trigger = _context_of_sentence(lib, haystack, text, start, end, indicator)
            if context is None:
                continue  # an exclusion of this indicator holds in the sentence
            if trigger is None and sentence_text.rstrip(_CLOSERS).endswith("?"):
                context, trigger = "hypothetical", _question_mark(text, s_start, last)
            added.append(
                Finding(
                    spec.id,
                    spec.category,
                    spec.ilo_dimension,
                    spec.strength,
                    first,
                    last,
                    text[first:last],
                    context,
                    trigger,
                    "third_person" if context == "other_person" else "subject",
                    None,
                    None,
                    MODEL_RULE,
                    "model/sentence_model.json.gz",
                    s_start,
                    last,
                    # How far above the threshold (0.5 at it): a ranking, not a calibrated chance.
                    round(confidence(score - MODEL_THRESHOLD), 2),
                )
            )
    if not added:
        return findings
    return sorted([*findings, *added], key=lambda f: (f.start, f.indicator))


def _context_of_sentence(
    lib: IndicatorLibrary, haystack: Haystack, text: str, start: int, end: int, indicator: str
) -> tuple[str | None, Trigger | None]:
    """The context a model finding gets: the strongest trigger anywhere in its sentence.

    A learned finding has no phrase to scope a trigger to, so any live trigger in the sentence
    counts (more cautious than the rules: a negation elsewhere in the sentence also negates).
    Returns (None, None) when one of the indicator's exclusions holds in the sentence.
    """
    rules = lib.context_rules
    hits: list[_Hit] = []
    pseudo: list[_Hit] = []
    sources: list[_Hit] = []
    for m in lib.context_patterns.find(haystack, start, end):
        rule = rules[m.owner]
        if rule.excludes == indicator:
            return None, None
        if rule.trigger is None:
            continue
        hit = _Hit(rule, m.segments[0][0], m.segments[-1][1])
        kind = rule.trigger.kind
        (pseudo if kind == "pseudo" else sources if kind == "source" else hits).append(hit)
    live = [
        h
        for h in hits
        if h.rule.trigger is not None
        and h.rule.trigger.kind in CONTEXT_PRIORITY
        and not any(_overlaps(h.start, h.end, p.start, p.end) for p in pseudo)
        and not (
            h.rule.trigger.kind == "other_person"
            and (
                any(_overlaps(h.start, h.end, p.start, p.end) for p in sources)
                or _refers_to_subject(haystack.hay, h, end)
            )
        )
    ]
    for wanted in CONTEXT_PRIORITY:
        chosen = next((h for h in live if h.rule.trigger and h.rule.trigger.kind == wanted), None)
        if chosen is not None:
            return wanted, _trigger(haystack, text, chosen)
    return "affirmed", None


def _drop_unsupported(
    findings: list[Finding], indicators: dict[str, IndicatorSpec]
) -> list[Finding]:
    """Leave out findings whose indicator counts only beside a signal the note does not have."""
    if not any(indicators[f.indicator].counts_with for f in findings):
        return findings
    by_dimension: dict[str, set[str]] = {}
    for f in findings:
        if f.is_affirmed:
            by_dimension.setdefault(f.dimension, set()).add(f.indicator)

    def supported(finding: Finding) -> bool:
        needs = indicators[finding.indicator].counts_with
        return not needs or any(by_dimension.get(d, set()) - {finding.indicator} for d in needs)

    return [f for f in findings if not f.is_affirmed or supported(f)]


def _question_mark(text: str, start: int, end: int) -> Trigger:
    """The sentence's question mark as a hypothetical trigger: a question is not an observation
    ("Wordt ze opgehaald door onbekenden?")."""
    mark = text.rfind("?", start, end)
    return Trigger("hypothetical", "?", mark, mark + 1)


def _trigger(haystack: Haystack, text: str, hit: _Hit | None, kind: str = "") -> Trigger | None:
    """Return a hit as a Trigger with original offsets (kind: the hit's own unless given)."""
    if hit is None or hit.rule.trigger is None:
        return None
    t_start, t_end = haystack.span_to_original(hit.start, hit.end)
    return Trigger(kind or hit.rule.trigger.kind, text[t_start:t_end], t_start, t_end)
