"""FSRS parameters fitted to a learner's own reviews, and the honest way to score them.

The only importer of ``fsrs_rs_python`` (the Rust FSRS optimizer; no torch), as
:mod:`quizapp.domain.scheduling` is the only importer of ``fsrs``. When the package is missing or
the fit fails, :func:`fit_parameters` returns None and quizapp keeps the default parameters.

Days are counted exactly as the scheduler counts them: whole 24-hour periods since the card's
previous review (py-fsrs's ``(now - last_review).days``), so that the fitter learns from the same
intervals the scheduler later predicts over. A training item is a card's history up to a review
that came at least a day after the previous one (the target); same-day reviews stay in the
history (FSRS-6 models them) but are never targets.

:func:`time_series_folds` and :func:`predict` implement the srs-benchmark protocol: reviews in
time order cut into six equal parts; fold k trains on the parts before part k+1 and scores that
part. Predictions come from replaying each card through :mod:`quizapp.domain.scheduling` itself,
so the figures are those of the scheduler learners actually meet.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from . import scheduling
from .recall_metrics import Prediction
from .scheduling import Rating, Settings

try:  # optional at run time: study goes on with the defaults without it
    import fsrs_rs_python as _rs
except ImportError:  # pragma: no cover - exercised only where the package is absent
    _rs = None  # type: ignore[assignment]  # None stands for "not installed", checked before use


@dataclass(frozen=True)
class ReviewEvent:
    """One review of one card: what the learner answered and when (UTC)."""

    card_id: int
    rating: int
    at: datetime


def available() -> bool:
    """Whether the fitter (fsrs-rs-python) is installed."""
    return _rs is not None


def elapsed_days(previous: datetime, now: datetime) -> int:
    """Whole 24-hour periods from ``previous`` to ``now``, as py-fsrs counts them."""
    return max(0, (now - previous).days)


def histories(events: Iterable[ReviewEvent]) -> dict[int, list[ReviewEvent]]:
    """Each card's reviews in time order."""
    cards: dict[int, list[ReviewEvent]] = defaultdict(list)
    for event in sorted(events, key=lambda e: (e.at, e.card_id)):
        cards[event.card_id].append(event)
    return dict(cards)


def _item_reviews(history: Sequence[ReviewEvent]) -> list[tuple[int, int]]:
    """(rating, days since the previous review) for each review; 0 for the first."""
    return [
        (event.rating, elapsed_days(history[n - 1].at, event.at) if n else 0)
        for n, event in enumerate(history)
    ]


def training_targets(
    cards: dict[int, list[ReviewEvent]],
    *,
    before: datetime | None = None,
) -> list[tuple[list[tuple[int, int]], datetime]]:
    """Each training item (a card's history up to a long-term target before ``before``) with
    the time of its target."""
    targets = []
    for history in cards.values():
        train = [e for e in history if before is None or e.at < before]
        reviews = _item_reviews(train)
        for n in range(1, len(reviews)):
            if reviews[n][1] >= 1:
                targets.append((reviews[: n + 1], train[n].at))
    return targets


def training_items(
    cards: dict[int, list[ReviewEvent]],
    *,
    before: datetime | None = None,
) -> list[list[tuple[int, int]]]:
    """Training items: each card's history up to every long-term target before ``before``."""
    return [item for item, _ in training_targets(cards, before=before)]


def clamp(parameters: Sequence[float]) -> tuple[float, ...]:
    return tuple(
        min(max(float(v), low), high)
        for v, (low, high) in zip(parameters, scheduling.PARAMETER_BOUNDS, strict=True)
    )


