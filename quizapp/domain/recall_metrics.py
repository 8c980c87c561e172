"""How well predicted recall matches what happened: log loss, RMSE(bins) and AUC.

Pure functions over :class:`Prediction` rows, defined as the open-spaced-repetition benchmark
(srs-benchmark) defines them, so that quizapp's figures compare with published ones:

- **log loss**: mean binary cross-entropy of the predicted recall against recalled (any rating but
  Again) or forgotten;
- **RMSE(bins)**: predictions are grouped by three binned features of the review — days since the
  previous review (log base 3.62), how many reviews the card had (log base 1.89) and its lapses
  so far (log base 1.73) — and the root mean squared difference between each bin's mean
  prediction and its observed recall rate, weighted by the bin's size;
- **AUC**: area under the ROC curve (Mann-Whitney U, ties counted half).

:func:`card_bootstrap` gives a confidence interval on the difference of a metric between two
models by resampling whole cards, because a card's reviews are not independent of each other.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_EPS = 1e-6


@dataclass(frozen=True)
class Prediction:
    """One scored review: the model's predicted recall ``p`` and the outcome ``y`` (1 recalled)."""

    card_id: int
    p: float
    y: int
    #: Whole days since the card's previous review (as the scheduler counts them).
    elapsed_days: int
    #: This review's number for its card (2 for the first review after the first one).
    review_number: int
    #: Lapses before this review: earlier reviews rated Again at least a day after the previous.
    lapses: int


def log_loss(rows: Sequence[Prediction]) -> float:
    total = 0.0
    for row in rows:
        p = min(max(row.p, _EPS), 1 - _EPS)
        total += -(row.y * math.log(p) + (1 - row.y) * math.log(1 - p))
    return total / len(rows)


def _bin(value: float, base: float, scale: float) -> float:
    return round(scale * base ** math.floor(math.log(max(value, _EPS)) / math.log(base)), 2)


def rmse_bins(rows: Sequence[Prediction]) -> float:
    bins: dict[tuple[float, float, float], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in rows:
        key = (
            _bin(row.elapsed_days, 3.62, 2.48),
            round(_bin(row.review_number, 1.89, 1.99)),
            round(_bin(row.lapses, 1.73, 1.65)) if row.lapses else 0,
        )
        acc = bins[key]
        acc[0] += row.p
        acc[1] += row.y
        acc[2] += 1
    squared = sum(n * (p / n - y / n) ** 2 for p, y, n in bins.values())
    return math.sqrt(squared / sum(n for _, _, n in bins.values()))


def auc(rows: Sequence[Prediction]) -> float:
    ranked = sorted(rows, key=lambda row: row.p)
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j].p == ranked[i].p:
            j += 1
        average_rank = (i + j + 1) / 2  # ranks i+1 .. j
        rank_sum += average_rank * sum(row.y for row in ranked[i:j])
        i = j
    positives = sum(row.y for row in rows)
    negatives = len(rows) - positives
    if not positives or not negatives:
        return float("nan")
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


METRICS: dict[str, Callable[[Sequence[Prediction]], float]] = {
    "log_loss": log_loss,
    "rmse_bins": rmse_bins,
    "auc": auc,
}


def card_bootstrap(
    base: Sequence[Prediction],
    other: Sequence[Prediction],
    metric: Callable[[Sequence[Prediction]], float],
    *,
    rounds: int = 1000,
    seed: int = 0,
) -> tuple[float, float, float]:
    """``metric(other) - metric(base)`` and its 95% interval, resampling cards with replacement.

    ``base`` and ``other`` must score the same reviews (two models' predictions of one log).
    """
    by_card_base: dict[int, list[Prediction]] = defaultdict(list)
    by_card_other: dict[int, list[Prediction]] = defaultdict(list)
    for row in base:
        by_card_base[row.card_id].append(row)
    for row in other:
        by_card_other[row.card_id].append(row)
    cards = sorted(by_card_base)
    rng = random.Random(seed)
    differences = []
    for _ in range(rounds):
        sample = [cards[rng.randrange(len(cards))] for _ in cards]
        b = [row for card in sample for row in by_card_base[card]]
        o = [row for card in sample for row in by_card_other[card]]
        differences.append(metric(o) - metric(b))
    differences.sort()
    low = differences[int(0.025 * rounds)]
    high = differences[min(rounds - 1, int(0.975 * rounds))]
    return metric(other) - metric(base), low, high
