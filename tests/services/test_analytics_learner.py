"""A learner's statistics, each figure checked against a small history computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.domain.scheduling import CardSchedule, Phase
from quizapp.extensions import db
from quizapp.models import Card, CardState, Review
from quizapp.services.analytics import learner
from quizapp.services.analytics.sqltime import as_date, day_key, day_of, epoch_seconds

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TODAY = datetime(2026, 6, 15, tzinfo=UTC)
DAY = timedelta(days=1)


def cards_of(deck) -> list[Card]:
    return list(
        db.session.scalars(sa.select(Card).where(Card.deck_id == deck.id).order_by(Card.id))
    )


def schedule(phase: Phase, *, last: datetime, interval_days: float) -> CardSchedule:
    return CardSchedule(
        phase=phase,
        step=None if phase == Phase.REVIEW else 0,
        stability=10.0,
        difficulty=5.0,
        due=last + timedelta(days=interval_days),
        last_review=last,
        reps=3,
    )


def add_state(user, card, phase: Phase, *, last: datetime, due: datetime) -> None:
    db.session.add(
        CardState(
            user_id=user.id,
            card_id=card.id,
            deck_id=card.deck_id,
            state=int(phase),
            step=0,
            stability=10.0,
            difficulty=5.0,
            due=due,
            last_review=last,
            reps=3,
        )
    )


def add_review(
    user,
    card,
    at: datetime,
    rating: int,
    *,
    before: CardSchedule | None,
    duration_ms: int = 1000,
    undone: bool = False,
) -> None:
    db.session.add(
        Review(
            user_id=user.id,
            card_id=card.id,
            deck_id=card.deck_id,
            rating=rating,
            reviewed_at=at,
            duration_ms=duration_ms,
            correct=rating > 1,
            previous_state=before.to_dict() if before else None,
            undone_at=at if undone else None,
        )
    )


def young(at: datetime, days: float = 10) -> CardSchedule:
    return schedule(Phase.REVIEW, last=at - timedelta(days=days), interval_days=days)


def mature(at: datetime, days: float = 30) -> CardSchedule:
    return schedule(Phase.REVIEW, last=at - timedelta(days=days), interval_days=days)


@pytest.fixture
def world(factory):
    """One learner with a known history in ``sample-deck`` (six cards) and one review and one
    card in ``other-deck``; another learner's answer that must never count."""
    ann, bob = factory.user(), factory.user()
    deck, other = factory.deck("sample-deck"), factory.deck("other-deck")
    c = cards_of(deck)
    o = cards_of(other)
    # Card states: young (interval 15 d), mature (30 d, due now), learning, relearning (overdue
    # by 3 days); c[4] and c[5] new.
    add_state(ann, c[0], Phase.REVIEW, last=NOW - 5 * DAY, due=NOW + 10 * DAY)
    add_state(ann, c[1], Phase.REVIEW, last=NOW - 30 * DAY, due=NOW)
    add_state(
        ann, c[2], Phase.LEARNING, last=NOW - timedelta(minutes=1), due=NOW + timedelta(minutes=10)
    )
    add_state(ann, c[3], Phase.RELEARNING, last=NOW - 4 * DAY, due=NOW - 3 * DAY)
    add_state(ann, o[0], Phase.REVIEW, last=NOW - DAY, due=NOW + 2 * DAY)
    add_state(bob, c[4], Phase.REVIEW, last=NOW - 40 * DAY, due=NOW + DAY)
    # Reviews of sample-deck.
    r1 = TODAY + timedelta(hours=10)
    add_review(ann, c[0], r1, 3, before=young(r1), duration_ms=4000)  # young, passed
    add_review(ann, c[1], TODAY, 1, before=mature(TODAY), duration_ms=6000)  # mature, Again
    add_review(ann, c[1], NOW - 3 * DAY, 3, before=mature(NOW - 3 * DAY, 40))  # mature, passed
    add_review(ann, c[0], NOW - 20 * DAY, 1, before=young(NOW - 20 * DAY, 5))  # young, Again
    add_review(ann, c[1], NOW - 100 * DAY, 4, before=mature(NOW - 100 * DAY, 60))  # mature
    add_review(ann, c[2], NOW - 2 * DAY, 3, before=None)  # new: no retention
    yesterday_late = TODAY - timedelta(seconds=1)
    add_review(
        ann,
        c[3],
        yesterday_late,
        2,  # learning step
        before=schedule(Phase.LEARNING, last=yesterday_late - DAY, interval_days=0.01),
    )
    add_review(ann, c[0], NOW - 400 * DAY, 3, before=young(NOW - 400 * DAY))  # over a year ago
    add_review(ann, c[0], r1, 1, before=young(r1), undone=True)  # undone: ignored
    add_review(bob, c[4], r1, 1, before=mature(r1))  # someone else
    # Reviews of other-deck: one young pass yesterday.
    add_review(ann, o[0], NOW - DAY, 3, before=young(NOW - DAY, 3), duration_ms=2000)
    db.session.commit()
    return ann, deck, other


