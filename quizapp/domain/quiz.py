"""Quizzes as pure rules: which items a quiz draws, what the learner sees, how answers are graded
and scored, and when an attempt stops accepting answers.

Nothing here touches Flask or the database. Randomness comes from an injected ``random.Random``
and time from a ``now`` argument, so every rule is reproducible in a test.

An attempt's *items* are plain dicts (they are stored as JSON)::

    {"card_id": 12, "question_id": 5, "ordinal": 1, "seed": 123456789}
    {"card_id": 14, "question_id": 7, "ordinal": 1, "seed": 42, "mode": "choice",
     "distractors": [8, 9, 11]}                                    # a basic card as a choice

``seed`` seeds the item's own ``random.Random``: choices and steps come back in the same order
after a reload, and nothing about the order is stored on the client.

How each question type is asked in a quiz is the type's own business (a quiz needs answers the
server can grade): ``QuestionType.quiz_item`` / ``quiz_present`` / ``quiz_grade``. Most types are
asked as in study; a cloze is typed (no "reveal"); a basic card becomes a choice between backs
(see :mod:`quizapp.domain.questions.basic`).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from . import class_time
from .questions import AnswerShapeError, Grade, get_type, quiz_types
from .questions.basic import BASIC_CHOICES, MIN_BASIC_CHOICES, Basic

__all__ = ["BASIC_CHOICES", "MIN_BASIC_CHOICES"]


def __getattr__(name: str) -> Any:
    # ``QUIZ_TYPES``: the types a quiz can ask, in the order the start form lists them; read from
    # the registry each time, so a type registered later is quizzable too.
    if name == "QUIZ_TYPES":
        return quiz_types()
    raise AttributeError(name)


MAX_QUESTIONS = 100
DEFAULT_QUESTIONS = 10
MAX_TIME_LIMIT_S = 10 * 60 * 60
#: How long an unfinished quiz without a time limit can be resumed.
RESUME_WINDOW = timedelta(hours=24)
#: Allowance for the network between the learner's click (or the timer's auto-submit) and the
#: server: an answer arriving this long after the deadline still counts.
GRACE = timedelta(seconds=5)

#: Why an attempt ended without the learner submitting it (stored in ``settings["ended"]``).
ENDED_TIME_LIMIT = "time_limit"
ENDED_CLOSING_TIME = "closing_time"
ENDED_EXPIRED = "expired"


class QuizError(ValueError):
    """A quiz rule refused the request; the message is written for the learner."""


@dataclass(frozen=True)
class Candidate:
    """A card a quiz may draw."""

    card_id: int
    question_id: int
    type: str
    ordinal: int


@dataclass(frozen=True)
class QuestionData:
    """What presenting and grading a quiz item needs of its question (a plain copy of the row)."""

    id: int
    type: str
    fields: Mapping[str, Any]
    explanation: str = ""
    section: str = "other"
    quote: str = ""


def removed_question(question_id: int) -> QuestionData:
    """What an attempt shows for a question since removed from its deck: a basic stand-in."""
    return QuestionData(question_id, Basic.name, REMOVED_FIELDS)


#: The stand-in's fields (a basic question, asked typed: it has no pool to choose from).
REMOVED_FIELDS = {"front": "(This question was removed from its deck.)", "back": ""}


@dataclass(frozen=True)
class QuizOptions:
    """The choices made when starting a quiz."""

    count: int = DEFAULT_QUESTIONS
    types: tuple[str, ...] = field(default_factory=quiz_types)
    only_missed: bool = False
    time_limit_s: int | None = None
    #: "paged" (one question per page) or "all" (every question on one page).
    layout: str = "paged"

    def to_settings(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "types": list(self.types),
            "only_missed": self.only_missed,
            "time_limit_s": self.time_limit_s,
            "layout": self.layout,
        }


def make_options(
    *,
    count: Any = DEFAULT_QUESTIONS,
    types: Iterable[Any] | None = None,
    only_missed: Any = False,
    time_limit_s: Any = None,
    layout: Any = "paged",
) -> QuizOptions:
    """Validate raw options (from a form or JSON); :class:`QuizError` says what to change."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise QuizError("The number of questions must be a whole number.")
    if not 1 <= count <= MAX_QUESTIONS:
        raise QuizError(f"Choose between 1 and {MAX_QUESTIONS} questions.")
    known = quiz_types()
    if types is not None and not (
        isinstance(types, list | tuple) and all(isinstance(t, str) for t in types)
    ):
        raise QuizError(f"'types' must be a list of question types (known: {', '.join(known)}).")
    chosen = list(known) if types is None else list(types)
    unknown = [t for t in chosen if t not in known]
    if unknown:
        raise QuizError(f"Unknown question type {unknown[0]!r} (known: {', '.join(known)}).")
    if not chosen:
        raise QuizError("Choose at least one question type.")
    if not isinstance(only_missed, bool):
        raise QuizError("'only_missed' must be true or false.")
    if time_limit_s is not None:
        if isinstance(time_limit_s, bool) or not isinstance(time_limit_s, int):
            raise QuizError("The time limit must be a whole number of seconds.")
        if not 60 <= time_limit_s <= MAX_TIME_LIMIT_S:
            raise QuizError("The time limit must be between 1 minute and 10 hours.")
    if layout not in ("paged", "all"):
        raise QuizError("The layout is 'paged' (one question per page) or 'all'.")
    ordered = tuple(t for t in known if t in chosen)
    return QuizOptions(count, ordered, only_missed, time_limit_s, layout)


