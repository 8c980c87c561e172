"""The learner's queue: what is due in a deck, how much, and which card comes next.

The queue query walks the ``(user_id, deck_id, due)`` index with a LIMIT: its cost follows the
number of due cards, never the learner's history. Days are the learner's study days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from quizapp.domain import scheduling
from quizapp.domain.scheduling import Phase, Settings
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, LearnerDeckSettings, Question, Review, User

from ..errors import NotFound
from . import hot_path
from .cards import StudyCard, _iso, _live, _load
from .settings import _effective, effective_settings

#: Anki's "learn ahead limit": with nothing else to study, learning cards due this soon are shown.
LEARN_AHEAD = timedelta(minutes=20)


def _states(user_id: int, deck_id: int) -> sa.Select:
    return _live(sa.select(CardState).join(Card, Card.id == CardState.card_id)).where(
        CardState.user_id == user_id, CardState.deck_id == deck_id
    )


def _states_in(user_id: int, deck_ids: list[int]) -> sa.Select:
    return _live(sa.select(CardState).join(Card, Card.id == CardState.card_id)).where(
        CardState.user_id == user_id, CardState.deck_id.in_(deck_ids)
    )


def _new_cards_in(user_id: int, deck_ids: list[int]) -> sa.Select:
    seen = sa.select(CardState.id).where(CardState.user_id == user_id, CardState.card_id == Card.id)
    return _live(sa.select(Card)).where(Card.deck_id.in_(deck_ids), ~seen.exists())


def _new_cards(user_id: int, deck_id: int) -> sa.Select:
    seen = sa.select(CardState.id).where(CardState.user_id == user_id, CardState.card_id == Card.id)
    return _live(sa.select(Card)).where(Card.deck_id == deck_id, ~seen.exists())


def learner_day(user_id: int) -> scheduling.LearnerDay:
    """When the learner's study day begins (their time zone and hour); UTC 4 a.m. if unknown.

    The user row is usually in the session already (the signed-in user), so this reads nothing.
    """
    user = db.session.get(User, user_id)
    return user.day if user is not None else scheduling.LearnerDay()


def new_introduced_today(user_id: int, deck_id: int, now: datetime) -> int:
    """New cards the learner answered for the first time this study day (their own day, which
    starts at their hour in their time zone), undone ones excluded."""
    today = scheduling.day_start(now, learner_day(user_id))
    return (
        db.session.scalar(
            sa.select(sa.func.count(Review.id)).where(
                Review.user_id == user_id,
                Review.reviewed_at >= today,
                Review.deck_id == deck_id,
                Review.previous_state.is_(None),
                Review.undone_at.is_(None),
            )
        )
        or 0
    )


@dataclass
class QueueCounts:
    """What a learner has to study in a deck now, and when more comes."""

    learning: int = 0
    review: int = 0
    new: int = 0
    #: New cards left in the deck beyond today's allowance.
    new_waiting: int = 0
    #: The earliest time a seen card becomes due (None: none is scheduled).
    next_due: datetime | None = None
    #: When the new-card allowance resets, if new cards are waiting for it.
    new_resume: datetime | None = None

    @property
    def due(self) -> int:
        return self.learning + self.review

    @property
    def total(self) -> int:
        return self.due + self.new

    @property
    def come_back_at(self) -> datetime | None:
        """When there will be something to study again (None: the deck is done for good)."""
        times = [t for t in (self.next_due, self.new_resume) if t is not None]
        return min(times) if times else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "due": self.due,
            "learning": self.learning,
            "review": self.review,
            "new": self.new,
            "new_waiting": self.new_waiting,
            "next_due": _iso(self.next_due),
            "come_back_at": _iso(self.come_back_at),
        }


def queue_counts(
    user_id: int, deck: Deck, now: datetime, settings: Settings | None = None
) -> QueueCounts:
    """What ``user_id`` has to study in ``deck`` at ``now``, and when more comes."""
    return _queue_counts(user_id, [deck], now, {deck.id: settings} if settings else None)[deck.id]


def deck_summaries(user, deck_rows: list[Deck], now: datetime) -> dict[int, QueueCounts]:
    """Queue counts for every deck in ``deck_rows`` (empty for a visitor), by deck id.

    A fixed number of grouped queries, however many decks are listed (the home page).
    """
    if user is None or not getattr(user, "is_authenticated", False) or not deck_rows:
        return {}
    return _queue_counts(user.id, deck_rows, now)


def _queue_counts(
    user_id: int, decks: list[Deck], now: datetime, settings: dict[int, Settings] | None = None
) -> dict[int, QueueCounts]:
    ids = [deck.id for deck in decks]
    if settings is None:
        own = {
            row.deck_id: row
            for row in db.session.scalars(
                sa.select(LearnerDeckSettings).where(
                    LearnerDeckSettings.user_id == user_id, LearnerDeckSettings.deck_id.in_(ids)
                )
            )
        }
        settings = {deck.id: _effective(deck, own.get(deck.id)) for deck in decks}
    states = _states_in(user_id, ids)
    by_phase = db.session.execute(
        states.with_only_columns(CardState.deck_id, CardState.state, sa.func.count(CardState.id))
        # A failed (relearning) or learning card counts as soon as it is within the learn-ahead
        # limit, as in Anki: the header shows it the moment the learner fails it.
        .where(
            sa.or_(
                CardState.due <= now,
                sa.and_(CardState.state != Phase.REVIEW, CardState.due <= now + LEARN_AHEAD),
            )
        )
        .group_by(CardState.deck_id, CardState.state)
    ).all()
    next_due = dict(
        db.session.execute(
            states.with_only_columns(CardState.deck_id, sa.func.min(CardState.due))
            .where(CardState.due > now)
            .group_by(CardState.deck_id)
        ).all()
    )
    available = dict(
        db.session.execute(
            _new_cards_in(user_id, ids)
            .with_only_columns(Card.deck_id, sa.func.count(Card.id))
            .group_by(Card.deck_id)
        ).all()
    )
    today = scheduling.day_start(now, learner_day(user_id))
    introduced = dict(
        db.session.execute(
            sa.select(Review.deck_id, sa.func.count(Review.id))
            .where(
                Review.user_id == user_id,
                Review.reviewed_at >= today,
                Review.deck_id.in_(ids),
                Review.previous_state.is_(None),
                Review.undone_at.is_(None),
            )
            .group_by(Review.deck_id)
        ).all()
    )

    result = {deck_id: QueueCounts() for deck_id in ids}
    for deck_id, phase, count in by_phase:
        if phase == Phase.REVIEW:
            result[deck_id].review += count
        else:
            result[deck_id].learning += count
    for deck_id, counts in result.items():
        counts.next_due = scheduling.as_utc(next_due[deck_id]) if deck_id in next_due else None
        allowance = max(0, settings[deck_id].new_cards_per_day - introduced.get(deck_id, 0))
        counts.new = min(available.get(deck_id, 0), allowance)
        counts.new_waiting = available.get(deck_id, 0) - counts.new
        if counts.new_waiting:
            counts.new_resume = scheduling.next_day_start(now, learner_day(user_id))
    return result


def _first_state(query: sa.Select) -> StudyCard | None:
    # Ordered by due alone, so the (user_id, deck_id, due) index yields rows in order and the
    # LIMIT stops the scan at the first live card. Card and question come in the same query.
    row = db.session.execute(
        query.add_columns(Card, Question).order_by(CardState.due).limit(1)
    ).first()
    if row is None:
        return None
    state, card, question = row
    return StudyCard(card=card, question=question, state=state)


def next_card(
    user_id: int,
    deck: Deck,
    now: datetime,
    *,
    prefer_card_id: int | None = None,
    settings: Settings | None = None,
) -> StudyCard | None:
    """The card to show next, or None when nothing is left to study now.

    Order (as Anki): due learning and relearning cards, then due reviews (earliest first), then
    new cards in deck order up to the day's allowance, then learning cards due within
    :data:`LEARN_AHEAD`. ``prefer_card_id`` (the card just undone) comes first when studyable,
    else the cards the learner chose to "study now" (:mod:`.focus`).
    """
    if prefer_card_id is not None:
        try:
            preferred = _load(user_id, deck, prefer_card_id)
        except NotFound:
            preferred = None
        if preferred is not None and _studyable(preferred, now):
            return preferred
    # Focus cards, due learning cards, due reviews: one statement (the hot path).
    found = hot_path.first_due(user_id, deck, now)
    if found is not None:
        return found
    base = _states(user_id, deck.id)
    settings = settings or effective_settings(user_id, deck)
    if new_introduced_today(user_id, deck.id, now) < settings.new_cards_per_day:
        row = db.session.execute(
            _new_cards(user_id, deck.id)
            .add_columns(Question)
            .order_by(Question.position, Question.id, Card.ordinal)
            .limit(1)
        ).first()
        if row is not None:
            return StudyCard(card=row[0], question=row[1], state=None, settings=settings)
    return _first_state(
        base.where(CardState.state != Phase.REVIEW, CardState.due <= now + LEARN_AHEAD)
    )


def _studyable(
    study_card: StudyCard, now: datetime, user_id: int | None = None, deck: Deck | None = None
) -> bool:
    """New, due, or a learning card shown early because nothing else is left (learn-ahead).

    With ``user_id`` and ``deck`` the learn-ahead case is checked strictly: the card must be the
    one :func:`next_card` gives now (so a card just answered in another tab is not answerable).
    """
    state = study_card.state
    if state is None or state.due <= now:
        return True
    if state.state == Phase.REVIEW or state.due > now + LEARN_AHEAD:
        return False
    if user_id is None or deck is None:
        return True
    upcoming = next_card(user_id, deck, now)
    return upcoming is not None and upcoming.card.id == study_card.card.id
