"""Scan a Dutch case note: find indicator phrases, then give each finding its context (ConText).

Two passes keep it fast. Pass one runs one Aho-Corasick automaton over the whole normalised text
and finds every indicator phrase. Pass two runs only over the sentences that had a hit: a second
automaton finds context triggers (negation, hypothetical, historical, other person, pseudo-triggers,
termination terms) and the indicators' exclusions, and each finding gets exactly one context value.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ketenwijs.signals.library import ContextRule, IndicatorLibrary, default_library
from ketenwijs.signals.patterns import Match
from ketenwijs.signals.text import Haystack, split_sentences

# When several triggers reach one finding, the first kind in this order is reported.
CONTEXT_PRIORITY: tuple[str, ...] = ("negated", "other_person", "hypothetical", "historical")
_CLOSERS = "\"')]\u201d\u2019"  # closing quotes and brackets after a question mark


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

    @property
    def is_affirmed(self) -> bool:
        """Return whether the finding counts (only affirmed findings enter summaries)."""
        return self.context == "affirmed"

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of spec §4.2 (plus `category` and `trigger`)."""
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
        }


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
    if any(_overlaps(trigger.start, trigger.end, s, e) for s, e in match.segments):
        return False  # a trigger word inside the phrase itself ("geen sleutel") is not a context

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
            )
            if (spec.max_scope is None or distance <= spec.max_scope) and not blocked:
                return True
    if spec.direction in ("backward", "both"):
        ends = [e for _, e in match.segments if e <= trigger.start]
        if ends:
            distance = haystack.tokens_between(ends[-1], trigger.start)
            blocked = any(
                stopping(t) and match.start <= t.start < trigger.start and t.end < trigger.end
                for t in terminations
            )
            if (spec.max_scope is None or distance <= spec.max_scope) and not blocked:
                return True
    return False


def _sentence_contexts(
    library: IndicatorLibrary,
    haystack: Haystack,
    start: int,
    end: int,
    matches: Sequence[Match],
) -> list[tuple[Match, str, _Hit | None]]:
    """Give each match in one sentence its context, dropping matches cancelled by an exclusion."""
    found = library.context_patterns.find(haystack, start, end)
    if not found:
        return [(match, "affirmed", None) for match in matches]
    rules = library.context_rules
    excluded: set[str] = set()
    pseudo: list[_Hit] = []
    others: list[_Hit] = []
    for m in found:
        rule = rules[m.owner]
        if rule.excludes is not None:
            excluded.add(rule.excludes)
        if rule.trigger is not None:
            hit = _Hit(rule, m.segments[0][0], m.segments[-1][1])
            (pseudo if rule.trigger.kind == "pseudo" else others).append(hit)
    live = (
        [h for h in others if not any(_overlaps(h.start, h.end, p.start, p.end) for p in pseudo)]
        if pseudo
        else others
    )
    terminations = [h for h in live if h.rule.trigger and h.rule.trigger.kind == "termination"]
    triggers = [h for h in live if h.rule.trigger and h.rule.trigger.kind != "termination"]
    order = library.indicator_order
    result: list[tuple[Match, str, _Hit | None]] = []
    for match in matches:
        if order[match.owner] in excluded:
            continue
        if not triggers:
            result.append((match, "affirmed", None))
            continue
        reached: dict[str, _Hit] = {}
        # The nearest trigger of each kind is the one reported.
        match_start = match.start
        for trigger in sorted(triggers, key=lambda t: abs(t.start - match_start)):
            assert trigger.rule.trigger is not None
            kind = trigger.rule.trigger.kind
            if kind not in reached and _reaches(haystack, trigger, match, terminations):
                reached[kind] = trigger
        chosen = next((k for k in CONTEXT_PRIORITY if k in reached), None)
        result.append((match, chosen or "affirmed", reached[chosen] if chosen else None))
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


def find_indicators(text: str, library: IndicatorLibrary | None = None) -> list[Finding]:
    """Find every indicator and vulnerability item in `text` with its context, in text order."""
    lib = library or default_library()
    haystack = Haystack.build(text)
    sentences = split_sentences(text)
    if not sentences:
        return []
    bounds = haystack.to_hay_many([s for s, _ in sentences])
    bounds[0] = 0
    hay_len = len(haystack.hay)
    kept = _dedupe(lib.indicator_patterns.find(haystack, 0, hay_len, bounds))
    if not kept:
        return []
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
        for match, context, hit in _sentence_contexts(lib, haystack, start, end, matches):
            spec = indicators[order[match.owner]]
            first, last = offsets[id(match)]
            trigger = None
            if hit is not None and hit.rule.trigger is not None:
                t_start, t_end = haystack.span_to_original(hit.start, hit.end)
                trigger = Trigger(hit.rule.trigger.kind, text[t_start:t_end], t_start, t_end)
            elif question:
                # A question is not an observation: "Wordt ze opgehaald door onbekenden?"
                mark = sentences[index][0] + len(sentence_text) - 1
                mark = text.rfind("?", sentences[index][0], mark + 1)
                context = "hypothetical"
                trigger = Trigger("hypothetical", "?", mark, mark + 1)
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
                )
            )
    return findings
