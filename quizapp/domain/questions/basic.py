"""``basic``: a front to recall and a back to check, rated by the learner."""

from __future__ import annotations

import random
from typing import Any

from .base import AnswerShapeError, Grade, Problem, QuestionType, is_text
from .cloze import normalise
from .portable import RECALL, Portable


def quote_repeats(quote: Any, answer: Any) -> bool:
    """Whether a source quote says no more than the answer shown above it (a basic card whose
    back is its source sentence): the page then leaves the quote out."""
    if not isinstance(quote, str) or not isinstance(answer, str):
        return False
    return normalise(quote) == normalise(answer)


class Basic(QuestionType):
    name = "basic"
    label = "Basic"
    required = ("front", "back")
    self_rated = True
    portable_kind = RECALL

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        return [Problem(k, f"'{k}' must be non-empty text") for k in self.required
                if not is_text(fields[k])]

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return fields["back"]

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        return {"front": fields["front"]}

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return fields["back"]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        if response is not None and not isinstance(response, dict):
            raise AnswerShapeError("a basic card takes {} (reveal) as its answer")
        return Grade(correct=None, expected=fields["back"])

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(RECALL, fields["front"], answer=fields["back"])

    def from_portable(self, item: Portable) -> dict[str, Any]:
        return {"front": item.prompt, "back": item.answer}