def test_cards_by_state(world):
    ann, deck, _ = world
    counts = learner.card_counts(ann.id, [deck.id])
    assert counts.rows() == [
        ("new", 2),
        ("learning", 1),
        ("relearning", 1),
        ("young", 1),
        ("mature", 1),
    ]
    assert (counts.learnt, counts.total) == (2, 6)
    # All decks: every deck the learner started (both), six cards each.
    everything = learner.card_counts(ann.id, None)
    assert everything.rows() == [
        ("new", 7),
        ("learning", 1),
        ("relearning", 1),
        ("young", 2),
        ("mature", 1),
    ]
    assert (everything.learnt, everything.total) == (3, 12)


def test_retired_cards_leave_the_counts(world):
    ann, deck, _ = world
    card = cards_of(deck)[0]  # the young one
    card.retired_at = NOW
    db.session.commit()
    counts = learner.card_counts(ann.id, [deck.id])
    assert (counts.young, counts.total) == (0, 5)


def test_true_retention_by_period(world):
    ann, deck, _ = world
    r = learner.true_retention(ann.id, [deck.id], TODAY)

    def pair(x):
        return (x.passed, x.total)

    assert (pair(r["today"]["young"]), pair(r["today"]["mature"])) == ((1, 1), (0, 1))
    assert (pair(r["week"]["young"]), pair(r["week"]["mature"])) == ((1, 1), (1, 2))
    assert (pair(r["month"]["young"]), pair(r["month"]["mature"])) == ((1, 2), (1, 2))
    assert (pair(r["year"]["young"]), pair(r["year"]["mature"])) == ((1, 2), (2, 3))
    assert pair(r["year"]["all"]) == (3, 5)
    assert r["year"]["all"].rate == pytest.approx(0.6)
    assert r["today"]["mature"].rate == 0.0
    # All decks adds other-deck's young pass from yesterday.
    r_all = learner.true_retention(ann.id, None, TODAY)
    assert pair(r_all["week"]["young"]) == (2, 2)
    assert pair(r_all["today"]["young"]) == (1, 1)


def test_the_young_mature_line_is_21_days(factory):
    ann = factory.user()
    deck = factory.deck("sample-deck")
    c = cards_of(deck)
    at = NOW - timedelta(hours=1)
    add_review(
        ann, c[0], at, 3, before=schedule(Phase.REVIEW, last=at - 20 * DAY, interval_days=20.99)
    )
    add_review(
        ann, c[1], at, 3, before=schedule(Phase.REVIEW, last=at - 21 * DAY, interval_days=21)
    )
    add_state(ann, c[0], Phase.REVIEW, last=at, due=at + timedelta(days=20.99))
    add_state(ann, c[1], Phase.REVIEW, last=at, due=at + 21 * DAY)
    db.session.commit()
    r = learner.true_retention(ann.id, [deck.id], TODAY)
    assert (r["today"]["young"].total, r["today"]["mature"].total) == (1, 1)
    counts = learner.card_counts(ann.id, [deck.id])
    assert (counts.young, counts.mature) == (1, 1)


