"""The defect record and what detectors know about an article."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..gold import Gold
from ..views import QuestionView

CLASSES = (
    "deletion",
    "not_self_contained",
    "wrong_sentence",
    "garbled_frame",
    "teaches_myth",
    "invented_relation",
    "cut",
    "duplicate",
)
EDIT, DROP = "EDIT", "DROP"


@dataclass(frozen=True)
class Defect:
    cls: str
    grade: str
    reason: str


@dataclass
class Context:
    """What the detectors know about the article besides the question itself."""

    title: str
    gold: Gold | None = None
    headings: list[str] = field(default_factory=list)
    questions: list[QuestionView] = field(default_factory=list)

    @property
    def topic(self) -> str:
        return self.gold.topic if self.gold else ""
