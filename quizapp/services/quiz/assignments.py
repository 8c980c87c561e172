"""The quizzes of class assignments: their settings, taking them within their rules, and the
results the instructor sees."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from quizapp.domain import quiz as rules
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Deck, Membership, QuizAttempt, User

from .. import classes as class_service
from .. import decks as deck_service
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..errors import ServiceError as QuizServiceError
from .attempts import _close_if_ran_out
from .start import _create
from .views import percent


@dataclass
class AssignmentQuiz:
    """An assigned quiz as one learner sees it."""

    assignment: Assignment
    classroom: Classroom
    deck: Deck
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    refusal: str | None  # why a new attempt cannot start now; None: it can

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)


@dataclass
class MemberResults:
    user: User
    attempts: list[QuizAttempt]

    @property
    def best(self) -> int | None:
        return max((p for a in self.attempts if (p := percent(a)) is not None), default=None)

    @property
    def latest(self) -> int | None:
        done = [a for a in self.attempts if a.submitted_at is not None]
        return percent(done[0]) if done else None


def _no_assignment(assignment_id: int) -> NotFound:
    """The one answer for an assignment that does not exist and one that is not the user's:
    the same status and words, so assignment ids cannot be probed."""
    return NotFound(f"There is no assignment {assignment_id} in your classes.")


def _assignment(assignment_id: int) -> tuple[Assignment, Classroom, Deck]:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise _no_assignment(assignment_id)
    deck = db.session.get_one(Deck, assignment.deck_id)
    return assignment, assignment.classroom, deck


def can_manage(user: User, classroom: Classroom) -> bool:
    """The class's instructor or an admin (the classes service decides, for every area)."""
    return class_service.can_manage(user, classroom)


def _is_member(user: User, classroom: Classroom) -> bool:
    return class_service.is_member(user, classroom)


def has_quiz(assignment: Assignment) -> bool:
    return assignment.quiz_question_count is not None


def assignment_quiz(user: User, assignment_id: int, *, now: datetime) -> AssignmentQuiz:
    """The assigned quiz as ``user`` (a member of the class, or its owner) sees it."""
    assignment, classroom, deck = _assignment(assignment_id)
    manager = can_manage(user, classroom)
    if not (manager or _is_member(user, classroom)):
        raise _no_assignment(assignment_id)
    if not manager and not deck_service.can_see(user, deck):
        # The deck was made private (or class-only elsewhere) since it was assigned.
        raise _no_assignment(assignment_id)
    if not has_quiz(assignment):
        raise NotFound("This assignment has no quiz.")
    attempts = list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.assignment_id == assignment.id)
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )
    open_attempt = None
    for attempt in attempts:
        if not _close_if_ran_out(attempt, now) and attempt.submitted_at is None:
            open_attempt = attempt
    refusal = None
    if open_attempt is None:
        try:
            _gate(user, assignment, classroom, len(attempts), now)
        except QuizServiceError as exc:
            refusal = exc.message
    return AssignmentQuiz(assignment, classroom, deck, attempts, open_attempt, refusal)


def assigned_quizzes(user: User) -> list[tuple[Assignment, Classroom, Deck]]:
    """The assignments with a quiz in the classes ``user`` is a member of, newest first."""
    rows = db.session.execute(
        sa.select(Assignment, Classroom, Deck)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .join(Membership, Membership.classroom_id == Classroom.id)
        .join(Deck, Deck.id == Assignment.deck_id)
        .where(
            Membership.user_id == user.id,
            Assignment.quiz_question_count.is_not(None),
            deck_service.reachable_through_class(Classroom.owner_id),
        )
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
    )
    return [(a, c, d) for a, c, d in rows]


