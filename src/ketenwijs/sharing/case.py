"""The case: the facts of one intended share, exactly as fixed in spec §4.1.

The field names and allowed values here are a public contract (CLI, HTTP API, decision log). The
rule content may not rename them: `load_rulebook` checks that the facts file matches this module.
Internally a case is a flat mapping `fact id -> value`; the nested `necessity` object is flattened
to `necessity.purpose_specified` and so on, so conditions can address every fact the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ketenwijs.content.errors import suggest

FactType = Literal["enum", "enum_list", "bool", "date"]
FactValue = str | bool | dt.date | frozenset[str]

PARTNERS: tuple[str, ...] = (
    "municipality",
    "mayor",
    "police",
    "kmar",
    "public_prosecutor",
    "tax_authority",
    "fiod",
    "labour_inspectorate",
    "ind",
    "riec",
    "zvh",
    "veilig_thuis",
    "youth_care",
    "healthcare_provider",
    "school",
    "housing_corporation",
    "comensha",
    "victim_support",
    "private_party",
    "other_public_body",
    # Added in Delen 2 (issue 12); appended so the §4.1 values keep their order. Plain
    # `youth_care` means a jeugdhulpaanbieder (youth-care provider), never a gecertificeerde
    # instelling: the routes of Jeugdwet 7.3.11 lid 4 need `certified_institution`.
    "certified_institution",
    "child_protection_board",
    "probation_service",
    # The Labour Inspectorate's criminal investigation directorate (a bijzondere
    # opsporingsdienst, Wpg); plain `labour_inspectorate` is its supervision (AVG).
    "labour_inspectorate_investigation",
)

# Senders whose data fall under the Wpg (police, KMar and the special investigation services)
# and the Wjsg (public prosecutor); every other sender is under the AVG/UAVG.
WPG_SENDERS: tuple[str, ...] = ("police", "kmar", "fiod", "labour_inspectorate_investigation")
WJSG_SENDERS: tuple[str, ...] = ("public_prosecutor",)

# Data categories that are personal data by definition: they cannot be "no personal data".
PERSONAL_CATEGORIES: tuple[str, ...] = (
    "bsn",
    "special_health",
    "special_sex_life",
    "special_other",
    "criminal",
)

# Data categories that identify a person directly: data that carry one are not pseudonymised
# (AVG 4(5): pseudonymised data can no longer be attributed to a specific person without
# additional information kept separately). Special-category and criminal-law data can be
# pseudonymised (they stay personal data, and every check applies), so they are not here.
DIRECT_IDENTIFIER_CATEGORIES: tuple[str, ...] = ("bsn",)


@dataclass(frozen=True)
class FactSpec:
    """Type and allowed values of one case field (spec §4.1)."""

    id: str
    type: FactType
    values: tuple[str, ...] = ()


FACT_SPECS: dict[str, FactSpec] = {
    spec.id: spec
    for spec in (
        FactSpec("reference_date", "date"),
        FactSpec("sender", "enum", PARTNERS),
        FactSpec("recipient", "enum", PARTNERS),
        FactSpec(
            "purpose",
            "enum",
            (
                "human_trafficking",
                "organised_crime",
                "victim_protection",
                "public_order",
                "bibob_screening",
                "criminal_investigation",
                "statistics",
                "other",
            ),
        ),
        FactSpec("setting", "enum", ("bilateral", "riec_case", "zvh_case", "fec", "icov")),
        FactSpec("pattern", "enum", ("incidental", "structural")),
        FactSpec("personal_data", "enum", ("none", "pseudonymised", "identifiable")),
        FactSpec(
            "data_categories",
            "enum_list",
            (
                "ordinary",
                "bsn",
                "special_health",
                "special_sex_life",
                "special_other",
                "criminal",
                "tax",
                "bibob",
                "medical_secret",
                "youth_care_record",
                "veilig_thuis_record",
            ),
        ),
        FactSpec("data_subject_minor", "bool"),
        FactSpec("consent", "enum", ("given", "refused", "not_asked", "not_possible")),
        FactSpec("acute_danger", "bool"),
        FactSpec("necessity.purpose_specified", "bool"),
        FactSpec("necessity.less_intrusive_possible", "bool"),
        FactSpec("necessity.minimised", "bool"),
        FactSpec(
            "authorisation",
            "enum",
            # pg_privacy_helpdesk (Delen 2): the OM's privacy helpdesk at the Parket-Generaal
            # agreed to a non-standard provision of criminal-procedure data (Aanwijzing Wjsg).
            ("none", "competent_authority", "officer_of_justice", "pg_privacy_helpdesk"),
        ),
        FactSpec("agreement", "enum", ("none", "covenant", "wgs", "processing_agreement")),
        FactSpec("dpia", "enum", ("not_needed", "done", "missing")),
        FactSpec("data_subject_informed", "enum", ("yes", "no", "restriction_applies")),
        # Optional facts added in Delen 2 (issue 12); absent means "not known yet".
        FactSpec("supervision_order", "bool"),
        FactSpec("wpg20_decision", "bool"),
        FactSpec("domestic_violence", "bool"),
        # Optional facts added in Delen 3: who consented for a minor (WGBO 7:457 with 7:465).
        FactSpec("minor_age_band", "enum", ("under_12", "12_to_15", "16_or_17")),
        FactSpec("consent_by", "enum", ("data_subject", "parents", "data_subject_and_parents")),
        FactSpec("minor_capable", "bool"),
        # Delen 3: the information is needed for a task of the Raad voor de Kinderbescherming
        # (art. 1:240 BW).
        FactSpec("board_task_necessary", "bool"),
        # FG review 3: a specific statute (or a covenant under such a statute) lets this public
        # body give these data to a private party or housing corporation.
        FactSpec("private_disclosure_basis", "bool"),
    )
}

NECESSITY_FIELDS = ("purpose_specified", "less_intrusive_possible", "minimised")
# Top-level JSON field names of §4.1, in contract order.
CASE_FIELDS: tuple[str, ...] = (
    *(f for f in FACT_SPECS if not f.startswith("necessity.")),
    "necessity",
)


@dataclass(frozen=True)
class FieldError:
    """One problem with one case field; `field` uses the JSON name (e.g. `necessity.minimised`)."""

    field: str
    message: str
    # A stable code for problems a form shows in its own words (e.g. `contradicts_none`,
    # `contradicts_pseudonymised`); empty for plain type and value errors.
    code: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class CaseError(ValueError):
    """The case JSON is invalid; each problem names the field (spec §4.1: exit code 2)."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _shown(raw: object, limit: int = 60) -> str:
    """A value as it appears in a message: its repr, cut short (a 10 MB value is not echoed)."""
    text = repr(raw)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _coerce(spec: FactSpec, raw: object, name: str, errors: list[FieldError]) -> FactValue | None:
    """Return the typed value of `raw` for `spec`, or record why it is invalid."""
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw
        errors.append(FieldError(name, f"must be true or false, not {_shown(raw)}"))
        return None
    if spec.type == "date":
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        errors.append(FieldError(name, f"must be a date YYYY-MM-DD, not {_shown(raw)}"))
        return None
    if spec.type == "enum":
        if isinstance(raw, str) and raw in spec.values:
            return raw
        errors.append(FieldError(name, _bad_value(raw, spec.values)))
        return None
    if not isinstance(raw, list):
        errors.append(FieldError(name, f"must be a list of values, not {_shown(raw)}"))
        return None
    # Each value at most once: a list longer than the choices cannot be right, and is refused
    # before any of it is looked at (18 million repeated categories were once accepted).
    if len(raw) > len(spec.values):
        errors.append(
            FieldError(name, f"has {len(raw):,} values; there are only {len(spec.values)} choices")
        )
        return None
    bad = [v for v in raw if not (isinstance(v, str) and v in spec.values)]
    for v in bad:
        errors.append(FieldError(name, _bad_value(v, spec.values)))
    twice = sorted({v for v in raw if isinstance(v, str) and raw.count(v) > 1})
    if twice:
        errors.append(FieldError(name, f"lists {', '.join(map(repr, twice))} more than once"))
    return None if bad or twice else frozenset(raw)


