"""The user glossary: terms with Dutch and English definitions, and linking them in texts.

`docs/glossary.md` is the developers' glossary (Dutch term → English identifier); this one is
content for the people who use Ketenwijs, in `content/site/glossary.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from ketenwijs.content import ContentError
from ketenwijs.content.errors import suggest
from ketenwijs.content.yaml_source import load_yaml_file, validate
from ketenwijs.learning.schema import Slug, Strict, Text

CONTENT_ROOT = Path(__file__).resolve().parent.parent / "content"
PACKAGED_GLOSSARY = CONTENT_ROOT / "site" / "glossary.yaml"
SOURCE_FILES = {
    "sharing": CONTENT_ROOT / "sharing" / "sources.yaml",
    "learning": CONTENT_ROOT / "learning" / "sources.yaml",
}

# Longer texts are shown without links: the matching is linear, but a page never needs it.
MAX_LINKED_TEXT = 5_000
# At most this many links per text, so a paragraph does not turn into a row of links.
MAX_LINKS_PER_TEXT = 6

Alias = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=60)]
SourceRef = Annotated[str, StringConstraints(pattern=r"^(sharing|learning):[a-z0-9][a-z0-9_-]*$")]


class Aliases(Strict):
    """The words that stand for a term in Dutch and in English texts."""

    nl: Annotated[list[Alias], Field(min_length=1)]
    en: Annotated[list[Alias], Field(min_length=1)]


class TermDef(Strict):
    """One glossary entry as written in the YAML file."""

    id: Slug
    term: Text
    definition: Text
    aliases: Aliases
    # Abbreviations (AVG, GI, FG) match only in capitals: "gi" or "fg" in a word is not the term.
    exact_case: bool = False
    sources: list[SourceRef] = []


class GlossaryFile(Strict):
    """`glossary.yaml`: the terms, in any order (the page sorts them)."""

    terms: Annotated[list[TermDef], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> GlossaryFile:
        seen: set[str] = set()
        for term in self.terms:
            if term.id in seen:
                raise ValueError(f"term id '{term.id}' is used twice")
            seen.add(term.id)
        return self


@dataclass(frozen=True)
class Source:
    """A source a definition rests on, resolved from the sharing or learning sources."""

    label: str
    url: str | None
    verified: bool


@dataclass(frozen=True)
class Term:
    """A checked glossary entry with its sources resolved."""

    id: str
    term: Text
    definition: Text
    aliases: Aliases
    exact_case: bool
    sources: tuple[Source, ...]

    def search_text(self, language: str) -> str:
        """Return the term, its aliases and its definition as one text for site search."""
        aliases = self.aliases.en if language.startswith("en") else self.aliases.nl
        return " ".join([*aliases, self.definition.in_language(language)])


@dataclass(frozen=True)
class Glossary:
    """The checked glossary; immutable, shared between requests."""

    terms: tuple[Term, ...]
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)

    def term(self, term_id: str) -> Term | None:
        """Return the term with this id, or None."""
        return next((term for term in self.terms if term.id == term_id), None)

    def sorted_terms(self, language: str) -> list[Term]:
        """Return the terms in alphabetical order of their name in `language`."""
        return sorted(self.terms, key=lambda term: term.term.in_language(language).casefold())

    def pattern(self, language: str) -> re.Pattern[str]:
        """Return one regular expression matching every alias, longest first, as whole words."""
        key = "en" if language.startswith("en") else "nl"
        compiled = self._patterns.get(key)
        if compiled is None:
            compiled = _compile(self.terms, key)
            self._patterns[key] = compiled
        return compiled


def _compile(terms: tuple[Term, ...], language: str) -> re.Pattern[str]:
    alternatives: list[tuple[int, str]] = []
    for index, term in enumerate(terms):
        for alias in getattr(term.aliases, language):
            escaped = re.escape(alias)
            body = escaped if term.exact_case else f"(?i:{escaped})"
            alternatives.append((len(alias), f"(?P<t{index}_{len(alternatives)}>{body})"))
    alternatives.sort(
        key=lambda item: -item[0]
    )  # "Veilig Thuis" before "VT", "no-hit" before "hit"
    # A term is a whole word: no letter, digit or hyphen right before or after it.
    return re.compile(r"(?<![\w-])(?:" + "|".join(body for _, body in alternatives) + r")(?![\w-])")


def link_segments(
    text: str, glossary: Glossary, language: str, *, max_links: int = MAX_LINKS_PER_TEXT
) -> list[tuple[str, Term | None]]:
    """Split `text` into pieces, the first occurrence of each glossary term paired with its term.

    Joining the pieces gives `text` back. Texts over MAX_LINKED_TEXT come back as one piece.
    """
    if len(text) > MAX_LINKED_TEXT or not text:
        return [(text, None)]
    pieces: list[tuple[str, Term | None]] = []
    linked: set[str] = set()
    position = 0
    for match in glossary.pattern(language).finditer(text):
        if len(linked) >= max_links:
            break
        name = match.lastgroup or ""
        term = glossary.terms[int(name[1:].split("_", 1)[0])]
        if term.id in linked:
            continue
        linked.add(term.id)
        if match.start() > position:
            pieces.append((text[position : match.start()], None))
        pieces.append((match.group(0), term))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def _source_labels(files: Mapping[str, Path]) -> dict[str, Source]:
    """Read the ids, citations and links of the sharing and learning sources."""
    labels: dict[str, Source] = {}
    for domain, path in files.items():
        data: Any = load_yaml_file(path).data or {}
        for source_id, source in (data.get("sources") or {}).items():
            if domain == "sharing":
                label = f"{source['law']} {source['article']} ({source['title']})"
            else:
                label = f"{source['title']} ({source['publisher']}, {source['year']})"
            labels[f"{domain}:{source_id}"] = Source(
                label=label, url=source.get("url"), verified=bool(source.get("verified"))
            )
    return labels


def check_glossary(
    path: Path | str = PACKAGED_GLOSSARY, source_files: Mapping[str, Path] = SOURCE_FILES
) -> Glossary:
    """Load and validate a glossary file; raise ContentError with file, line and cause."""
    located = load_yaml_file(path)
    parsed = validate(GlossaryFile, located)
    labels = _source_labels(source_files)
    aliases_seen: dict[tuple[str, str], str] = {}
    terms = []
    for index, term in enumerate(parsed.terms):
        for language in ("nl", "en"):
            for alias in getattr(term.aliases, language):
                key = (language, alias.casefold())
                if key in aliases_seen:
                    raise located.error(
                        f"alias '{alias}' of '{term.id}' is also an alias of '{aliases_seen[key]}'",
                        ("terms", index, "aliases", language),
                    )
                aliases_seen[key] = term.id
        resolved = []
        for number, ref in enumerate(term.sources):
            if ref not in labels:
                raise located.error(
                    f"unknown source '{ref}' in '{term.id}'",
                    ("terms", index, "sources", number),
                    suggestion=suggest(ref, labels),
                )
            resolved.append(labels[ref])
        terms.append(
            Term(
                id=term.id,
                term=term.term,
                definition=term.definition,
                aliases=term.aliases,
                exact_case=term.exact_case,
                sources=tuple(resolved),
            )
        )
    return Glossary(terms=tuple(terms))


@cache
def _load_cached(path: str) -> Glossary:
    return check_glossary(path)


def load_glossary(path: Path | str | None = None) -> Glossary:
    """Return the checked glossary (cached per file), or raise ContentError."""
    return _load_cached(str(Path(path).resolve() if path is not None else PACKAGED_GLOSSARY))


def load_glossary_summary() -> str:
    """Load the packaged glossary and return one line saying what was loaded (start-up check)."""
    return f"glossary: {len(load_glossary().terms)} terms"


__all__ = [
    "ContentError",
    "Glossary",
    "Term",
    "check_glossary",
    "link_segments",
    "load_glossary",
    "load_glossary_summary",
]
