"""Read YAML while remembering the line of every value, so errors can point at it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ketenwijs.content.errors import ContentError, suggest

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class LocatedData:
    """Parsed YAML plus the 1-based line on which each path (tuple of keys/indexes) starts."""

    data: Any
    path: Path | None
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Return the line of `loc`, or of its nearest ancestor that has one."""
        key = tuple(loc)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)

    def error(self, message: str, loc: Sequence[str | int] = (), **kw: Any) -> ContentError:
        """Build a ContentError pointing at `loc` in this file."""
        return ContentError(message, path=self.path, line=self.line_of(loc), **kw)


# libyaml's C composer when present (PyYAML wheels ship it): same nodes and marks, ~10x faster.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _build(
    node: yaml.Node,
    loc: Loc,
    lines: dict[Loc, int],
    path: Path | None,
    constructor: yaml.constructor.SafeConstructor,
) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            # Duplicate keys are refused: a silently overwritten rule is a legal bug.
            if key in result:
                raise ContentError(
                    f"duplicate key '{key}'", path=path, line=key_node.start_mark.line + 1
                )
            result[key] = _build(value_node, (*loc, key), lines, path, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*loc, i), lines, path, constructor) for i, item in enumerate(node.value)
        ]
    return constructor.construct_object(node, deep=True)


def load_yaml_text(text: str, path: Path | str | None = None) -> LocatedData:
    """Parse YAML text; syntax errors become ContentError with the line."""
    p = Path(path) if path is not None else None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as fast_exc:
        # Re-parse with the pure-Python loader for its (clearer, stable) wording of the error.
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as slow_exc:
            exc = slow_exc
        else:  # pragma: no cover - the two parsers disagree; report what libyaml said
            exc = fast_exc
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise ContentError(f"invalid YAML: {exc.problem}", path=p, line=line) from fast_exc
    lines: dict[Loc, int] = {}
    # One constructor per document: it caches constructed nodes, which must not outlive the file.
    constructor = yaml.constructor.SafeConstructor()
    data = None if node is None else _build(node, (), lines, p, constructor)
    return LocatedData(data=data, path=p, lines=lines)


def load_yaml_file(path: Path | str) -> LocatedData:
    """Read and parse a UTF-8 YAML file; unreadable files become ContentError."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"cannot read file: {exc}", path=p) from exc
    return load_yaml_text(text, p)


def _describe(err: dict[str, Any], model: type[BaseModel], located: LocatedData) -> ContentError:
    loc: Loc = tuple(err["loc"])
    dotted = ".".join(str(part) for part in loc) or "(document)"
    kind = err["type"]
    suggestion = None
    if kind == "extra_forbidden" and loc:
        # Name the allowed keys of the model that owns the unknown key (OpenFisca-style).
        allowed = _allowed_keys(model, loc[:-1], located.data)
        suggestion = suggest(str(loc[-1]), allowed)
        message = f"unknown key '{loc[-1]}' at {dotted}; allowed: {', '.join(sorted(allowed))}"
    elif kind == "missing":
        message = f"missing required key '{loc[-1]}' at {dotted}"
    else:
        message = f"{dotted}: {err['msg']}"
    return located.error(message, loc, suggestion=suggestion)


def _allowed_keys(model: type[BaseModel], parent: Loc, data: Any) -> list[str]:
    current: Any = model
    in_mapping = False
    for part in parent:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        if part not in fields:
            if in_mapping:
                in_mapping = False  # a key of a dict[str, Model] field, not a field name
                continue
            return []
        annotation = fields[part].annotation
        in_mapping = getattr(annotation, "__origin__", None) in (dict, Mapping)
        current = _unwrap_model(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _unwrap_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _unwrap_model(arg)
        if found is not None:
            return found
    return None


def validate(model: type[M], located: LocatedData) -> M:
    """Validate parsed YAML against a pydantic model; the first error becomes a ContentError."""
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise _describe(dict(errors[0]), model, located) from exc
