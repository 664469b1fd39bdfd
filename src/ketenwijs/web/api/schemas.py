"""Request and response schemas of the API: the contracts of spec §4.1-§4.3, never renamed.

The case schema is generated from `ketenwijs.sharing.FACT_SPECS`, the same table the core
validates against, so the OpenAPI document cannot drift from the CLI. Response schemas forbid
unknown fields: a field the core adds fails the tests until it is documented here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ketenwijs.privacy import HIT_KINDS
from ketenwijs.sharing import FACT_SPECS
from ketenwijs.sharing.case import FactSpec
from ketenwijs.signals import CONTEXT_VALUES, ILO_DIMENSIONS
from ketenwijs.web.api.constants import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_TEXT_CHARS,
)

Outcome = Literal["allowed", "allowed_with_conditions", "not_allowed", "seek_advice"]
CheckStatus = Literal["met", "not_met", "unknown", "not_applicable"]
Effect = Literal["urgent", "blocks", "advice", "condition", "info"]
Strength = Literal["strong", "medium", "weak"]


class Strict(BaseModel):
    # Plain pydantic, not ninja.Schema: ninja's ORM-attribute root validator runs on every nested
    # object and made validating one assessment (about a thousand objects) take 25 ms.
    model_config = ConfigDict(extra="forbid")


# -- errors ------------------------------------------------------------------------------------
class FieldErrorOut(Strict):
    field: str = Field(description="The JSON name of the field, e.g. `necessity.minimised`.")
    message: str


class InvalidParam(Strict):
    name: str = Field(description="The field or query parameter, as the client sent it.")
    reason: str = Field(description="Why it is invalid.")


def _dashed_invalid_params(schema: dict[str, Any]) -> None:
    # The member is `invalid-params` (RFC 9457's example); ninja documents field names.
    properties = schema["properties"]
    properties["invalid-params"] = properties.pop("invalid_params")


class ProblemOut(Strict):
    """Every error answer, as RFC 9457 problem details (`application/problem+json`).

    `errors` is the v1 list kept for existing clients; `invalid-params` says the same in the
    RFC 9457 example's terms and is present only when a field or parameter is at fault.
    """

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, json_schema_extra=_dashed_invalid_params
    )

    type: str = Field(
        description="`about:blank`: the problem means what its HTTP status code means."
    )
    title: str = Field(description="The HTTP status phrase, e.g. `Not Found`.")
    status: int = Field(description="The HTTP status code, repeated.")
    detail: str = Field(description="What went wrong with this request, in a sentence.")
    errors: list[FieldErrorOut] = Field(description="One entry per invalid field; may be empty.")
    invalid_params: list[InvalidParam] = Field(
        default_factory=list,
        alias="invalid-params",
        description="One entry per invalid field or parameter (name and reason).",
    )


# -- §4.1 case (request) -----------------------------------------------------------------------
def _python_type(spec: FactSpec) -> Any:
    if spec.type == "bool":
        return bool
    if spec.type == "date":
        return dt.date
    values = Literal[spec.values]  # type: ignore[valid-type]
    return values if spec.type == "enum" else list[values]  # type: ignore[valid-type]


def _case_field(spec: FactSpec) -> tuple[Any, Any]:
    # A date says `format: date` next to its `anyOf` too: tools that do not look inside the
    # `anyOf` (the NL API Design Rules linter) would otherwise see a date without a format.
    extra = {"format": "date"} if spec.type == "date" else None
    return (_python_type(spec) | None, Field(None, json_schema_extra=extra))


def _case_fields(prefix: str) -> dict[str, Any]:
    return {
        name.removeprefix(prefix): _case_field(spec)
        for name, spec in FACT_SPECS.items()
        if name.startswith(prefix) and (prefix or "." not in name)
    }


Necessity = create_model(  # type: ignore[call-overload]
    "Necessity",
    __config__=ConfigDict(extra="forbid", title="Necessity"),
    __doc__="Necessity and proportionality (AVG art 5(1)(c)); each true, false or unknown.",
    **_case_fields("necessity."),
)
CaseIn = create_model(  # type: ignore[call-overload]
    "Case",
    __config__=ConfigDict(extra="forbid", title="Case"),
    __doc__=(
        "The facts of one intended share (spec §4.1). Every field is optional: a missing or "
        "null fact is unknown, and checks that need it come out `unknown`."
    ),
    **_case_fields(""),
    necessity=(Necessity | None, None),
)


# -- §4.1 assessment (response) ----------------------------------------------------------------
class LocalText(Strict):
    nl: str
    en: str


class Precedent(Strict):
    id: str
    date: str | None = Field(
        description="The day of the judgment (YYYY-MM-DD).", json_schema_extra={"format": "date"}
    )
    url: str
    held: bool
    summary: LocalText


class ReadRecord(Strict):
    at: str = Field(description="The page on which the article's wording was read.")
    date: str = Field(
        description="The day it was read (YYYY-MM-DD).", json_schema_extra={"format": "date"}
    )
    official: bool = Field(
        description="True: the official publication; false: a verbatim reproduction."
    )


class LawTextOut(Strict):
    """Extension (issue 12): the article's wording as read, or why it was not read."""

    status: Literal["read", "not_read"]
    nl: str | None = Field(default=None, description="The wording, verbatim as read (`read`).")
    version_date: str | None = Field(
        default=None,
        description="The day the version read applies from (YYYY-MM-DD); null when unknown.",
        json_schema_extra={"format": "date"},
    )
    read_on: str | None = Field(
        default=None,
        description="The day the wording was read (YYYY-MM-DD).",
        json_schema_extra={"format": "date"},
    )
    at: str | None = Field(default=None, description="The page the wording was read on.")
    official: bool | None = Field(
        default=None,
        description="True: read in the official publication; false: a verbatim reproduction.",
    )
    reason: LocalText | None = Field(
        default=None, description="Why the wording was not read (`not_read`)."
    )


