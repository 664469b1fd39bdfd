"""Pydantic schema of the sharing rule files; unknown keys are rejected everywhere.

Conditions are kept as raw YAML here (`Any`) and checked by `conditions.parse`, which knows the
fact types and can point at the exact line of a wrong fact, value or check id.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

Status = Literal["met", "not_met", "unknown", "not_applicable"]
Outcome = Literal["allowed", "allowed_with_conditions", "not_allowed", "seek_advice"]
# What a check's result does to the outcome (see docs/decisions/0002-sharing-rules-format.md).
Effect = Literal["urgent", "blocks", "advice", "condition", "info"]

LAW_HOSTS = ("wetten.overheid.nl", "eur-lex.europa.eu", "zoek.officielebekendmakingen.nl")
# Where the official publication itself is read: only text read there may say `official: true`.
OFFICIAL_HOSTS = (*LAW_HOSTS, "www.officielebekendmakingen.nl", "officielebekendmakingen.nl")


class Strict(BaseModel):
    """Base: unknown keys are errors, values are immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Dutch (first) and English."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ReadRecord(Strict):
    """Where and when the wording of a source was read (what `verified: true` rests on)."""

    at: str = Field(pattern=r"^https://")  # the page the wording was read on
    date: dt.date  # the day it was read
    official: bool  # true: the official publication itself; false: a verbatim reproduction


class LawTextRead(Strict):
    """The article's wording, verbatim as read, with where and when (issue 12: the law's own words).

    Dutch statutes carry no copyright (Auteurswet art. 11), so the text itself may be shown.
    """

    status: Literal["read"]
    nl: str = Field(min_length=1)  # verbatim Dutch text, never a paraphrase
    version_date: dt.date | None = None  # the version read applies from this day (omit: unknown)
    read_on: dt.date  # the day it was read
    at: str = Field(pattern=r"^https://")  # the page it was read on
    official: bool  # true only when read in the official publication itself

    @model_validator(mode="after")
    def _official_host(self) -> LawTextRead:
        host = urlparse(self.at).hostname or ""
        if self.official and host not in OFFICIAL_HOSTS:
            raise ValueError(
                f"official: true needs a page on {', '.join(OFFICIAL_HOSTS)}, not {host}"
            )
        return self


class LawTextNotRead(Strict):
    """The article's wording could not be read: the product says so, with this reason."""

    status: Literal["not_read"]
    reason: Text


LawText = Annotated[LawTextRead | LawTextNotRead, Field(discriminator="status")]


class LawDef(Strict):
    """Where a law is published: its BWB id (wetten.overheid.nl) or, for EU law, its ELI link."""

    bwb: str | None = Field(default=None, pattern=r"^BWBR\d{7}$")
    eli: str | None = Field(default=None, pattern=r"^https://eur-lex\.europa\.eu/eli/")

    @model_validator(mode="after")
    def _one(self) -> LawDef:
        if (self.bwb is None) == (self.eli is None):
            raise ValueError("give exactly one of bwb (a BWBR id) or eli (an EUR-Lex ELI link)")
        return self


class SourceDef(Strict):
    """A legal source: law and article, official URL, and whether we verified the article."""

    law: str = Field(min_length=1)
    title: str = Field(min_length=1)
    article: str = Field(min_length=1)
    url: str
    verified: bool
    note: Text | None = None
    read: ReadRecord | None = None
    # The anchor of the article on wetten.overheid.nl (e.g. `Hoofdstuk3_Artikel18`), only where
    # it was seen in a link; without it the deep link opens the law at the reference date.
    anchor: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.:-]{1,120}$")
    # Required for every cited source (checked at load, with the line): the text or why not.
    law_text: LawText | None = None

    @model_validator(mode="after")
    def _reason_when_unverified(self) -> SourceDef:
        # Users see "niet geverifieerd" with this note as the reason (issue 12, "Done when").
        if not self.verified and self.note is None:
            raise ValueError("verified: false needs a note (nl/en) saying what was not read")
        return self

    @field_validator("url")
    @classmethod
    def _official(cls, url: str) -> str:
        host = urlparse(url).hostname or ""
        if urlparse(url).scheme != "https" or host not in LAW_HOSTS:
            raise ValueError(f"must be an https URL on one of: {', '.join(LAW_HOSTS)}")
        return url


