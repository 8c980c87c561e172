"""Decks, their questions and the cards (schedulable units) each question yields."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from quizapp.extensions import db

from .types import UTCDateTime, utcnow


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # everyone signed in (and the home page) sees it
    CLASS = "class"  # members of its owner's classes it is assigned to
    PRIVATE = "private"  # its owner only


class Deck(db.Model):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[str] = mapped_column(sa.String(16), default=Visibility.PUBLIC)
    source_file: Mapped[str] = mapped_column(sa.String(255), default="")
    source_sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    #: The instructor's working copy (a deck-file mapping) until it is published.
    draft: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=0)
    #: Scheduling settings set by the owner; None means the defaults.
    desired_retention: Mapped[float | None] = mapped_column(sa.Float)
    new_cards_per_day: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    questions: WriteOnlyMapped[Question] = relationship(
        back_populates="deck", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Deck {self.slug}>"


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (sa.UniqueConstraint("deck_id", "key", name="uq_questions_deck_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(sa.ForeignKey("decks.id", ondelete="CASCADE"))
    #: The question's id in the deck file: stable within the deck.
    key: Mapped[str] = mapped_column(sa.String(120))
    type: Mapped[str] = mapped_column(sa.String(32))
    #: The type-specific fields, as in the deck file.
    fields: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    origin_section: Mapped[str] = mapped_column(sa.String(32), default="other")
    origin_quote: Mapped[str] = mapped_column(sa.Text, default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    #: Set when the question left the deck; its cards and history stay for statistics.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    deck: Mapped[Deck] = relationship(back_populates="questions")
    cards: Mapped[list[Card]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="Card.ordinal"
    )


class Card(db.Model):
    """One schedulable unit: a question, or one deletion number of a cloze."""

    __tablename__ = "cards"
    __table_args__ = (
        sa.UniqueConstraint("question_id", "ordinal", name="uq_cards_question_ordinal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(sa.ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(default=1)
    #: Fingerprint of this card's right answer; when it changes, learners restart the card.
    answer_key: Mapped[str] = mapped_column(sa.String(64), default="")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship(back_populates="cards")