class LegalSource(Strict):
    law: str
    article: str
    url: str
    url_in_force: str | None = Field(
        default=None,
        description="Extension: link to the law as in force on the reference date (`valid_on`).",
    )
    verified: bool = Field(description="Extension: whether the article text was verified.")
    note: LocalText | None = Field(
        default=None,
        description="Extension: why the source is unverified, or what exactly was read.",
    )
    read: ReadRecord | None = Field(
        default=None, description="Extension: where and when the wording was read."
    )
    precedent: Precedent | None = None


class RulesetRef(Strict):
    id: str
    version: str
    valid_on: str = Field(description="The reference date the rules were applied as on.")
    sha256: str


class CheckOut(Strict):
    id: str
    status: CheckStatus
    title: LocalText
    step: str
    effect: Effect
    explanation: LocalText
    sources: list[LegalSource]


class ConditionOut(Strict):
    id: str
    text: LocalText
    sources: list[LegalSource]


class NextStepOut(Strict):
    id: str
    text: LocalText


class ReasonOut(Strict):
    check: str
    status: CheckStatus
    effect: Effect


class OutcomeChange(Strict):
    fact: str = Field(description="The case field whose answer would change the outcome.")
    value: str | bool = Field(description="The other answer (for a list: the category).")
    change: Literal["set", "add", "remove"] = Field(
        description="set: answer this instead; add/remove: tick or untick this category."
    )
    known: bool = Field(description="False: the fact is unknown now; knowing it would change.")
    outcome: Outcome = Field(description="The outcome with that answer.")
    text: LocalText


class LawTextEntry(Strict):
    """Extension (issue 12): one cited article, once per assessment, with its wording or why not."""

    law: str
    article: str
    title: str
    url_in_force: str = Field(description="The law as in force on the reference date.")
    law_text: LawTextOut | None = Field(
        description="The wording as read, or why it was not read (null only for rules without it)."
    )


