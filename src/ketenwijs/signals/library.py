"""Load the indicator library (content files), check it, and compile its patterns once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ketenwijs.content import ContentError, LocatedData, load_yaml_file, suggest, validate
from ketenwijs.signals.frames import CompiledFrame, FrameError, FrameSet, compile_frame
from ketenwijs.signals.patterns import CompiledPattern, PatternError, PatternSet, compile_pattern
from ketenwijs.signals.schema import (
    DATA_CATEGORIES,
    ILO_DIMENSIONS,
    REQUIRED_SIGNALS,
    REQUIRED_VULNERABILITIES,
    Condition,
    ContextFile,
    FrameSpec,
    GuidanceFile,
    GuidanceItem,
    IndicatorFile,
    IndicatorSpec,
    LibraryMeta,
    TriggerSpec,
)

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "content" / "signals"
VULNERABILITY_CATEGORY = "V"


@dataclass(frozen=True, slots=True)
class ContextRule:
    """What a context-pass pattern stands for: a trigger group, or an indicator's exclusion."""

    trigger: TriggerSpec | None
    excludes: str | None  # indicator id whose matches this exclusion cancels


@dataclass(frozen=True, slots=True)
class ExampleRef:
    """An example sentence in a content file, with where it is, for error messages."""

    indicator: str
    expect_match: bool
    sentence: str
    path: Path
    line: int | None


@dataclass(frozen=True)
class IndicatorLibrary:
    """The loaded, checked and compiled indicator library; immutable and safe to share."""

    root: Path
    meta: LibraryMeta
    indicators: dict[str, IndicatorSpec]
    context: ContextFile
    guidance: GuidanceFile
    version: str
    sha256: str
    examples: tuple[ExampleRef, ...]
    indicator_order: tuple[str, ...] = field(repr=False)
    indicator_patterns: PatternSet = field(repr=False)
    context_rules: tuple[ContextRule, ...] = field(repr=False)
    context_patterns: PatternSet = field(repr=False)
    frames: FrameSet = field(repr=False)
    origins: dict[str, str] = field(repr=False)  # indicator id -> content file (relative)

    @property
    def signals(self) -> list[IndicatorSpec]:
        """Return the signal indicators (not the vulnerability context) in library order."""
        return [i for i in self.indicators.values() if i.kind == "signal"]

    @property
    def vulnerabilities(self) -> list[IndicatorSpec]:
        """Return the vulnerability-context items in library order."""
        return [i for i in self.indicators.values() if i.kind == "vulnerability"]


def _check_indicators(
    located: LocatedData, meta: LibraryMeta
) -> tuple[list[IndicatorSpec], list[ExampleRef]]:
    """Validate one indicator file against the schema and the library's names."""
    parsed = validate(IndicatorFile, located)
    path = located.path or Path("<text>")
    seen: dict[str, int] = {}
    examples: list[ExampleRef] = []
    for i, spec in enumerate(parsed.indicators):
        at = ("indicators", i)
        if spec.id in seen:
            raise located.error(f"duplicate indicator id '{spec.id}'", (*at, "id"))
        seen[spec.id] = i
        if spec.category not in meta.categories:
            raise located.error(
                f"unknown category '{spec.category}'; known: {', '.join(meta.categories)}",
                (*at, "category"),
                suggestion=suggest(spec.category, meta.categories),
            )
        if (spec.kind == "vulnerability") != (spec.category == VULNERABILITY_CATEGORY):
            raise located.error(
                f"kind '{spec.kind}' does not fit category '{spec.category}': vulnerability "
                f"items use category '{VULNERABILITY_CATEGORY}' and signals use A-K",
                (*at, "kind"),
            )
        if spec.ilo_dimension not in ILO_DIMENSIONS:
            raise located.error(
                f"unknown ilo_dimension '{spec.ilo_dimension}'; known: {', '.join(ILO_DIMENSIONS)}",
                (*at, "ilo_dimension"),
                suggestion=suggest(spec.ilo_dimension, ILO_DIMENSIONS),
            )
        for j, dimension in enumerate(spec.counts_with):
            if dimension not in ILO_DIMENSIONS or dimension == "none":
                raise located.error(
                    f"unknown ilo_dimension '{dimension}' in counts_with",
                    (*at, "counts_with", j),
                    suggestion=suggest(dimension, ILO_DIMENSIONS),
                )
        for j, source in enumerate(spec.sources):
            if source not in meta.sources:
                raise located.error(
                    f"unknown source '{source}'; add it to library.yaml sources first",
                    (*at, "sources", j),
                    suggestion=suggest(source, meta.sources),
                )
        for j, category in enumerate(spec.data_categories):
            if category not in DATA_CATEGORIES:
                raise located.error(
                    f"unknown data category '{category}'; known: {', '.join(DATA_CATEGORIES)}",
                    (*at, "data_categories", j),
                    suggestion=suggest(category, DATA_CATEGORIES),
                )
        frame_ids: set[str] = set()
        for j, frame in enumerate(spec.frames):
            if frame.id in frame_ids:
                raise located.error(f"duplicate frame id '{frame.id}'", (*at, "frames", j, "id"))
            frame_ids.add(frame.id)
            try:
                _compile_frame(spec.id, frame, 0)
            except FrameError as exc:
                raise located.error(str(exc), (*at, "frames", j)) from exc
        for key in ("patterns", "exclusions"):
            for j, pattern in enumerate(getattr(spec, key)):
                try:
                    compile_pattern(pattern, 0)
                except PatternError as exc:
                    raise located.error(f"{key}[{j}]: {exc}", (*at, key, j)) from exc
        groups = (("match", spec.examples.match), ("no_match", spec.examples.no_match))
        for kind, sentences in groups:
            for j, sentence in enumerate(sentences):
                line = located.line_of((*at, "examples", kind, j))
                examples.append(ExampleRef(spec.id, kind == "match", sentence, path, line))
    return parsed.indicators, examples


