"""Pydantic schemas of the Signaleren content files; unknown keys are errors naming allowed ones."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ketenwijs.sharing.case import FACT_SPECS

Strength = Literal["strong", "medium", "weak"]
Kind = Literal["signal", "vulnerability"]
TriggerKind = Literal[
    "negated", "hypothetical", "historical", "other_person", "pseudo", "termination", "source"
]
Direction = Literal["forward", "backward", "both"]
MinorState = Literal["yes", "no", "unknown"]
# Which affirmed signals a condition counts: "rule" those a pattern, frame or a professional's
# tick affirmed; "model_only" those only the learned detector found (act-now never rests on it).
Evidence = Literal["rule", "model_only"]
# What a next step asks of the professional; safety rules forbid kinds ("wait") by name.
StepKind = Literal["act_now", "consult", "record", "share", "inform", "wait", "prevention"]

# Fixed vocabularies from spec/indicators.md and spec/product.md §4.1 (public API: never rename).
ILO_DIMENSIONS: tuple[str, ...] = (
    "recruitment_deception",
    "recruitment_coercion",
    "recruitment_vulnerability",
    "exploitation",
    "coercion",
    "dependency",
    "none",
)
CONTEXT_VALUES: tuple[str, ...] = (
    "affirmed",
    "negated",
    "hypothetical",
    "historical",
    "other_person",
)
# The data categories of the Delen case (spec §4.1): the hand-off must speak the same enum.
DATA_CATEGORIES: tuple[str, ...] = FACT_SPECS["data_categories"].values
REQUIRED_SIGNALS: tuple[str, ...] = (
    "much_older_contacts",
    "secretive_new_relationship",
    "picked_up_by_unknown",
    "unexplained_gifts_money",
    "false_love_relationship",
    "deceptive_job_offer",
    "online_stranger_contact",
    "intimate_images_obtained",
    "recruited_via_peer",
    "violence_at_start",
    "debt_bondage",
    "sex_with_others_arranged",
    "cannot_refuse_clients",
    "earnings_handed_over",
    "earnings_quota",
    "excessive_availability",
    "sex_advertisement",
    "ads_managed_by_other",
    "hotel_or_changing_locations",
    "constant_phone_control",
    "always_accompanied",
    "confinement",
    "documents_taken",
    "physical_injuries",
    "threats_of_violence",
    "threat_to_expose",
    "forced_to_recruit",
    "forced_criminal_activity",
    "isolated_from_network",
    "no_access_to_own_money",
    "ownership_tattoo",
    "emotional_dependency",
    "substances_supplied",
    "housing_arranged_by_other",
    "denies_or_minimises",
    "inconsistent_story",
    "sudden_behaviour_change",
    "provocative_appearance_change",
    "runaway_missing",
    "school_absence",
    "self_harm",
    "sti_pregnancy_abortion",
    "substance_use",
    "fear_anxiety",
    "multiple_phones",
)
REQUIRED_VULNERABILITIES: tuple[str, ...] = (
    "minor",
    "mild_intellectual_disability",
    "youth_care_placement",
    "earlier_sexual_abuse",
    "unstable_home",
    "no_residence_status",
    "debts",
)


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, values are immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Dutch and English (both required: Dutch first, English complete)."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Source(Strict):
    """A publication a content fact rests on, with where the research note discusses it."""

    title: str = Field(min_length=1)
    url: str | None = None
    research: str = Field(min_length=1)
    mark: Literal["V", "S", "U"]


class LibraryMeta(Strict):
    """`library.yaml`: version, the category and dimension names, and the source register."""

    version: str = Field(min_length=1)
    categories: dict[str, Text]
    ilo_dimensions: dict[str, Text]
    sources: dict[str, Source]


class Examples(Strict):
    """Sentences an indicator must find (affirmed) and must not find; run by tests and validate."""

    match: list[str] = Field(min_length=1)
    no_match: list[str] = Field(default_factory=list)


class FrameSpec(Strict):
    """An indicator frame: a predicate and the other slots that must occur in the same clause.

    Matched on lemmas in any order (`signals/frames.py`); see docs/content-authoring-signals.md.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    predicate: list[str] = Field(min_length=1)
    actor: list[str] | None = None
    object: list[str] | None = None
    with_: list[str] | None = Field(default=None, alias="with")
    also: list[str] | None = None
    unless: list[str] = Field(default_factory=list)
    window: int = Field(default=10, ge=2, le=15)