def class_quizzes(
    user: User,
    class_id: int,
) -> tuple[Classroom, bool, list[tuple[Assignment, Deck]]]:
    """A class's assignments with their decks, for its instructor (``manage``) or a member."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or not (can_manage(user, classroom) or _is_member(user, classroom)):
        raise NotFound(f"There is no class {class_id} of yours.")
    manage = can_manage(user, classroom)
    query = (
        sa.select(Assignment, Deck)
        .join(Deck, Deck.id == Assignment.deck_id)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Deck.title, Assignment.id)
    )
    if not manage:
        # Members see only the decks the class still opens to them (docs/security.md, 3 and 14).
        query = query.where(deck_service.reachable_through_class(classroom.owner_id))
    return classroom, manage, [(a, d) for a, d in db.session.execute(query)]


def _gate(
    user: User, assignment: Assignment, classroom: Classroom, used: int, now: datetime
) -> None:
    if not _is_member(user, classroom):
        raise Forbidden("Only members of the class take its quizzes; try the deck's own quiz.")
    try:
        rules.assignment_gate(
            now,
            opens_at=assignment.quiz_opens_at,
            closes_at=assignment.quiz_closes_at,
            max_attempts=assignment.quiz_max_attempts,
            attempts_used=used,
            timezone=classroom.timezone,
        )
    except rules.QuizError as exc:
        raise Conflict(str(exc)) from None


def start_assignment_quiz(
    user: User,
    assignment_id: int,
    *,
    now: datetime,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Start (or resume: one open attempt at a time) the quiz of an assignment."""
    view = assignment_quiz(user, assignment_id, now=now)
    if view.open_attempt is not None:
        return view.open_attempt
    a = view.assignment
    _gate(user, a, view.classroom, view.attempts_used, now)
    options = rules.QuizOptions(
        count=a.quiz_question_count or rules.DEFAULT_QUESTIONS, time_limit_s=a.quiz_time_limit_s
    )
    return _create(user, [a.deck_id], options, now=now, rng=rng or random.Random(), assignment=a)


def managed_assignment(user: User, assignment_id: int) -> tuple[Assignment, Classroom, Deck]:
    """The assignment, its class and deck, if ``user`` owns the class (or is an admin)."""
    assignment, classroom, deck = _assignment(assignment_id)
    if not can_manage(user, classroom):
        raise _no_assignment(assignment_id)
    return assignment, classroom, deck


def set_assignment_quiz(
    user: User,
    assignment_id: int,
    *,
    question_count: int | None,
    time_limit_s: int | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    max_attempts: int | None = None,
) -> Assignment:
    """Attach (or with ``question_count=None`` remove) the quiz of an assignment."""
    assignment, _, _ = managed_assignment(user, assignment_id)
    if question_count is None:
        time_limit_s = opens_at = closes_at = max_attempts = None
    else:
        try:
            rules.make_options(count=question_count, time_limit_s=time_limit_s)
        except rules.QuizError as exc:
            raise Invalid(str(exc)) from None
        if opens_at and closes_at and closes_at <= opens_at:
            raise Invalid("The closing time must be after the opening time.")
        if max_attempts is not None and not 1 <= max_attempts <= 100:
            raise Invalid("Allow between 1 and 100 attempts, or leave it empty for no limit.")
    assignment.quiz_question_count = question_count
    assignment.quiz_time_limit_s = time_limit_s
    assignment.quiz_opens_at = opens_at
    assignment.quiz_closes_at = closes_at
    assignment.quiz_max_attempts = max_attempts
    db.session.commit()
    return assignment


def assignment_results(user: User, assignment_id: int, *, now: datetime) -> list[MemberResults]:
    """Every member's attempts at the assignment's quiz (their owner's view), by name."""
    assignment, classroom, _ = managed_assignment(user, assignment_id)
    members = list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.classroom_id == classroom.id)
        )
    )
    attempts = list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.assignment_id == assignment.id)
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )
    for attempt in attempts:
        _close_if_ran_out(attempt, now)
    by_user: dict[int, list[QuizAttempt]] = {}
    for attempt in attempts:
        by_user.setdefault(attempt.user_id, []).append(attempt)
    rows = [MemberResults(m, by_user.get(m.id, [])) for m in members]
    return sorted(rows, key=lambda r: (r.user.name.casefold(), r.user.id))


def attempt_for_reviewer(user: User, attempt_id: int, *, now: datetime) -> QuizAttempt:
    """A submitted attempt, for its learner or for the instructor of its assignment's class."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is not None and attempt.user_id == user.id:
        _close_if_ran_out(attempt, now)
        return attempt
    if attempt is not None and attempt.assignment_id is not None:
        assignment = db.session.get(Assignment, attempt.assignment_id)
        if assignment is not None and can_manage(user, assignment.classroom):
            _close_if_ran_out(attempt, now)
            if attempt.submitted_at is None:
                raise Conflict("This attempt is still in progress.")
            return attempt
    raise NotFound(f"There is no quiz attempt {attempt_id} of yours.")