class PrecedentDef(Strict):
    """A judgment or regulator decision where the same condition held or failed."""

    id: str = Field(min_length=1)  # ECLI or AP decision name
    date: dt.date | None = None
    url: str = Field(pattern=r"^https://")
    held: bool  # true: the condition was met and sharing/processing was upheld
    summary: Text


class SourceRef(Strict):
    """A reference to a source in sources.yaml, optionally with a precedent."""

    source: str
    precedent: str | None = None


Ref = str | SourceRef
# The regimes whose senders cite their own act instead of the AVG (AVG art. 2(2)(d)).
Regime = Literal["wpg", "wjsg"]


class SourcesFile(Strict):
    """sources.yaml: the one place where articles, URLs and verification marks live."""

    sources: dict[str, SourceDef]
    precedents: dict[str, PrecedentDef] = {}
    # Per law (the `title` of a source): its BWB id or ELI, the one place deep links come from.
    laws: dict[str, LawDef] = {}


class VersionDef(Strict):
    """A dated version of the rule set."""

    id: str = Field(min_length=1)
    valid_from: dt.date
    valid_until: dt.date | None = None
    label: Text


class ParameterDef(Strict):
    """A value that changes on a date (OpenFisca style: values keyed by the date they apply)."""

    description: Text
    values: dict[dt.date, bool | str]
    sources: list[Ref] = Field(min_length=1)


class StepDef(Strict):
    """A group of questions and checks; its id is stable (web links, infographic anchors)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    description: Text


class OutcomeDef(Strict):
    """How an outcome is named and explained."""

    label: Text
    description: Text


class ImpliedSecrecyDef(Strict):
    """Secrecy that binds a sender by law, whatever the user ticks (FG review 3, P1)."""

    senders: list[str] = Field(min_length=1)
    categories: list[str] = Field(min_length=1)
    # Tax secrecy (Awr 67) also covers data on businesses, so it holds without personal data;
    # a care provider's secrecy concerns the patient or client, so it needs personal data.
    even_without_personal_data: bool = False
    sources: list[Ref] = Field(min_length=1)


class RulesetFile(Strict):
    """ruleset.yaml: identity, versions, parameters, steps, outcome texts."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: Text
    disclaimer: Text
    versions: list[VersionDef] = Field(min_length=1)
    parameters: dict[str, ParameterDef] = {}
    steps: list[StepDef] = Field(min_length=1)
    outcomes: dict[Outcome, OutcomeDef]
    allowed_only_if: list[str] = Field(min_length=1)
    # Which senders' data fall under the Wpg or the Wjsg (their checks cite that act).
    regimes: dict[Regime, list[str]] = {}
    # Secrecy categories implied by the sender (professional secrecy binds the sender).
    implied_secrecy: list[ImpliedSecrecyDef] = []


class QuestionDef(Strict):
    """How the interview asks for one fact."""

    fact: str
    step: str
    type: Literal["enum", "enum_list", "bool"]
    options: dict[str, Text] = {}
    text: Text
    help: Text
    sources: list[Ref] = []
    relevant_when: Any = None
    # Offer "I don't know": only where an unknown fact is meaningful (the engine then asks for
    # advice instead of guessing), never for facts the user always knows (who shares).
    allow_unknown: bool = False
    # Answers that describe the sender's legal position, not a choice (FG review 3): `true` for
    # the whole fact once answered, or the values never offered for removal in "what would
    # change the outcome" (a secrecy duty cannot be ticked away).
    not_changeable: bool | list[str] = False


class QuestionsFile(Strict):
    """questions.yaml: one question per fact, in interview order."""

    questions: list[QuestionDef] = Field(min_length=1)


