"""Taking a quiz: reading one's attempt, saving answers, submitting once, and closing attempts
that ran out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from quizapp.domain import quiz as rules
from quizapp.domain.numbers import parse_count
from quizapp.domain.questions import AnswerShapeError
from quizapp.extensions import db
from quizapp.models import Assignment, Deck, QuizAttempt, User

from .. import decks as deck_service
from ..errors import Conflict, Invalid, NotFound
from .views import _questions_of, ended_message

#: No answer is longer than this (as JSON): a typed answer is a word or a sentence.
MAX_ANSWER_CHARS = 2000

#: Lists need neither the items nor the answers (read lazily if an attempt must be closed).
_LIGHT = (sa.orm.defer(QuizAttempt.items), sa.orm.defer(QuizAttempt.answers))

#: Tries at a write that lost a race with another write of the same attempt (version check).
_WRITE_TRIES = 3


class TimeUp(Conflict):
    """The answers came after the deadline: the attempt was scored as it stood."""

    def __init__(self, message: str, attempt: QuizAttempt):
        super().__init__(message)
        self.attempt = attempt


@dataclass
class Submitted:
    """The outcome of a submission; ``already`` when an earlier one had scored the attempt."""

    attempt: QuizAttempt
    already: bool = False


def require_visible(user: User, deck_ids: Iterable[int]) -> None:
    """:class:`NotFound` unless ``user`` may see every deck of ``deck_ids`` (decks since deleted
    are skipped: nothing of them is left to show).

    Every path to a quiz's questions and answers asks this: decks chosen by name, an assignment,
    a retake and an attempt still open, so a deck made private is closed on all of them at once.
    """
    for deck_id in deck_ids:
        deck = db.session.get(Deck, deck_id)
        if deck is not None and not deck_service.can_see(user, deck):
            raise NotFound("There is no such deck, or it is not shared with you (any more).")


def get_attempt(user: User, attempt_id: int, *, now: datetime) -> QuizAttempt:
    """``user``'s own attempt; one that ran out is scored (as it stood) on the way.

    An attempt still open on a deck that is hidden from ``user`` since is not found: it could
    still be submitted for the answers. A submitted one stays readable (the learner's record).
    """
    attempt = _own_attempt(user, attempt_id, now)
    if attempt.submitted_at is None:
        require_visible(user, attempt.deck_ids)
    return attempt


def _own_attempt(user: User, attempt_id: int, now: datetime) -> QuizAttempt:
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(f"There is no quiz attempt {attempt_id} of yours.")
    _close_if_ran_out(attempt, now)
    return attempt


def _close_if_ran_out(attempt: QuizAttempt, now: datetime) -> bool:
    """Score an unsubmitted attempt past its deadline with the answers saved; True if it did."""
    if attempt.submitted_at is not None or rules.accepts_answers(attempt.expires_at, now):
        return False
    closes_at = None
    if attempt.assignment_id is not None:
        assignment = db.session.get(Assignment, attempt.assignment_id)
        closes_at = assignment.quiz_closes_at if assignment else None
    reason = rules.end_reason(
        attempt.expires_at, time_limit_s=attempt.settings.get("time_limit_s"), closes_at=closes_at
    )
    _score(attempt, attempt.expires_at, ended=reason)
    try:
        db.session.commit()
    except StaleDataError:
        # Someone else closed or submitted it meanwhile: theirs stands.
        db.session.rollback()
        db.session.refresh(attempt)
    return True


def _score(attempt: QuizAttempt, at: datetime, *, ended: str | None = None) -> None:
    questions, backs = _questions_of(attempt)
    scored = rules.score_attempt(attempt.items, questions, attempt.answers or {}, backs)
    attempt.score, attempt.max_score, attempt.results = (
        scored.score,
        scored.max_score,
        scored.results,
    )
    attempt.submitted_at = at
    if ended:
        attempt.settings = {**attempt.settings, "ended": ended}


def _checked_answers(attempt: QuizAttempt, answers: Mapping[Any, Any]) -> dict[str, Any]:
    """``answers`` merged into the saved ones, each checked against its item; blank removes."""
    if not isinstance(answers, Mapping):
        raise Invalid('Answers are an object: {"0": answer, "1": answer, ...} by question index.')
    questions, backs = _questions_of(attempt)
    merged = dict(attempt.answers or {})
    count = len(attempt.items)
    for key, response in answers.items():
        index = _index(key, count)
        if rules.is_blank(response):
            merged.pop(str(index), None)
            continue
        if len(json.dumps(response, default=str)) > MAX_ANSWER_CHARS:
            raise Invalid(
                f"Question {index + 1}: this answer is too long "
                f"(at most {MAX_ANSWER_CHARS} characters)."
            )
        item = attempt.items[index]
        distractors = [backs[q] for q in item.get("distractors", []) if q in backs]
        try:
            rules.grade_item(item, questions[item["question_id"]], response, distractors)
        except AnswerShapeError as exc:
            raise Invalid(f"Question {index + 1}: {exc}.") from None
        merged[str(index)] = response
    return merged


def _index(key: Any, count: int) -> int:
    text = str(key)[:20]
    index = (
        None
        if isinstance(key, bool)
        else parse_count(
            key if isinstance(key, str) else str(key) if isinstance(key, int) else None,
            most=count - 1,
        )
    )
    if index is None:
        raise Invalid(
            f"There is no question {text!r} in this quiz: questions are numbered 0 to {count - 1}."
        )
    return index


def save_answers(
    user: User,
    attempt_id: int,
    answers: Mapping[Any, Any],
    *,
    now: datetime,
) -> QuizAttempt:
    """Keep the learner's answers so far (a reload or another device resumes with them)."""
    for _ in range(_WRITE_TRIES):
        try:
            attempt = _writable(user, attempt_id, now)
            attempt.answers = _checked_answers(attempt, answers)
            db.session.commit()
            return attempt
        except StaleDataError:
            # Another request wrote this attempt first (autoflush or commit): look again.
            db.session.rollback()
    raise Conflict("This quiz is being changed in another tab; reload the page and try again.")


def _writable(user: User, attempt_id: int, now: datetime) -> QuizAttempt:
    attempt = get_attempt(user, attempt_id, now=now)
    if attempt.submitted_at is not None:
        message = ended_message(attempt)
        if message:
            raise TimeUp(message, attempt)
        raise Conflict("This quiz was already submitted; its answers can no longer change.")
    return attempt


def submit(
    user: User,
    attempt_id: int,
    answers: Mapping[Any, Any] | None = None,
    *,
    now: datetime,
) -> Submitted:
    """Score the attempt once, with ``answers`` merged into the saved ones.

    A second submission changes nothing and says so (``already``). After the deadline the
    attempt is scored with the answers saved before it and :class:`TimeUp` is raised.
    """
    for _ in range(_WRITE_TRIES):
        try:
            attempt = get_attempt(user, attempt_id, now=now)
            if attempt.submitted_at is not None:
                message = ended_message(attempt)
                if message and not _was_submitted_by_learner(attempt):
                    raise TimeUp(message, attempt)
                return Submitted(attempt, already=True)
            if answers:
                attempt.answers = _checked_answers(attempt, answers)
            _score(attempt, now)
            db.session.commit()
            return Submitted(attempt)
        except StaleDataError:
            # Another request (a second click, an autosave) wrote first: look again.
            db.session.rollback()
    raise Conflict("This quiz is being changed in another tab; reload the page and try again.")


def _was_submitted_by_learner(attempt: QuizAttempt) -> bool:
    return "ended" not in (attempt.settings or {})
