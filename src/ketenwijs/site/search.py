"""Site search over lessons, the glossary and help: simple, bounded, and without personal data.

The documents are texts the service already shows to every signed-in user (lesson texts, glossary
definitions, the organisation's help text); the query is never stored or logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_QUERY_LENGTH = 100
MAX_TOKENS = 8
MIN_TOKEN_LENGTH = 2
MAX_RESULTS = 20
SNIPPET_RADIUS = 80
TITLE_WEIGHT = 5
_TOKEN = re.compile(r"\w+(?:-\w+)*")


class QueryError(ValueError):
    """The query cannot be searched; the message says why (shown next to the field)."""


@dataclass(frozen=True)
class Document:
    """One searchable page or entry: what it is, its title, its plain text, and where it lives."""

    kind: str  # "lesson", "glossary" or "help"
    title: str
    text: str
    url: str


@dataclass(frozen=True)
class Result:
    """A document that matched, with a snippet split around the first match for highlighting."""

    document: Document
    score: int
    before: str
    match: str
    after: str


def query_tokens(query: str) -> list[str]:
    """Return the distinct search words of `query` in lower case (`lower` keeps positions).

    Raises QueryError when the query is too long or holds no word of two characters or more.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"too_long:{MAX_QUERY_LENGTH}")
    tokens: list[str] = []
    for token in _TOKEN.findall(query.lower()):
        if len(token) >= MIN_TOKEN_LENGTH and token not in tokens:
            tokens.append(token)
    if not tokens:
        raise QueryError("no_words")
    return tokens[:MAX_TOKENS]


def _snippet(text: str, start: int, end: int) -> tuple[str, str, str]:
    left = max(0, start - SNIPPET_RADIUS)
    right = min(len(text), end + SNIPPET_RADIUS)
    # Cut at spaces so the snippet does not start or end in the middle of a word.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    before = ("… " if left > 0 else "") + text[left:start]
    after = text[end:right] + (" …" if right < len(text) else "")
    return before, text[start:end], after


def search(query: str, documents: Iterable[Document], limit: int = MAX_RESULTS) -> list[Result]:
    """Return the documents containing every word of `query` (case-insensitive), best first.

    A word matches anywhere in a word of the document ("meld" finds "meldcode"); a match in the
    title counts more than one in the text.
    """
    tokens = query_tokens(query)
    results: list[Result] = []
    for document in documents:
        title = document.title.lower()
        text = document.text.lower()
        if not all(token in title or token in text for token in tokens):
            continue
        score = sum(TITLE_WEIGHT * title.count(token) + text.count(token) for token in tokens)
        positions = [(text.find(token), token) for token in tokens if token in text]
        if positions:
            start, token = min(positions)
            before, match, after = _snippet(document.text, start, start + len(token))
        else:  # only the title matched: show the start of the text
            before, match, after = "", "", _snippet(document.text, 0, 0)[2]
        results.append(Result(document, score, before, match, after))
    results.sort(key=lambda result: (-result.score, result.document.title))
    return results[:limit]
