"""Classes: creating them, joining by code, membership, deck assignments and class results.

Who may do what is decided here too (:func:`can_manage`, :func:`can_view`) so every view and API
asks the same question the same way. Learners' answers leave this module only as counts, and only
for the members and the assigned decks of one class (:func:`class_results`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import cast

import sqlalchemy as sa

from quizapp.domain import class_time
from quizapp.domain.scheduling import is_time_zone
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Card,
    Classroom,
    Deck,
    Membership,
    Question,
    Review,
    User,
    Visibility,
    utcnow,
)

from . import decks as deck_service
from . import throttle
from .errors import ServiceError

#: Join-code letters: no 0/O, 1/I/L, so a code read aloud or off a board is typed right.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class ClassError(ServiceError, ValueError):
    """A class request that cannot be carried out; the message is for the user."""


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What the learner typed, as stored: upper case, without spaces and dashes."""
    return "".join(c for c in code.upper() if c not in " -\t")


# --- permissions ----------------------------------------------------------------------------


def can_manage(user, classroom: Classroom) -> bool:
    """The class's instructor, or an admin."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_admin or (user.is_instructor and classroom.owner_id == user.id))
    )


def is_member(user, classroom: Classroom) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.classroom_id == classroom.id, Membership.user_id == user.id
            )
        )
        is not None
    )


def can_view(user, classroom: Classroom) -> bool:
    return can_manage(user, classroom) or is_member(user, classroom)


# --- classes --------------------------------------------------------------------------------


def create_class(owner: User, name: str) -> Classroom:
    """A new class owned by ``owner`` with a fresh join code; commits."""
    classroom = add_class(owner, name)
    db.session.commit()
    return classroom


def add_class(owner: User, name: str) -> Classroom:
    """A new class owned by ``owner`` with a fresh join code, in the caller's transaction (the
    caller commits: :func:`create_class`, or publishing a deck to a new class)."""
    name = name.strip()
    if not name:
        raise ClassError("Give the class a name.")
    if not owner.is_instructor:
        raise ClassError("Only instructors can create classes.")
    for _ in range(5):
        code = new_join_code()
        # The one-in-a-trillion collision with an existing code: draw again. (Two new classes
        # drawing the same code at the same instant would still meet the unique index.)
        if db.session.scalar(sa.select(Classroom.id).where(Classroom.join_code == code)) is None:
            classroom = Classroom(
                name=name[:120],
                owner_id=owner.id,
                join_code=code,
                timezone=owner.timezone if is_time_zone(owner.timezone) else "UTC",
            )
            db.session.add(classroom)
            db.session.flush()
            return classroom
    raise ClassError("Could not make a join code; try again.")


def new_code(classroom: Classroom) -> str:
    """Replace the class's join code (the old one stops working); commits."""
    classroom.join_code = new_join_code()
    db.session.commit()
    return classroom.join_code


def set_timezone(classroom: Classroom, timezone: str) -> Classroom:
    """Set the class's time zone; commits.

    Due dates and quiz windows keep their wall-clock times, now read in the new zone (a quiz
    that opened at 09:00 opens at 09:00 in the new zone): one changes a class's zone because the
    old one was not the class's, so the times were meant in the new one. One transaction.
    """
    timezone = (timezone or "").strip()
    if not is_time_zone(timezone):
        raise ClassError("Choose a time zone from the list, such as America/New_York.")
    old = classroom.timezone
    if timezone == old:
        return classroom
    for assignment in classroom.assignments:
        for column in ("due_at", "quiz_opens_at", "quiz_closes_at"):
            at = getattr(assignment, column)
            if at is not None:
                wall = class_time.to_local(at, old)
                setattr(assignment, column, class_time.from_local(wall, timezone))
    classroom.timezone = timezone
    db.session.commit()
    return classroom


def delete_class(classroom: Classroom) -> None:
    """Delete the class, its memberships and assignments; decks and learners' progress stay."""
    db.session.delete(classroom)
    db.session.commit()


def get_class(class_id: int) -> Classroom | None:
    return db.session.get(Classroom, class_id)


def find_by_code(code: str) -> Classroom | None:
    code = normalise_code(code)
    if len(code) != JOIN_CODE_LENGTH:
        return None
    return db.session.scalar(sa.select(Classroom).where(Classroom.join_code == code))


def classes_owned(user: User) -> list[Classroom]:
    return list(
        db.session.scalars(
            sa.select(Classroom).where(Classroom.owner_id == user.id).order_by(Classroom.name)
        )
    )


def classes_joined(user: User) -> list[Classroom]:
    return list(
        db.session.scalars(
            sa.select(Classroom)
            .join(Membership)
            .where(Membership.user_id == user.id)
            .order_by(Classroom.name)
        )
    )


def member_counts(classrooms: list[Classroom]) -> dict[int, int]:
    if not classrooms:
        return {}
    rows = db.session.execute(
        sa.select(Membership.classroom_id, sa.func.count(Membership.id))
        .where(Membership.classroom_id.in_([c.id for c in classrooms]))
        .group_by(Membership.classroom_id)
    )
    return {class_id: count for class_id, count in rows}