# --- drawing ------------------------------------------------------------------------------------


def draw_items(
    candidates: Iterable[Candidate],
    count: int,
    rng: random.Random,
    *,
    basic_backs: Mapping[int, str] | None = None,
) -> list[dict[str, Any]]:
    """Up to ``count`` items in random order, at most one card per question.

    Two cards of one cloze note are never in the same quiz: each shows the other's answer.
    ``basic_backs`` (question id → text) is the quiz pool of the quizzed decks (each question's
    ``QuestionType.quiz_pool_text``, a basic question's back), where a type that asks a choice
    between texts draws its wrong choices from. The same ``rng`` state gives the same items.
    """
    by_question: dict[int, list[Candidate]] = {}
    for c in sorted(set(candidates), key=lambda c: (c.question_id, c.ordinal, c.card_id)):
        by_question.setdefault(c.question_id, []).append(c)
    chosen = rng.sample(sorted(by_question), k=min(count, len(by_question)))
    pool = dict(sorted((basic_backs or {}).items()))
    items = []
    for question_id in chosen:
        card = rng.choice(by_question[question_id])
        item: dict[str, Any] = {
            "card_id": card.card_id,
            "question_id": card.question_id,
            "ordinal": card.ordinal,
            "seed": rng.getrandbits(31),
        }
        item.update(get_type(card.type).quiz_item(question_id, pool, rng))
        items.append(item)
    return items


def missed_cards(events: Iterable[tuple[int, datetime, bool]]) -> set[int]:
    """The cards whose latest graded answer, ``(card_id, at, correct)``, was wrong."""
    latest: dict[int, tuple[datetime, bool]] = {}
    for card_id, at, correct in events:
        if card_id not in latest or at >= latest[card_id][0]:
            latest[card_id] = (at, correct)
    return {card_id for card_id, (_, correct) in latest.items() if not correct}


# --- presenting and grading ---------------------------------------------------------------------


def kind(item: Mapping[str, Any], question: QuestionData) -> str:
    """How the item is asked: the question type, or one of its ``quiz_kinds`` (``basic_choice``)."""
    return get_type(question.type).quiz_kind(item)


def present_item(
    item: Mapping[str, Any],
    question: QuestionData,
    distractor_backs: list[str] | None = None,
) -> dict[str, Any]:
    """What the learner sees of ``item``: never its answer; the same every time it is asked."""
    rng = random.Random(item["seed"])
    qtype = get_type(question.type)
    label, shown = qtype.quiz_present(item, dict(question.fields), distractor_backs or [], rng)
    return {"kind": qtype.quiz_kind(item), "label": label, "shown": shown}


def is_blank(response: Any) -> bool:
    """True for an answer that says nothing: no choice picked, nothing typed."""
    if response is None:
        return True
    if not isinstance(response, dict):
        return False
    if "choices" in response and response["choices"] == []:
        return True
    text = response.get("text")
    if isinstance(text, str):
        return not text.strip()
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        return not any(t.strip() for t in text)
    return False


def grade_item(
    item: Mapping[str, Any],
    question: QuestionData,
    response: Any,
    distractor_backs: list[str] | None = None,
) -> Grade:
    """Grade one answer; :class:`AnswerShapeError` when it does not fit the item."""
    return get_type(question.type).quiz_grade(
        item, dict(question.fields), response, distractor_backs or []
    )


@dataclass
class Scored:
    """A scored attempt: one point per fully right item; ``results`` are stored with it."""

    score: int
    max_score: int
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missed(self) -> list[int]:
        return [r["index"] for r in self.results if not r["correct"]]


