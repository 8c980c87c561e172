"""Reschedule a learner's cards after their settings change, as Anki's "Reschedule cards on change".

Each card's review history is replayed through the scheduler with the settings that apply now
(desired retention, the learner's fitted parameters), with the same fuzz seeds as when it was
studied, and the card's state is replaced by the outcome. History is read, never changed; replay
with unchanged settings gives back the very same states. The caller commits (rescheduling is part
of the settings change's transaction).

Load balancing: the replay draws fuzz without it (the load of days long past is not known), so a
card whose stored due day is still one the new settings could give it (within the fuzz range of
its last review's new interval) keeps that day: it was load-balanced when the card was answered,
and unchanged settings move nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quizapp.domain import scheduling
from quizapp.domain.scheduling import CardSchedule, Rating, Settings
from quizapp.extensions import db
from quizapp.models import CardState, Deck, Review


def fuzz_seed(user_id: int, card_id: int, schedule: CardSchedule | None) -> int:
    """The seed of a card's fuzz at its next review: (learner, card, repetitions so far)."""
    return scheduling.fuzz_seed("fuzz", user_id, card_id, schedule.reps if schedule else 0)


def schedule_values(schedule: CardSchedule) -> dict[str, Any]:
    """``schedule`` as the columns of a card state row (name: value)."""
    return {
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


def apply_schedule(state: CardState, schedule: CardSchedule) -> None:
    """Copy ``schedule`` onto the learner's stored card state."""
    for key, value in schedule_values(schedule).items():
        setattr(state, key, value)


def replay(
    user_id: int, card_id: int, ratings: list[tuple[int, datetime]], settings: Settings
) -> CardSchedule | None:
    """The card's schedule after ``ratings`` ((rating, when) in time order) under ``settings``."""
    return _replay(user_id, card_id, ratings, settings)[1]


def _replay(
    user_id: int, card_id: int, ratings: list[tuple[int, datetime]], settings: Settings
) -> tuple[CardSchedule | None, CardSchedule | None]:
    """(the schedule before the last rating, the schedule after it)."""
    before, schedule = None, None
    for rating, at in ratings:
        before = schedule
        schedule = scheduling.review(
            schedule,
            Rating(rating),
            at,
            settings,
            card_id=card_id,
            seed=fuzz_seed(user_id, card_id, schedule),
        )
    return before, schedule


def _keeps_due(
    state: CardState, before: CardSchedule | None, last: tuple[int, datetime], settings: Settings
) -> bool:
    """Whether the stored due lies on a day the replayed last review could fuzz to."""
    rating, at = last
    window = scheduling.load_window(before, at, settings, (Rating(rating),))
    if window is None or state.due is None:
        return False
    offset = scheduling.as_utc(state.due) - scheduling.as_utc(at)
    return (
        offset.seconds == 0 and offset.microseconds == 0 and window[0] <= offset.days <= window[1]
    )


def reschedule(user_id: int, decks: list[Deck], settings_for) -> int:
    """Replace the learner's card states in ``decks`` by a replay of their reviews; no commit.

    ``settings_for(deck)`` gives the settings that apply to the learner in that deck. Returns how
    many cards were rescheduled.
    """
    if not decks:
        return 0
    by_id = {deck.id: deck for deck in decks}
    states = {
        state.card_id: state
        for state in db.session.scalars(
            sa.select(CardState).where(
                CardState.user_id == user_id, CardState.deck_id.in_(list(by_id))
            )
        )
    }
    if not states:
        return 0
    histories: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Review.card_id, Review.rating, Review.reviewed_at)
        .where(
            Review.user_id == user_id, Review.undone_at.is_(None), Review.deck_id.in_(list(by_id))
        )
        .order_by(Review.card_id, Review.reviewed_at, Review.id)
    )
    for card_id, rating, at in rows:
        histories[card_id].append((rating, at))
    settings = {deck_id: settings_for(deck) for deck_id, deck in by_id.items()}
    count = 0
    for card_id, state in states.items():
        history = histories.get(card_id)
        if not history:
            continue
        before, schedule = _replay(user_id, card_id, history, settings[state.deck_id])
        if schedule is None:  # (never: the history is not empty)
            continue
        if schedule.phase == scheduling.Phase.REVIEW and _keeps_due(
            state, before, history[-1], settings[state.deck_id]
        ):
            schedule = replace(schedule, due=scheduling.as_utc(state.due))
        apply_schedule(state, schedule)
        count += 1
    db.session.flush()
    return count