class CheckDef(Strict):
    """A legal test over the facts with its status explanations and sources."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    step: str
    research_question: int | None = Field(default=None, ge=1, le=14)
    effect: Effect
    title: Text
    applies_when: Any = None
    met_when: Any = None
    explanation: dict[Status, Text]
    sources: list[Ref] = Field(min_length=1)
    # Sources cited instead of `sources` when the sender is under the Wpg or the Wjsg.
    regime_sources: dict[Regime, list[Ref]] = {}
    # Checks that must never be `not_met` when this check is `met`: this check accepts a route
    # that they must count too (load-time conflict analysis, see rulebook.find_route_conflicts).
    route_for: list[str] = []
    # Why the rule reads the law as it does, where that differs from an issue or a guide.
    note: Text | None = None


class ChecksFile(Strict):
    """checks/*.yaml: checks of one or more steps."""

    checks: list[CheckDef] = Field(min_length=1)


class ConditionDef(Strict):
    """A condition the sharer must fulfil, shown when `when` holds."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text
    when: Any
    urgency: bool = False  # also shown on the urgency path (answer first, paperwork after)
    sources: list[Ref] = Field(min_length=1)
    regime_sources: dict[Regime, list[Ref]] = {}


class NextStepDef(Strict):
    """A practical next step, shown when `when` holds."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text
    when: Any


class ConditionsFile(Strict):
    """conditions.yaml: conditions to fulfil and next steps."""

    conditions: list[ConditionDef] = Field(min_length=1)
    next_steps: list[NextStepDef] = Field(min_length=1)


class ScenarioExpect(Strict):
    """What a scenario asserts."""

    outcome: Outcome
    cites: list[str] = Field(min_length=1)
    checks: dict[str, Status] = {}
    conditions: list[str] = []  # condition ids that must be listed
    next_steps: list[str] = []  # next-step ids that must be listed


OriginKind = Literal["kamerstuk", "ecli", "ap_decision", "legal_review", "other"]
# ECLI:<country>:<court>:<year>:<number> (the European Case Law Identifier, Council conclusions
# 2011/C 127/01); a Kamerstuk names its dossier number, e.g. "35 764" or "35764".
ECLI_PATTERN = re.compile(r"ECLI:[A-Z]{2}:[A-Z0-9]{1,7}:\d{4}:[A-Z0-9.]{1,25}")
DOSSIER_PATTERN = re.compile(r"\b\d{2} ?\d{3}\b")


class OriginDef(Strict):
    """Where a scenario's situation comes from, so that a reader can look it up and check it."""

    kind: OriginKind
    reference: str = Field(min_length=3, max_length=300)  # e.g. the ECLI or "Kamerstukken II ..."
    url: str | None = Field(default=None, pattern=r"^https://")

    @model_validator(mode="after")
    def _reference_fits_kind(self) -> OriginDef:
        if self.kind == "ecli" and not ECLI_PATTERN.fullmatch(self.reference):
            raise ValueError(
                f"an ECLI origin's reference must be the ECLI itself, e.g. "
                f"'ECLI:NL:RBDHA:2020:865', not '{self.reference[:60]}'"
            )
        if self.kind == "kamerstuk" and not DOSSIER_PATTERN.search(self.reference):
            raise ValueError(
                "a Kamerstuk origin names its dossier number, e.g. "
                "'Kamerstukken II 2020/21, 35 447, nr. 6'"
            )
        if self.kind == "ap_decision" and self.url is None:
            raise ValueError("an AP decision has no standard number: give its url")
        return self

    def describe(self) -> str:
        """Return one line: kind, reference and url."""
        return f"{self.kind}: {self.reference}" + (f" <{self.url}>" if self.url else "")


class ScenarioDef(Strict):
    """A named case with its expected outcome and cited articles."""

    name: str = Field(min_length=10)
    # Where the situation comes from: a Kamerstuk, ECLI, AP decision or legal review (checked
    # per kind), or, as in the first scenario files, a free-text note.
    origin: OriginDef | str | None = Field(default=None)
    case: dict[str, Any]
    expect: ScenarioExpect

    @field_validator("origin", mode="before")
    @classmethod
    def _origin(cls, raw: Any) -> Any:
        """Validate a structured origin here, so its error names the key, not the union member."""
        if isinstance(raw, dict):
            try:
                return OriginDef.model_validate(raw)
            except ValidationError as exc:
                error = exc.errors(include_url=False)[0]
                where = ".".join(str(part) for part in error["loc"])
                if error["type"] == "extra_forbidden":
                    allowed = ", ".join(OriginDef.model_fields)
                    message = f"unknown key '{where}'; allowed: {allowed}"
                else:
                    text = str(error["msg"]).removeprefix("Value error, ")
                    message = f"{where}: {text}" if where else text
                raise ValueError(message) from None
        if isinstance(raw, str) and len(raw.strip()) < 3:
            raise ValueError("a free-text origin needs at least 3 characters")
        if raw is not None and not isinstance(raw, str):
            raise ValueError("an origin is a text or a mapping with kind, reference and url")
        return raw


class ScenariosFile(Strict):
    """scenarios/*.yaml: scenario tests as data."""

    scenarios: list[ScenarioDef] = Field(min_length=1)