def _bad_value(raw: object, values: tuple[str, ...]) -> str:
    hint = suggest(raw, values) if isinstance(raw, str) and len(raw) <= 100 else None
    tail = f" (did you mean '{hint}'?)" if hint else ""
    return f"unknown value {_shown(raw)}; allowed: {', '.join(values)}{tail}"


@dataclass(frozen=True)
class Case:
    """The known facts of one intended share; missing facts are simply absent."""

    facts: Mapping[str, FactValue] = field(default_factory=dict)
    reference_date: dt.date | None = None

    @classmethod
    def from_dict(cls, data: object) -> Case:
        """Validate a §4.1 case dict; raise CaseError listing every bad field at once."""
        if not isinstance(data, Mapping):
            raise CaseError([FieldError("(case)", "must be a JSON object with case fields")])
        errors: list[FieldError] = []
        facts: dict[str, FactValue] = {}
        for name, raw in data.items():
            if name == "necessity":
                _read_necessity(raw, facts, errors)
                continue
            spec = FACT_SPECS.get(str(name))
            if spec is None or name.startswith("necessity."):
                hint = suggest(str(name), CASE_FIELDS) if len(str(name)) <= 100 else None
                tail = f" (did you mean '{hint}'?)" if hint else ""
                errors.append(
                    FieldError(
                        _shown(str(name)).strip("'"),
                        f"unknown field; allowed: {', '.join(CASE_FIELDS)}{tail}",
                    )
                )
                continue
            if raw is None:
                continue  # null means "not known yet", like an absent field
            value = _coerce(spec, raw, name, errors)
            if value is not None:
                facts[name] = value
        if errors:
            raise CaseError(errors)
        check_consistent(facts)
        ref = facts.pop("reference_date", None)
        assert ref is None or isinstance(ref, dt.date)
        return cls(facts=facts, reference_date=ref)

    def with_fact(self, fact_id: str, value: object) -> Case:
        """Return a copy with one fact set (validated), e.g. an interview answer."""
        spec = FACT_SPECS.get(fact_id)
        if spec is None:
            hint = suggest(fact_id, FACT_SPECS)
            tail = f" (did you mean '{hint}'?)" if hint else ""
            raise CaseError([FieldError(fact_id, f"unknown field{tail}")])
        errors: list[FieldError] = []
        typed = _coerce(spec, value, fact_id, errors)
        if errors or typed is None:
            raise CaseError(errors)
        if fact_id == "reference_date":
            assert isinstance(typed, dt.date)
            return Case(facts=self.facts, reference_date=typed)
        facts = {**self.facts, fact_id: typed}
        check_consistent(facts, changed=fact_id)
        return Case(facts=facts, reference_date=self.reference_date)

    def without_fact(self, fact_id: str) -> Case:
        """Return a copy with one fact forgotten (interview 'back')."""
        return Case(
            facts={k: v for k, v in self.facts.items() if k != fact_id},
            reference_date=self.reference_date,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the §4.1 JSON form (nested `necessity`, lists sorted for stable output)."""
        out: dict[str, Any] = {}
        if self.reference_date is not None:
            out["reference_date"] = self.reference_date.isoformat()
        necessity: dict[str, Any] = {}
        for key, value in self.facts.items():
            plain: Any = sorted(value) if isinstance(value, frozenset) else value
            if key.startswith("necessity."):
                necessity[key.split(".", 1)[1]] = plain
            else:
                out[key] = plain
        if necessity:
            out["necessity"] = necessity
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(self.facts)


def check_consistent(facts: Mapping[str, FactValue], changed: str | None = None) -> None:
    """Refuse facts that contradict each other (spec §4.1: invalid input, exit code 2).

    A BSN, special-category or criminal-law data are personal data by definition (AVG 4(1), 9,
    10), so they cannot be shared as "no personal data". A BSN identifies the person directly,
    so data that carry it are not pseudonymised either (AVG 4(5)); pseudonymised health or
    criminal-law data are possible and stay personal data. The error names both fields;
    `changed` (an interview answer) is named first so a form can show it at the field just
    answered.
    """
    categories = facts.get("data_categories")
    level = facts.get("personal_data")
    if not isinstance(categories, frozenset):
        return
    if level == "none":
        clash = [c for c in PERSONAL_CATEGORIES if c in categories]
        why = "which are personal data by definition"
        fix = "choose 'identifiable' or 'pseudonymised', or remove those categories"
    elif level == "pseudonymised":
        clash = [c for c in DIRECT_IDENTIFIER_CATEGORIES if c in categories]
        why = "which identify the person directly, so the data are not pseudonymised"
        fix = "choose 'identifiable', or remove the direct identifier"
    else:
        return
    if not clash:
        return
    listed = ", ".join(clash)
    fields = ["personal_data", "data_categories"]
    if changed == "data_categories":
        fields.reverse()
    message = (
        f"contradicts {fields[1]}: personal_data is '{level}' but data_categories contains "
        f"{listed}, {why}; {fix}"
    )
    raise CaseError([FieldError(fields[0], message, code=f"contradicts_{level}")])


def _read_necessity(raw: object, facts: dict[str, FactValue], errors: list[FieldError]) -> None:
    if raw is None:
        return
    if not isinstance(raw, Mapping):
        errors.append(
            FieldError("necessity", "must be an object with " + ", ".join(NECESSITY_FIELDS))
        )
        return
    for key, value in raw.items():
        name = f"necessity.{_shown(str(key)).strip(chr(39))}"
        if key not in NECESSITY_FIELDS:
            hint = suggest(str(key), NECESSITY_FIELDS) if len(str(key)) <= 100 else None
            tail = f" (did you mean '{hint}'?)" if hint else ""
            errors.append(
                FieldError(name, f"unknown field; allowed: {', '.join(NECESSITY_FIELDS)}{tail}")
            )
            continue
        if value is None:
            continue
        typed = _coerce(FACT_SPECS[name], value, name, errors)
        if typed is not None:
            facts[name] = typed
