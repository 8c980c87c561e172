"""A learner's past and unfinished attempts, and quiz outcomes for statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Card, QuizAttempt, User

from .. import decks as deck_service
from .attempts import _LIGHT, _close_if_ran_out
from .views import _deck_titles, percent


@dataclass
class HistoryGroup:
    """A learner's attempts on one deck (or one set of decks), newest first."""

    deck_ids: tuple[int, ...]
    titles: list[str]
    attempts: list[QuizAttempt] = field(default_factory=list)

    @property
    def finished(self) -> list[QuizAttempt]:
        return [a for a in self.attempts if a.submitted_at is not None]

    @property
    def best(self) -> int | None:
        scores = [percent(a) for a in self.finished]
        return max((s for s in scores if s is not None), default=None)

    @property
    def latest(self) -> int | None:
        finished = self.finished
        return percent(finished[0]) if finished else None


def history(user: User, *, now: datetime, deck_slug: str | None = None) -> list[HistoryGroup]:
    """``user``'s attempts grouped by deck (or set of decks), most recent group first."""
    query = (
        sa.select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id)
        .options(*_LIGHT, sa.orm.defer(QuizAttempt.results))
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
    )
    attempts = list(db.session.scalars(query))
    if deck_slug is not None:
        deck = deck_service.get_deck(deck_slug)
        attempts = [a for a in attempts if deck is not None and deck.id in a.deck_ids]
    for attempt in attempts:
        _close_if_ran_out(attempt, now)
    groups: dict[tuple[int, ...], HistoryGroup] = {}
    for attempt in attempts:
        key = tuple(sorted(attempt.deck_ids))
        if key not in groups:
            groups[key] = HistoryGroup(key, _deck_titles(key))
        groups[key].attempts.append(attempt)
    return list(groups.values())


def unfinished(user: User, *, now: datetime) -> list[tuple[QuizAttempt, list[str]]]:
    """Attempts ``user`` can still resume, newest first, each with its decks' titles."""
    attempts = list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_(None))
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )
    return [(a, _deck_titles(a.deck_ids)) for a in attempts if not _close_if_ran_out(a, now)]


def item_outcomes(deck_id: int) -> list[dict[str, Any]]:
    """Every graded quiz answer on ``deck_id``'s cards, for statistics.

    One dict per answered item: user_id, attempt_id, card_id, question_id, correct, at.
    Reads every submitted attempt (deck_ids is JSON): fine for reports, not for a hot path.
    """
    deck_cards = set(db.session.scalars(sa.select(Card.id).where(Card.deck_id == deck_id)))
    out = []
    for attempt in db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))
    ):
        if deck_id not in attempt.deck_ids:
            continue
        out += [
            {
                "user_id": attempt.user_id,
                "attempt_id": attempt.id,
                "card_id": r["card_id"],
                "question_id": r["question_id"],
                "correct": bool(r["correct"]),
                "at": attempt.submitted_at,
            }
            for r in attempt.results or []
            if r.get("answered") and r["card_id"] in deck_cards
        ]
    return out
