"""``true_false``: a statement the learner judges; the explanation is always shown after."""

from __future__ import annotations

import random
from typing import Any

from .base import AnswerShapeError, Grade, Problem, QuestionType, is_text
from .portable import TRUE_FALSE, Portable


class TrueFalse(QuestionType):
    name = "true_false"
    label = "True or false"
    required = ("statement", "answer")
    portable_kind = TRUE_FALSE

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        found = []
        if not is_text(fields["statement"]):
            found.append(Problem("statement", "'statement' must be non-empty text"))
        if not isinstance(fields["answer"], bool):
            found.append(Problem("answer", "'answer' must be true or false"))
        return found

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return fields["answer"]

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        return {"statement": fields["statement"]}

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return fields["answer"]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        given = response.get("answer") if isinstance(response, dict) else None
        if not isinstance(given, bool):
            raise AnswerShapeError('a true/false answer is {"answer": true} or {"answer": false}')
        return Grade(correct=given == fields["answer"], expected=fields["answer"], given=given)

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(TRUE_FALSE, fields["statement"], truth=fields["answer"])

    def from_portable(self, item: Portable) -> dict[str, Any]:
        return {"statement": item.prompt, "answer": item.truth}