class IndicatorSpec(Strict):
    """One indicator (signal) or vulnerability-context item as written by a content author."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind = "signal"
    category: str
    ilo_dimension: str
    strength: Strength
    label: Text
    description: Text
    patterns: list[str] = Field(min_length=1)
    frames: list[FrameSpec] = Field(default_factory=list)
    exclusions: list[str] = Field(default_factory=list)
    # Counts only beside another affirmed signal of one of these ILO dimensions: a denial with
    # nothing to deny is a screening answer, not a signal (labelling guide §3).
    counts_with: list[str] = Field(default_factory=list)
    data_categories: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)
    note: Text | None = None
    examples: Examples


class IndicatorFile(Strict):
    """A file under `indicators/`: a list of indicators (one category per file by convention)."""

    indicators: list[IndicatorSpec] = Field(min_length=1)


class TriggerSpec(Strict):
    """A group of context trigger phrases sharing a kind, direction and scope."""

    kind: TriggerKind
    direction: Direction = "forward"
    max_scope: int | None = Field(default=None, ge=1)
    terminates: list[TriggerKind] | None = None
    patterns: list[str] = Field(min_length=1)
    note: str | None = None


class ContextFile(Strict):
    """`context.yaml`: the Dutch trigger lists of the ConText-style step."""

    version: str = Field(min_length=1)
    triggers: list[TriggerSpec] = Field(min_length=1)


class Condition(Strict):
    """When a prompt or next step applies; every condition given must hold."""

    any_affirmed: bool | None = None
    minor: list[MinorState] | None = None
    indicators_any: list[str] | None = None
    indicators_none: list[str] | None = None
    dimensions_any: list[str] | None = None
    dimensions_none: list[str] | None = None
    min_signal_dimensions: int | None = None
    max_strength: Strength | None = None
    vulnerability_any: bool | None = None
    pattern_met: bool | None = None
    evidence: Evidence | None = None  # count only these affirmed signals (default: all)


class GuidanceItem(Strict):
    """A stereotype prompt or next step: text in nl and en, its condition and sources.

    Next steps also carry a `kind` (required for them, checked at load), which safety rules use.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: StepKind | None = None
    when: Condition = Field(default_factory=Condition)
    text: Text
    sources: list[str] = Field(min_length=1)


class SafetyRule(Strict):
    """A rule that overrides next steps when it holds: some kinds never, some steps always.

    Written as content so that "a sexually exploited child never gets 'wait and see'" is a fact
    in a file, checked at load and by tests, not a branch hidden in code.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: Condition
    forbid_kinds: list[StepKind] = Field(default_factory=list)
    require_steps: list[str] = Field(default_factory=list)
    reason: Text
    sources: list[str] = Field(min_length=1)


class CombinationTexts(Strict):
    """Wording of the ILO combination view; guidance, never a verdict."""

    dimension_positive: Text
    pattern_met_adult: Text
    pattern_met_minor: Text
    pattern_not_met: Text
    minor_exploitation_signal: Text
    minor_model_signal: Text  # a child's exploitation signal found by the learned model only
    minor_unknown: Text
    caveat: Text
    sources: list[str] = Field(min_length=1)


class HandoffTexts(Strict):
    """Wording of the 'start Delen' hand-off."""

    explanation: Text
    explanation_ordinary: Text  # when the findings imply no special or criminal-law data
    sources: list[str] = Field(min_length=1)


class GuidanceFile(Strict):
    """`guidance.yaml`: combination wording, stereotype prompts, next steps, Delen hand-off."""

    combination: CombinationTexts
    prompts: list[GuidanceItem] = Field(min_length=1)
    next_steps: list[GuidanceItem] = Field(min_length=1)
    safety_rules: list[SafetyRule] = Field(default_factory=list)
    handoff: HandoffTexts
