"""A learner's own statistics, over all their decks or one deck.

Every figure is an aggregate query (``GROUP BY`` and conditional sums) over ``card_states`` and
``reviews``; nothing loads a review history into Python. Python only folds the few aggregated
rows (at most one per day) into the shapes the page shows. Definitions: docs/analytics.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from quizapp.domain.scheduling import Phase, Rating, day_start
from quizapp.extensions import db
from quizapp.models import Card, CardState, Question, Review

from .sqltime import DAY_SECONDS, as_date, day_key, day_of, epoch_seconds

#: A review card is mature once its interval reaches this many days (Anki's threshold).
MATURE_DAYS = 21
HEATMAP_DAYS = 365
FORECAST_DAYS = 30
ACTIVITY_DAYS = 30
#: Retention periods: name → how many study days back, today included.
PERIODS = (("today", 1), ("week", 7), ("month", 30), ("year", 365))

STATE_ORDER = ("new", "learning", "relearning", "young", "mature")


@dataclass
class CardCounts:
    new: int = 0
    learning: int = 0
    relearning: int = 0
    young: int = 0
    mature: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.relearning + self.young + self.mature

    @property
    def learnt(self) -> int:
        """Cards in the review state (young or mature): learnt and not currently forgotten."""
        return self.young + self.mature

    def rows(self) -> list[tuple[str, int]]:
        return [(name, getattr(self, name)) for name in STATE_ORDER]


@dataclass(frozen=True)
class Retention:
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


@dataclass(frozen=True)
class DayActivity:
    day: date
    reviews: int
    again: int
    duration_ms: int


@dataclass
class LearnerStats:
    today: date
    cards: CardCounts
    #: Reviews per day over the past :data:`HEATMAP_DAYS` days (days without reviews absent).
    heatmap: dict[date, int]
    streak: int
    #: Days of the last year with at least one review.
    days_studied: int
    #: Cards due per day for the next :data:`FORECAST_DAYS` days (overdue counted today).
    forecast: list[tuple[date, int]]
    #: period → {"young": Retention, "mature": Retention, "all": Retention}
    retention: dict[str, dict[str, Retention]]
    #: The last :data:`ACTIVITY_DAYS` days, oldest first, every day present.
    activity: list[DayActivity] = field(default_factory=list)

    @property
    def reviews_last_year(self) -> int:
        return sum(self.heatmap.values())


def _live_cards() -> sa.Select:
    return (
        sa.select(Card.id)
        .join(Question, Question.id == Card.question_id)
        .where(Card.retired_at.is_(None), Question.retired_at.is_(None))
    )


def _deck_filter(column, deck_ids: list[int] | None):
    return sa.true() if deck_ids is None else column.in_(deck_ids)


def card_category() -> sa.ColumnElement[str]:
    """A card state's category: learning, relearning, young or mature (SQL ``CASE``)."""
    interval = epoch_seconds(CardState.due) - epoch_seconds(CardState.last_review)
    return sa.case(
        (
            sa.and_(CardState.state == int(Phase.REVIEW), interval >= MATURE_DAYS * DAY_SECONDS),
            "mature",
        ),
        (CardState.state == int(Phase.REVIEW), "young"),
        (CardState.state == int(Phase.RELEARNING), "relearning"),
        else_="learning",
    )


def card_counts(user_id: int, deck_ids: list[int] | None) -> CardCounts:
    """The learner's live cards by state. ``deck_ids`` None: every deck the learner has
    started (seen a card of); "new" is the live cards of those decks not seen yet."""
    category = card_category().label("category")
    seen_rows = db.session.execute(
        sa.select(category, sa.func.count())
        .select_from(CardState)
        .where(
            CardState.user_id == user_id,
            _deck_filter(CardState.deck_id, deck_ids),
            CardState.card_id.in_(_live_cards()),
        )
        .group_by(category)
    ).all()
    counts = CardCounts(**{name: int(n) for name, n in seen_rows})
    decks_scope: sa.Select[int] | list[int] = (
        deck_ids
        if deck_ids is not None
        else (sa.select(CardState.deck_id).where(CardState.user_id == user_id).distinct())
    )
    total_live = (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Card)
            .join(Question, Question.id == Card.question_id)
            .where(
                Card.retired_at.is_(None),
                Question.retired_at.is_(None),
                Card.deck_id.in_(decks_scope),
            )
        )
        or 0
    )
    counts.new = max(0, int(total_live) - (counts.total - counts.new))
    return counts


def _reviews(user_id: int, deck_ids: list[int] | None) -> sa.ColumnElement[bool]:
    return sa.and_(
        Review.user_id == user_id,
        Review.undone_at.is_(None),
        _deck_filter(Review.deck_id, deck_ids),
    )


@dataclass(frozen=True)
class ReviewGroup:
    """Reviews of one study day sharing a retention period, kind and outcome (see
    :func:`review_groups`)."""

    day: date
    #: Index in :data:`PERIODS` of the shortest period the answers fall in.
    bucket: int
    #: 1 mature, 0 young: the card was in the review state; None: new, learning or relearning.
    mature: int | None
    #: 1 unless rated Again.
    passed: int
    reviews: int
    duration_ms: int


