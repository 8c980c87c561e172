"""Undo: taking back the learner's latest answer in a deck, exactly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from quizapp.domain.scheduling import CardSchedule
from quizapp.extensions import db
from quizapp.models import CardState, Deck, Review

from .. import reschedule
from ..errors import Conflict, NotFound

#: How far back "undo" reaches.
UNDO_WINDOW = timedelta(hours=24)


@dataclass
class Undone:
    review_id: int
    card_id: int


def undo_last(user_id: int, deck: Deck, now: datetime) -> Undone:
    """Undo the learner's latest answer in ``deck`` (within :data:`UNDO_WINDOW`) and commit.

    The card gets back exactly the state it had before (a card that was new becomes new again);
    the review stays in the log, marked undone, and no longer counts.
    """
    review = db.session.scalar(
        sa.select(Review)
        .where(
            Review.user_id == user_id,
            Review.reviewed_at >= now - UNDO_WINDOW,
            Review.deck_id == deck.id,
            Review.undone_at.is_(None),
        )
        .order_by(Review.reviewed_at.desc(), Review.id.desc())
        .limit(1)
    )
    if review is None:
        raise NotFound("There is no recent answer to undo in this deck.")
    state = db.session.scalar(
        sa.select(CardState).where(
            CardState.user_id == user_id, CardState.card_id == review.card_id
        )
    )
    if state is None or state.last_review != review.reviewed_at:
        raise Conflict(
            "This card changed since that answer (it was answered again or its "
            "question changed), so the answer cannot be undone."
        )
    if review.previous_state is None:
        db.session.delete(state)
    else:
        reschedule.apply_schedule(state, CardSchedule.from_dict(review.previous_state))
    review.undone_at = now
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            "This card was answered in another tab meanwhile; nothing was undone."
        ) from None
    return Undone(review_id=review.id, card_id=review.card_id)


def last_undoable(user_id: int, deck: Deck, now: datetime) -> int | None:
    """The id of the review "undo" would take back, if any."""
    return db.session.scalar(
        sa.select(Review.id)
        .where(
            Review.user_id == user_id,
            Review.reviewed_at >= now - UNDO_WINDOW,
            Review.deck_id == deck.id,
            Review.undone_at.is_(None),
        )
        .order_by(Review.reviewed_at.desc(), Review.id.desc())
        .limit(1)
    )
