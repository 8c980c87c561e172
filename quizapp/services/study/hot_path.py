"""The study hot path: an answer and everything the learner needs next, in one transaction.

A learner answering card after card costs one request per card, and this module keeps that
request close to the floor (see docs/benchmarks.md, "A card as cheap as the floor allows"):

- :func:`first_due` finds the next card of the due queue (the learner's "study now" cards, then
  due learning cards, then due reviews) and loads it with its question, the learner's state and
  settings in **one** statement: three index walks with ``LIMIT 1`` under ``UNION ALL``, inside
  the query that loads the card. :func:`.queue.next_card` asks it first and only falls back to
  new cards and learn-ahead when it finds nothing.
- :func:`answer` records the answer (:func:`.answers.submit_answer`, every guarantee kept:
  idempotency keys, version conflicts, one review per answer, server-side grading), then looks up
  the next card, presents it and (on request) the queue counts, all before the commit, and
  commits without expiring what the session loaded: nothing is read again after the commit, and
  the caller builds its JSON or HTML from plain values once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quizapp.domain.scheduling import Phase
from quizapp.extensions import db
from quizapp.models import (
    Card,
    CardState,
    Deck,
    LearnerDeckSettings,
    LearnerParameters,
    Question,
    StudyFocus,
)

from .cards import StudyCard, present
from .settings import _effective

#: Branch priorities of :func:`first_due`: "study now" cards, due learning cards, due reviews.
_FOCUS, _LEARNING, _REVIEW = 0, 1, 2


def _branch(query: sa.Select) -> sa.Select:
    # SQLite allows no ORDER BY/LIMIT in a compound member: each branch is its own subquery.
    sub = query.subquery()
    return sa.select(sub.c.priority, sub.c.card_id)


def _due_branches(user_id: Any, deck_id: Any, now: Any) -> sa.Select:
    """The id of the due queue's first card: the three branches by priority, LIMIT 1 each."""
    from .focus import _open_focus
    from .queue import _states

    focus = (
        _open_focus(user_id, deck_id, now)
        .with_only_columns(
            sa.literal(_FOCUS).label("priority"), StudyFocus.card_id.label("card_id")
        )
        .order_by(StudyFocus.position, StudyFocus.id)
        .limit(1)
    )
    states = _states(user_id, deck_id)

    def due(priority: int, *where) -> sa.Select:
        # Ordered by due alone, so the (user_id, deck_id, due) index yields rows in order and
        # the LIMIT stops the walk at the first live card.
        return (
            states.with_only_columns(
                sa.literal(priority).label("priority"), CardState.card_id.label("card_id")
            )
            .where(*where, CardState.due <= now)
            .order_by(CardState.due)
            .limit(1)
        )

    union = sa.union_all(
        _branch(focus),
        _branch(due(_LEARNING, CardState.state != Phase.REVIEW)),
        _branch(due(_REVIEW, CardState.state == Phase.REVIEW)),
    ).subquery()
    return sa.select(union.c.card_id).order_by(union.c.priority).limit(1)


def _with_state(user_id: Any, card_id: Any) -> sa.Select:
    """The card, its question, the learner's state and settings (the columns :func:`_study_card`
    reads), for the card whose id ``card_id`` gives."""
    return (
        sa.select(
            Card,
            Question,
            CardState,
            LearnerDeckSettings,
            LearnerParameters.parameters,
            LearnerParameters.accepted,
        )
        .join(Question, Question.id == Card.question_id)
        .outerjoin(CardState, sa.and_(CardState.card_id == Card.id, CardState.user_id == user_id))
        .outerjoin(
            LearnerDeckSettings,
            sa.and_(
                LearnerDeckSettings.deck_id == Card.deck_id, LearnerDeckSettings.user_id == user_id
            ),
        )
        .outerjoin(LearnerParameters, LearnerParameters.user_id == user_id)
        .where(Card.id == card_id)
    )


