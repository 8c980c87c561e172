"""The registry of question types: the one place that lists them.

Adding a type is one module with a :class:`QuestionType` subclass, one line here and one folder of
templates (``templates/questions/<name>/``); see docs/architecture.md, "Adding a question type".
Everything else (study, quizzes, the editor, import/export, analytics) asks the type.
"""

from __future__ import annotations

from .base import (
    AnswerShapeError,
    FormData,
    Grade,
    Problem,
    QuestionType,
    item_id,
    presentation_rng,
)
from .basic import Basic
from .cloze import Cloze
from .multiple_choice import MultipleChoice
from .ordering import Ordering
from .true_false import TrueFalse

QUESTION_TYPES: dict[str, QuestionType] = {}


def register(qtype: QuestionType) -> QuestionType:
    """Add ``qtype`` to the registry; a second type of the same name is refused."""
    if qtype.name in QUESTION_TYPES:
        raise ValueError(f"question type {qtype.name!r} is already registered")
    QUESTION_TYPES[qtype.name] = qtype
    return qtype


def unregister(name: str) -> None:
    """Remove the type called ``name`` (tests that add a type of their own)."""
    QUESTION_TYPES.pop(name, None)


for _qtype in (Cloze(), TrueFalse(), Ordering(), MultipleChoice(), Basic()):
    register(_qtype)


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


def quiz_types() -> tuple[str, ...]:
    """The types a quiz can ask, in the order the start form lists them."""
    ordered = sorted(QUESTION_TYPES.values(), key=lambda t: t.quiz_order)
    return tuple(t.name for t in ordered)


def quiz_pool_types() -> list[str]:
    """The types whose questions lend a text to the quiz pool (``quiz_pool_text``)."""
    return [
        name
        for name, qtype in QUESTION_TYPES.items()
        if type(qtype).quiz_pool_text is not QuestionType.quiz_pool_text
    ]


def type_for_quiz_kind(kind: str) -> QuestionType:
    """The type that asks a quiz item of ``kind`` (an item's stored ``kind``)."""
    for qtype in QUESTION_TYPES.values():
        if kind in (qtype.quiz_kinds or (qtype.name,)):
            return qtype
    raise KeyError(f"no question type asks quiz items of kind {kind!r}")


def card_answer_key(type_name: str, fields: dict, ordinal: int) -> str:
    """What a single card's right answer is; a change restarts that card only."""
    return get_type(type_name).card_answer_key(fields, ordinal)


__all__ = [
    "QUESTION_TYPES",
    "AnswerShapeError",
    "FormData",
    "Grade",
    "Problem",
    "QuestionType",
    "card_answer_key",
    "get_type",
    "item_id",
    "presentation_rng",
    "quiz_pool_types",
    "quiz_types",
    "register",
    "type_for_kind",
    "type_for_quiz_kind",
    "unregister",
]
