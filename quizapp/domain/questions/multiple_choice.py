"""``multiple_choice``: pick one (or all that apply) from shuffled choices."""

from __future__ import annotations

import random
from typing import Any

from .base import AnswerShapeError, Grade, Problem, QuestionType, is_text, item_id
from .portable import CHOICE, Portable


def says_select_all(prompt: str) -> bool:
    """Whether the prompt already tells the learner to select all that apply (imported Anki and
    Moodle questions often do): the app then adds no second hint."""
    return "select all that apply" in " ".join(str(prompt).split()).casefold()


class MultipleChoice(QuestionType):
    name = "multiple_choice"
    label = "Multiple choice"
    required = ("prompt", "choices", "correct")
    #: ``multiple: true`` asks "select all that apply" even when one choice is right.
    optional = ("multiple",)
    portable_kind = CHOICE

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        found = []
        if not is_text(fields["prompt"]):
            found.append(Problem("prompt", "'prompt' must be non-empty text"))
        choices = fields["choices"]
        if not isinstance(choices, list) or not all(is_text(c) for c in choices):
            return found + [Problem("choices", "'choices' must be a list of non-empty texts")]
        if len(choices) < 2:
            found.append(Problem("choices", f"needs at least 2 choices, has {len(choices)}"))
        if len({c.strip().casefold() for c in choices}) != len(choices):
            found.append(Problem("choices", "two choices have the same text"))
        correct = fields["correct"]
        if not isinstance(correct, list) or not correct or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in correct
        ):
            return found + [Problem("correct", "'correct' must be a non-empty list of choice "
                                    "indices, counting from 0, e.g. [0] or [0, 2]")]
        for i in correct:
            if not 0 <= i < len(choices):
                found.append(Problem("correct", f"index {i} is out of range: choices are "
                                     f"numbered 0 to {len(choices) - 1}"))
        if len(set(correct)) != len(correct):
            found.append(Problem("correct", "an index is listed twice"))
        if "multiple" in fields and not isinstance(fields["multiple"], bool):
            found.append(Problem("multiple", "'multiple' must be true or false"))
        return found

    def is_multiple(self, fields: dict[str, Any]) -> bool:
        return bool(fields.get("multiple")) or len(fields["correct"]) > 1

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return sorted(fields["choices"][i] for i in fields["correct"])

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        choices = [{"id": item_id(c), "text": c} for c in fields["choices"]]
        rng.shuffle(choices)
        return {"prompt": fields["prompt"], "choices": choices,
                "multiple": self.is_multiple(fields)}

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return [fields["choices"][i] for i in sorted(fields["correct"])]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        chosen = response.get("choices") if isinstance(response, dict) else None
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise AnswerShapeError('a multiple-choice answer is {"choices": [choice ids]}')
        by_id = {item_id(c): i for i, c in enumerate(fields["choices"])}
        unknown = [c for c in chosen if c not in by_id]
        if unknown:
            raise AnswerShapeError(f"unknown choice id {unknown[0]!r}")
        picked = {by_id[c] for c in chosen}
        if not self.is_multiple(fields) and len(picked) > 1:
            raise AnswerShapeError("this question takes exactly one choice")
        right = set(fields["correct"])
        return Grade(
            correct=picked == right,
            expected=self.grade_expected(fields, ordinal),
            given=[fields["choices"][i] for i in sorted(picked)],
            feedback={"choices": [
                {"id": item_id(c), "text": c, "correct": i in right, "chosen": i in picked}
                for i, c in enumerate(fields["choices"])
            ]},
        )

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(CHOICE, fields["prompt"], options=tuple(fields["choices"]),
                        correct=tuple(sorted(fields["correct"])),
                        multiple=self.is_multiple(fields))

    def from_portable(self, item: Portable) -> dict[str, Any]:
        fields: dict[str, Any] = {"prompt": item.prompt, "choices": list(item.options),
                                  "correct": sorted(item.correct)}
        if item.multiple and len(item.correct) == 1:
            fields["multiple"] = True
        return fields