def review_groups(user_id: int, deck_ids: list[int] | None, today: datetime) -> list[ReviewGroup]:
    """The past year's reviews (from the start of the study day :data:`HEATMAP_DAYS` - 1 days
    before ``today``) in one ``GROUP BY`` over (day, retention period, kind, outcome): a few
    rows per day, which :func:`daily_activity` and :func:`retention_of` fold into the per-day
    figures and true retention. One pass over the learner's reviews, read from the covering
    index ``ix_reviews_user_reviewed_at`` on PostgreSQL (no table rows, no JSON)."""
    interval = Review.prior_interval_days
    day = day_key(Review.reviewed_at).label("day")
    mature = sa.case((interval >= MATURE_DAYS, 1), (interval.is_not(None), 0), else_=None).label(
        "mature"
    )
    passed = sa.case((Review.rating != int(Rating.AGAIN), 1), else_=0).label("passed")
    bucket = sa.case(
        *(
            (Review.reviewed_at >= today - timedelta(days=days - 1), i)
            for i, (_, days) in enumerate(PERIODS)
        ),
        else_=len(PERIODS),
    ).label("bucket")
    since = today - timedelta(days=max(HEATMAP_DAYS, *(days for _, days in PERIODS)) - 1)
    rows = db.session.execute(
        sa.select(
            day,
            bucket,
            mature,
            passed,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Review.duration_ms), 0),
        )
        .where(_reviews(user_id, deck_ids), Review.reviewed_at >= since)
        .group_by(day, bucket, mature, passed)
    ).all()
    return [
        ReviewGroup(as_date(d), int(b), None if m is None else int(m), int(p), int(n), int(ms or 0))
        for d, b, m, p, n, ms in rows
    ]


def daily_activity(groups: list[ReviewGroup]) -> list[DayActivity]:
    """Reviews, Again answers and time per study day (days with reviews only), by day."""
    by_day: dict[date, list[int]] = {}
    for g in groups:
        sums = by_day.setdefault(g.day, [0, 0, 0])
        sums[0] += g.reviews
        sums[1] += 0 if g.passed else g.reviews
        sums[2] += g.duration_ms
    return [DayActivity(d, n, again, ms) for d, (n, again, ms) in sorted(by_day.items())]


def due_forecast(
    user_id: int, deck_ids: list[int] | None, today: datetime, days: int = FORECAST_DAYS
) -> list[tuple[date, int]]:
    """Cards falling due on each of the next ``days`` study days; overdue ones count today."""
    end = today + timedelta(days=days)
    day = day_of(CardState.due).label("day")
    rows = db.session.execute(
        sa.select(day, sa.func.count())
        .select_from(CardState)
        .where(
            CardState.user_id == user_id,
            _deck_filter(CardState.deck_id, deck_ids),
            CardState.due < end,
            CardState.card_id.in_(_live_cards()),
        )
        .group_by(day)
    ).all()
    first = today.date()
    by_day = {first + timedelta(days=i): 0 for i in range(days)}
    for key, n in rows:
        by_day[max(as_date(key), first)] += int(n)
    return sorted(by_day.items())


def true_retention(
    user_id: int, deck_ids: list[int] | None, today: datetime
) -> dict[str, dict[str, Retention]]:
    """Anki's true retention: of the answers to cards that were in the review state (not new,
    learning or relearning), the share not rated Again; young and mature by the card's interval
    before the answer (``reviews.prior_interval_days``, stored with the answer)."""
    return retention_of(review_groups(user_id, deck_ids, today))


def retention_of(groups: list[ReviewGroup]) -> dict[str, dict[str, Retention]]:
    """True retention per period from :func:`review_groups`: each group counts in its own
    period and every longer one (today is within the week, ...)."""
    result: dict[str, dict[str, Retention]] = {}
    for index, (name, _) in enumerate(PERIODS):
        sums = {(m, p): 0 for m in (0, 1) for p in (0, 1)}
        for g in groups:
            if g.mature is not None and g.bucket <= index:
                sums[(g.mature, g.passed)] += g.reviews
        young = Retention(sums[(0, 1)], sums[(0, 0)] + sums[(0, 1)])
        old = Retention(sums[(1, 1)], sums[(1, 0)] + sums[(1, 1)])
        result[name] = {
            "young": young,
            "mature": old,
            "all": Retention(young.passed + old.passed, young.total + old.total),
        }
    return result


def streak_from(days_with_reviews: set[date], today: date) -> int:
    """Consecutive study days with reviews ending today, or yesterday when today has none yet
    (a streak is not broken before the day is over)."""
    day = today if today in days_with_reviews else today - timedelta(days=1)
    streak = 0
    while day in days_with_reviews:
        streak += 1
        day -= timedelta(days=1)
    return streak


def learner_stats(user_id: int, deck_ids: list[int] | None, now: datetime) -> LearnerStats:
    """Everything on the statistics page: four aggregate queries, whatever the history."""
    today = day_start(now)
    groups = review_groups(user_id, deck_ids, today)
    days = daily_activity(groups)
    heat = {d.day: d.reviews for d in days}
    by_day = {d.day: d for d in days}
    activity = []
    for i in range(ACTIVITY_DAYS - 1, -1, -1):
        day = today.date() - timedelta(days=i)
        activity.append(by_day.get(day, DayActivity(day, 0, 0, 0)))
    return LearnerStats(
        today=today.date(),
        cards=card_counts(user_id, deck_ids),
        heatmap=heat,
        streak=streak_from(set(heat), today.date()),
        days_studied=len(heat),
        forecast=due_forecast(user_id, deck_ids, today),
        retention=retention_of(groups),
        activity=activity,
    )
