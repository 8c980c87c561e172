"""Scheduling: the one module that talks to ``fsrs`` (py-fsrs 6.3).

It owns the rules that turn an answer into a rating, the settings a schedule is computed with
(Anki's defaults), and the step from one card schedule to the next. Everything is pure and takes
``now`` as an argument; times are aware UTC datetimes (``tzinfo is UTC``, the same object as
``timezone.utc``, which fsrs requires), and a schedule round-trips through
:meth:`CardSchedule.to_dict` for the review log (undo restores from it).

Fuzz: fsrs draws its interval fuzz from the global ``random`` module, which makes the interval
shown on a rating button differ from the one the answer then gets, and tests non-deterministic.
Here fsrs computes the unfuzzed schedule and the same fuzz (fsrs's own ranges and formula) is drawn
from a ``random.Random`` seeded by the caller (the service seeds it with learner, card and
repetition count, as Anki seeds with card id and reps), so a preview equals the outcome and
re-computing a review (changing its rating) is reproducible.

Load balancing (as Anki 24.11): given ``day_load``, the number of the learner's cards already due
on each day of the fuzz range, the fuzzed day is drawn with weights favouring the less loaded
days (each candidate weighs ``1 / ((load + 1) ** 2 * days)``), from the same seeded generator,
so it stays reproducible; without ``day_load``, or when every candidate day is equally loaded,
the fuzz is fsrs's own draw.
"""

from __future__ import annotations

import enum
import hashlib
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import fsrs
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    FUZZ_RANGES,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

DEFAULT_DESIRED_RETENTION = 0.9
DEFAULT_NEW_CARDS_PER_DAY = 20
DEFAULT_LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
DEFAULT_RELEARNING_STEPS = (timedelta(minutes=10),)
DEFAULT_MAXIMUM_INTERVAL = 36500
#: fsrs's (lower, upper) bound of each FSRS-6 parameter: fitted parameters are clamped into them.
PARAMETER_BOUNDS: tuple[tuple[float, float], ...] = tuple(
    zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
)
#: Anki's leech threshold: a card forgotten this many times (after it was learnt) is flagged.
LEECH_THRESHOLD = 8
#: Response times above this are stored as this (a learner who walked away is not "slow").
MAX_DURATION_MS = 60_000
#: Bounds accepted for the settings a deck owner or learner may change.
RETENTION_RANGE = (0.70, 0.99)
NEW_CARDS_RANGE = (0, 9999)


class Rating(enum.IntEnum):
    """The four answers to "how well did you recall it?", numbered as in Anki and fsrs."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Phase(enum.IntEnum):
    """Where a seen card is in its life (fsrs.State): numbers are stored in ``card_states``."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class Settings:
    """What a schedule is computed with; the defaults are Anki's."""

    desired_retention: float = DEFAULT_DESIRED_RETENTION
    new_cards_per_day: int = DEFAULT_NEW_CARDS_PER_DAY
    learning_steps: tuple[timedelta, ...] = DEFAULT_LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = DEFAULT_RELEARNING_STEPS
    maximum_interval: int = DEFAULT_MAXIMUM_INTERVAL
    enable_fuzzing: bool = True
    leech_threshold: int = LEECH_THRESHOLD
    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)


@dataclass
class CardSchedule:
    """A learner's schedule of one card: fsrs's card plus the counters Anki keeps beside it."""

    phase: Phase
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    leech: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe mapping (ISO 8601 UTC times) that :meth:`from_dict` reads back exactly."""
        return {
            "state": int(self.phase),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "leech": self.leech,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardSchedule:
        last = data.get("last_review")
        return cls(
            phase=Phase(int(data["state"])),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            due=as_utc(datetime.fromisoformat(data["due"])),
            last_review=as_utc(datetime.fromisoformat(last)) if last else None,
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            leech=bool(data.get("leech", False)),
        )


def as_utc(moment: datetime) -> datetime:
    """``moment`` with ``tzinfo`` exactly ``UTC``; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    if moment.tzinfo is UTC:
        return moment
    return moment.astimezone(UTC)


@lru_cache(maxsize=64)
def _scheduler(
    parameters: tuple[float, ...],
    desired_retention: float,
    learning_steps: tuple[timedelta, ...],
    relearning_steps: tuple[timedelta, ...],
    maximum_interval: int,
) -> fsrs.Scheduler:
    # Fuzzing is applied here, from a seeded generator: see the module docstring.
    return fsrs.Scheduler(
        parameters=parameters,
        desired_retention=desired_retention,
        learning_steps=learning_steps,
        relearning_steps=relearning_steps,
        maximum_interval=maximum_interval,
        enable_fuzzing=False,
    )


