"""Per-learner scheduling: card state (FSRS), the review log and per-deck settings overrides."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from quizapp.domain.scheduling import Phase, as_utc
from quizapp.extensions import db

from .types import UTCDateTime, utcnow


class CardState(db.Model):
    """A learner's FSRS state of one card. Exists once the learner has seen the card."""

    __tablename__ = "card_states"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "card_id", name="uq_card_states_user_card"),
        # The due-card queries: by learner and due time, overall and within one deck.
        sa.Index("ix_card_states_user_due", "user_id", "due"),
        sa.Index("ix_card_states_user_deck_due", "user_id", "deck_id", "due"),
        # A deck's states across a class's learners (class dashboard, item analysis).
        sa.Index("ix_card_states_deck_user", "deck_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(sa.ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    deck_id: Mapped[int] = mapped_column(sa.ForeignKey("decks.id", ondelete="CASCADE"))
    #: fsrs.State: 1 learning, 2 review, 3 relearning.
    state: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    step: Mapped[int | None] = mapped_column(sa.SmallInteger)
    stability: Mapped[float | None] = mapped_column(sa.Float)
    difficulty: Mapped[float | None] = mapped_column(sa.Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    leech: Mapped[bool] = mapped_column(default=False)
    #: Bumped on every write, so two tabs answering the same card cannot both count.
    version: Mapped[int] = mapped_column(default=0)

    __mapper_args__ = {"version_id_col": version}


class Review(db.Model):
    """One answer to one card: the log FSRS is evaluated on and undo restores from."""

    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_reviews_user_idempotency_key"),
        # A learner's answers over time (their statistics page). On PostgreSQL it covers the
        # columns the per-day and retention figures read, so they scan the index only.
        sa.Index(
            "ix_reviews_user_reviewed_at",
            "user_id",
            "reviewed_at",
            postgresql_include=[
                "undone_at",
                "deck_id",
                "rating",
                "duration_ms",
                "prior_interval_days",
            ],
        ),
        sa.Index("ix_reviews_card_id", "card_id"),
        # A deck's answers per learner over time (class dashboard, item analysis, each
        # learner's latest answer per question). On PostgreSQL it covers the columns those
        # reports read (the id breaks ties in time), so they scan the index only.
        sa.Index(
            "ix_reviews_deck_user_reviewed_at",
            "deck_id",
            "user_id",
            "reviewed_at",
            postgresql_include=["card_id", "correct", "undone_at", "id"],
        ),
        # A deck's wrong answers and what was given (item analysis): a small partial index;
        # on PostgreSQL it covers the columns read, so the scattered rows are not visited.
        sa.Index(
            "ix_reviews_deck_wrong_answers",
            "deck_id",
            "user_id",
            postgresql_include=["card_id", "answer", "overridden", "undone_at"],
            postgresql_where=sa.text("correct IS false AND answer IS NOT NULL"),
            sqlite_where=sa.text("correct IS false AND answer IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(sa.ForeignKey("cards.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(sa.ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    #: fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy.
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_ms: Mapped[int] = mapped_column(default=0)
    #: None for self-rated answers.
    correct: Mapped[bool | None] = mapped_column()
    answer: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    #: The card state before this review (None: the card was new), for an exact undo.
    previous_state: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    #: The card's interval in days (due minus last review, of :attr:`previous_state`) when it was
    #: answered in the review state; None when it was new, learning or relearning. Set with
    #: ``previous_state`` (see :func:`prior_interval_days`), so true retention reads a number
    #: instead of parsing each answer's JSON.
    prior_interval_days: Mapped[float | None] = mapped_column(sa.Float)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: "I was right": the learner overrode an auto-graded wrong answer to Good (once).
    overridden: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @validates("previous_state")
    def _keep_prior_interval(self, _key: str, state: dict[str, Any] | None):
        self.prior_interval_days = prior_interval_days(state)
        return state


def prior_interval_days(state: dict[str, Any] | None) -> float | None:
    """:attr:`Review.prior_interval_days` of a stored previous state (``CardSchedule.to_dict``):
    due minus last review in days if the card was in the review state, else None. A review
    state without both times counts as interval 0 (young), as the JSON reading did."""
    if not state or state.get("state") is None or int(state["state"]) != int(Phase.REVIEW):
        return None
    due, last = state.get("due"), state.get("last_review")
    if not due or not last:
        return 0.0
    seconds = (
        as_utc(datetime.fromisoformat(due)) - as_utc(datetime.fromisoformat(last))
    ).total_seconds()
    return seconds / 86400.0


class LearnerDeckSettings(db.Model):
    """A learner's own override of a deck's scheduling settings."""

    __tablename__ = "learner_deck_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    deck_id: Mapped[int] = mapped_column(
        sa.ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True
    )
    desired_retention: Mapped[float | None] = mapped_column(sa.Float)
    new_cards_per_day: Mapped[int | None] = mapped_column(sa.Integer)


class LearnerParameters(db.Model):
    """A learner's own FSRS parameters: the last fit, what it was judged on, whether it is used.

    Study uses ``parameters`` only while ``accepted``; a refused fit is kept so the learner sees
    why the defaults stay.
    """

    __tablename__ = "learner_parameters"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    parameters: Mapped[list[float] | None] = mapped_column(sa.JSON)
    accepted: Mapped[bool] = mapped_column(default=False)
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    review_count: Mapped[int] = mapped_column()
    scored_count: Mapped[int] = mapped_column(default=0)
    default_log_loss: Mapped[float | None] = mapped_column(sa.Float)
    default_rmse_bins: Mapped[float | None] = mapped_column(sa.Float)
    fitted_log_loss: Mapped[float | None] = mapped_column(sa.Float)
    fitted_rmse_bins: Mapped[float | None] = mapped_column(sa.Float)
    reason: Mapped[str] = mapped_column(sa.String(200), default="")


class CardReveal(db.Model):
    """A card whose answer a learner was shown (a cloze turned over) and has not answered since.

    Recorded on the server when the answer is shown, and cleared by the next answer: until then
    any answer to the card counts as revealed (self-rated), whatever the client sends.
    ``version`` is the card state's version when it was shown (0: a new card).
    """

    __tablename__ = "card_reveals"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    card_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(default=0)
    revealed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
