"""Classes: an instructor's group of learners, joined by code, with decks assigned to it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db

from .types import UTCDateTime, utcnow


class Classroom(db.Model):
    __tablename__ = "classrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The IANA zone the class's due dates and quiz windows are entered and shown in (they are
    #: stored in UTC); the creating instructor's zone at first.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC", server_default="UTC")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan"
    )


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("classroom_id", "user_id", name="uq_memberships_class_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classrooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="memberships")


class Assignment(db.Model):
    """A deck assigned to a class, optionally with a target date and a quiz."""

    __tablename__ = "assignments"
    __table_args__ = (
        sa.UniqueConstraint("classroom_id", "deck_id", name="uq_assignments_class_deck"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classrooms.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(sa.ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    #: The due date as the class reads it (a date in the class's zone) ...
    target_date: Mapped[date | None] = mapped_column(sa.Date)
    #: ... and the moment it ends, in UTC (23:59 that day in the class's zone unless a time was
    #: given); None without a due date.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The quiz attached to the assignment; None when there is none.
    quiz_question_count: Mapped[int | None] = mapped_column(sa.Integer)
    quiz_time_limit_s: Mapped[int | None] = mapped_column(sa.Integer)
    quiz_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quiz_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quiz_max_attempts: Mapped[int | None] = mapped_column(sa.Integer)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")