def score_attempt(
    items: Sequence[Mapping[str, Any]],
    questions: Mapping[int, QuestionData],
    answers: Mapping[str, Any],
    distractors: Mapping[int, str] | None = None,
) -> Scored:
    """Grade every item against ``answers`` (by item index as a string); unanswered scores 0.

    Each result keeps a copy of what was asked, the answers, the explanation and the source
    quote, so a result reads the same after the deck is edited. An answer that no longer fits
    its question (the question changed during the attempt) counts as wrong, never as an error.
    """
    results = []
    for index, item in enumerate(items):
        question = questions[item["question_id"]]
        backs = [
            (distractors or {})[q] for q in item.get("distractors", []) if q in (distractors or {})
        ]
        view = present_item(item, question, backs)
        response = answers.get(str(index))
        result: dict[str, Any] = {
            "index": index,
            "card_id": item["card_id"],
            "question_id": item["question_id"],
            "kind": view["kind"],
            "label": view["label"],
            "shown": view["shown"],
            "answered": not is_blank(response),
            "correct": False,
            "given": None,
            "expected": get_type(question.type).reveal(dict(question.fields), item["ordinal"]),
            "feedback": {},
            "explanation": question.explanation,
            "section": question.section,
            "quote": question.quote,
        }
        if result["answered"]:
            try:
                grade = grade_item(item, question, response, backs)
            except AnswerShapeError as exc:
                result["feedback"] = {"problem": str(exc)}
            else:
                result.update(
                    correct=bool(grade.correct),
                    given=grade.given,
                    expected=grade.expected,
                    feedback=grade.feedback,
                )
        results.append(result)
    return Scored(
        score=sum(1 for r in results if r["correct"]), max_score=len(items), results=results
    )


# --- time ---------------------------------------------------------------------------------------


def deadline(
    started_at: datetime,
    *,
    time_limit_s: int | None,
    closes_at: datetime | None = None,
) -> datetime:
    """When an attempt stops accepting answers: the time limit, else the resume window, and never
    after the assignment's closing time."""
    end = started_at + (timedelta(seconds=time_limit_s) if time_limit_s else RESUME_WINDOW)
    return min(end, closes_at) if closes_at is not None else end


def accepts_answers(expires_at: datetime, now: datetime) -> bool:
    """True while answers (and the submission) still count, the network grace included."""
    return now <= expires_at + GRACE


def end_reason(
    expires_at: datetime,
    *,
    time_limit_s: int | None,
    closes_at: datetime | None,
) -> str:
    """Why an attempt that ran out ended: its time limit, the closing time, or the resume window."""
    if closes_at is not None and expires_at >= closes_at:
        return ENDED_CLOSING_TIME
    return ENDED_TIME_LIMIT if time_limit_s else ENDED_EXPIRED


def end_message(reason: str, expires_at: datetime) -> str:
    """What to tell the learner about an attempt that ran out (scored with the answers saved)."""
    when = format_time(expires_at)
    first = {
        ENDED_TIME_LIMIT: f"Time was up at {when}.",
        ENDED_CLOSING_TIME: f"The quiz closed at {when}.",
        ENDED_EXPIRED: f"This attempt expired at {when}: an unfinished quiz can be resumed for "
        f"{int(RESUME_WINDOW.total_seconds() // 3600)} hours.",
    }[reason]
    return (
        f"{first} Answers sent after that were not accepted; the quiz was scored with the "
        "answers saved before then."
    )


def assignment_gate(
    now: datetime,
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
    max_attempts: int | None,
    attempts_used: int,
    timezone: str = "UTC",
) -> None:
    """Raise :class:`QuizError` when an assigned quiz cannot be started now (the times in the
    message in the class's ``timezone``)."""
    if opens_at is not None and now < opens_at:
        raise QuizError(f"This quiz opens at {class_time.format_local(opens_at, timezone)}.")
    if closes_at is not None and now >= closes_at:
        raise QuizError(f"This quiz closed at {class_time.format_local(closes_at, timezone)}.")
    if max_attempts is not None and attempts_used >= max_attempts:
        raise QuizError(
            f"You have used all {max_attempts} attempt"
            f"{'' if max_attempts == 1 else 's'} at this quiz."
        )


def format_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def format_duration(seconds: float) -> str:
    """``75`` → ``1 min 15 s``; ``600`` → ``10 min``; ``3660`` → ``1 h 1 min``."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def percent(score: float | None, max_score: int) -> int | None:
    if score is None or not max_score:
        return None
    return round(100 * score / max_score)
