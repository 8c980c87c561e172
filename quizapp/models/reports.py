"""Learners' reports of bad cards: one row per learner and question while it is open."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db

from .types import UTCDateTime, utcnow


class CardReport(db.Model):
    """A learner's report that a question is wrong, unclear or has a typo.

    ``status`` is ``open`` until the deck's owner (or an admin) resolves or dismisses it. While a
    learner's report of a question is open, reporting the same question again updates it.
    """

    __tablename__ = "card_reports"
    __table_args__ = (
        sa.Index("ix_card_reports_deck_status", "deck_id", "status"),
        sa.Index("ix_card_reports_user_question", "user_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(sa.ForeignKey("decks.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(sa.ForeignKey("cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: wrong_answer, unclear, typo or other (:data:`quizapp.services.reports.REASONS`).
    reason: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    #: open, resolved or dismissed.
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
