""" "I was right": a learner overrides an auto-graded wrong answer to Good, once.

A typo the grader did not forgive, or a synonym it did not know: the learner says so after seeing
the right answer. The review is recomputed from the state stored with it, at its own time, as if
rated Good then; it keeps ``correct = False`` (what the grader said) and is marked ``overridden``,
so item analysis can show how often a question's grading was disputed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from quizapp.domain import scheduling
from quizapp.domain.scheduling import CardSchedule, Rating
from quizapp.extensions import db
from quizapp.models import CardState, Deck

from . import reschedule, study
from .errors import Conflict, Invalid


def claim_right(user_id: int, deck: Deck, review_id: Any, now: datetime) -> study.AnswerResult:
    """Rate the learner's wrong answer ``review_id`` Good instead of Again, and commit.

    Only an auto-graded wrong answer, only the card's latest review, only once.
    """
    review = study.get_review(user_id, deck, review_id)
    if review.undone_at is not None:
        raise Conflict("That answer was undone; answer the card again instead.")
    if review.correct is not False:
        raise Invalid("Only an answer graded wrong can be claimed right.")
    if review.overridden:
        raise Conflict("You already said this answer was right.")
    state = db.session.scalar(
        sa.select(CardState).where(
            CardState.user_id == user_id, CardState.card_id == review.card_id
        )
    )
    if state is None or state.last_review != review.reviewed_at or not study.is_latest(review):
        raise Conflict("This card has been answered since; that answer can no longer change.")
    before = (
        CardSchedule.from_dict(review.previous_state) if review.previous_state is not None else None
    )
    after = scheduling.review(
        before,
        Rating.GOOD,
        review.reviewed_at,
        study.effective_settings(user_id, deck),
        card_id=review.card_id,
        seed=reschedule.fuzz_seed(user_id, review.card_id, before),
    )
    reschedule.apply_schedule(state, after)
    review.rating = int(Rating.GOOD)
    review.overridden = True
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("This card was answered in another tab meanwhile.") from None
    return study.review_result(user_id, deck, review.id)