class AssessmentOut(Strict):
    """The §4.1 output, exactly as `ketenwijs share assess --format json` prints it."""

    outcome: Outcome
    ruleset: RulesetRef
    checks: list[CheckOut]
    conditions: list[ConditionOut]
    next_steps: list[NextStepOut]
    outcome_label: LocalText
    urgent: bool
    reasons: list[ReasonOut]
    disclaimer: LocalText
    what_would_change: list[OutcomeChange] | None = Field(
        default=None,
        description="Extension: each single other answer that changes the outcome, computed by "
        "the engine (issue 12).",
    )
    law_texts: list[LawTextEntry] | None = Field(
        default=None,
        description="Extension: every cited article once, with its wording as read (or why it "
        "was not read) and a link to the law as in force on the reference date (issue 12).",
    )


class ComparisonSide(Strict):
    reference_date: str = Field(
        description="The reference date of this side (YYYY-MM-DD).",
        json_schema_extra={"format": "date"},
    )
    version: str = Field(description="The rule-set version in force on that date.")
    outcome: Outcome
    outcome_label: LocalText


class VersionLabel(Strict):
    id: str
    label: LocalText


class ParameterChangeOut(Strict):
    parameter: str = Field(description="The dated parameter in ruleset.yaml, e.g. `wgs_in_force`.")
    a: bool | str = Field(description="Its value on date A.")
    b: bool | str = Field(description="Its value on date B.")
    changed_on: list[str] = Field(description="The dates between A and B on which it changed.")
    versions: list[VersionLabel] = Field(description="The rule-set versions starting then.")
    description: LocalText
    text: LocalText = Field(description="One sentence: what it means and how it differs.")
    sources: list[LegalSource]


class StatusExplanations(Strict):
    a: LocalText
    b: LocalText


class LocalTexts(Strict):
    nl: list[str]
    en: list[str]


class ChangeReasons(Strict):
    parameters: list[str] = Field(
        description="Dated parameters this check reads whose value differs between the dates."
    )
    checks: list[str] = Field(
        description="Checks this check depends on whose status differs between the dates."
    )
    text: LocalTexts = Field(description="One sentence per reason; empty when unchanged.")


class CheckComparisonOut(Strict):
    id: str
    title: LocalText
    step: str
    effect: Effect
    a: CheckStatus = Field(description="The status on date A.")
    b: CheckStatus = Field(description="The status on date B.")
    changed: bool
    explanation: StatusExplanations
    why: ChangeReasons
    sources: list[LegalSource]


class ConditionBrief(Strict):
    id: str
    text: LocalText


class ConditionDifference(Strict):
    only_a: list[ConditionBrief]
    only_b: list[ConditionBrief]


class BothAssessments(Strict):
    a: AssessmentOut
    b: AssessmentOut


class ComparisonOut(Strict):
    """One case assessed as on two reference dates, per check what changed and why."""

    a: ComparisonSide
    b: ComparisonSide
    outcome_changed: bool
    same_version: bool = Field(description="True: both dates fall under one rule-set version.")
    parameters: list[ParameterChangeOut] = Field(
        description="Every dated parameter whose value differs between the two dates."
    )
    checks: list[CheckComparisonOut]
    conditions: ConditionDifference
    assessments: BothAssessments


class RulesetVersionOut(Strict):
    id: str
    valid_from: dt.date
    valid_until: dt.date | None
    label: LocalText


class RulesetOut(Strict):
    id: str
    title: LocalText
    sha256: str
    versions: list[RulesetVersionOut]


class RulesetListOut(Strict):
    rulesets: list[RulesetOut]


# -- §4.2 signals ------------------------------------------------------------------------------
class ScanIn(Strict):
    text: str = Field(max_length=MAX_TEXT_CHARS, description="The case note (plain text).")
    minor: bool | None = Field(
        None, description="Is the person a minor? null lets the text decide (e.g. '15-jarige')."
    )
    id: str | None = Field(None, max_length=200, description="Echoed back as the document id.")


