"""An Anki package's review history recorded as a learner's reviews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain import scheduling
from quizapp.domain.anki.notes import note_guid, question_guid
from quizapp.domain.interop import (
    AnkiReview,
)
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question, Review
from quizapp.models.study import prior_interval_days
from quizapp.services.decks import get_deck
from quizapp.services.study import effective_settings, schedule_of


def _keep_existing_ids(parsed) -> list[AnkiReview]:
    """Give notes that quizapp exported once their question's id back; the reviews follow.

    A note written by quizapp's Anki export has the GUID of (deck slug, question id, type); when
    that deck is in the database, the question whose GUID matches keeps its id (and with it its
    cards and every learner's schedule) instead of a new GUID-based id.
    """
    reviews = list(getattr(parsed, "reviews", []))
    for deck in parsed.decks:
        row = get_deck(deck.id)
        if row is None:
            continue
        rows = db.session.execute(
            sa.select(Question.key, Question.type).where(Question.deck_id == row.id)
        ).all()
        existing = {note_guid(deck.id, domain.Question(key, kind, {})): key for key, kind in rows}
        renamed: dict[str, str] = {}
        taken = {q.id for q in deck.questions}
        for question in deck.questions:
            guid = question_guid(question.id)
            key = existing.get(guid) if guid else None
            if key and key not in taken:
                renamed[question.id] = key
                taken.add(key)
                question.id = key
        reviews = [
            replace(r, question_id=renamed.get(r.question_id, r.question_id))
            if r.deck_key == deck.id
            else r
            for r in reviews
        ]
    return reviews


def apply_reviews(user_id: int, deck: Deck, reviews: Sequence[AnkiReview]) -> int:
    """Record Anki's reviews as the learner's and replay them into FSRS states; commits.

    Reviews already imported (same Anki review id) and reviews older than the learner's latest
    review of that card are left out, so importing the same package twice changes nothing. Each
    card's schedule is what FSRS makes of its reviews in order, with the learner's settings.
    Returns how many reviews were recorded.
    """
    cards = {
        (key, card.ordinal): card
        for key, card in db.session.execute(
            sa.select(Question.key, Card)
            .join(Card.question)
            .where(
                Question.deck_id == deck.id,
                Question.retired_at.is_(None),
                Card.retired_at.is_(None),
            )
        )
    }
    keys = [r.key for r in reviews]
    seen = (
        set(
            db.session.scalars(
                sa.select(Review.idempotency_key).where(
                    Review.user_id == user_id, Review.idempotency_key.in_(keys)
                )
            )
        )
        if keys
        else set()
    )
    by_card: dict[int, list[AnkiReview]] = {}
    for review in sorted(reviews, key=lambda r: r.reviewed_at):
        card = cards.get((review.question_id, review.ordinal))
        if card is not None and review.key not in seen:
            by_card.setdefault(card.id, []).append(review)
    if not by_card:
        return 0
    settings = effective_settings(user_id, deck)
    states = {
        s.card_id: s
        for s in db.session.scalars(
            sa.select(CardState).where(
                CardState.user_id == user_id, CardState.card_id.in_(list(by_card))
            )
        )
    }
    latest = dict(
        db.session.execute(
            sa.select(Review.card_id, sa.func.max(Review.reviewed_at))
            .where(
                Review.user_id == user_id,
                Review.card_id.in_(list(by_card)),
                Review.undone_at.is_(None),
            )
            .group_by(Review.card_id)
        ).all()
    )
    new_reviews: list[dict] = []
    new_states: list[dict] = []
    try:
        for card_id, own in by_card.items():
            state = states.get(card_id)
            schedule = schedule_of(state)
            last = latest.get(card_id)
            changed = False
            for review in own:
                if last is not None and scheduling.as_utc(review.reviewed_at) <= scheduling.as_utc(
                    last
                ):
                    continue
                after = scheduling.review(
                    schedule,
                    scheduling.Rating(review.rating),
                    review.reviewed_at,
                    settings,
                    card_id=card_id,
                    # The study service's seed for this learner, card and repetition.
                    seed=scheduling.fuzz_seed(
                        "fuzz", user_id, card_id, schedule.reps if schedule else 0
                    ),
                )
                previous = schedule.to_dict() if schedule else None
                row = {
                    "user_id": user_id,
                    "card_id": card_id,
                    "deck_id": deck.id,
                    "rating": review.rating,
                    "reviewed_at": review.reviewed_at,
                    "duration_ms": review.duration_ms,
                    "correct": None,
                    "answer": sa.null(),
                    "idempotency_key": review.key,
                    "undone_at": None,
                    # SQL NULL for a new card's review, as the study service leaves it.
                    "previous_state": previous if previous is not None else sa.null(),
                    "prior_interval_days": prior_interval_days(previous),
                }
                new_reviews.append(row)
                schedule, changed = after, True
            if not changed or schedule is None:  # (changed: schedule is the last review's)
                continue
            values = {
                "state": int(schedule.phase),
                "step": schedule.step,
                "stability": schedule.stability,
                "difficulty": schedule.difficulty,
                "due": schedule.due,
                "last_review": schedule.last_review,
                "reps": schedule.reps,
                "lapses": schedule.lapses,
                "leech": schedule.leech,
            }
            if state is None:
                new_states.append(
                    {
                        "user_id": user_id,
                        "card_id": card_id,
                        "deck_id": deck.id,
                        "version": 1,
                        **values,
                    }
                )
            else:
                for name, value in values.items():
                    setattr(state, name, value)
        # Bulk inserts: a package brings tens of thousands of reviews.
        for chunk in range(0, len(new_reviews), 5000):
            db.session.execute(sa.insert(Review), new_reviews[chunk : chunk + 5000])
        for chunk in range(0, len(new_states), 5000):
            db.session.execute(sa.insert(CardState), new_states[chunk : chunk + 5000])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    recorded = len(new_reviews)
    return recorded
