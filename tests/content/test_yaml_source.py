"""The shared content loader names file, line and cause, and suggests the nearest valid key."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from ketenwijs.content import ContentError, load_yaml_file, load_yaml_text, suggest, validate


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    weight: int = 1


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Item]
    named: dict[str, Item] = {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "items:\n  - id: a\n  - id: b\n    wieght: 2\n",
            "x.yaml:4: unknown key 'wieght' at items.1.wieght; allowed: id, weight "
            "(did you mean 'weight'?)",
        ),
        (
            "items: []\nnamed:\n  k:\n    id: a\n    idd: b\n",
            "x.yaml:5: unknown key 'idd' at named.k.idd; allowed: id, weight (did you mean 'id'?)",
        ),
        ("items:\n  - weight: 2\n", "x.yaml:2: missing required key 'id' at items.0.id"),
        (
            "items:\n  - id: a\n    weight: zwaar\n",
            "x.yaml:3: items.0.weight: Input should be a valid integer",
        ),
        ("items: []\nitems: []\n", "x.yaml:2: duplicate key 'items'"),
        ("items: [\n", "x.yaml:2: invalid YAML: expected the node content"),
    ],
)
def test_errors_name_file_line_and_cause(text: str, message: str) -> None:
    with pytest.raises(ContentError) as excinfo:
        validate(Doc, load_yaml_text(text, "x.yaml"))
    assert str(excinfo.value).startswith(message)


def test_valid_document_loads_with_lines() -> None:
    located = load_yaml_text("items:\n  - id: a\n  - id: b\n", "ok.yaml")
    assert validate(Doc, located).items[1].id == "b"
    assert located.line_of(("items", 1, "id")) == 3
    assert located.line_of(("items", 1, "missing")) == 3  # falls back to the nearest parent


def test_unreadable_file_is_a_content_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(ContentError, match=r"bad\.yaml: cannot read file"):
        load_yaml_file(bad)


def test_suggest_finds_close_names_only() -> None:
    assert suggest("recipeint", ["recipient", "sender"]) == "recipient"
    assert suggest("xyz", ["recipient", "sender"]) is None
