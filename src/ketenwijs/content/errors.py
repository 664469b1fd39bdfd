"""Errors for content files: file, line and cause, with a 'did you mean' for unknown names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


def suggest(name: str, options: Iterable[str]) -> str | None:
    """Return the option closest to `name`, or None when nothing is close enough."""
    matches = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


class ContentError(ValueError):
    """A content file is invalid; the message is public API (authors read it)."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.reason = message
        self.suggestion = suggestion
        super().__init__(self.render())

    def render(self) -> str:
        """Format as `file:line: reason (did you mean 'x'?)`, the way compilers report."""
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        hint = f" (did you mean '{self.suggestion}'?)" if self.suggestion else ""
        return f"{where}{self.reason}{hint}"
