"""Analytics' own rows: the cards a learner asked to study first ("study these now")."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db

from .types import UTCDateTime, utcnow


class StudyFocus(db.Model):
    """A card put at the front of the learner's queue, until answered after ``created_at``."""

    __tablename__ = "study_focus"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "card_id", name="uq_study_focus_user_card"),
        sa.Index("ix_study_focus_user_deck", "user_id", "deck_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(sa.ForeignKey("decks.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(sa.ForeignKey("cards.id", ondelete="CASCADE"))
    #: Position among the cards queued together (the article's order).
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
