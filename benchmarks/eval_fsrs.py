"""How well quizapp's scheduler predicts recall on a real review log, as srs-benchmark measures it.

Replays ``shared/data/fsrs-review-logs.csv`` (12,580 reviews of 1,205 cards) through
:mod:`quizapp.domain.scheduling`, card by card, in time order. Five time-series folds
(:func:`quizapp.domain.optimizer.time_series_folds`): each fold fits on every review before its
test window and scores the reviews in it that come at least a whole day after the card's
previous review. Figures are pooled over the five folds: log loss, RMSE(bins) and AUC
(:mod:`quizapp.domain.recall_metrics`), and for every model its difference from the defaults
with a 95% interval from resampling cards.

Models: FSRS-6 with default parameters (what quizapp uses until a learner optimizes); FSRS-6
fitted per fold with fsrs-rs-python; the same fit with later reviews weighted up (recency); a
model that uses more than the rating sequence (a logistic regression stacked on the fitted
FSRS-6: its predicted recall plus stability, difficulty, days elapsed, review number, lapses, the
previous rating, same-day repeats and the previous answer's duration; needs numpy); and a
constant (each fold's training recall rate) as a floor.

    python benchmarks/eval_fsrs.py [--log PATH] [--rounds 1000]
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from datetime import UTC, datetime
from pathlib import Path

from quizapp.domain import optimizer, recall_metrics, scheduling
from quizapp.domain.optimizer import ReviewEvent
from quizapp.domain.recall_metrics import Prediction
from quizapp.domain.scheduling import Settings

DEFAULT_LOG = Path(__file__).resolve().parents[2] / "shared" / "data" / "fsrs-review-logs.csv"


def load(path: Path) -> tuple[list[ReviewEvent], dict[tuple[int, datetime], int]]:
    """The log's reviews, and each review's duration in ms by (card, time)."""
    events, durations = [], {}
    with path.open(newline="") as f:
        for r in csv.DictReader(f):
            at = scheduling.as_utc(datetime.fromisoformat(r["review_time"]))
            events.append(ReviewEvent(int(r["card_id"]), int(r["review_rating"]), at))
            durations[(int(r["card_id"]), at)] = int(r["review_duration"] or 0)
    return events, durations


def evaluate(
    events: list[ReviewEvent],
    durations: dict[tuple[int, datetime], int],
) -> tuple[dict[str, list[Prediction]], dict[str, float]]:
    """Pooled predictions per model over five folds, and the seconds each fit took (max)."""
    cards = optimizer.histories(events)
    try:
        import numpy  # noqa: F401  (only the stacked model needs it)

        stack = optimizer.available()
    except ImportError:
        stack = False
    plain = Settings(enable_fuzzing=False)
    models: dict[str, list[Prediction]] = {"defaults": [], "constant": []}
    fit_seconds: dict[str, float] = {}
    for train_before, test_until in optimizer.time_series_folds(events):
        default = optimizer.predict(cards, plain, start=train_before, end=test_until)
        models["defaults"] += default
        train = optimizer.predict(
            cards, plain, start=datetime.min.replace(tzinfo=train_before.tzinfo), end=train_before
        )
        rate = sum(p.y for p in train) / max(1, len(train))
        models["constant"] += [
            Prediction(p.card_id, rate, p.y, p.elapsed_days, p.review_number, p.lapses)
            for p in default
        ]
        targets = optimizer.training_targets(cards, before=train_before)
        items = [item for item, _ in targets]
        for name, weights in (
            ("fitted", None),
            (
                "fitted, recency-weighted",
                optimizer.recency_weights(items, [at for _, at in targets]),
            ),
        ):
            started = time.perf_counter()
            parameters = optimizer.fit_parameters(items, weights=weights)
            fit_seconds[name] = max(fit_seconds.get(name, 0.0), time.perf_counter() - started)
            settings = (
                plain
                if parameters is None
                else Settings(enable_fuzzing=False, parameters=parameters)
            )
            models.setdefault(name, [])
            models[name] += optimizer.predict(cards, settings, start=train_before, end=test_until)
            if name == "fitted" and stack and parameters is not None:
                started = time.perf_counter()
                predictor = _logistic(
                    _stack_features(
                        cards,
                        durations,
                        parameters,
                        start=datetime.min.replace(tzinfo=UTC),
                        end=train_before,
                    )
                )
                test = _stack_features(
                    cards, durations, parameters, start=train_before, end=test_until
                )
                p = predictor([f for _, f in test])
                key = "fitted + logistic stack (history features)"
                fit_seconds[key] = max(fit_seconds.get(key, 0.0), time.perf_counter() - started)
                models.setdefault(key, [])
                models[key] += [
                    Prediction(
                        row.card_id,
                        float(q),
                        row.y,
                        row.elapsed_days,
                        row.review_number,
                        row.lapses,
                    )
                    for (row, _), q in zip(test, p, strict=True)
                ]
    return models, fit_seconds


def _stack_features(
    cards: dict[int, list[ReviewEvent]],
    durations: dict[tuple[int, datetime], int],
    parameters,
    *,
    start: datetime,
    end: datetime | None,
):
    """Scored reviews in [start, end) as (Prediction, features) for the logistic stack."""
    rows = optimizer.predict_from_memory_states(cards, parameters, start=start, end=end)
    stabilities = _stabilities(cards, parameters)
    out = []
    for row in rows:
        history = cards[row.card_id]
        n = row.review_number - 1
        previous = history[n - 1]
        repeats = 0
        while (
            n - 1 - repeats > 0
            and optimizer.elapsed_days(history[n - 2 - repeats].at, history[n - 1 - repeats].at)
            == 0
        ):
            repeats += 1
        p = min(max(row.p, 1e-4), 1 - 1e-4)
        stability, difficulty = stabilities[row.card_id][n - 1]
        out.append(
            (
                row,
                [
                    math.log(p / (1 - p)),
                    math.log1p(row.elapsed_days),
                    math.log(stability),
                    difficulty,
                    math.log(row.review_number),
                    row.lapses,
                    float(previous.rating == 1),
                    repeats,
                    math.log1p(durations.get((row.card_id, previous.at), 0) / 1000),
                ],
            )
        )
    return out


def _stabilities(cards, parameters):
    import fsrs_rs_python as rs  # the benchmark may use the fitter directly

    model = rs.FSRS(list(parameters))
    states = {}
    for card_id, history in cards.items():
        item = rs.FSRSItem(
            [
                rs.FSRSReview(e.rating, optimizer.elapsed_days(history[n - 1].at, e.at) if n else 0)
                for n, e in enumerate(history)
            ]
        )
        states[card_id] = [
            (s.stability, s.difficulty) for s in model.historical_memory_states(item)
        ]
    return states


def _logistic(train, *, l2: float = 1.0, steps: int = 25):
    """A ridge logistic regression fitted by Newton's method; returns a predictor."""
    import numpy as np

    x = np.array([f for _, f in train], dtype=float)
    y = np.array([row.y for row, _ in train], dtype=float)
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / scale]
    w = np.zeros(z.shape[1])
    ridge = l2 * np.eye(len(w))
    ridge[0, 0] = 0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= np.linalg.solve((z * (p * (1 - p))[:, None]).T @ z + ridge, z.T @ (p - y) + ridge @ w)

    def predict(features):
        zn = np.c_[np.ones(len(features)), (np.array(features, dtype=float) - mean) / scale]
        return 1 / (1 + np.exp(-zn @ w))

    return predict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--rounds", type=int, default=1000, help="bootstrap resamples")
    args = parser.parse_args()

    events, durations = load(args.log)
    print(f"{len(events)} reviews of {len({e.card_id for e in events})} cards; 5 time-series folds")
    if not optimizer.available():
        print("(fsrs-rs-python is not installed: only the default and constant rows)")
    started = time.perf_counter()
    models, fit_seconds = evaluate(events, durations)
    print(
        f"scored reviews: {len(models['defaults'])}; evaluation took "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(
        "\n| model | log loss | RMSE(bins) | AUC | log loss − defaults [95% CI] "
        "| RMSE(bins) − defaults [95% CI] |"
    )
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
                base, rows, recall_metrics.METRICS[metric], rounds=args.rounds
            )
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
        print(
            f"a learner's Optimize (five held-out folds, then the fit on everything): "
            f"{time.perf_counter() - started:.2f} s, accepted: {result.accepted}"
        )


if __name__ == "__main__":
    main()