def _compile_frame(indicator_id: str, frame: FrameSpec, owner: int) -> CompiledFrame:
    return compile_frame(
        f"{indicator_id}/{frame.id}",
        owner,
        frame.predicate,
        {"actor": frame.actor, "object": frame.object, "with": frame.with_, "also": frame.also},
        frame.unless,
        frame.window,
    )


def load_indicator_file(
    path: Path | str, meta: LibraryMeta | None = None
) -> tuple[list[IndicatorSpec], list[ExampleRef]]:
    """Read and check one indicator file against the names of `meta` (default: packaged library)."""
    if meta is None:
        meta = load_library_meta(DEFAULT_ROOT / "library.yaml")
    return _check_indicators(load_yaml_file(path), meta)


def load_library_meta(path: Path | str) -> LibraryMeta:
    """Read `library.yaml` and check that it names every ILO dimension."""
    located = load_yaml_file(path)
    meta = validate(LibraryMeta, located)
    for dimension in meta.ilo_dimensions:
        if dimension not in ILO_DIMENSIONS:
            raise located.error(
                f"unknown ilo_dimension '{dimension}'",
                ("ilo_dimensions", dimension),
                suggestion=suggest(dimension, ILO_DIMENSIONS),
            )
    missing = [d for d in ILO_DIMENSIONS if d not in meta.ilo_dimensions]
    if missing:
        raise located.error(f"ilo_dimensions lacks {', '.join(missing)}", ("ilo_dimensions",))
    return meta


def _check_context(located: LocatedData) -> ContextFile:
    """Validate `context.yaml` and compile each trigger phrase to catch mistakes at load."""
    parsed = validate(ContextFile, located)
    for i, trigger in enumerate(parsed.triggers):
        for j, pattern in enumerate(trigger.patterns):
            try:
                compile_pattern(pattern, 0)
            except PatternError as exc:
                raise located.error(str(exc), ("triggers", i, "patterns", j)) from exc
    return parsed


def _check_condition(
    located: LocatedData, when: Condition, at: tuple[str | int, ...], indicator_ids: set[str]
) -> None:
    """Check that every indicator and dimension a condition names exists."""
    for key in ("indicators_any", "indicators_none"):
        for j, name in enumerate(getattr(when, key) or ()):
            if name not in indicator_ids:
                raise located.error(
                    f"unknown indicator '{name}'",
                    (*at, "when", key, j),
                    suggestion=suggest(name, indicator_ids),
                )
    for key in ("dimensions_any", "dimensions_none"):
        for j, name in enumerate(getattr(when, key) or ()):
            if name not in ILO_DIMENSIONS:
                raise located.error(
                    f"unknown ilo_dimension '{name}'",
                    (*at, "when", key, j),
                    suggestion=suggest(name, ILO_DIMENSIONS),
                )