class TriggerOut(Strict):
    kind: str
    text: str
    start: int
    end: int


class RuleOut(Strict):
    kind: Literal["pattern", "frame"]
    id: str = Field(description="The pattern text, or '<indicator>/<frame id>' for a frame.")
    file: str = Field(description="The content file it is written in.")


class SpanOut(Strict):
    start: int
    end: int


class FindingOut(Strict):
    indicator: str
    dimension: Literal[ILO_DIMENSIONS]  # type: ignore[valid-type]
    strength: Strength
    start: int = Field(description="Character offset in the text.")
    end: int
    text: str
    context: Literal[CONTEXT_VALUES]  # type: ignore[valid-type]
    category: str
    trigger: TriggerOut | None
    role: Literal["subject", "perpetrator_on_subject", "third_person"] = Field(
        description="Who the finding is about: the note's subject, someone acting on the "
        "subject, or a third person (then the context is other_person)."
    )
    actor: TriggerOut | None = Field(
        description="The other person named, when the role is not plain 'subject'."
    )
    reported_by: TriggerOut | None = Field(
        description="The source of the report ('volgens zijn zus'), who is not its subject."
    )
    rule: RuleOut = Field(description="The pattern or frame that fired, and its file.")
    sentence: SpanOut = Field(description="The sentence the finding is in (offsets).")


class StrengthCount(Strict):
    strong: int
    medium: int
    weak: int


class DimensionSummary(Strict):
    count: int
    indicators: list[str]
    strength: StrengthCount
    ilo_rule_positive: bool | None
    ilo_rule_clause: str | None


class CategorySummary(Strict):
    label: LocalText
    count: int
    indicators: list[str]


class AgeEvidenceOut(Strict):
    minor: bool | None = Field(description="What this statement says: minor, adult, or open.")
    age: int | None = Field(description="The age in years when the statement gives one.")
    kind: Literal["age", "birth_date", "school", "word"]
    text: str = Field(description="The words the age rests on, e.g. '(15)', 'geboren in 2011'.")
    start: int
    end: int


class MinorOut(Strict):
    value: bool | None
    source: Literal["option", "text", "unknown"]
    evidence: AgeEvidenceOut | None = Field(
        description="The statement of the subject's age found in the text, shown with the answer."
    )


class SignalSource(Strict):
    key: str
    title: str
    url: str | None
    research: str
    mark: Literal["V", "S", "U"]


class PositiveDimension(Strict):
    dimension: str
    clause: str | None
    text: LocalText


class Combination(Strict):
    rule: Literal["minor", "adult"]
    recruitment_positive: bool
    exploitation_positive: bool
    coercion_or_dependency_positive: bool
    positive_dimensions: list[PositiveDimension]
    pattern_met: bool
    guidance: LocalText
    notes: list[LocalText]
    sources: list[SignalSource]


class GuidanceOut(Strict):
    id: str
    text: LocalText
    sources: list[SignalSource]


class SignalStepOut(Strict):
    id: str
    kind: Literal["act_now", "consult", "record", "share", "inform", "wait", "prevention"]
    text: LocalText
    sources: list[SignalSource]


class ShareHandoff(Strict):
    case: CaseIn  # type: ignore[valid-type]
    explanation: LocalText
    sources: list[SignalSource]


class LibraryRef(Strict):
    version: str
    sha256: str


class ScanOut(Strict):
    """One scanned document (spec §4.2), as `ketenwijs signals scan --format jsonl` prints it."""

    id: str | None
    findings: list[FindingOut]
    summary: dict[str, DimensionSummary]
    summary_by_category: dict[str, CategorySummary]
    vulnerability: list[str]
    minor: MinorOut
    combination: Combination
    prompts: list[GuidanceOut]
    next_steps: list[SignalStepOut]
    safety_rules: list[str] = Field(
        description="Ids of the safety rules that held and overrode the next steps."
    )
    share_handoff: ShareHandoff
    vulnerability_findings: list[FindingOut]
    library: LibraryRef