def fit_parameters(
    items: Sequence[Sequence[tuple[int, int]]], *, weights: Sequence[int] | None = None
) -> tuple[float, ...] | None:
    """FSRS-6 parameters fitted on ``items`` (clamped to py-fsrs's bounds), or None.

    ``weights`` repeats item i ``weights[i]`` times (a recency-weighted fit gives later items
    more weight). None when fsrs-rs-python is missing, there is nothing to fit, or the fit fails.
    """
    if _rs is None or not items:
        return None
    rs_items = []
    for n, item in enumerate(items):
        rs_item = _rs.FSRSItem([_rs.FSRSReview(rating, days) for rating, days in item])
        rs_items.extend([rs_item] * (weights[n] if weights else 1))
    try:
        fitted = _rs.FSRS(_rs.DEFAULT_PARAMETERS).compute_parameters(rs_items)
    except Exception:  # the Rust side raises plain exceptions on degenerate data
        return None
    if len(fitted) != len(scheduling.PARAMETER_BOUNDS) or not all(math.isfinite(v) for v in fitted):
        return None
    return clamp(fitted)


def recency_weights(
    items: Sequence[Sequence[tuple[int, int]]], order: Sequence[datetime], *, most: int = 3
) -> list[int]:
    """Integer weights rising from 1 (oldest third) to ``most`` (newest third) by target time."""
    ranked = sorted(range(len(items)), key=lambda i: order[i])
    weights = [1] * len(items)
    for rank, i in enumerate(ranked):
        weights[i] = 1 + (rank * most) // max(1, len(items))
    return weights


def memory_state(
    item: Sequence[tuple[int, int]], parameters: Sequence[float]
) -> tuple[float, float] | None:
    """(stability, difficulty) after ``item`` according to the fitter, or None without it."""
    if _rs is None:
        return None
    state = _rs.FSRS(list(parameters)).memory_state(
        _rs.FSRSItem([_rs.FSRSReview(rating, days) for rating, days in item])
    )
    return state.stability, state.difficulty


def time_series_folds(
    events: Sequence[ReviewEvent],
    *,
    splits: int = 5,
) -> list[tuple[datetime, datetime | None]]:
    """``splits`` (train-before, test-until) time windows, as scikit-learn's TimeSeriesSplit.

    Fold k trains on every review before ``train_before`` and scores the reviews from there up
    to ``test_until`` (None: to the end).
    """
    ordered = sorted(e.at for e in events)
    size = len(ordered) // (splits + 1)
    folds = []
    for k in range(splits):
        start = len(ordered) - (splits - k) * size
        end = start + size
        folds.append((ordered[start], ordered[end] if end < len(ordered) else None))
    return folds


def predict(
    cards: dict[int, list[ReviewEvent]],
    settings: Settings,
    *,
    start: datetime,
    end: datetime | None,
) -> list[Prediction]:
    """Predicted recall of every scored review in [start, end): replayed through the scheduler.

    A review is scored when it comes at least a whole day after the card's previous review; every
    earlier review (same-day ones included) still shapes the card's state.
    """
    out = []
    for card_id, history in cards.items():
        schedule = None
        lapses = 0
        for number, event in enumerate(history, start=1):
            if schedule is not None and schedule.last_review is not None:
                days = elapsed_days(schedule.last_review, event.at)
                if days >= 1 and event.at >= start and (end is None or event.at < end):
                    out.append(
                        Prediction(
                            card_id=card_id,
                            p=scheduling.retrievability(schedule, event.at, settings),
                            y=int(event.rating > Rating.AGAIN),
                            elapsed_days=days,
                            review_number=number,
                            lapses=lapses,
                        )
                    )
                if days >= 1 and event.rating == Rating.AGAIN:
                    lapses += 1
            schedule = scheduling.review(
                schedule, Rating(event.rating), event.at, settings, card_id=card_id, seed=0
            )
    return out


#: Optimizing needs this many reviews (Anki asks for about as many before its optimizer helps).
MIN_REVIEWS = 1000