def _check_guidance(
    located: LocatedData, meta: LibraryMeta, indicator_ids: set[str]
) -> GuidanceFile:
    """Validate `guidance.yaml`: every indicator, dimension and source it names must exist."""
    parsed = validate(GuidanceFile, located)
    groups: tuple[tuple[str, list[GuidanceItem]], ...] = (
        ("prompts", parsed.prompts),
        ("next_steps", parsed.next_steps),
    )
    for group, items in groups:
        for i, item in enumerate(items):
            at = (group, i)
            for j, source in enumerate(item.sources):
                if source not in meta.sources:
                    raise located.error(
                        f"unknown source '{source}'",
                        (*at, "sources", j),
                        suggestion=suggest(source, meta.sources),
                    )
            _check_condition(located, item.when, at, indicator_ids)
    step_ids = {step.id: step for step in parsed.next_steps}
    for i, step in enumerate(parsed.next_steps):
        if step.kind is None:
            raise located.error(
                "a next step needs a kind (act_now, consult, record, share, inform, wait, "
                "prevention): safety rules use it",
                ("next_steps", i, "id"),
            )
    for i, rule in enumerate(parsed.safety_rules):
        at = ("safety_rules", i)
        _check_condition(located, rule.when, at, indicator_ids)
        for j, source in enumerate(rule.sources):
            if source not in meta.sources:
                raise located.error(
                    f"unknown source '{source}'",
                    (*at, "sources", j),
                    suggestion=suggest(source, meta.sources),
                )
        for j, name in enumerate(rule.require_steps):
            if name not in step_ids:
                raise located.error(
                    f"unknown next step '{name}'",
                    (*at, "require_steps", j),
                    suggestion=suggest(name, step_ids),
                )
            if step_ids[name].kind in rule.forbid_kinds:
                raise located.error(
                    f"next step '{name}' is of kind '{step_ids[name].kind}', which this rule "
                    "forbids",
                    (*at, "require_steps", j),
                )
    for section, source_list in (
        ("combination", parsed.combination.sources),
        ("handoff", parsed.handoff.sources),
    ):
        for j, source in enumerate(source_list):
            if source not in meta.sources:
                raise located.error(
                    f"unknown source '{source}'",
                    (section, "sources", j),
                    suggestion=suggest(source, meta.sources),
                )
    return parsed


def _content_hash(root: Path, files: list[Path]) -> str:
    """Hash every content file (name and bytes) so a result can name the exact content it used."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_library(root: Path | str | None = None, *, require_all: bool = True) -> IndicatorLibrary:
    """Load, check and compile the library in `root` (default: the packaged content).

    Raises ContentError naming the file, line and cause of the first problem found.
    """
    base = Path(root) if root is not None else DEFAULT_ROOT
    meta_path = base / "library.yaml"
    meta = load_library_meta(meta_path)
    indicator_dir = base / "indicators"
    files = sorted(indicator_dir.glob("*.yaml"))
    if not files:
        raise ContentError("no indicator files (*.yaml) found", path=indicator_dir)
    indicators: dict[str, IndicatorSpec] = {}
    origin: dict[str, Path] = {}
    examples: list[ExampleRef] = []
    for file in files:
        located = load_yaml_file(file)
        specs, refs = _check_indicators(located, meta)
        for i, spec in enumerate(specs):
            if spec.id in indicators:
                raise located.error(
                    f"indicator id '{spec.id}' is also defined in {origin[spec.id].name}",
                    ("indicators", i, "id"),
                )
            indicators[spec.id] = spec
            origin[spec.id] = file
        examples.extend(refs)
    if require_all:
        missing = [i for i in (*REQUIRED_SIGNALS, *REQUIRED_VULNERABILITIES) if i not in indicators]
        if missing:
            raise ContentError(
                f"the taxonomy (spec/indicators.md) requires indicators that are missing: "
                f"{', '.join(missing)}",
                path=indicator_dir,
            )
    context = _check_context(load_yaml_file(base / "context.yaml"))
    guidance = _check_guidance(load_yaml_file(base / "guidance.yaml"), meta, set(indicators))
    all_files = [meta_path, base / "context.yaml", base / "guidance.yaml", *files]

    order = tuple(indicators)
    compiled: list[CompiledPattern] = []
    frames: list[CompiledFrame] = []
    for index, indicator_id in enumerate(order):
        for pattern in indicators[indicator_id].patterns:
            compiled.append(compile_pattern(pattern, index))
        frames.extend(
            _compile_frame(indicator_id, f, index) for f in indicators[indicator_id].frames
        )
    rules: list[ContextRule] = []
    context_compiled: list[CompiledPattern] = []
    for trigger in context.triggers:
        rules.append(ContextRule(trigger=trigger, excludes=None))
        context_compiled.extend(compile_pattern(p, len(rules) - 1) for p in trigger.patterns)
    for indicator_id in order:
        for pattern in indicators[indicator_id].exclusions:
            rules.append(ContextRule(trigger=None, excludes=indicator_id))
            context_compiled.append(compile_pattern(pattern, len(rules) - 1))

    return IndicatorLibrary(
        root=base,
        meta=meta,
        indicators=indicators,
        context=context,
        guidance=guidance,
        version=f"{meta.version}+context-{context.version}",
        sha256=_content_hash(base, all_files),
        examples=tuple(examples),
        indicator_order=order,
        indicator_patterns=PatternSet(compiled),
        context_rules=tuple(rules),
        context_patterns=PatternSet(context_compiled),
        frames=FrameSet(frames),
        origins={i: origin[i].relative_to(base).as_posix() for i in order},
    )


@cache
def default_library() -> IndicatorLibrary:
    """Return the packaged library, loaded once per process."""
    return load_library()