def scheduler_for(settings: Settings) -> fsrs.Scheduler:
    return _scheduler(
        settings.parameters,
        settings.desired_retention,
        settings.learning_steps,
        settings.relearning_steps,
        settings.maximum_interval,
    )


def fuzz_seed(*parts: object) -> int:
    """A stable 64-bit seed from ``parts`` (the same in every process, unlike ``hash``)."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


#: How many cards are due on each day, by offset from the learner's current study day (0 is
#: today): a mapping (missing days count 0) or a function of the offset.
DayLoad = Mapping[int, int] | Callable[[int], int]


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int] | None:
    """The days (lowest, highest) fsrs's fuzz may turn ``interval_days`` into; None when it is
    not fuzzed (under 3 days)."""
    if interval_days < 2.5:
        return None
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(interval_days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    min_ivl = max(2, round(interval_days - delta))
    max_ivl = min(round(interval_days + delta), maximum_interval)
    return min(min_ivl, max_ivl), max_ivl


def fuzzed_days(
    interval_days: int, maximum_interval: int, rng: random.Random, day_load: DayLoad | None = None
) -> int:
    """fsrs's fuzz (``Scheduler._get_fuzzed_interval``), drawn from ``rng``.

    With ``day_load``, load-balanced: each day of the fuzz range weighs
    ``1 / ((cards due that day + 1) ** 2 * days)``, so an empty day is far likelier than a busy
    one and, between equally loaded days, the nearer is slightly likelier. When every day of
    the range is equally loaded (an empty schedule), there is nothing to balance and the draw is
    fsrs's own, as without ``day_load``.
    """
    bounds = fuzz_range(interval_days, maximum_interval)
    if bounds is None:
        return interval_days
    min_ivl, max_ivl = bounds
    candidates = range(min_ivl, max_ivl + 1)
    loads: list[int] = []
    if day_load is not None:
        load = day_load if callable(day_load) else (lambda day: day_load.get(day, 0))
        loads = [max(0, int(load(day))) for day in candidates]
    if len(set(loads)) <= 1:
        # Nothing to balance (no load given, or every day equally loaded): fsrs's own draw.
        days = rng.random() * (max_ivl - min_ivl + 1) + min_ivl
        return min(round(days), maximum_interval)
    weights = [1.0 / ((count + 1) ** 2 * day) for day, count in zip(candidates, loads, strict=True)]
    point = rng.random() * sum(weights)
    for day, weight in zip(candidates, weights, strict=True):
        point -= weight
        if point < 0:
            return day
    return max_ivl


def load_window(
    schedule: CardSchedule | None,
    now: datetime,
    settings: Settings,
    ratings: Sequence[Rating] = tuple(Rating),
) -> tuple[int, int] | None:
    """The day offsets (first, last) whose load :func:`review` may consult for any of
    ``ratings``; None when none of them ends in a fuzzed review interval (3 days or more), so
    no load is needed."""
    if not settings.enable_fuzzing:
        return None
    now = as_utc(now)
    bounds = [
        b
        for b in (
            fuzz_range(days, settings.maximum_interval)
            for days in (_unfuzzed_days(schedule, r, now, settings) for r in ratings)
            if days is not None
        )
        if b is not None
    ]
    if not bounds:
        return None
    return min(b[0] for b in bounds), max(b[1] for b in bounds)


def _fsrs_card(schedule: CardSchedule | None, now: datetime, card_id: int) -> fsrs.Card:
    if schedule is None:
        return fsrs.Card(card_id=card_id, due=now)
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(int(schedule.phase)),
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=as_utc(schedule.due),
        last_review=as_utc(schedule.last_review) if schedule.last_review else None,
    )


def _unfuzzed_days(
    schedule: CardSchedule | None, rating: Rating, now: datetime, settings: Settings
) -> int | None:
    after, _log = scheduler_for(settings).review_card(
        _fsrs_card(schedule, now, 0), fsrs.Rating(int(rating)), now
    )
    return (after.due - now).days if after.state == fsrs.State.Review else None


def review(
    schedule: CardSchedule | None,
    rating: Rating,
    now: datetime,
    settings: Settings,
    *,
    card_id: int,
    seed: int,
    day_load: DayLoad | None = None,
) -> CardSchedule:
    """The card's schedule after an answer rated ``rating`` at ``now``.

    ``schedule`` None means the card is new. ``card_id`` is only passed through to fsrs (a
    ``fsrs.Card`` made without one sleeps a millisecond); ``seed`` makes the fuzz reproducible;
    ``day_load`` (cards due per day offset, see :func:`fuzzed_days`) load-balances it.
    """
    now = as_utc(now)
    rating = Rating(rating)
    card = _fsrs_card(schedule, now, card_id)
    if schedule is None:
        before_phase, reps, lapses, leech = None, 0, 0, False
    else:
        before_phase, reps = schedule.phase, schedule.reps
        lapses, leech = schedule.lapses, schedule.leech
    after, _log = scheduler_for(settings).review_card(card, fsrs.Rating(int(rating)), now)
    due = after.due
    if settings.enable_fuzzing and after.state == fsrs.State.Review:
        days = (after.due - now).days
        due = now + timedelta(
            days=fuzzed_days(days, settings.maximum_interval, random.Random(seed), day_load)
        )
    if before_phase == Phase.REVIEW and rating == Rating.AGAIN:
        lapses += 1
    return CardSchedule(
        phase=Phase(int(after.state)),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=due,
        last_review=after.last_review,
        reps=reps + 1,
        lapses=lapses,
        leech=leech or lapses >= settings.leech_threshold,
    )


def preview(
    schedule: CardSchedule | None,
    now: datetime,
    settings: Settings,
    *,
    card_id: int,
    seed: int,
    ratings: Sequence[Rating] = tuple(Rating),
    day_load: DayLoad | None = None,
) -> dict[Rating, timedelta]:
    """How long until the card is due again after each of ``ratings`` at ``now``."""
    return {
        r: review(schedule, r, now, settings, card_id=card_id, seed=seed, day_load=day_load).due
        - as_utc(now)
        for r in ratings
    }


def retrievability(schedule: CardSchedule | None, now: datetime, settings: Settings) -> float:
    """fsrs's predicted probability that the card is recalled at ``now`` (0 for a new card).

    As in fsrs, the time since the last review counts in whole days.
    """
    if schedule is None or schedule.last_review is None or schedule.stability is None:
        return 0.0
    card = fsrs.Card(
        card_id=0,
        state=fsrs.State(int(schedule.phase)),
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=as_utc(schedule.due),
        last_review=as_utc(schedule.last_review),
    )
    return float(scheduler_for(settings).get_card_retrievability(card, as_utc(now)))


def forgetting_curve(stability: float, elapsed_days: int, parameters: Sequence[float]) -> float:
    """FSRS-6's predicted recall after ``elapsed_days`` at ``stability`` (as fsrs computes it).

    For scoring many predictions at once from memory states computed elsewhere (the optimizer);
    a test checks it equals :func:`retrievability`.
    """
    factor, decay = curve_terms(parameters)
    return float((1 + factor * max(0, elapsed_days) / stability) ** decay)


def curve_terms(parameters: Sequence[float]) -> tuple[float, float]:
    """``(factor, decay)`` of fsrs's forgetting curve, R = (1 + factor * days / S) ** decay with
    ``days`` the whole days since the last review: what :func:`retrievability` computes, for
    code that computes it for many cards at once (in SQL: services/analytics)."""
    decay = -parameters[20]
    return 0.9 ** (1 / decay) - 1, decay


# --- ratings from answers --------------------------------------------------------------------

AUTO_CORRECT_RATINGS = (Rating.HARD, Rating.GOOD, Rating.EASY)


def allowed_ratings(correct: bool | None) -> tuple[Rating, ...]:
    """The ratings a learner may give: all four when self-rated (``correct`` None); Again only
    for a wrong auto-graded answer; Hard, Good or Easy for a right one."""
    if correct is None:
        return tuple(Rating)
    return AUTO_CORRECT_RATINGS if correct else (Rating.AGAIN,)


def rating_for(correct: bool | None, chosen: int | None) -> Rating:
    """The rating an answer is recorded with.

    Auto-graded (``correct`` True/False): wrong is Again, right is Good unless the learner chose
    Hard or Easy (never Easy without the learner choosing it). Self-rated: the learner's choice,
    which is then required. ``ValueError`` (with a message for the learner) otherwise.
    """
    if chosen is not None:
        try:
            chosen_rating = Rating(int(chosen))
        except (TypeError, ValueError):
            raise ValueError("a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)") from None
    else:
        chosen_rating = None
    if correct is None:
        if chosen_rating is None:
            raise ValueError("rate your recall: 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
        return chosen_rating
    if not correct:
        if chosen_rating not in (None, Rating.AGAIN):
            raise ValueError("a wrong answer is rated Again")
        return Rating.AGAIN
    if chosen_rating is None:
        return Rating.GOOD
    if chosen_rating == Rating.AGAIN:
        raise ValueError("a right answer is rated Hard, Good or Easy")
    return chosen_rating


# --- days and display ------------------------------------------------------------------------

#: Anki's default: a study day starts at 4 a.m. in the learner's time zone.
DEFAULT_DAY_STARTS_AT = 4


@dataclass(frozen=True)
class LearnerDay:
    """Where a learner's study day begins: an hour of the day in their IANA time zone."""

    timezone: str = "UTC"
    starts_at: int = DEFAULT_DAY_STARTS_AT

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows ("Europe/Berlin", "UTC")."""
    return isinstance(name, str) and name in _time_zones()


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def time_zones() -> list[str]:
    """Every known IANA time zone, sorted, for a picker."""
    return sorted(_time_zones())


def day_start(now: datetime, day: LearnerDay = LearnerDay()) -> datetime:
    """The start (UTC) of the learner's study day containing ``now``.

    The day starts at ``day.starts_at`` o'clock local time; across a daylight-saving change the
    day is 23 or 25 hours long, as the learner's clock says.
    """
    zone = day.zone()
    local = as_utc(now).astimezone(zone)
    start = datetime.combine(local.date(), time(day.starts_at), tzinfo=zone)
    if start > local:
        start = datetime.combine(local.date() - timedelta(days=1), time(day.starts_at), tzinfo=zone)
    return start.astimezone(UTC)


def next_day_start(now: datetime, day: LearnerDay = LearnerDay()) -> datetime:
    """The start (UTC) of the learner's next study day after the one containing ``now``."""
    zone = day.zone()
    local_start = day_start(now, day).astimezone(zone)
    following = datetime.combine(
        local_start.date() + timedelta(days=1), time(day.starts_at), tzinfo=zone
    )
    return following.astimezone(UTC)