def test_daily_reviews_heatmap_and_streak(world):
    ann, deck, _ = world
    stats = learner.learner_stats(ann.id, [deck.id], NOW)
    today = TODAY.date()
    assert stats.heatmap == {
        today: 2,
        today - DAY: 1,
        today - 2 * DAY: 1,
        today - 3 * DAY: 1,
        today - 20 * DAY: 1,
        today - 100 * DAY: 1,
    }
    assert stats.reviews_last_year == 7
    assert stats.days_studied == 6
    assert stats.streak == 4
    assert len(stats.activity) == 30
    assert stats.activity[-1] == learner.DayActivity(today, 2, 1, 10_000)
    assert stats.activity[0].day == today - 29 * DAY
    assert sum(a.reviews for a in stats.activity) == 6
    # All decks: yesterday also has other-deck's review (2 s).
    everything = learner.learner_stats(ann.id, None, NOW)
    assert everything.heatmap[today - DAY] == 2
    assert everything.activity[-2].duration_ms == 1000 + 2000


def test_due_forecast(world):
    ann, deck, _ = world
    forecast = learner.due_forecast(ann.id, [deck.id], TODAY)
    assert len(forecast) == 30
    assert forecast[0] == (TODAY.date(), 3)  # due now, learning in 10 min, overdue relearning
    assert dict(forecast)[TODAY.date() + 10 * DAY] == 1
    assert sum(n for _, n in forecast) == 4
    everything = dict(learner.due_forecast(ann.id, None, TODAY))
    assert everything[TODAY.date() + 2 * DAY] == 1


def test_streak_waits_for_the_day_to_end():
    today = date(2026, 6, 15)
    assert learner.streak_from({today - DAY, today - 2 * DAY}, today) == 2
    assert learner.streak_from({today, today - DAY, today - 3 * DAY}, today) == 2
    assert learner.streak_from({today - 2 * DAY}, today) == 0
    assert learner.streak_from(set(), today) == 0


def test_an_answer_stores_the_interval_it_was_answered_at(factory):
    """``prior_interval_days`` is set with ``previous_state`` (the retention figures read it):
    the review state's interval in days, None for a new, learning or relearning card."""
    ann = factory.user()
    card = cards_of(factory.deck("sample-deck"))[0]
    at = TODAY + timedelta(hours=2)
    befores = [
        young(at, 2.5),
        mature(at, 21),
        None,
        schedule(Phase.LEARNING, last=at, interval_days=0.01),
        schedule(Phase.RELEARNING, last=at, interval_days=30),
    ]
    for i, before in enumerate(befores):
        add_review(ann, card, at + timedelta(minutes=i), 3, before=before)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalars(
        sa.select(Review.prior_interval_days).order_by(Review.reviewed_at)
    ).all()
    assert stored == [pytest.approx(2.5), pytest.approx(21.0), None, None, None]
    review = db.session.scalars(sa.select(Review).order_by(Review.reviewed_at)).first()
    review.previous_state = None
    assert review.prior_interval_days is None


def test_sql_time_helpers_agree_with_python(factory):
    ann = factory.user()
    deck = factory.deck("sample-deck")
    card = cards_of(deck)[0]
    moments = [
        datetime(2026, 6, 14, 23, 59, 59, 999000, tzinfo=UTC),
        datetime(2026, 6, 15, 0, 0, tzinfo=UTC),
    ]
    for at in moments:
        add_review(ann, card, at, 3, before=young(at, 2.5))
    db.session.commit()
    rows = db.session.execute(
        sa.select(
            day_of(Review.reviewed_at),
            day_key(Review.reviewed_at),
            epoch_seconds(Review.reviewed_at),
            epoch_seconds(Review.previous_state["last_review"].as_string()),
        ).order_by(Review.reviewed_at)
    ).all()
    assert [r[0] for r in rows] == ["2026-06-14", "2026-06-15"]
    assert [as_date(r[1]) for r in rows] == [date(2026, 6, 14), date(2026, 6, 15)]
    for (_, _, epoch, last), at in zip(rows, moments, strict=True):
        assert epoch == pytest.approx(at.timestamp(), abs=0.01)
        assert last == pytest.approx((at - timedelta(days=2.5)).timestamp(), abs=0.01)
