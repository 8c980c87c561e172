"""How well quizapp's scheduler predicts recall on a real review log, as srs-benchmark measures it.

Replays ``shared/data/fsrs-review-logs.csv`` (12,580 reviews of 1,205 cards) through
:mod:`quizapp.domain.scheduling`, card by card, in time order. Five time-series folds
(:func:`quizapp.domain.optimizer.time_series_folds`): each fold fits on every review before its
test window and scores the reviews in it that come at least a whole day after the card's
previous review. Figures are pooled over the five folds: log loss, RMSE(bins) and AUC
(:mod:`quizapp.domain.recall_metrics`), and for every model its difference from the defaults
with a 95% interval from resampling cards.

Models: FSRS-6 with default parameters (what quizapp uses until a learner optimizes); FSRS-6
fitted per fold with fsrs-rs-python; the same fit with later reviews weighted up (recency); and a
constant (each fold's training recall rate) as a floor.

    python benchmarks/eval_fsrs.py [--log PATH] [--rounds 1000]
"""

from __future__ import annotations

import argparse
import csv
import time
from datetime import datetime
from pathlib import Path

from quizapp.domain import optimizer, recall_metrics, scheduling
from quizapp.domain.optimizer import ReviewEvent
from quizapp.domain.recall_metrics import Prediction
from quizapp.domain.scheduling import Settings

DEFAULT_LOG = Path(__file__).resolve().parents[2] / "shared" / "data" / "fsrs-review-logs.csv"


def load(path: Path) -> list[ReviewEvent]:
    with path.open(newline="") as f:
        return [
            ReviewEvent(int(r["card_id"]), int(r["review_rating"]),
                        scheduling.as_utc(datetime.fromisoformat(r["review_time"])))
            for r in csv.DictReader(f)
        ]


def evaluate(events: list[ReviewEvent]) -> tuple[dict[str, list[Prediction]], dict[str, float]]:
    """Pooled predictions per model over five folds, and the seconds each fit took (max)."""
    cards = optimizer.histories(events)
    plain = Settings(enable_fuzzing=False)
    models: dict[str, list[Prediction]] = {"defaults": [], "constant": []}
    fit_seconds: dict[str, float] = {}
    for train_before, test_until in optimizer.time_series_folds(events):
        default = optimizer.predict(cards, plain, start=train_before, end=test_until)
        models["defaults"] += default
        train = optimizer.predict(cards, plain, start=datetime.min.replace(
            tzinfo=train_before.tzinfo), end=train_before)
        rate = sum(p.y for p in train) / max(1, len(train))
        models["constant"] += [Prediction(p.card_id, rate, p.y, p.elapsed_days,
                                          p.review_number, p.lapses) for p in default]
        items = optimizer.training_items(cards, before=train_before)
        targets = _target_times(cards, train_before)
        for name, weights in (("fitted", None),
                              ("fitted, recency-weighted",
                               optimizer.recency_weights(items, targets))):
            started = time.perf_counter()
            parameters = optimizer.fit_parameters(items, weights=weights)
            fit_seconds[name] = max(fit_seconds.get(name, 0.0), time.perf_counter() - started)
            settings = plain if parameters is None else Settings(
                enable_fuzzing=False, parameters=parameters)
            models.setdefault(name, [])
            models[name] += optimizer.predict(cards, settings, start=train_before,
                                              end=test_until)
    return models, fit_seconds


def _target_times(cards: dict[int, list[ReviewEvent]], before: datetime) -> list[datetime]:
    """The time of each training item's target, in :func:`optimizer.training_items` order."""
    times = []
    for history in cards.values():
        train = [e for e in history if e.at < before]
        for n in range(1, len(train)):
            if optimizer.elapsed_days(train[n - 1].at, train[n].at) >= 1:
                times.append(train[n].at)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap resamples")
    args = parser.parse_args()

    events = load(args.log)
    print(f"{len(events)} reviews of {len({e.card_id for e in events})} cards; "
          "5 time-series folds")
    if not optimizer.available():
        print("(fsrs-rs-python is not installed: only the default and constant rows)")
    started = time.perf_counter()
    models, fit_seconds = evaluate(events)
    print(f"scored reviews: {len(models['defaults'])}; evaluation took "
          f"{time.perf_counter() - started:.1f} s")
    print("\n| model | log loss | RMSE(bins) | AUC | log loss − defaults [95% CI] "
          "| RMSE(bins) − defaults [95% CI] |")
    print("|---|---|---|---|---|---|")
    base = models["defaults"]
    for name, rows in models.items():
        figures = [recall_metrics.METRICS[m](rows) for m in ("log_loss", "rmse_bins", "auc")]
        cells = [f"{v:.4f}" for v in figures]
        for metric in ("log_loss", "rmse_bins"):
            if name == "defaults":
                cells.append("—")
                continue
            diff, low, high = recall_metrics.card_bootstrap(
                base, rows, recall_metrics.METRICS[metric], rounds=args.rounds)
            cells.append(f"{diff:+.4f} [{low:+.4f}, {high:+.4f}]")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for name, seconds in fit_seconds.items():
        print(f"\nfit ({name}), largest fold: {seconds:.2f} s")
    if optimizer.available():
        cards = optimizer.histories(events)
        started = time.perf_counter()
        optimizer.fit_parameters(optimizer.training_items(cards))
        print(f"fit on all {len(events):,} reviews: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        result = optimizer.optimize(events)
        print(f"a learner's Optimize (five held-out folds, then the fit on everything): "
              f"{time.perf_counter() - started:.2f} s, accepted: {result.accepted}")


if __name__ == "__main__":
    main()
