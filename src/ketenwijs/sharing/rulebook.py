"""Load, validate and compile the sharing rule files into a `Rulebook`.

Every problem is a `ContentError` naming the file, the line and the cause, with the nearest valid
name for an unknown fact, value, check, step, source or parameter. Beyond the schema, loading
checks that the facts match the fixed case contract (spec §4.1), that versions are contiguous and
every parameter change coincides with a version start (so a dated change cannot drift silently),
that checks do not depend on each other in a cycle, and that no question or check is unreachable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel

from ketenwijs.content import ContentError, LocatedData, load_yaml_file, suggest, validate
from ketenwijs.sharing import conditions as cond
from ketenwijs.sharing.case import FACT_SPECS, PARTNERS
from ketenwijs.sharing.schema import (
    ChecksFile,
    ConditionsFile,
    LawDef,
    LawTextNotRead,
    LawTextRead,
    OutcomeDef,
    PrecedentDef,
    QuestionsFile,
    ReadRecord,
    Ref,
    Regime,
    RulesetFile,
    SourceRef,
    SourcesFile,
    StepDef,
    Text,
    VersionDef,
)

if TYPE_CHECKING:
    from ketenwijs.sharing.plan import Plan

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]

PACKAGED_RULES = Path(__file__).resolve().parent.parent / "content" / "sharing"
RULE_FILES = ("ruleset.yaml", "sources.yaml", "questions.yaml", "conditions.yaml")


@dataclass(frozen=True)
class Source:
    """One cited article, resolved from sources.yaml, with an optional precedent."""

    law: str
    title: str
    article: str
    url: str
    verified: bool
    note: Text | None = None
    precedent: PrecedentDef | None = None
    read: ReadRecord | None = None
    # The article's wording as read, or why it was not (None only for rules loaded without it).
    law_text: LawTextRead | LawTextNotRead | None = None
    # Where the law is published (sources.yaml `laws:`) and the article's anchor there.
    publication: LawDef | None = None
    anchor: str | None = None

    @property
    def cite(self) -> str:
        """Short citation used in scenarios and text output, e.g. `Wmo 2015 5.2.6`."""
        return f"{self.law} {self.article}"

    def url_on(self, day: dt.date) -> str:
        """Return the link to this article as in force on `day` (issue 12: deep link at a date).

        wetten.overheid.nl serves a law's version of a day at `/<BWB id>/<YYYY-MM-DD>`; the
        article anchor is added only where it was confirmed. EU law links to its ELI (the AVG
        has one consolidated text); a law without a BWB id or ELI keeps its plain URL.
        """
        pub = self.publication
        if pub is None:
            return self.url
        if pub.bwb is not None:
            link = f"https://wetten.overheid.nl/{pub.bwb}/{day.isoformat()}"
            return f"{link}#{self.anchor}" if self.anchor else link
        return pub.eli or self.url

    def law_text_dict(self) -> dict[str, Any] | None:
        """Return the JSON form of `law_text` (an extension of §4.1)."""
        text = self.law_text
        if text is None:
            return None
        if isinstance(text, LawTextNotRead):
            return {"status": "not_read", "reason": {"nl": text.reason.nl, "en": text.reason.en}}
        return {
            "status": "read",
            "nl": text.nl,
            "version_date": text.version_date.isoformat() if text.version_date else None,
            "read_on": text.read_on.isoformat(),
            "at": text.at,
            "official": text.official,
        }

    def to_dict(self, on: dt.date | None = None) -> dict[str, Any]:
        """Return the §4.1 JSON form (`verified` is an extension: shown to the user).

        Extension: given the reference date `on`, `url_in_force` (the law as in force that day).
        The wording itself is listed once per assessment (`Assessment.to_dict()["law_texts"]`),
        not repeated at every citation.
        """
        out: dict[str, Any] = {
            "law": self.law,
            "article": self.article,
            "url": self.url,
            "verified": self.verified,
        }
        if on is not None:
            out["url_in_force"] = self.url_on(on)
        if self.note is not None:
            # Why a source is unverified (or what was read): shown next to the citation.
            out["note"] = {"nl": self.note.nl, "en": self.note.en}
        if self.read is not None:
            out["read"] = {
                "at": self.read.at,
                "date": self.read.date.isoformat(),
                "official": self.read.official,
            }
        if self.precedent is not None:
            p = self.precedent
            out["precedent"] = {
                "id": p.id,
                "date": p.date.isoformat() if p.date else None,
                "url": p.url,
                "held": p.held,
                "summary": {"nl": p.summary.nl, "en": p.summary.en},
            }
        return out


@dataclass(frozen=True)
class Check:
    """A legal test: applies_when/met_when over facts and other checks."""

    id: str
    step: str
    effect: str
    title: Text
    explanation: Mapping[str, Text]
    sources: tuple[Source, ...]
    research_question: int | None
    applies_when: cond.Node | None
    met_when: cond.Node | None
    depends_on: frozenset[str]
    # Sources cited instead of `sources` when the sender is under the Wpg or the Wjsg.
    regime_sources: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)
    route_for: tuple[str, ...] = ()
    note: Text | None = None

    def for_regime(self, regime: str | None) -> Check:
        """Return this check citing the sources of `regime` (itself when it has none)."""
        if regime is None or regime not in self.regime_sources:
            return self
        return replace(self, sources=self.regime_sources[regime], regime_sources={})


@dataclass(frozen=True)
class Question:
    """How the interview asks for one fact."""

    fact: str
    step: str
    type: str
    options: Mapping[str, Text]
    text: Text
    help: Text
    sources: tuple[Source, ...]
    relevant_when: cond.Node | None
    # Whether the interview offers "I don't know" (questions.yaml `allow_unknown`).
    allow_unknown: bool = False
    # The answer is the sender's legal position, never offered as a change once given.
    fixed: bool = False
    # Ticked values never offered for removal (secrecy categories).
    fixed_values: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Condition:
    """A condition to fulfil before (or, when urgent, after) sharing."""

    id: str
    text: Text
    when: cond.Node
    urgency: bool
    sources: tuple[Source, ...]
    regime_sources: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)

    def for_regime(self, regime: str | None) -> Condition:
        """Return this condition citing the sources of `regime` (itself when it has none)."""
        if regime is None or regime not in self.regime_sources:
            return self
        return replace(self, sources=self.regime_sources[regime], regime_sources={})


@dataclass(frozen=True)
class Parameter:
    """A dated value (e.g. whether the WGS is in force) with what it means and its sources."""

    name: str
    description: Text
    values: Mapping[dt.date, bool | str]  # value from each date on
    sources: tuple[Source, ...]

    def changed_between(self, first: dt.date, second: dt.date) -> tuple[dt.date, ...]:
        """Return the dates after the earlier and up to the later day on which it changed."""
        low, high = sorted((first, second))
        return tuple(sorted(d for d in self.values if low < d <= high))


@dataclass(frozen=True)
class NextStep:
    """A practical next step."""

    id: str
    text: Text
    when: cond.Node


@dataclass(frozen=True)
class CompiledCheck:
    """A check with its conditions compiled for one version."""

    check: Check
    applies: cond.Compiled | None
    met: cond.Compiled | None


@dataclass(frozen=True)
class CompiledVersion:
    """Everything the engine needs for one dated version, as closures."""

    version: VersionDef
    params: Mapping[str, Any]
    checks: tuple[CompiledCheck, ...]
    conditions: tuple[tuple[Condition, cond.Compiled], ...]
    next_steps: tuple[tuple[NextStep, cond.Compiled], ...]
    relevance: Mapping[str, cond.Compiled | None]

    def contains(self, day: dt.date) -> bool:
        """Return whether this version is the law on `day`."""
        v = self.version
        return v.valid_from <= day and (v.valid_until is None or day <= v.valid_until)


class VersionError(ValueError):
    """No rule-set version covers the reference date."""


@dataclass
class Rulebook:
    """The validated, compiled sharing rules (all versions)."""

    id: str
    title: Text
    disclaimer: Text
    steps: tuple[StepDef, ...]
    outcomes: Mapping[str, OutcomeDef]
    allowed_only_if: tuple[str, ...]
    checks: Mapping[str, Check]
    questions: tuple[Question, ...]
    conditions: tuple[Condition, ...]
    next_steps: tuple[NextStep, ...]
    versions: tuple[CompiledVersion, ...]
    sha256: str
    path: Path
    _cites: frozenset[str] = field(default=frozenset())
    # sender value -> regime ("wpg", "wjsg"); senders not listed are under the AVG/UAVG.
    regime_of_sender: Mapping[str, str] = field(default_factory=dict)
    # sender value -> ((categories, even without personal data), ...): secrecy binding the sender
    # by law (ruleset.yaml `implied_secrecy`), added to the ticked data categories.
    implied_secrecy: Mapping[str, tuple[tuple[frozenset[str], bool], ...]] = field(
        default_factory=dict
    )
    # Route pairs (check met, other check not_met) found free of conflict; empty unless the rules
    # were loaded with analyse_rulebook().
    route_pairs: tuple[tuple[str, str], ...] = ()
    # The dated parameters (ruleset.yaml), to explain why two reference dates differ.
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    # Per-regime copies of check results and conditions, built on first use by the engine.
    _regime_cache: dict[str, dict[int, Any]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Generated per-version evaluators, built by `evaluate` on first use (see plan.py).
    _plans: tuple[Plan, ...] = field(default=(), repr=False, compare=False)

    def version_for(self, day: dt.date) -> CompiledVersion:
        """Return the version in force on `day`, or raise VersionError."""
        for version in self.versions:
            if version.contains(day):
                return version
        first = self.versions[0].version.valid_from
        raise VersionError(
            f"no rule-set version covers {day.isoformat()}; the rules start on {first.isoformat()}"
        )

    def version(self, version_id: str) -> CompiledVersion:
        """Return a version by id, or raise VersionError with the nearest id."""
        for version in self.versions:
            if version.version.id == version_id:
                return version
        ids = [v.version.id for v in self.versions]
        hint = suggest(version_id, ids)
        tail = f" (did you mean '{hint}'?)" if hint else ""
        raise VersionError(f"unknown version '{version_id}'; versions: {', '.join(ids)}{tail}")

    def effective_facts(self, facts: Mapping[str, Any]) -> Mapping[str, Any]:
        """Return `facts` with the secrecy categories the sender's own legal duty implies.

        Professional secrecy binds the sender (Awr 67, BW 7:457, Jeugdwet 7.3.11), so it does
        not depend on the user ticking a box; the mapping is data (ruleset.yaml).
        """
        sender = facts.get("sender")
        implied = self.implied_secrecy.get(sender) if isinstance(sender, str) else None
        if not implied:
            return facts
        personal = facts.get("personal_data") != "none"
        extra = frozenset().union(*(cats for cats, always in implied if always or personal))
        ticked = facts.get("data_categories")
        if not extra or (isinstance(ticked, frozenset) and extra <= ticked):
            return facts
        base = ticked if isinstance(ticked, frozenset) else frozenset()
        return {**facts, "data_categories": base | extra}

    def regime(self, facts: Mapping[str, Any]) -> str | None:
        """Return "wpg" or "wjsg" when the sender's data fall under that act, else None."""
        sender = facts.get("sender")
        return self.regime_of_sender.get(sender) if isinstance(sender, str) else None

    @property
    def all_cites(self) -> frozenset[str]:
        """Every citation string the rules can produce (to validate scenario expectations)."""
        return self._cites


