"""The learner's current study session in a deck: progress ("7 of 20") and the summary shown
when the queue is empty. Reads at most :data:`LOOKBACK` of one learner's answers in one deck
(the index ``ix_reviews_deck_user_reviewed_at`` serves it); the rules are in
:mod:`quizapp.domain.sessions`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from quizapp.domain import sessions
from quizapp.domain.scheduling import as_utc
from quizapp.extensions import db
from quizapp.models import Card, Question, Review

#: How far back a session is looked for: longer sittings count from this point.
LOOKBACK = timedelta(hours=12)


@dataclass(frozen=True)
class Progress:
    """Answers given this session and the answers the queue holds now: "7 of 20"."""

    done: int
    left: int

    @property
    def total(self) -> int:
        return self.done + self.left


def session_answers(user_id: int, deck_id: int, now: datetime) -> list[sessions.Answer]:
    rows = db.session.execute(
        sa.select(
            Review.reviewed_at,
            Review.card_id,
            Review.rating,
            Review.duration_ms,
            Question.origin_section,
        )
        .join(Card, Card.id == Review.card_id)
        .join(Question, Question.id == Card.question_id)
        .where(
            Review.deck_id == deck_id,
            Review.user_id == user_id,
            Review.undone_at.is_(None),
            Review.reviewed_at >= now - LOOKBACK,
            Review.reviewed_at <= now,
        )
    )
    answers = [
        sessions.Answer(as_utc(at), card_id, rating, duration_ms or 0, section or "other")
        for at, card_id, rating, duration_ms, section in rows
    ]
    return sessions.current_session(answers, now)


@dataclass(frozen=True)
class SessionState:
    progress: Progress
    #: None when the learner has not answered in this deck lately.
    summary: sessions.SessionSummary | None


def current(user_id: int, deck_id: int, now: datetime, *, left: int) -> SessionState:
    """The session going on in a deck: its progress, with ``left`` the cards the queue holds
    now, and its summary (one query)."""
    answers = session_answers(user_id, deck_id, now)
    return SessionState(Progress(done=len(answers), left=left), sessions.summarise(answers))