# --- membership -----------------------------------------------------------------------------


def join(user: User, code: str, *, address: str = "", now: datetime | None = None) -> Classroom:
    """Make ``user`` a member of the class with join code ``code``; commits (twice is fine).

    Wrong codes are rate-limited per user and per client ``address`` (:mod:`.throttle`): the
    attempt is counted before the code is looked up and given back when the code is right;
    :class:`~quizapp.services.throttle.TooManyAttempts` past either limit.
    """
    now = now or utcnow()
    checks = [(throttle.JOIN_USER, str(user.id)), (throttle.JOIN_ADDRESS, address[:64])]
    wait = throttle.take_all(checks, now)
    db.session.commit()
    if wait is not None:
        raise throttle.TooManyAttempts(throttle.wait_message("wrong join codes", wait), wait)
    classroom = find_by_code(code)
    if classroom is None:
        raise ClassError("There is no class with that join code. Check it with your instructor.")
    for limit, key in checks:
        if key:
            throttle.give_back(limit, key)
    db.session.commit()
    if classroom.owner_id == user.id:
        raise ClassError("You teach this class; learners join it with its code.")
    if not is_member(user, classroom):
        db.session.add(Membership(classroom_id=classroom.id, user_id=user.id))
        try:
            db.session.commit()
        except sa.exc.IntegrityError:  # joined twice at once: the other request did it
            db.session.rollback()
    return classroom


def leave(user: User, classroom: Classroom) -> None:
    remove_member(classroom, user.id)


def remove_member(classroom: Classroom, user_id: int) -> bool:
    """Take a learner out of the class; their own progress stays. False when not a member."""
    result = db.session.execute(
        sa.delete(Membership).where(
            Membership.classroom_id == classroom.id, Membership.user_id == user_id
        )
    )
    db.session.commit()
    return bool(cast(sa.CursorResult, result).rowcount)  # a DELETE's result


@dataclass
class Member:
    user: User
    joined_at: object


def members(classroom: Classroom) -> list[Member]:
    rows = db.session.execute(
        sa.select(User, Membership.joined_at)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id)
        .order_by(User.email)
    )
    return [Member(user, joined_at) for user, joined_at in rows]


# --- assignments ----------------------------------------------------------------------------


def assignable_decks(user: User) -> list[Deck]:
    """Decks ``user`` may assign to their classes: their own published decks and public ones."""
    clause = sa.or_(Deck.owner_id == user.id, Deck.visibility == Visibility.PUBLIC)
    if user.is_admin:
        clause = sa.true()
    return list(
        db.session.scalars(
            sa.select(Deck).where(clause, Deck.published_at.is_not(None)).order_by(Deck.title)
        )
    )


def assign(
    classroom: Classroom,
    deck: Deck,
    target_date: date | None = None,
    *,
    by: User | None = None,
    due_time: time | None = None,
) -> Assignment:
    """Assign ``deck`` to the class (or change its due date); commits.

    ``target_date`` (and ``due_time``, else the end of that day) are in the class's time zone.
    The deck must be published and not private: learners of the class must be able to see it.
    """
    assignment = add_assignment(classroom, deck, target_date, by=by, due_time=due_time)
    db.session.commit()
    return assignment


def add_assignment(
    classroom: Classroom,
    deck: Deck,
    target_date: date | None = None,
    *,
    by: User | None = None,
    due_time: time | None = None,
) -> Assignment:
    """:func:`assign` in the caller's transaction (the caller commits)."""
    if (
        by is not None
        and not by.is_admin
        and deck.owner_id != by.id
        and (deck.visibility != Visibility.PUBLIC)
    ):
        raise ClassError("You can assign your own decks and public decks only.")
    if not deck.is_published:
        raise ClassError(f"“{deck.title}” is not published yet: publish it first.")
    if deck.visibility == Visibility.PRIVATE:
        raise ClassError(
            f"“{deck.title}” is private: make it class-only or public first, so the "
            "class can see it."
        )
    if deck.visibility == Visibility.CLASS and deck.owner_id != classroom.owner_id:
        # Class-only decks are seen through their owner's classes only (services.decks).
        raise ClassError(
            f"“{deck.title}” is class-only: it can be assigned to its owner's "
            "classes only. Make it public first to assign it here."
        )
    assignment = db.session.scalar(
        sa.select(Assignment).where(
            Assignment.classroom_id == classroom.id, Assignment.deck_id == deck.id
        )
    )
    if assignment is None:
        assignment = Assignment(classroom_id=classroom.id, deck_id=deck.id)
        db.session.add(assignment)
    if due_time is not None and target_date is None:
        raise ClassError("Give a due date with the due time (or leave both empty).")
    assignment.target_date = target_date
    assignment.due_at = (
        None
        if target_date is None
        else class_time.from_local(
            datetime.combine(target_date, due_time or class_time.END_OF_DAY), classroom.timezone
        )
    )
    return assignment


def unassign(classroom: Classroom, deck_id: int) -> bool:
    result = db.session.execute(
        sa.delete(Assignment).where(
            Assignment.classroom_id == classroom.id, Assignment.deck_id == deck_id
        )
    )
    db.session.commit()
    return bool(cast(sa.CursorResult, result).rowcount)  # a DELETE's result