def load_rulebook(path: Path | str | None = None) -> Rulebook:
    """Load and validate the rules in `path` (default: the packaged rules), cached per path."""
    return _load_cached(str(Path(path).resolve() if path is not None else PACKAGED_RULES))


def analyse_rulebook(path: Path | str | None = None) -> Rulebook:
    """Load the rules and also search every declared route for a conflict (not cached).

    The search is exhaustive and costs about a second; it runs in `rules validate` and in the
    tests, not at every start of the CLI or of a web worker (which only load the rules).
    """
    return _Loader(Path(path) if path is not None else PACKAGED_RULES, analyse_routes=True).load()


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Rulebook:
    return _Loader(Path(path)).load()


class _Loader:
    """Reads the files of one rule directory and cross-checks them."""

    def __init__(self, root: Path, *, analyse_routes: bool = False) -> None:
        self.root = root
        self.files: list[Path] = []
        self.analyse_routes = analyse_routes

    def _read(self, name: str | Path, model: type[M]) -> tuple[M, LocatedData]:
        path = self.root / name
        self.files.append(path)
        located = load_yaml_file(path)
        return validate(model, located), located

    def load(self) -> Rulebook:
        if not self.root.is_dir():
            raise ContentError("rules directory not found", path=self.root)
        ruleset, rs_loc = self._read("ruleset.yaml", RulesetFile)
        sources_file, src_loc = self._read("sources.yaml", SourcesFile)
        questions_file, q_loc = self._read("questions.yaml", QuestionsFile)
        conditions_file, c_loc = self._read("conditions.yaml", ConditionsFile)
        check_dir = self.root / "checks"
        check_paths = sorted(check_dir.glob("*.yaml")) if check_dir.is_dir() else []
        if not check_paths:
            raise ContentError("no check files found in checks/*.yaml", path=check_dir)
        check_files = [self._read(p.relative_to(self.root), ChecksFile) for p in check_paths]

        self.sources_file = sources_file
        self.src_loc = src_loc
        self._check_precedents(sources_file, src_loc)
        self._check_laws(sources_file, src_loc)
        versions = self._check_versions(ruleset, rs_loc)
        params_per_version = self._resolve_params(ruleset, rs_loc, versions)
        param_domains: dict[str, tuple[Any, ...]] = {}
        for name, param in ruleset.parameters.items():
            values = list(dict.fromkeys(param.values.values()))
            param_domains[name] = (
                (True, False) if all(isinstance(v, bool) for v in values) else tuple(values)
            )
        parameters = {
            name: Parameter(
                name,
                p.description,
                dict(p.values),
                tuple(
                    self._source(ref, rs_loc, ("parameters", name, "sources", j))
                    for j, ref in enumerate(p.sources)
                ),
            )
            for name, p in ruleset.parameters.items()
        }
        step_ids = [s.id for s in ruleset.steps]
        self._unique(step_ids, rs_loc, "steps", "step")
        regime_of_sender = self._regimes(ruleset, rs_loc)
        implied_secrecy = self._implied_secrecy(ruleset, rs_loc)

        checks = self._load_checks(check_files, step_ids, param_domains)
        order = self._topological(checks, check_files)
        for i, cid in enumerate(ruleset.allowed_only_if):
            if cid not in checks:
                raise rs_loc.error(
                    f"unknown check '{cid}'",
                    ("allowed_only_if", i),
                    suggestion=suggest(cid, checks),
                )
        questions = self._load_questions(questions_file, q_loc, step_ids, param_domains)
        conditions, next_steps = self._load_conditions(
            conditions_file, c_loc, checks, param_domains
        )
        self._check_reachability(
            checks, check_files, questions, q_loc, conditions, next_steps, params_per_version
        )
        route_pairs = self._check_routes(checks, check_files, params_per_version)

        compiled = tuple(
            self._compile(
                v,
                params_per_version[v.id],
                [checks[c] for c in order],
                questions,
                conditions,
                next_steps,
            )
            for v in versions
        )
        cites = {s.cite for c in checks.values() for s in c.sources}
        cites |= {s.cite for c in conditions for s in c.sources}
        regime_maps = [c.regime_sources for c in checks.values()]
        regime_maps += [c.regime_sources for c in conditions]
        for regime_map in regime_maps:
            cites |= {s.cite for srcs in regime_map.values() for s in srcs}
        return Rulebook(
            id=ruleset.id,
            title=ruleset.title,
            disclaimer=ruleset.disclaimer,
            steps=tuple(ruleset.steps),
            outcomes={str(k): v for k, v in ruleset.outcomes.items()},
            allowed_only_if=tuple(ruleset.allowed_only_if),
            checks=checks,
            questions=tuple(questions),
            conditions=tuple(conditions),
            next_steps=tuple(next_steps),
            versions=compiled,
            sha256=self._hash(),
            path=self.root,
            _cites=frozenset(cites),
            regime_of_sender=regime_of_sender,
            implied_secrecy=implied_secrecy,
            route_pairs=route_pairs,
            parameters=parameters,
        )

    # -- pieces ---------------------------------------------------------------------------------

    def _hash(self) -> str:
        """Hash every rule file (name and bytes) so a decision records the exact content used."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.relative_to(self.root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
        return digest.hexdigest()

    def _unique(self, ids: Sequence[str], located: LocatedData, key: str, what: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(ids):
            if item in seen:
                raise located.error(f"duplicate {what} id '{item}'", (key, i))
            seen.add(item)

    def _check_precedents(self, sources: SourcesFile, located: LocatedData) -> None:
        for name, p in sources.precedents.items():
            if p.id.startswith("ECLI") and not p.id.startswith(("ECLI:NL:", "ECLI:EU:")):
                raise located.error(
                    f"precedent '{name}' has a malformed ECLI", ("precedents", name)
                )

    def _check_laws(self, sources: SourcesFile, located: LocatedData) -> None:
        """Each wetten.overheid.nl link names the BWB id that `laws:` gives for its law.

        The BWB id lives once per law (`laws:`, keyed by the source's `title`: the BW has one
        id per book); a source URL with another id is the mistake of
        issue 12 (Wet Bibob linked as BWBR0013287 instead of BWBR0013798).
        """
        for name, d in sources.sources.items():
            parsed = urlparse(d.url)
            if parsed.hostname != "wetten.overheid.nl":
                continue
            bwb = parsed.path.strip("/").split("/")[0]
            law = sources.laws.get(d.title)
            if law is None or law.bwb is None:
                raise located.error(
                    f"'{d.title}' has no BWB id under laws: (add '{d.title}: {{bwb: {bwb}}}')",
                    ("sources", name, "title"),
                )
            if bwb != law.bwb:
                raise located.error(
                    f"url names {bwb} but laws: gives {law.bwb} for '{d.title}'",
                    ("sources", name, "url"),
                )

    def _source(self, ref: Ref, located: LocatedData, loc: Loc) -> Source:
        name = ref if isinstance(ref, str) else ref.source
        known = self.sources_file.sources
        if name not in known:
            where = loc if isinstance(ref, str) else (*loc, "source")
            raise located.error(f"unknown source '{name}'", where, suggestion=suggest(name, known))
        d = known[name]
        if d.law_text is None:
            # Issue 12: every cited article shows its wording, or says why it could not be read.
            cited_in = located.path.name if located.path else "rules"
            raise self.src_loc.error(
                f"source '{name}' is cited ({cited_in}) but has no law_text: add "
                "{status: read, nl: ..., read_on: ..., at: ..., official: ...} or "
                "{status: not_read, reason: {nl: ..., en: ...}}",
                ("sources", name),
            )
        precedent = None
        if isinstance(ref, SourceRef) and ref.precedent is not None:
            precedents = self.sources_file.precedents
            if ref.precedent not in precedents:
                raise located.error(
                    f"unknown precedent '{ref.precedent}'",
                    (*loc, "precedent"),
                    suggestion=suggest(ref.precedent, precedents),
                )
            precedent = precedents[ref.precedent]
        return Source(
            d.law,
            d.title,
            d.article,
            d.url,
            d.verified,
            d.note,
            precedent,
            d.read,
            d.law_text,
            self.sources_file.laws.get(d.title),
            d.anchor,
        )

    def _regime_sources(
        self, raw: Mapping[Regime, list[Ref]], located: LocatedData, loc: Loc
    ) -> dict[str, tuple[Source, ...]]:
        return {
            regime: tuple(
                self._source(ref, located, (*loc, "regime_sources", regime, j))
                for j, ref in enumerate(refs)
            )
            for regime, refs in raw.items()
        }

    def _implied_secrecy(
        self, ruleset: RulesetFile, located: LocatedData
    ) -> dict[str, tuple[tuple[frozenset[str], bool], ...]]:
        """Map each sender to the secrecy categories its own legal duty implies."""
        categories = FACT_SPECS["data_categories"].values
        out: dict[str, list[tuple[frozenset[str], bool]]] = {}
        for i, entry in enumerate(ruleset.implied_secrecy):
            for j, ref in enumerate(entry.sources):
                self._source(ref, located, ("implied_secrecy", i, "sources", j))
            for j, category in enumerate(entry.categories):
                if category not in categories:
                    raise located.error(
                        f"unknown data category '{category}'",
                        ("implied_secrecy", i, "categories", j),
                        suggestion=suggest(category, categories),
                    )
            for j, sender in enumerate(entry.senders):
                if sender not in PARTNERS:
                    raise located.error(
                        f"unknown sender '{sender}'",
                        ("implied_secrecy", i, "senders", j),
                        suggestion=suggest(sender, PARTNERS),
                    )
                out.setdefault(sender, []).append(
                    (frozenset(entry.categories), entry.even_without_personal_data)
                )
        return {sender: tuple(items) for sender, items in out.items()}

    def _regimes(self, ruleset: RulesetFile, located: LocatedData) -> dict[str, str]:
        """Map each sender value to "wpg"/"wjsg"; a sender may belong to one regime only."""
        out: dict[str, str] = {}
        for regime, senders in ruleset.regimes.items():
            for j, sender in enumerate(senders):
                if sender not in PARTNERS:
                    raise located.error(
                        f"unknown sender '{sender}'",
                        ("regimes", regime, j),
                        suggestion=suggest(sender, PARTNERS),
                    )
                if sender in out:
                    raise located.error(
                        f"sender '{sender}' is in two regimes", ("regimes", regime, j)
                    )
                out[sender] = regime
        return out

    def _check_routes(
        self,
        checks: Mapping[str, Check],
        files: list[tuple[ChecksFile, LocatedData]],
        params: Mapping[str, Mapping[str, Any]],
    ) -> tuple[tuple[str, str], ...]:
        """Refuse a route one check accepts while a check it is declared `route_for` rejects it.

        For every pair (A route_for B) and every version, search exhaustively for facts where A
        is met and B is not met; such facts are a self-contradicting result ("CoMensha: met" and
        "power to disclose: not met"). The error names the version and an example case.
        """
        bodies = {cid: (c.applies_when, c.met_when) for cid, c in checks.items()}
        pairs: list[tuple[str, str]] = []
        for data, located in files:
            for i, c in enumerate(data.checks):
                check = checks[c.id]
                for j, target_id in enumerate(check.route_for):
                    if target_id not in checks:
                        raise located.error(
                            f"unknown check '{target_id}'",
                            ("checks", i, "route_for", j),
                            suggestion=suggest(target_id, checks),
                        )
                    target = checks[target_id]
                    if not self.analyse_routes:
                        continue
                    parts: list[cond.Node] = [
                        n for n in (check.applies_when, check.met_when) if n is not None
                    ]
                    if target.applies_when is not None:
                        parts.append(target.applies_when)
                    if target.met_when is None:
                        pairs.append((c.id, target_id))
                        continue  # the target is met whenever it applies: no conflict possible
                    parts.append(cond.Combine("not", (target.met_when,)))
                    node = cond.inline_checks(cond.Combine("all", tuple(parts)), bodies)
                    for version_id, version_params in params.items():
                        witness = cond.find_witness(node, version_params)
                        if witness is not None:
                            example = ", ".join(
                                f"{k}={sorted(v) if isinstance(v, frozenset) else v}"
                                for k, v in sorted(witness.items())
                            )
                            raise located.error(
                                f"conflicting route: check '{c.id}' is met but check "
                                f"'{target_id}' is not met for the same facts (version "
                                f"{version_id}), e.g. {example}; make '{target_id}' accept "
                                f"this route or narrow '{c.id}'",
                                ("checks", i, "route_for", j),
                            )
                    pairs.append((c.id, target_id))
        return tuple(pairs)

    def _check_versions(self, ruleset: RulesetFile, located: LocatedData) -> list[VersionDef]:
        versions = ruleset.versions
        self._unique([v.id for v in versions], located, "versions", "version")
        for i, v in enumerate(versions):
            if v.valid_until is not None and v.valid_until < v.valid_from:
                raise located.error(
                    f"version '{v.id}' ends before it starts", ("versions", i, "valid_until")
                )
            if i + 1 < len(versions):
                nxt = versions[i + 1]
                if v.valid_until is None or v.valid_until + dt.timedelta(days=1) != nxt.valid_from:
                    raise located.error(
                        f"version '{v.id}' must end the day before version '{nxt.id}' starts "
                        f"({(nxt.valid_from - dt.timedelta(days=1)).isoformat()}): versions may "
                        "not overlap or leave gaps",
                        ("versions", i),
                    )
        return list(versions)

    def _resolve_params(
        self, ruleset: RulesetFile, located: LocatedData, versions: list[VersionDef]
    ) -> dict[str, dict[str, Any]]:
        starts = {v.valid_from for v in versions}
        resolved: dict[str, dict[str, Any]] = {v.id: {} for v in versions}
        for name, param in ruleset.parameters.items():
            kinds = {type(value) for value in param.values.values()}
            if len(kinds) > 1:
                raise located.error(
                    f"parameter '{name}' mixes value types", ("parameters", name, "values")
                )
            for day in param.values:
                if day not in starts:
                    raise located.error(
                        f"parameter '{name}' changes on {day.isoformat()}, but no version starts "
                        "on that date; add a version so the change cannot drift silently",
                        ("parameters", name, "values"),
                    )
            for v in versions:
                earlier = [d for d in param.values if d <= v.valid_from]
                if not earlier:
                    raise located.error(
                        f"parameter '{name}' has no value on {v.valid_from.isoformat()} "
                        f"(start of version '{v.id}')",
                        ("parameters", name, "values"),
                    )
                resolved[v.id][name] = param.values[max(earlier)]
        return resolved

    def _parse(
        self,
        raw: Any,
        located: LocatedData,
        loc: Loc,
        checks: Sequence[str] | None,
        params: Mapping[str, tuple[Any, ...]],
        allow_outcome: bool = False,
    ) -> cond.Node:
        ctx = cond.ParseContext(located, checks, params, allow_outcome)
        return cond.parse(raw, loc, ctx)

    def _load_checks(
        self,
        files: list[tuple[ChecksFile, LocatedData]],
        step_ids: list[str],
        params: Mapping[str, tuple[Any, ...]],
    ) -> dict[str, Check]:
        all_ids: list[str] = []
        for data, located in files:
            for i, c in enumerate(data.checks):
                if c.id in all_ids:
                    raise located.error(f"duplicate check id '{c.id}'", ("checks", i, "id"))
                all_ids.append(c.id)
        checks: dict[str, Check] = {}
        for data, located in files:
            for i, c in enumerate(data.checks):
                base: Loc = ("checks", i)
                if c.step not in step_ids:
                    raise located.error(
                        f"unknown step '{c.step}'",
                        (*base, "step"),
                        suggestion=suggest(c.step, step_ids),
                    )
                applies = (
                    None
                    if c.applies_when is None
                    else self._parse(
                        c.applies_when, located, (*base, "applies_when"), all_ids, params
                    )
                )
                met = (
                    None
                    if c.met_when is None
                    else self._parse(c.met_when, located, (*base, "met_when"), all_ids, params)
                )
                needed = {"met"}
                if met is not None:
                    needed.add("not_met")
                if applies is not None:
                    needed.add("not_applicable")
                if applies is not None or met is not None:
                    needed.add("unknown")
                for status in sorted(needed - set(c.explanation)):
                    raise located.error(
                        f"check '{c.id}' needs an explanation for status '{status}'",
                        (*base, "explanation"),
                    )
                for status in sorted(set(c.explanation) - needed):
                    raise located.error(
                        f"check '{c.id}' can never be '{status}'; remove that explanation",
                        (*base, "explanation", status),
                    )
                deps: set[str] = set()
                for node in (applies, met):
                    if node is not None:
                        deps |= cond.references(node)[1]
                if c.id in deps:
                    raise located.error(f"check '{c.id}' refers to itself", base)
                sources = tuple(
                    self._source(ref, located, (*base, "sources", j))
                    for j, ref in enumerate(c.sources)
                )
                checks[c.id] = Check(
                    id=c.id,
                    step=c.step,
                    effect=c.effect,
                    title=c.title,
                    explanation={str(k): v for k, v in c.explanation.items()},
                    sources=sources,
                    research_question=c.research_question,
                    applies_when=applies,
                    met_when=met,
                    depends_on=frozenset(deps),
                    regime_sources=self._regime_sources(c.regime_sources, located, base),
                    route_for=tuple(c.route_for),
                    note=c.note,
                )
        return checks

    def _topological(
        self, checks: Mapping[str, Check], files: list[tuple[ChecksFile, LocatedData]]
    ) -> list[str]:
        """Order checks so dependencies come first; a cycle is an error naming its path."""
        where = {
            c.id: (located, ("checks", i))
            for data, located in files
            for i, c in enumerate(data.checks)
        }
        order: list[str] = []
        state: dict[str, int] = {}  # 1 = visiting, 2 = done

        def visit(cid: str, path: list[str]) -> None:
            if state.get(cid) == 2:
                return
            if state.get(cid) == 1:
                cycle = [*path[path.index(cid) :], cid]
                located, loc = where[cid]
                raise located.error(
                    f"checks depend on each other in a cycle: {' -> '.join(cycle)}", loc
                )
            state[cid] = 1
            for dep in sorted(checks[cid].depends_on):
                visit(dep, [*path, cid])
            state[cid] = 2
            order.append(cid)

        for cid in checks:
            visit(cid, [])
        return order

    def _load_questions(
        self,
        data: QuestionsFile,
        located: LocatedData,
        step_ids: list[str],
        params: Mapping[str, tuple[Any, ...]],
    ) -> list[Question]:
        questions: list[Question] = []
        facts = {k: v for k, v in FACT_SPECS.items() if k != "reference_date"}
        seen: set[str] = set()
        for i, q in enumerate(data.questions):
            base: Loc = ("questions", i)
            spec = facts.get(q.fact)
            if spec is None:
                raise located.error(
                    f"unknown fact '{q.fact}'", (*base, "fact"), suggestion=suggest(q.fact, facts)
                )
            if q.fact in seen:
                raise located.error(f"fact '{q.fact}' is asked twice", (*base, "fact"))
            seen.add(q.fact)
            if q.step not in step_ids:
                raise located.error(
                    f"unknown step '{q.step}'",
                    (*base, "step"),
                    suggestion=suggest(q.step, step_ids),
                )
            if q.type != spec.type:
                raise located.error(
                    f"fact '{q.fact}' has type '{spec.type}' in the case format (spec §4.1), "
                    f"not '{q.type}'",
                    (*base, "type"),
                )
            if spec.type != "bool" and set(q.options) != set(spec.values):
                missing = [v for v in spec.values if v not in q.options]
                extra = [v for v in q.options if v not in spec.values]
                if extra:
                    raise located.error(
                        f"fact '{q.fact}' has no value '{extra[0]}' in the case format",
                        (*base, "options", extra[0]),
                        suggestion=suggest(extra[0], spec.values),
                    )
                raise located.error(
                    f"question for '{q.fact}' lacks options for: {', '.join(missing)}",
                    (*base, "options"),
                )
            relevant = (
                None
                if q.relevant_when is None
                else self._parse(q.relevant_when, located, (*base, "relevant_when"), None, params)
            )
            sources = tuple(
                self._source(ref, located, (*base, "sources", j)) for j, ref in enumerate(q.sources)
            )
            fixed_values: frozenset[str] = frozenset()
            if isinstance(q.not_changeable, list):
                for j, value in enumerate(q.not_changeable):
                    if value not in q.options:
                        raise located.error(
                            f"fact '{q.fact}' has no value '{value}'",
                            (*base, "not_changeable", j),
                            suggestion=suggest(value, list(q.options)),
                        )
                fixed_values = frozenset(q.not_changeable)
            questions.append(
                Question(
                    q.fact,
                    q.step,
                    q.type,
                    dict(q.options),
                    q.text,
                    q.help,
                    sources,
                    relevant,
                    q.allow_unknown,
                    fixed=q.not_changeable is True,
                    fixed_values=fixed_values,
                )
            )
        missing_facts = [f for f in facts if f not in seen]
        if missing_facts:
            raise located.error(f"no question asks for fact '{missing_facts[0]}'", ("questions",))
        return questions

    def _load_conditions(
        self,
        data: ConditionsFile,
        located: LocatedData,
        checks: Mapping[str, Check],
        params: Mapping[str, tuple[Any, ...]],
    ) -> tuple[list[Condition], list[NextStep]]:
        ids = list(checks)
        self._unique([c.id for c in data.conditions], located, "conditions", "condition")
        self._unique([n.id for n in data.next_steps], located, "next_steps", "next step")
        conditions = [
            Condition(
                c.id,
                c.text,
                self._parse(c.when, located, ("conditions", i, "when"), ids, params, True),
                c.urgency,
                tuple(
                    self._source(r, located, ("conditions", i, "sources", j))
                    for j, r in enumerate(c.sources)
                ),
                self._regime_sources(c.regime_sources, located, ("conditions", i)),
            )
            for i, c in enumerate(data.conditions)
        ]
        next_steps = [
            NextStep(
                n.id,
                n.text,
                self._parse(n.when, located, ("next_steps", i, "when"), ids, params, True),
            )
            for i, n in enumerate(data.next_steps)
        ]
        return conditions, next_steps

    def _check_reachability(
        self,
        checks: Mapping[str, Check],
        files: list[tuple[ChecksFile, LocatedData]],
        questions: list[Question],
        q_located: LocatedData,
        conditions: list[Condition],
        next_steps: list[NextStep],
        params: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """Refuse checks that can never apply and questions whose answer nothing reads."""
        versions = list(params.values())
        for data, located in files:
            for i, c in enumerate(data.checks):
                check = checks[c.id]
                if check.applies_when is not None and not any(
                    cond.is_satisfiable(check.applies_when, p) for p in versions
                ):
                    raise located.error(
                        f"check '{c.id}' can never apply in any version (unreachable)",
                        ("checks", i, "applies_when"),
                    )
                if check.met_when is not None and not any(
                    cond.is_satisfiable(check.met_when, p) for p in versions
                ):
                    raise located.error(
                        f"check '{c.id}' can never be met in any version", ("checks", i, "met_when")
                    )
        used: set[str] = set()
        nodes: list[cond.Node] = [c.when for c in conditions] + [n.when for n in next_steps]
        for check in checks.values():
            nodes += [n for n in (check.applies_when, check.met_when) if n is not None]
        for node in nodes:
            used |= cond.references(node)[0]
        for i, q in enumerate(questions):
            if q.fact not in used:
                raise q_located.error(
                    f"question '{q.fact}' is never needed: no check or condition reads that fact",
                    ("questions", i),
                )
            if q.relevant_when is not None and not any(
                cond.is_satisfiable(q.relevant_when, p) for p in versions
            ):
                raise q_located.error(
                    f"question '{q.fact}' can never be relevant (unreachable)",
                    ("questions", i, "relevant_when"),
                )

    def _compile(
        self,
        version: VersionDef,
        params: Mapping[str, Any],
        ordered: list[Check],
        questions: list[Question],
        conditions: list[Condition],
        next_steps: list[NextStep],
    ) -> CompiledVersion:
        def comp(node: cond.Node | None) -> cond.Compiled | None:
            return None if node is None else cond.compile_node(node, params)

        compiled_checks = tuple(
            CompiledCheck(c, comp(c.applies_when), comp(c.met_when)) for c in ordered
        )
        must: Callable[[cond.Node], cond.Compiled] = lambda n: cond.compile_node(n, params)  # noqa: E731
        return CompiledVersion(
            version=version,
            params=dict(params),
            checks=compiled_checks,
            conditions=tuple((c, must(c.when)) for c in conditions),
            next_steps=tuple((n, must(n.when)) for n in next_steps),
            relevance={q.fact: comp(q.relevant_when) for q in questions},
        )
