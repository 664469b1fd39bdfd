"""The accessibility and privacy statements: their default texts and a small, safe text format.

The platform admin edits the statements as plain text in which a line `## Heading` is a heading,
lines starting with `- ` form a list and a blank line ends a paragraph. Nothing else is markup,
so the page escapes every character and no HTML from the text ever reaches the browser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints

from ketenwijs.content.yaml_source import load_yaml_file, validate
from ketenwijs.learning.schema import Strict, Text

PACKAGED_STATEMENTS = (
    Path(__file__).resolve().parent.parent / "content" / "site" / "statements.yaml"
)
# A statement is a page of text, not a book: the form refuses more, and parsing stops there.
MAX_STATEMENT_LENGTH = 20_000
MAX_BLOCKS = 400

Body = Annotated[str, StringConstraints(min_length=1, max_length=MAX_STATEMENT_LENGTH)]


class StatementKind(StrEnum):
    """Which statement; the value is also the URL name and the database key."""

    ACCESSIBILITY = "accessibility"
    PRIVACY = "privacy"


class StatementDef(Strict):
    """One default statement: title, the date its content was written, and the text per language."""

    title: Text
    as_of: dt.date
    nl: Body
    en: Body


class StatementsFile(Strict):
    """`statements.yaml`: the default of each statement."""

    accessibility: StatementDef
    privacy: StatementDef


@dataclass(frozen=True)
class Block:
    """A heading, a paragraph or a list, in the order of the text."""

    kind: str  # "heading", "paragraph" or "list"
    text: str = ""
    items: tuple[str, ...] = ()


def parse_blocks(text: str) -> list[Block]:
    """Split statement text into headings, paragraphs and lists (the only structure it has)."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", text=" ".join(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(Block("list", items=tuple(items)))
            items.clear()

    for raw in text[:MAX_STATEMENT_LENGTH].splitlines():
        if len(blocks) >= MAX_BLOCKS:
            break
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(Block("heading", text=line[3:].strip()))
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks[:MAX_BLOCKS]


@cache
def _load_cached(path: str) -> StatementsFile:
    return validate(StatementsFile, load_yaml_file(path))


def load_default_statements(path: Path | str | None = None) -> StatementsFile:
    """Return the checked default statements (cached per file), or raise ContentError."""
    return _load_cached(str(Path(path).resolve() if path is not None else PACKAGED_STATEMENTS))


def default_statement(kind: StatementKind) -> StatementDef:
    """Return the packaged default of one statement."""
    statements = load_default_statements()
    return statements.accessibility if kind is StatementKind.ACCESSIBILITY else statements.privacy


def load_statements_summary() -> str:
    """Load the default statements and say so in one line (start-up check)."""
    statements = load_default_statements()
    return f"statements: accessibility and privacy defaults (as of {statements.privacy.as_of})"