@dataclass(frozen=True)
class Optimization:
    """A learner's fit: the parameters, what they were judged on, and whether they are taken.

    The held-out figures pool five time-series folds of the learner's own reviews; the fitted
    parameters are accepted only when both log loss and RMSE(bins) are no worse than the
    defaults'. ``parameters`` is the fit on every review (None when fitting failed).
    """

    parameters: tuple[float, ...] | None
    reviews: int
    scored: int
    default_log_loss: float | None
    default_rmse_bins: float | None
    fitted_log_loss: float | None
    fitted_rmse_bins: float | None
    accepted: bool
    reason: str


def predict_from_memory_states(
    cards: dict[int, list[ReviewEvent]],
    parameters: Sequence[float],
    *,
    start: datetime,
    end: datetime | None,
) -> list[Prediction]:
    """:func:`predict` computed from the fitter's memory states: the same figures (a test checks
    the states agree), a hundred times faster, for judging a learner's fit while they wait."""
    if _rs is None:
        raise RuntimeError("fsrs-rs-python is not installed")
    model = _rs.FSRS(list(parameters))
    out = []
    for card_id, history in cards.items():
        reviews = _item_reviews(history)
        states = model.historical_memory_states(
            _rs.FSRSItem([_rs.FSRSReview(rating, days) for rating, days in reviews])
        )
        lapses = 0
        for n in range(1, len(history)):
            days = reviews[n][1]
            event = history[n]
            if days >= 1 and event.at >= start and (end is None or event.at < end):
                out.append(
                    Prediction(
                        card_id=card_id,
                        p=scheduling.forgetting_curve(states[n - 1].stability, days, parameters),
                        y=int(event.rating > Rating.AGAIN),
                        elapsed_days=days,
                        review_number=n + 1,
                        lapses=lapses,
                    )
                )
            if days >= 1 and event.rating == Rating.AGAIN:
                lapses += 1
    return out


def optimize(events: Sequence[ReviewEvent]) -> Optimization:
    """Fit FSRS-6 to ``events`` (one learner's reviews) and judge the fit on held-out folds."""
    from .recall_metrics import log_loss, rmse_bins

    def refused(reason: str, **figures: float | None) -> Optimization:
        return Optimization(
            parameters=None,
            reviews=len(events),
            scored=0,
            default_log_loss=figures.get("dl"),
            default_rmse_bins=figures.get("dr"),
            fitted_log_loss=None,
            fitted_rmse_bins=None,
            accepted=False,
            reason=reason,
        )

    if not available():
        return refused("the optimizer (fsrs-rs-python) is not installed")
    if len(events) < MIN_REVIEWS:
        return refused(f"needs at least {MIN_REVIEWS:,} reviews ({len(events):,} so far)")
    cards = histories(events)
    plain = Settings(enable_fuzzing=False)
    default_rows: list[Prediction] = []
    fitted_rows: list[Prediction] = []
    for train_before, test_until in time_series_folds(events):
        fold_parameters = fit_parameters(training_items(cards, before=train_before))
        if fold_parameters is None:
            return refused("the fit failed on part of the reviews")
        default_rows += predict_from_memory_states(
            cards, plain.parameters, start=train_before, end=test_until
        )
        fitted_rows += predict_from_memory_states(
            cards, fold_parameters, start=train_before, end=test_until
        )
    if not default_rows:
        return refused("no review came a day or more after the previous one")
    dl, dr = log_loss(default_rows), rmse_bins(default_rows)
    fl, fr = log_loss(fitted_rows), rmse_bins(fitted_rows)
    parameters = fit_parameters(training_items(cards))
    if parameters is None:
        return refused("the fit failed", dl=dl, dr=dr)
    accepted = fl <= dl and fr <= dr
    return Optimization(
        parameters=parameters,
        reviews=len(events),
        scored=len(default_rows),
        default_log_loss=dl,
        default_rmse_bins=dr,
        fitted_log_loss=fl,
        fitted_rmse_bins=fr,
        accepted=accepted,
        reason="predicts your reviews better than the defaults"
        if accepted
        else "does not predict your reviews better than the defaults: keeping the defaults",
    )
