"""What an extraction proposes: items, each with its locator, verbatim quote and confidence."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

KINDS = ("measure", "quantity", "money", "target", "date", "place", "organisation")


@dataclass
class Item:
    kind: str
    start: int  # span in the running text (suivi.extraction.flat)
    end: int
    data: dict
    confidence: float
    page: int = 0
    lines: tuple[int, int] = (0, 0)
    quote: str = ""

    def as_json(self) -> dict:
        result = asdict(self)
        result["lines"] = list(self.lines)
        del result["start"], result["end"]
        return result


@dataclass
class Draft:
    document: str
    document_date: str | None
    items: list[Item] = field(default_factory=list)
    # spaCy's entities, (line, label, text), kept to measure them against the gold (not exported).
    entities: list[tuple[int, str, str]] = field(default_factory=list, repr=False)

    def of(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def as_json(self) -> dict:
        return {
            "document": self.document,
            "document_date": self.document_date,
            "counts": {kind: len(self.of(kind)) for kind in KINDS},
            "items": [item.as_json() for item in self.items],
        }


def fold(text: str) -> str:
    """Whitespace folded to single spaces: how quotes are compared with their lines."""
    return re.sub(r"\s+", " ", text).strip()
