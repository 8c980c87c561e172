"""The registry of question types: the one place that lists them.

Adding a type is one module with a :class:`QuestionType` subclass and one line here.
"""

from __future__ import annotations

from .base import AnswerShapeError, Grade, Problem, QuestionType, item_id, presentation_rng
from .basic import Basic
from .cloze import Cloze
from .multiple_choice import MultipleChoice
from .ordering import Ordering
from .true_false import TrueFalse

QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (Cloze(), TrueFalse(), Ordering(), MultipleChoice(), Basic())
}


def get_type(name: str) -> QuestionType:
    """The type called ``name``; KeyError names the known types."""
    try:
        return QUESTION_TYPES[name]
    except KeyError:
        raise KeyError(
            f"unknown question type {name!r} (known: {', '.join(QUESTION_TYPES)})"
        ) from None


def type_for_kind(kind: str) -> QuestionType | None:
    """The question type that a portable question of ``kind`` becomes (None: no type has it)."""
    return next((t for t in QUESTION_TYPES.values() if t.portable_kind == kind), None)


def card_answer_key(type_name: str, fields: dict, ordinal: int) -> str:
    """What a single card's right answer is; a change restarts that card only."""
    qtype = get_type(type_name)
    if isinstance(qtype, Cloze):
        return qtype.answer_key_for(fields, ordinal)
    return qtype.answer_key(fields)


__all__ = [
    "QUESTION_TYPES",
    "AnswerShapeError",
    "Grade",
    "Problem",
    "QuestionType",
    "card_answer_key",
    "get_type",
    "item_id",
    "presentation_rng",
    "type_for_kind",
]