# Built once, with bound parameters: building these expressions took about a third of the
# request's CPU when done per call (SQLAlchemy then finds their compiled form in its cache).
@functools.cache
def _first_due_statement() -> sa.Select:
    user: sa.BindParameter[int] = sa.bindparam("user_id")
    deck: sa.BindParameter[int] = sa.bindparam("deck_id")
    now: sa.BindParameter[datetime] = sa.bindparam("now")
    return _with_state(user, _due_branches(user, deck, now).scalar_subquery())


@functools.cache
def load_statement() -> sa.Select:
    """:func:`.cards._load`'s query, built once: card ``card_id`` with ``user_id``'s state."""
    return _with_state(sa.bindparam("user_id"), sa.bindparam("card_id"))


def first_due(user_id: int, deck: Deck, now: datetime) -> StudyCard | None:
    """The first card of the due queue with its question, state and the learner's settings
    (one statement), or None when no focus card, learning card or review is due."""
    row = db.session.execute(
        _first_due_statement(), {"user_id": user_id, "deck_id": deck.id, "now": now}
    ).first()
    if row is None:
        return None
    return study_card(deck, row)


def study_card(deck: Deck, row: Any) -> StudyCard:
    """A :class:`StudyCard` from a row of :func:`_with_state`."""
    card, question, state, own, parameters, accepted = row
    fitted = tuple(parameters) if accepted and parameters else None
    return StudyCard(
        card=card, question=question, state=state, settings=_effective(deck, own, fitted)
    )


@dataclass
class AnswerStep:
    """An answer's outcome and what comes after it, as plain values (nothing left to load)."""

    result: Any  # answers.AnswerResult
    #: The card answered, as loaded before the answer (its question, for the result page).
    answered: StudyCard
    #: The next card presented (never its answer), or None when the queue is empty now.
    next: dict[str, Any] | None
    #: The queue counts after the answer, when asked for (or when the queue is empty).
    counts: Any = None  # queue.QueueCounts | None

    @property
    def undo_id(self) -> int | None:
        """The review "undo" takes back now: the answer just recorded (None for a replay,
        whose undo state is what it was)."""
        return None if self.result.replayed else self.result.review_id


def commit_keeping_loaded() -> None:
    """Commit without expiring the session's objects: what this request loaded and wrote is
    what the database now holds, so reading it again would only cost statements."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def answer(
    user_id: int,
    deck: Deck,
    card_id: Any,
    response: Any,
    *,
    idempotency_key: Any,
    duration_ms: Any,
    now: datetime,
    seen_version: int | None = None,
    rating: Any = None,
    with_counts: bool = False,
    with_next: bool = True,
    loaded: StudyCard | None = None,
) -> AnswerStep:
    """Record an answer as :func:`.answers.submit_answer` does, with the next card (unless not
    ``with_next``) and the queue counts (when ``with_counts``, or when nothing is left), in one
    transaction; commits. ``loaded``: the card as the caller loaded it in this transaction
    (:func:`.cards.get_card`), not read again.

    A replay (the idempotency key seen before) records nothing and brings the queue as it is.
    """
    from .answers import record_answer
    from .queue import next_card, queue_counts

    outcome = record_answer(
        user_id,
        deck,
        card_id,
        response,
        idempotency_key=idempotency_key,
        duration_ms=duration_ms,
        now=now,
        seen_version=seen_version,
        rating=rating,
        loaded=loaded,
    )
    # The answered card's settings are the deck's: the next card needs no second lookup.
    settings = outcome.answered.settings
    upcoming = next_card(user_id, deck, now, settings=settings) if with_next else None
    shown = present(user_id, upcoming) if upcoming is not None else None
    counts = None
    if with_counts or (with_next and upcoming is None):
        counts = queue_counts(user_id, deck, now, settings)
    commit_keeping_loaded()
    return AnswerStep(result=outcome.result, answered=outcome.answered, next=shown, counts=counts)
