""" "Study these now": cards a learner puts at the front of their queue for a deck.

:func:`queue_first` records them (replacing the deck's previous choice); the study queue asks
:func:`next_focus_card` before its usual order. A card leaves the focus once answered after it was
queued; only cards the queue may show now (new or due) are offered, so the rules of studying
(no early reviews) stay the study service's.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, StudyFocus

from ..errors import Invalid
from .cards import _live


def _open_focus(user_id: int, deck_id: int, now: datetime) -> sa.Select:
    """The learner's focus cards of the deck that the queue may show now."""
    return _live(
        sa.select(StudyFocus.card_id)
        .join(Card, Card.id == StudyFocus.card_id)
        .outerjoin(
            CardState,
            sa.and_(CardState.card_id == StudyFocus.card_id, CardState.user_id == user_id),
        )
        .where(
            StudyFocus.user_id == user_id,
            StudyFocus.deck_id == deck_id,
            sa.or_(
                CardState.id.is_(None),
                sa.and_(
                    CardState.due <= now,
                    sa.or_(
                        CardState.last_review.is_(None),
                        CardState.last_review < StudyFocus.created_at,
                    ),
                ),
            ),
        )
    )


def queue_first(user_id: int, deck: Deck, question_ids: list[int], now: datetime) -> int:
    """Put the live cards of ``question_ids`` (questions of ``deck``) first in the learner's
    queue, in the order given, replacing the deck's earlier focus; commit. Returns how many of
    them the queue can show now (new or due); :class:`Invalid` when none is a question of the
    deck."""
    wanted = [int(q) for q in question_ids]
    cards = db.session.execute(
        _live(sa.select(Card.id, Card.question_id))
        .where(Card.deck_id == deck.id, Card.question_id.in_(wanted))
        .order_by(Card.question_id, Card.ordinal)
    ).all()
    if not cards:
        raise Invalid("Choose questions of this deck to study.")
    rank = {q: i for i, q in enumerate(wanted)}
    cards = sorted(cards, key=lambda row: rank[row.question_id])
    db.session.execute(
        sa.delete(StudyFocus).where(StudyFocus.user_id == user_id, StudyFocus.deck_id == deck.id)
    )
    db.session.add_all(
        StudyFocus(user_id=user_id, deck_id=deck.id, card_id=row.id, position=i, created_at=now)
        for i, row in enumerate(cards)
    )
    db.session.flush()
    ready = (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(_open_focus(user_id, deck.id, now).subquery())
        )
        or 0
    )
    db.session.commit()
    return int(ready)


def next_focus_card(user_id: int, deck_id: int, now: datetime) -> int | None:
    """The first focus card of the deck the queue may show now, or None."""
    return db.session.scalar(
        _open_focus(user_id, deck_id, now).order_by(StudyFocus.position, StudyFocus.id).limit(1)
    )
