"""The rating buttons: what each rating would do to a card now, weighed by the learner's load."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from quizapp.domain import scheduling
from quizapp.domain.scheduling import CardSchedule, Rating, Settings
from quizapp.extensions import db
from quizapp.models import Card, CardState

from .. import reschedule
from .cards import _live
from .queue import learner_day


@dataclass
class RatingOption:
    rating: Rating
    interval: timedelta
    chosen: bool = False

    @property
    def label(self) -> str:
        return self.rating.label

    @property
    def interval_text(self) -> str:
        return scheduling.format_interval(self.interval)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rating": int(self.rating),
            "label": self.label,
            "interval": self.interval_text,
            "interval_seconds": int(self.interval.total_seconds()),
            "chosen": self.chosen,
        }


#: "Count the cards due now": the default of the ``day_load`` arguments below.
_COUNT = object()


@functools.cache
def _day_load_statement() -> sa.Select:
    """:func:`day_load`'s query, built once (every answer of a card a few days apart runs it)."""
    # The fuzzed due is ``at`` plus whole days of 24 hours, so the offset counts 24-hour days
    # from the start of the learner's day.
    start: sa.BindParameter[int] = sa.bindparam("start", type_=sa.Integer)
    offset = (sa.cast(sa.extract("epoch", CardState.due), sa.Integer) - start) // 86400
    return (
        _live(
            sa.select(offset, sa.func.count())
            .select_from(CardState)
            .join(Card, Card.id == CardState.card_id)
        )
        .where(
            CardState.user_id == sa.bindparam("user_id"),
            CardState.card_id != sa.bindparam("card_id"),
            CardState.due >= sa.bindparam("first", type_=CardState.due.type),
            CardState.due < sa.bindparam("end", type_=CardState.due.type),
        )
        .group_by(offset)
    )


def day_load(
    user_id: int,
    card_id: int,
    before: CardSchedule | None,
    at: datetime,
    settings: Settings,
    ratings: tuple[Rating, ...],
) -> dict[int, int] | None:
    """The learner's cards due on each day of the fuzz window of ``ratings`` (offset from the
    learner's study day containing ``at``: 0 is that day), the card itself left out: what load
    balancing weighs the fuzzed days by. None, without a query, when no rating ends in a fuzzed
    review interval (3 days or more). One GROUP BY query; a day without cards is absent.
    """
    window = scheduling.load_window(before, at, settings, ratings)
    if window is None:
        return None
    first, last = window
    start = scheduling.day_start(at, learner_day(user_id))
    rows = db.session.execute(
        _day_load_statement(),
        {
            "user_id": user_id,
            "card_id": card_id,
            "start": int(start.timestamp()),
            "first": start + timedelta(days=first),
            "end": start + timedelta(days=last + 1),
        },
    )
    return {int(day): int(count) for day, count in rows}


def _options(
    user_id: int,
    card_id: int,
    before: CardSchedule | None,
    at: datetime,
    settings: Settings,
    ratings: tuple[Rating, ...],
    chosen: Rating | None = None,
    load: Any = _COUNT,
) -> list[RatingOption]:
    if load is _COUNT:
        load = day_load(user_id, card_id, before, at, settings, ratings)
    intervals = scheduling.preview(
        before,
        at,
        settings,
        card_id=card_id,
        seed=reschedule.fuzz_seed(user_id, card_id, before),
        ratings=ratings,
        day_load=load,
    )
    return [RatingOption(r, intervals[r], r == chosen) for r in ratings]


def _result_ratings(correct: bool | None, rating: Rating, undone: bool) -> tuple[Rating, ...]:
    """The rating buttons an answer's result shows: the ratings it may still change to."""
    return scheduling.allowed_ratings(correct) if correct and not undone else (rating,)
