"""The base every question type extends, and the small value types they share.

A question type owns everything that differs between types, so that study, quizzes, the editor,
import/export and analytics ask the type and never compare its name:

- the schema of its fields in a deck file (:meth:`problems`) and the cards it yields
  (:meth:`ordinals`) with each card's answer key (:meth:`card_answer_key`);
- what the learner sees before answering (:meth:`present`, never the answer), how an answer is
  read from a form (:meth:`study_response`, :meth:`quiz_response`) and graded (:meth:`grade`),
  and whether the card may be turned over instead (:attr:`revealable`);
- how it is asked in a quiz (:meth:`quiz_item`, :meth:`quiz_present`, :meth:`quiz_grade`);
- what wrong answers analytics count (:meth:`wrong_given`) and what the linter flags (:meth:`lint`);
- its Anki note type and field values (:attr:`anki_note`, :meth:`anki_fields`);
- its templates, one folder per type: ``templates/questions/<name>/`` (:meth:`template`).

The editor's form is the one per-type piece outside the domain (WTForms is a web library): it
lives in ``quizapp/web/question_forms.py`` and is registered with ``register_form``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, overload

if TYPE_CHECKING:
    from .ankihtml import AnkiNote
    from .lint import LintWarning

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


class FormData(Protocol):
    """What a type reads a learner's answer from: a posted form (werkzeug's ``MultiDict``)."""

    @overload
    def get(self, key: str) -> Any: ...
    @overload
    def get(self, key: str, default: Any) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...
    def items(self) -> Iterable[tuple[str, Any]]: ...
    def __contains__(self, key: object) -> bool: ...


def digits(value: Any, most: int = 16) -> int | None:
    """``value`` as a non-negative integer when it is plain ASCII digits, else None."""
    text = (value if isinstance(value, str) else "").strip()
    if text.isascii() and text.isdigit() and len(text) <= most:
        return int(text)
    return None


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
    #: True when a learner may turn an auto-graded card over instead of answering it; the turned
    #: card is then self-rated and the next answer to it counts as revealed.
    revealable: ClassVar[bool] = False
    #: How a list-valued answer is joined on a preview ("; " unless the order matters).
    answer_joiner: ClassVar[str] = "; "
    #: True when the answer is a sequence whose order is the point (shown as a numbered list).
    ordered_answer: ClassVar[bool] = False
    #: How the type is named on the quiz start form (its label unless it is asked differently).
    quiz_label: ClassVar[str] = ""
    #: Where the type comes on the quiz start form (lowest first).
    quiz_order: ClassVar[int] = 100
    #: The ways this type is asked in a quiz (an item's ``kind``); the type's name by default.
    quiz_kinds: ClassVar[tuple[str, ...]] = ()
    #: The field a warning about the whole question is shown under (the linter's duplicates).
    main_field: ClassVar[str] = "prompt"
    #: True when analytics tally wrong answers as choices (else as typed texts).
    counts_choices: ClassVar[bool] = False

    # --- templates ------------------------------------------------------------------------------

    def template(self, part: str) -> str:
        """The template of ``part`` (ask, feedback, reveal, preview, edit, quiz, asked)."""
        return f"questions/{self.name}/{part}.html"

    @property
    def can_reveal(self) -> bool:
        """True when the learner may see the answer before answering (rating it themselves)."""
        return self.self_rated or self.revealable

    def problems(self, fields: dict[str, Any]) -> list[Problem]:
        """Every problem with ``fields``; an empty list means valid."""
        found = [
            Problem(key, f"missing field '{key}' (required for {self.name})")
            for key in self.required
            if key not in fields or fields[key] is None
        ]
        known = set(self.required) | set(self.optional)
        found += [
            Problem(
                key,
                f"unknown field '{key}' for {self.name} (expected one of: "
                f"{', '.join(sorted(known))})",
            )
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

    def card_answer_key(self, fields: dict[str, Any], ordinal: int) -> str:
        """What card ``ordinal``'s right answer is; a change restarts that card only."""
        return self.answer_key(fields)

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        """What the learner sees before answering. Must never contain the answer."""
        raise NotImplementedError

    def prompt_text(self, fields: dict[str, Any]) -> str:
        """The text a learner reads to answer, as plain text (a cloze with every blank filled)."""
        return fields["prompt"]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        """Grade ``response``; raise :class:`AnswerShapeError` when it has the wrong shape."""
        raise NotImplementedError

    def reveal(self, fields: dict[str, Any], ordinal: int) -> Any:
        """The right answer in display form, as shown after answering or to the deck's owner."""
        return self.grade_expected(fields, ordinal)

    def reveal_response(self) -> Any:
        """The response graded when the learner turns the card over instead of answering."""
        return {}

    def study_view(
        self, fields: dict[str, Any], ordinal: int, shown: dict[str, Any]
    ) -> dict[str, Any]:
        """``shown`` (from :meth:`present`) with what the study templates need besides."""
        return shown

    def result_parts(self, fields: dict[str, Any], ordinal: int) -> list[dict[str, Any]]:
        """The question as parts for the result step (a cloze's text around its blanks)."""
        return []

    def preview(self, fields: dict[str, Any], rng: random.Random) -> dict[str, Any]:
        """The whole question for a preview: ``shown`` as a learner sees it, and ``answer``."""
        return {"shown": self.present(fields, 1, rng), "answer": self.reveal(fields, 1)}

    def study_response(self, form: FormData) -> Any:
        """The learner's answer from the study form; :class:`AnswerShapeError` says what to fix."""
        return {}

    # --- quizzes --------------------------------------------------------------------------------

    def quiz_item(
        self, question_id: int, pool: dict[int, str], rng: random.Random
    ) -> dict[str, Any]:
        """What a quiz item of this type stores besides its card (e.g. the distractors drawn)."""
        return {}

    def quiz_pool_text(self, fields: dict[str, Any]) -> str | None:
        """The text a question of this type lends to the quiz pool other items choose from."""
        return None

    def quiz_kind(self, item: dict[str, Any] | Any) -> str:
        """How ``item`` is asked: the type's name unless it is asked in several ways."""
        return self.name

    def quiz_present(
        self, item: Any, fields: dict[str, Any], pool: list[str], rng: random.Random
    ) -> tuple[str, dict[str, Any]]:
        """``(label, shown)`` of a quiz item; ``pool`` is the texts :meth:`quiz_item` drew."""
        return self.label, self.present(fields, item["ordinal"], rng)

    def quiz_grade(
        self, item: Any, fields: dict[str, Any], response: Any, pool: list[str]
    ) -> Grade:
        """Grade a quiz answer (in a quiz every answer must be gradable by the server)."""
        return self.grade(fields, item["ordinal"], response)

    def quiz_response(self, kind: str, shown: dict[str, Any], form: FormData, prefix: str) -> Any:
        """The answer to a quiz item from ``form`` (fields named ``prefix`` + name); None: blank."""
        return None

    # --- analytics ------------------------------------------------------------------------------

    def wrong_given(self, fields: dict[str, Any], given: Any) -> list[str]:
        """The wrong parts of a graded answer's ``given`` (choice texts, typed words) to tally."""
        return []

    def given_from_response(self, fields: dict[str, Any], response: Any) -> Any:
        """A study response (as the form sent it) in the shape of a quiz result's ``given``."""
        return None

    # --- the question linter (:mod:`.lint`) ---------------------------------------------------

    def lint(self, qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
        """What a teacher would flag in this valid question (none unless the type says)."""
        return []

    def asked_text(self, fields: Mapping[str, Any]) -> str:
        """What the question asks, as one plain text, for finding near-duplicates."""
        return ""

    # --- Anki -----------------------------------------------------------------------------------

    #: Its Anki note type (None: the type is not exported to Anki).
    anki_note: ClassVar[AnkiNote | None] = None

    def anki_fields(self, fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
        """The note's own field values (HTML) and the card ordinals it yields."""
        raise NotImplementedError

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        raise NotImplementedError

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        """The question's fields in the format-neutral shape other quiz formats are written from."""
        raise NotImplementedError

    def from_portable(self, item: Portable) -> dict[str, Any]:
        """This type's fields for a portable question of :attr:`portable_kind` (unchecked)."""
        raise NotImplementedError