@dataclass
class AssignedDeck:
    deck: Deck
    target_date: date | None  # in the class's time zone
    classes: list[str] = field(default_factory=list)
    due_at: datetime | None = None  # when it ends, UTC
    timezone: str = "UTC"  # the class's (of the earliest due date, for several classes)


def assignments(classroom: Classroom, *, members_view: bool = False) -> list[AssignedDeck]:
    """The class's decks with their target dates, soonest first (no date last).

    ``members_view``: only the decks the class's members may see through it (a deck made
    private since, or class-only elsewhere, is left out).
    """
    query = (
        sa.select(Deck, Assignment.target_date, Assignment.due_at)
        .join(Assignment, Assignment.deck_id == Deck.id)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Assignment.target_date.is_(None), Assignment.target_date, Deck.title)
    )
    if members_view:
        query = query.where(deck_service.reachable_through_class(classroom.owner_id))
    rows = db.session.execute(query)
    return [
        AssignedDeck(deck, target, [classroom.name], due, classroom.timezone)
        for deck, target, due in rows
    ]


def assigned_to(user) -> list[AssignedDeck]:
    """The decks assigned to ``user``'s classes that they can study, soonest target date first.

    A deck assigned to several of their classes appears once, with its earliest target date.
    """
    if user is None or not user.is_authenticated:
        return []
    rows = db.session.execute(
        sa.select(
            Deck, Assignment.target_date, Assignment.due_at, Classroom.name, Classroom.timezone
        )
        .join(Assignment, Assignment.deck_id == Deck.id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .join(Membership, Membership.classroom_id == Classroom.id)
        .where(
            Membership.user_id == user.id, deck_service.reachable_through_class(Classroom.owner_id)
        )
    )
    by_deck: dict[int, AssignedDeck] = {}
    for deck, target, due, class_name, zone in rows:
        item = by_deck.setdefault(deck.id, AssignedDeck(deck, target, [], due, zone))
        if due is not None and (item.due_at is None or due < item.due_at):
            item.target_date, item.due_at, item.timezone = target, due, zone
        if class_name not in item.classes:
            item.classes.append(class_name)
    return sorted(
        by_deck.values(),
        key=lambda a: (
            a.due_at is None,
            a.due_at or datetime.max.replace(tzinfo=UTC),
            a.deck.title,
        ),
    )


# --- results --------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    deck: Deck
    wrong: int
    answered: int
    learners_wrong: int

    @property
    def wrong_share(self) -> float:
        return self.wrong / self.answered if self.answered else 0.0


@dataclass
class MemberResult:
    user: User
    answered: int
    wrong: int


@dataclass
class ClassResults:
    questions: list[QuestionResult]
    members: list[MemberResult]


def class_results(classroom: Classroom, *, limit: int = 20) -> ClassResults:
    """What the class gets wrong: the most-missed questions and per-member counts.

    Only reviews by current members, of the class's assigned decks, count; undone reviews and
    self-rated ones (``correct`` is None) do not.
    """
    member_ids = sa.select(Membership.user_id).where(Membership.classroom_id == classroom.id)
    deck_ids = sa.select(Assignment.deck_id).where(Assignment.classroom_id == classroom.id)
    scope = sa.and_(
        Review.user_id.in_(member_ids),
        Review.deck_id.in_(deck_ids),
        Review.undone_at.is_(None),
        Review.correct.is_not(None),
    )
    wrong = sa.func.sum(sa.case((Review.correct.is_(False), 1), else_=0))
    learners_wrong = sa.func.count(
        sa.distinct(sa.case((Review.correct.is_(False), Review.user_id), else_=None))
    )
    per_question = (
        sa.select(Card.question_id, wrong.label("wrong"), sa.func.count(Review.id), learners_wrong)
        .join(Card, Card.id == Review.card_id)
        .where(scope)
        .group_by(Card.question_id)
        .having(wrong > 0)
        .order_by(wrong.desc(), Card.question_id)
        .limit(limit)
    )
    counts = {qid: (int(w), int(n), int(lw)) for qid, w, n, lw in db.session.execute(per_question)}
    questions = (
        {q.id: q for q in db.session.scalars(sa.select(Question).where(Question.id.in_(counts)))}
        if counts
        else {}
    )
    decks = {
        d.id: d
        for d in db.session.scalars(
            sa.select(Deck).where(Deck.id.in_({q.deck_id for q in questions.values()}))
        )
    }
    question_results = [
        QuestionResult(questions[qid], decks[questions[qid].deck_id], w, n, lw)
        for qid, (w, n, lw) in counts.items()
        if qid in questions
    ]

    per_member = dict(
        (uid, (int(n), int(w or 0)))
        for uid, n, w in db.session.execute(
            sa.select(Review.user_id, sa.func.count(Review.id), wrong)
            .where(scope)
            .group_by(Review.user_id)
        )
    )
    member_results = [
        MemberResult(m.user, *per_member.get(m.user.id, (0, 0))) for m in members(classroom)
    ]
    return ClassResults(question_results, member_results)
