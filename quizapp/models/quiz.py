"""Quiz attempts: a fixed set of questions, answered and scored once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db

from .types import UTCDateTime, utcnow


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (sa.Index("ix_quiz_attempts_user_started_at", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )
    #: Decks drawn from and the options chosen (count, types, only-missed, time limit).
    deck_ids: Mapped[list[int]] = mapped_column(sa.JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: The drawn items in order: [{"card_id": .., "question_id": .., "ordinal": .., "seed": ..}].
    items: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    #: The learner's answers so far, by item index (as a string key).
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When an unfinished attempt can no longer be resumed or submitted.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(sa.Float)
    max_score: Mapped[int] = mapped_column(default=0)
    #: Per item: correct, given and expected answers, computed at submission.
    results: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON)
    #: Bumped on every write, so a double submission scores once.
    version: Mapped[int] = mapped_column(default=0)

    __mapper_args__ = {"version_id_col": version}
