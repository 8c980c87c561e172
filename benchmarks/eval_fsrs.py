"""How well quizapp's scheduler predicts recall on a real review log.

Replays ``shared/data/fsrs-review-logs.csv`` (12,580 reviews of 1,205 cards) through
:mod:`quizapp.domain.scheduling` card by card, in time order. Reviews before a time cut (the
75th percentile of review times) are the training period; for every later review that comes at
least a whole day after the card's previous one, the scheduler's predicted recall probability is
scored against what happened (recalled = any rating but Again): log loss, AUC, and predicted vs.
observed recall.

Models: a constant (the recall rate of the same kind of reviews in the training period); FSRS-6
with its default parameters (what quizapp uses); and, when ``fsrs-rs-python`` is installed
(``pip install fsrs-rs-python``; no torch), FSRS-6 with parameters fitted on the training period
only.

    python benchmarks/eval_fsrs.py [--log PATH] [--cut 0.75]
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from quizapp.domain import scheduling
from quizapp.domain.scheduling import Rating, Settings

DEFAULT_LOG = Path(__file__).resolve().parents[2] / "shared" / "data" / "fsrs-review-logs.csv"


@dataclass
class Review:
    card_id: int
    rating: int
    at: datetime


def load(path: Path) -> list[Review]:
    with path.open(newline="") as f:
        rows = [Review(int(r["card_id"]), int(r["review_rating"]),
                       scheduling.as_utc(datetime.fromisoformat(r["review_time"])))
                for r in csv.DictReader(f)]
    rows.sort(key=lambda r: (r.at, r.card_id))
    return rows


def by_card(reviews: list[Review]) -> dict[int, list[Review]]:
    cards: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        cards[review.card_id].append(review)
    return cards


def predictions(cards: dict[int, list[Review]], cut: datetime, settings: Settings, *,
                before: bool = False) -> list[tuple[float, int]]:
    """(predicted recall, recalled) for every scored review at or after ``cut`` (before it,
    with ``before``): those at least a whole day after the card's previous review."""
    out = []
    for card_id, history in cards.items():
        schedule = None
        for review in history:
            if (schedule is not None and (review.at < cut) == before
                    and (review.at - schedule.last_review).days >= 1):
                p = scheduling.retrievability(schedule, review.at, settings)
                out.append((p, int(review.rating > Rating.AGAIN)))
            schedule = scheduling.review(schedule, Rating(review.rating), review.at, settings,
                                         card_id=card_id, seed=0)
    return out


def log_loss(pairs: list[tuple[float, int]]) -> float:
    eps = 1e-6
    return -sum(y * math.log(min(max(p, eps), 1 - eps))
                + (1 - y) * math.log(1 - min(max(p, eps), 1 - eps)) for p, y in pairs) / len(pairs)


def auc(pairs: list[tuple[float, int]]) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties counted half)."""
    ranked = sorted(pairs, key=lambda t: t[0])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        average_rank = (i + j + 1) / 2  # ranks i+1 .. j
        rank_sum += average_rank * sum(y for _, y in ranked[i:j])
        i = j
    positives = sum(y for _, y in pairs)
    negatives = len(pairs) - positives
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def fit_parameters(cards: dict[int, list[Review]], cut: datetime) -> list[float] | None:
    """FSRS-6 parameters fitted by fsrs-rs-python on the reviews before ``cut``; None without it."""
    try:
        import fsrs_rs_python as rs
    except ImportError:
        return None
    items = []
    for history in cards.values():
        train = [r for r in history if r.at < cut]
        reviews = []
        for n, review in enumerate(train):
            days = (review.at.date() - train[n - 1].at.date()).days if n else 0
            reviews.append(rs.FSRSReview(review.rating, days))
            item = rs.FSRSItem(list(reviews))
            if n and item.long_term_review_cnt() > 0:
                items.append(item)
    return list(rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(items))


def report(name: str, pairs: list[tuple[float, int]]) -> str:
    predicted = sum(p for p, _ in pairs) / len(pairs)
    observed = sum(y for _, y in pairs) / len(pairs)
    return (f"| {name} | {log_loss(pairs):.4f} | {auc(pairs):.4f} | {predicted:.3f} | "
            f"{observed:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--cut", type=float, default=0.75,
                        help="fraction of reviews (by time) in the training period")
    args = parser.parse_args()

    reviews = load(args.log)
    cut = reviews[int(len(reviews) * args.cut)].at
    cards = by_card(reviews)
    train = [r for r in reviews if r.at < cut]
    print(f"{len(reviews)} reviews of {len(cards)} cards; training period: {len(train)} reviews "
          f"before {cut:%Y-%m-%d %H:%M} UTC")

    started = time.perf_counter()
    default = predictions(cards, cut, Settings(enable_fuzzing=False))
    replay = time.perf_counter() - started
    print(f"scored reviews (later period, >= 1 day since the card's previous review): "
          f"{len(default)}; replay through quizapp.domain.scheduling: {replay:.2f} s")
    seen = predictions(cards, cut, Settings(enable_fuzzing=False), before=True)
    base_rate = sum(y for _, y in seen) / len(seen)
    print("\n| model | log loss | AUC | mean predicted | observed recall |")
    print("|---|---|---|---|---|")
    print(report(f"constant (training recall {base_rate:.3f})",
                 [(base_rate, y) for _, y in default]))
    print(report("FSRS-6, default parameters (quizapp)", default))
    started = time.perf_counter()
    fitted = fit_parameters(cards, cut)
    if fitted is None:
        print("\n(fsrs-rs-python is not installed: no fitted row)")
        return
    fit_time = time.perf_counter() - started
    tuned = predictions(cards, cut, Settings(enable_fuzzing=False, parameters=tuple(fitted)))
    print(report("FSRS-6, parameters fitted on the training period", tuned))
    print(f"\nfitting with fsrs-rs-python took {fit_time:.2f} s")


if __name__ == "__main__":
    main()
