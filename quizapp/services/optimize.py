"""Per-learner FSRS parameters: fit them on the learner's own reviews, keep them, use them.

The fit and its judgement are pure domain code (:mod:`quizapp.domain.optimizer`); this module
reads the learner's reviews, stores the outcome in ``learner_parameters`` and commits. Study asks
:func:`parameters_for` and falls back to the defaults when there is no accepted fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from quizapp.domain import optimizer
from quizapp.domain.optimizer import ReviewEvent
from quizapp.extensions import db
from quizapp.models import CardState, Deck, LearnerParameters, Review, User

from . import reschedule
from .errors import Invalid

#: A learner is refitted by the nightly job once their reviews grew by this share.
REFIT_GROWTH = 0.2
MIN_REVIEWS = optimizer.MIN_REVIEWS


def review_count(user_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Review)
            .where(Review.user_id == user_id, Review.undone_at.is_(None))
        )
        or 0
    )


def _events(user_id: int) -> list[ReviewEvent]:
    rows = db.session.execute(
        sa.select(Review.card_id, Review.rating, Review.reviewed_at)
        .where(Review.user_id == user_id, Review.undone_at.is_(None))
        .order_by(Review.reviewed_at, Review.id)
    )
    return [ReviewEvent(card_id, rating, at) for card_id, rating, at in rows]


def current(user_id: int) -> LearnerParameters | None:
    """The learner's last fit, accepted or not."""
    return db.session.get(LearnerParameters, user_id)


def parameters_for(user_id: int) -> tuple[float, ...] | None:
    """The learner's accepted parameters, or None (the defaults apply)."""
    row = current(user_id)
    if row is None or not row.accepted or not row.parameters:
        return None
    return tuple(row.parameters)


def optimize_learner(
    user_id: int, now: datetime, *, reschedule_cards: bool = False
) -> LearnerParameters:
    """Fit the learner's parameters, judge them on held-out folds, store the outcome, commit.

    With ``reschedule_cards`` and an accepted fit, every card the learner has studied is
    rescheduled under the new parameters in the same transaction. :class:`Invalid` when the
    learner has fewer than :data:`optimizer.MIN_REVIEWS` reviews.
    """
    events = _events(user_id)
    if len(events) < optimizer.MIN_REVIEWS:
        raise Invalid(
            f"Optimizing needs at least {optimizer.MIN_REVIEWS:,} reviews; you have "
            f"{len(events):,}."
        )
    result = optimizer.optimize(events)
    row = current(user_id) or LearnerParameters(user_id=user_id)
    if row not in db.session:
        db.session.add(row)
    row.fitted_at = now
    row.review_count = result.reviews
    row.scored_count = result.scored
    row.default_log_loss = result.default_log_loss
    row.default_rmse_bins = result.default_rmse_bins
    row.fitted_log_loss = result.fitted_log_loss
    row.fitted_rmse_bins = result.fitted_rmse_bins
    row.reason = result.reason[:200]
    if result.parameters is not None:
        row.parameters = list(result.parameters)
        row.accepted = result.accepted
    elif row.parameters is None:
        row.accepted = False
    if reschedule_cards and row.accepted:
        from . import study  # study reads this module's parameters: import at call time

        db.session.flush()
        decks = db.session.scalars(
            sa.select(Deck).where(
                Deck.id.in_(sa.select(CardState.deck_id).where(CardState.user_id == user_id))
            )
        ).all()
        reschedule.reschedule(
            user_id, list(decks), lambda deck: study.effective_settings(user_id, deck)
        )
    db.session.commit()
    return row


def needs_refit(user_id: int) -> bool:
    """Enough reviews and none fitted yet, or reviews grew by :data:`REFIT_GROWTH` since."""
    count = review_count(user_id)
    if count < optimizer.MIN_REVIEWS:
        return False
    row = current(user_id)
    return row is None or count >= row.review_count * (1 + REFIT_GROWTH)


@dataclass(frozen=True)
class Refit:
    email: str
    row: LearnerParameters


def optimize_all(now: datetime, *, force: bool = False) -> list[Refit]:
    """Refit every learner who needs it (every learner with enough reviews, with ``force``)."""
    candidates = db.session.scalars(
        sa.select(User)
        .join(Review, Review.user_id == User.id)
        .where(Review.undone_at.is_(None))
        .group_by(User.id)
        .having(sa.func.count(Review.id) >= optimizer.MIN_REVIEWS)
        .order_by(User.id)
    ).all()
    return [
        Refit(user.email, optimize_learner(user.id, now))
        for user in candidates
        if force or needs_refit(user.id)
    ]
