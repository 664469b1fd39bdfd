"""What the privacy guard reports: a kind of personal data and where it sits in the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

HitKind = Literal[
    "bsn", "iban", "phone", "email", "date_of_birth", "person_name", "address", "other"
]
HIT_KINDS: tuple[HitKind, ...] = get_args(HitKind)


@dataclass(frozen=True)
class Hit:
    """One finding: `text == source[start:end]`, offsets in characters of the original text."""

    kind: HitKind
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, str | int]:
        """Return the JSON shape of §4.3: kind, start, end, text."""
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}