# -- §4.3 privacy ------------------------------------------------------------------------------
class PrivacyIn(Strict):
    text: str = Field(max_length=MAX_TEXT_CHARS)


class HitOut(Strict):
    kind: Literal[HIT_KINDS]  # type: ignore[valid-type]
    start: int
    end: int
    text: str


class PrivacyOut(Strict):
    found: bool = Field(description="True when personal data was found (CLI exit code 1).")
    count: int
    hits: list[HitOut]


# -- decision log ------------------------------------------------------------------------------
def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _absent_or(**kwargs: Any) -> Any:
    """A query parameter that may be absent, but is never `null` (a query string has none)."""
    return Field(None, json_schema_extra=_drop_default, **kwargs)


class DecisionFilter(Strict):
    """Paging and the filters of the web list; an absent filter does not narrow."""

    # Plain types with an unvalidated default of None, not `X | None`: the document must not offer
    # `null`, and a union would blur the field names in error messages.
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=2_000_000_000)
    # camelCase keys (NL API Design Rules, /core/query-keys-camel-case); the v1 keys `date_from`
    # and `date_to` stay accepted as deprecated aliases (api.BoundedParser renames them).
    date_from: dt.date = _absent_or(
        alias="dateFrom",
        description="From this date on. Deprecated alias, still accepted in v1: `date_from`.",
    )
    date_to: dt.date = _absent_or(
        alias="dateTo",
        description="Up to and including this date. Deprecated alias, still accepted in v1: "
        "`date_to`.",
    )
    outcome: Outcome = _absent_or()
    partner: Literal[FACT_SPECS["sender"].values] = _absent_or(  # type: ignore[valid-type]
        description="Records where this partner is the sender or the recipient."
    )
    purpose: Literal[FACT_SPECS["purpose"].values] = _absent_or()  # type: ignore[valid-type]
    user: str = _absent_or(
        min_length=1,
        max_length=150,
        pattern=r"^[\w.@+-]+$",
        description="Username of the decision-maker (own organisation).",
    )


class DecisionMaker(Strict):
    username: str
    role: str
    id: int | None = Field(None, description="Record format 2: the account id, as hashed.")


class DecisionContent(Strict):
    """The canonical content the record's `content_hash` covers (as the JSON export).

    Record format 1 holds `motivation`; format 2 (`format: 2`) holds `motivation_sha256` (the
    salted commitment of the text, which is given beside the content) and `corrects`. Absent
    keys are left out, so `canonical_json(content)` is exactly what was hashed.
    """

    format: int | None = Field(None, description="Record format; absent for format 1.")
    type: str | None = Field(None, description="Format 2: always `decision`.")
    organisation: str
    sequence: int
    created_at: str
    decision_maker: DecisionMaker
    ruleset: RulesetRef
    facts: dict[str, Any] = Field(description="The §4.1 case as it was decided.")
    outcome: Outcome
    assessment: dict[str, Any] = Field(description="The §4.1 output as it was stored.")
    motivation: str | None = Field(None, description="Format 1: the motivation text (hashed).")
    motivation_sha256: str | None = Field(
        None, description="Format 2: SHA-256 commitment over label, salt and motivation text."
    )
    corrects: int | None = Field(
        None, description="Format 2: sequence of the decision this one corrects, or null."
    )


class DecisionOut(Strict):
    content: DecisionContent
    content_hash: str
    prev_hash: str
    chain_hash: str
    motivation: str | None = Field(
        None, description="Format 2: the motivation text beside its commitment; null if redacted."
    )
    motivation_salt: str | None = Field(
        None, description="Format 2: the salt of the commitment; null once redacted."
    )


class DecisionPage(Strict):
    count: int = Field(description="Records matching the filters, over all pages.")
    limit: int
    offset: int
    records: list[DecisionOut]
