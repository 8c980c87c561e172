"""Fitting FSRS parameters and scoring predictions: the protocol the scheduler evaluation uses."""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.domain import optimizer, recall_metrics, scheduling
from quizapp.domain.optimizer import ReviewEvent
from quizapp.domain.recall_metrics import Prediction
from quizapp.domain.scheduling import Rating, Settings

LOG = Path(__file__).resolve().parents[3] / "shared" / "data" / "fsrs-review-logs.csv"
T0 = datetime(2024, 5, 1, 22, 0, tzinfo=UTC)


def _real_log(limit_cards: int | None = None) -> list[ReviewEvent]:
    if not LOG.exists():
        pytest.skip(f"the real review log is not beside the project ({LOG})")
    with LOG.open(newline="") as f:
        events = [
            ReviewEvent(
                int(r["card_id"]),
                int(r["review_rating"]),
                datetime.fromisoformat(r["review_time"]).astimezone(UTC),
            )
            for r in csv.DictReader(f)
        ]
    if limit_cards:
        keep = sorted({e.card_id for e in events})[:limit_cards]
        events = [e for e in events if e.card_id in set(keep)]
    return events


def test_days_are_whole_24_hour_periods_as_the_scheduler_counts_them():
    # 23 hours across midnight is no day; 47 hours is one.
    assert optimizer.elapsed_days(T0, T0 + timedelta(hours=23)) == 0
    assert optimizer.elapsed_days(T0, T0 + timedelta(hours=47)) == 1
    assert optimizer.elapsed_days(T0, T0 + timedelta(hours=48)) == 2


def test_training_targets_are_only_reviews_a_day_or_more_after_the_previous():
    cards = optimizer.histories(
        [
            ReviewEvent(1, 1, T0),
            ReviewEvent(1, 3, T0 + timedelta(minutes=10)),
            ReviewEvent(1, 3, T0 + timedelta(days=1, hours=2)),
            ReviewEvent(1, 3, T0 + timedelta(days=1, hours=3)),
            ReviewEvent(1, 1, T0 + timedelta(days=5)),
        ]
    )
    items = optimizer.training_items(cards)
    # Two long-term targets; the same-day reviews stay in the history with 0 days.
    assert items == [
        [(1, 0), (3, 0), (3, 1)],
        [(1, 0), (3, 0), (3, 1), (3, 0), (1, 3)],
    ]
    assert optimizer.training_items(cards, before=T0 + timedelta(days=2)) == items[:1]


def test_folds_are_five_time_windows_each_after_its_training_period():
    events = [ReviewEvent(n % 7, 3, T0 + timedelta(hours=n)) for n in range(60)]
    folds = optimizer.time_series_folds(events)
    assert len(folds) == 5
    assert folds[0][0] == T0 + timedelta(hours=10)
    assert [f[1] for f in folds[:-1]] == [f[0] for f in folds[1:]]
    assert folds[-1][1] is None


def test_the_fitters_memory_states_equal_quizapps_own_replay():
    if not optimizer.available():
        pytest.skip("fsrs-rs-python is not installed")
    events = _real_log(limit_cards=150)
    settings = Settings(enable_fuzzing=False)
    compared = 0
    for card_id, history in optimizer.histories(events).items():
        schedule = None
        for event in history:
            schedule = scheduling.review(
                schedule, Rating(event.rating), event.at, settings, card_id=card_id, seed=0
            )
        item = [
            (e.rating, optimizer.elapsed_days(history[n - 1].at, e.at) if n else 0)
            for n, e in enumerate(history)
        ]
        stability, difficulty = optimizer.memory_state(item, settings.parameters)
        assert stability == pytest.approx(schedule.stability, rel=1e-4)
        assert difficulty == pytest.approx(schedule.difficulty, abs=1e-4)
        compared += 1
    assert compared == 150


def test_fitted_parameters_are_clamped_into_fsrs_bounds_and_usable():
    if not optimizer.available():
        pytest.skip("fsrs-rs-python is not installed")
    events = _real_log(limit_cards=300)
    parameters = optimizer.fit_parameters(optimizer.training_items(optimizer.histories(events)))
    assert parameters is not None and len(parameters) == 21
    for value, (low, high) in zip(parameters, scheduling.PARAMETER_BOUNDS, strict=True):
        assert low <= value <= high
    assert parameters != tuple(Settings().parameters)
    scheduling.scheduler_for(Settings(parameters=parameters))  # fsrs accepts them


def test_nothing_to_fit_gives_none():
    assert optimizer.fit_parameters([]) is None
    assert optimizer.clamp([1000.0] * 21)[0] == scheduling.PARAMETER_BOUNDS[0][1]


def _rows(pairs):
    return [
        Prediction(
            card_id=n % 3, p=p, y=y, elapsed_days=1 + n % 5, review_number=2 + n % 4, lapses=n % 2
        )
        for n, (p, y) in enumerate(pairs)
    ]


def test_log_loss_auc_and_rmse_bins_on_known_values():
    rows = _rows([(0.9, 1), (0.8, 1), (0.3, 0), (0.6, 0)])
    assert recall_metrics.log_loss(rows) == pytest.approx(
        -(math.log(0.9) + math.log(0.8) + math.log(0.7) + math.log(0.4)) / 4
    )
    assert recall_metrics.auc(rows) == 1.0
    assert recall_metrics.auc(_rows([(0.2, 1), (0.8, 0)])) == 0.0
    # One bin: RMSE(bins) is the gap between mean prediction and observed rate.
    same_bin = [Prediction(1, p, y, 3, 2, 0) for p, y in [(0.9, 1), (0.7, 0)]]
    assert recall_metrics.rmse_bins(same_bin) == pytest.approx(0.3)


def test_card_bootstrap_interval_contains_the_difference_and_is_zero_for_identical_models():
    base = _rows([(0.7, n % 2) for n in range(60)])
    better = [
        Prediction(r.card_id, 0.9 if r.y else 0.1, r.y, r.elapsed_days, r.review_number, r.lapses)
        for r in base
    ]
    diff, low, high = recall_metrics.card_bootstrap(
        base, better, recall_metrics.log_loss, rounds=200
    )
    assert low <= diff <= high < 0
    assert recall_metrics.card_bootstrap(base, base, recall_metrics.log_loss, rounds=50) == (
        0.0,
        0.0,
        0.0,
    )


def test_predictions_replay_through_the_scheduler_and_score_only_long_term_reviews():
    cards = optimizer.histories(
        [
            ReviewEvent(1, 3, T0),
            ReviewEvent(1, 3, T0 + timedelta(hours=2)),
            ReviewEvent(1, 1, T0 + timedelta(days=3)),
            ReviewEvent(1, 3, T0 + timedelta(days=7)),
        ]
    )
    rows = optimizer.predict(cards, Settings(enable_fuzzing=False), start=T0, end=None)
    assert [(r.elapsed_days, r.review_number, r.lapses, r.y) for r in rows] == [
        (2, 3, 0, 0),
        (4, 4, 1, 1),
    ]
    assert all(0 < r.p < 1 for r in rows)