def clamp_duration(duration_ms: Any) -> int:
    """A response time in milliseconds, 0 to :data:`MAX_DURATION_MS`; junk counts as 0."""
    try:
        value = int(duration_ms)
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(0, min(value, MAX_DURATION_MS))


def format_interval(delta: timedelta) -> str:
    """A short interval as Anki shows it on its buttons: "1m", "10m", "3h", "3d", "1.2mo", "2y"."""
    seconds = max(delta.total_seconds(), 0)
    minutes = seconds / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{math.floor(minutes + 0.5)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{math.floor(hours + 0.5)}h"
    days = hours / 24
    if days < 30:
        return f"{math.floor(days + 0.5)}d"
    if days < 365:
        return _one_decimal(days / 30) + "mo"
    return _one_decimal(days / 365) + "y"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def settings_problem(desired_retention: float | None, new_cards_per_day: int | None) -> str | None:
    """Why these settings cannot be used, or None (None values mean "inherit")."""
    if desired_retention is not None:
        low, high = RETENTION_RANGE
        if not (
            isinstance(desired_retention, int | float)
            and math.isfinite(desired_retention)
            and low <= desired_retention <= high
        ):
            return f"Desired retention must be between {low:.2f} and {high:.2f} (e.g. 0.90)."
    if new_cards_per_day is not None:
        low_n, high_n = NEW_CARDS_RANGE
        if (
            not isinstance(new_cards_per_day, int)
            or isinstance(new_cards_per_day, bool)
            or not low_n <= new_cards_per_day <= high_n
        ):
            return f"New cards per day must be a whole number from {low_n} to {high_n}."
    return None


def with_overrides(
    base: Settings, *, desired_retention: float | None = None, new_cards_per_day: int | None = None
) -> Settings:
    """``base`` with the given (non-None) settings replaced."""
    changes: dict[str, Any] = {}
    if desired_retention is not None:
        changes["desired_retention"] = float(desired_retention)
    if new_cards_per_day is not None:
        changes["new_cards_per_day"] = int(new_cards_per_day)
    return replace(base, **changes) if changes else base
