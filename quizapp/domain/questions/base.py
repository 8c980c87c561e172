"""The base every question type extends, and the small value types they share.

A question type owns four things: the schema of its fields in a deck file (:meth:`problems`),
the cards it yields (:meth:`ordinals`), what the learner sees before answering (:meth:`present`,
never the answer) and how an answer is graded (:meth:`grade`). Its Anki note type lives beside the
Anki writer, keyed by the same type name.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .portable import Portable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a question's fields; ``field`` names the key it is about."""

    field: str
    message: str


class AnswerShapeError(ValueError):
    """The learner's answer does not have the shape this question type takes."""


@dataclass
class Grade:
    """The outcome of grading one answer.

    ``correct`` is None for self-rated answers (basic cards, revealed clozes): the learner's own
    rating decides. ``expected`` is the right answer in display form; ``feedback`` carries
    type-specific detail such as per-position results of an ordering item.
    """

    correct: bool | None
    expected: Any
    given: Any = None
    feedback: dict[str, Any] = field(default_factory=dict)


def item_id(text: str) -> str:
    """An opaque, stable id for a choice or step: reveals nothing about order or correctness."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def presentation_rng(secret: str | bytes, *parts: object) -> random.Random:
    """The generator that shuffles one presentation of a question (choices, steps).

    Seeded with an HMAC-SHA256 of ``parts`` under the server's ``secret``: the ids, keys and
    versions in ``parts`` are all visible to the learner, so without the secret the order shown
    would be computable, and with it the original order (the answer) too. The caller passes the
    secret in (the domain reads no configuration).
    """
    if not secret:
        raise ValueError("a presentation needs the server's secret key")
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    message = "\x1f".join(["quizapp-presentation", *map(str, parts)]).encode("utf-8")
    return random.Random(int.from_bytes(hmac.new(key, message, hashlib.sha256).digest(), "big"))


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


class QuestionType:
    name: ClassVar[str]
    label: ClassVar[str]
    #: Type-specific keys of a deck file, required first, then optional.
    required: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ()
    #: True when the learner rates their own recall instead of being auto-graded.
    self_rated: ClassVar[bool] = False
    #: The portable kind (:mod:`.portable`) this type is in other quiz formats.
    portable_kind: ClassVar[str] = ""

    def problems(self, fields: dict[str, Any]) -> list[Problem]:
        """Every problem with ``fields``; an empty list means valid."""
        found = [
            Problem(key, f"missing field '{key}' (required for {self.name})")
            for key in self.required
            if key not in fields or fields[key] is None
        ]
        known = set(self.required) | set(self.optional)
        found += [
            Problem(key, f"unknown field '{key}' for {self.name} (expected one of: "
                    f"{', '.join(sorted(known))})")
            for key in fields
            if key not in known
        ]
        if found:
            return found
        return self.check(fields)

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        """Type-specific checks, run once every required field is present."""
        return []

    def ordinals(self, fields: dict[str, Any]) -> list[int]:
        """The card numbers this question yields: one card, numbered 1, unless overridden."""
        return [1]

    def answer_key(self, fields: dict[str, Any]) -> str:
        """A canonical string of what counts as the right answer.

        When it changes between two versions of a question, learners' cards restart; wording
        changes that leave it alone keep their schedules.
        """
        return json.dumps(self.answer_fields(fields), sort_keys=True, ensure_ascii=False)

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        raise NotImplementedError

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        """What the learner sees before answering. Must never contain the answer."""
        raise NotImplementedError

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        """Grade ``response``; raise :class:`AnswerShapeError` when it has the wrong shape."""
        raise NotImplementedError

    def reveal(self, fields: dict[str, Any], ordinal: int) -> Any:
        """The right answer in display form, as shown after answering or to the deck's owner."""
        return self.grade_expected(fields, ordinal)

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        raise NotImplementedError

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        """The question's fields in the format-neutral shape other quiz formats are written from."""
        raise NotImplementedError

    def from_portable(self, item: Portable) -> dict[str, Any]:
        """This type's fields for a portable question of :attr:`portable_kind` (unchecked)."""
        raise NotImplementedError
