"""The deck as plain data: what a deck file holds, independent of YAML and of the database.

A deck file (``decks/<slug>.yaml``) maps one to one onto :class:`Deck`. Each question keeps its
type-specific fields flat beside ``type`` in the file; here they live in ``Question.fields`` so the
common keys (``id``, ``type``, ``explanation``, ``origin``, ``tags``) stay separate from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECTIONS = (
    "definition",
    "takeaway",
    "misconception",
    "mechanism",
    "signs",
    "why_it_matters",
    "other",
)
COMMON_KEYS = ("id", "type", "explanation", "origin", "tags")


@dataclass
class Origin:
    """Where a question came from: the article section and the source sentence(s)."""

    section: str = "other"
    quote: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"section": self.section, "quote": self.quote}


@dataclass
class Question:
    id: str
    type: str
    fields: dict[str, Any]
    explanation: str = ""
    origin: Origin = field(default_factory=Origin)
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The question as it is written in a deck file: type fields flat beside ``type``."""
        out: dict[str, Any] = {"id": self.id, "type": self.type, **self.fields}
        if self.explanation:
            out["explanation"] = self.explanation
        out["origin"] = self.origin.to_dict()
        if self.tags:
            out["tags"] = list(self.tags)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        """Build from an already validated deck-file mapping."""
        origin = data.get("origin") or {}
        return cls(
            id=str(data["id"]),
            type=str(data["type"]),
            fields={k: v for k, v in data.items() if k not in COMMON_KEYS},
            explanation=str(data.get("explanation") or ""),
            origin=Origin(
                section=str(origin.get("section") or "other"), quote=str(origin.get("quote") or "")
            ),
            tags=[str(t) for t in data.get("tags") or []],
        )


@dataclass
class Source:
    file: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "sha256": self.sha256}


@dataclass
class Deck:
    id: str
    title: str
    description: str = ""
    source: Source | None = None
    questions: list[Question] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.description:
            out["description"] = self.description
        if self.source:
            out["source"] = self.source.to_dict()
        out["questions"] = [q.to_dict() for q in self.questions]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deck:
        """Build from an already validated deck-file mapping."""
        source = data.get("source")
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            description=str(data.get("description") or ""),
            source=Source(file=str(source.get("file", "")), sha256=str(source.get("sha256", "")))
            if isinstance(source, dict)
            else None,
            questions=[Question.from_dict(q) for q in data.get("questions") or []],
        )
