"""The scheduling adapter: Anki's defaults, fsrs's arithmetic exactly, and the rating rules."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import fsrs
import pytest

from quizapp.domain import scheduling
from quizapp.domain.scheduling import CardSchedule, Phase, Rating, Settings

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
#: A fixed history: (rating, hours after the card was due) for each answer.
SEQUENCE = [
    (3, 0),
    (3, 0.2),
    (3, 5),
    (1, 30),
    (3, 0),
    (2, 4),
    (4, 12),
    (3, 0),
    (1, 72),
    (1, 0),
    (3, 0.1),
    (3, 2),
    (3, 0),
    (4, 24),
    (3, 0),
]


def _play(settings: Settings, *, card_id: int = 42) -> list[tuple[CardSchedule, datetime]]:
    """Answer the card as SEQUENCE says through the adapter; every schedule with its time."""
    schedule, now, out = None, T0, []
    for n, (rating, late_hours) in enumerate(SEQUENCE):
        schedule = scheduling.review(
            schedule,
            Rating(rating),
            now,
            settings,
            card_id=card_id,
            seed=scheduling.fuzz_seed("golden", n),
        )
        out.append((schedule, now))
        now = schedule.due + timedelta(hours=late_hours)
    return out


def _same(card: fsrs.Card, schedule: CardSchedule) -> None:
    assert (
        int(card.state),
        card.step,
        card.stability,
        card.difficulty,
        card.due,
        card.last_review,
    ) == (
        int(schedule.phase),
        schedule.step,
        schedule.stability,
        schedule.difficulty,
        schedule.due,
        schedule.last_review,
    )


def test_schedule_equals_fsrs_for_the_same_ratings_and_times_without_fuzz():
    played = _play(Settings(enable_fuzzing=False))
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=42, due=T0)
    for (rating, _late), (schedule, at) in zip(SEQUENCE, played, strict=True):
        card, _log = scheduler.review_card(card, fsrs.Rating(rating), at)
        _same(card, schedule)
    assert played[-1][0].phase == Phase.REVIEW
    assert played[-1][0].due - played[-1][1] > timedelta(days=3)


def test_fuzz_is_fsrs_fuzz_drawn_from_the_given_seed():
    """With fuzzing on, fsrs seeded with the same number gives the very same schedule."""
    played = _play(Settings())
    scheduler = fsrs.Scheduler()  # fuzzing on, drawing from the global random module
    card = fsrs.Card(card_id=42, due=T0)
    state = random.getstate()
    try:
        for n, ((rating, _late), (schedule, at)) in enumerate(zip(SEQUENCE, played, strict=True)):
            random.seed(scheduling.fuzz_seed("golden", n))
            card, _log = scheduler.review_card(card, fsrs.Rating(rating), at)
            _same(card, schedule)
    finally:
        random.setstate(state)
    unfuzzed = _play(Settings(enable_fuzzing=False))
    assert any(a[0].due != b[0].due for a, b in zip(played, unfuzzed, strict=True)), (
        "some interval in the sequence is long enough to be fuzzed"
    )


def test_defaults_are_ankis():
    settings = Settings()
    assert settings.desired_retention == 0.9
    assert settings.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert settings.relearning_steps == (timedelta(minutes=10),)
    assert settings.new_cards_per_day == 20
    assert settings.maximum_interval == 36500
    assert settings.enable_fuzzing is True
    assert settings.leech_threshold == 8
    intervals = scheduling.preview(None, T0, settings, card_id=1, seed=1)
    assert scheduling.format_interval(intervals[Rating.AGAIN]) == "1m"
    assert scheduling.format_interval(intervals[Rating.GOOD]) == "10m"
    assert intervals[Rating.HARD] == timedelta(minutes=5, seconds=30)
    assert intervals[Rating.EASY] >= timedelta(days=1)


def test_preview_equals_the_outcome_of_each_rating():
    schedule = _play(Settings())[5][0]
    now = schedule.due + timedelta(days=2)
    shown = scheduling.preview(schedule, now, Settings(), card_id=42, seed=7)
    for rating in Rating:
        after = scheduling.review(schedule, rating, now, Settings(), card_id=42, seed=7)
        assert after.due - now == shown[rating]


def test_higher_desired_retention_gives_shorter_intervals():
    schedule = _play(Settings(enable_fuzzing=False))[3][0]
    now = schedule.due
    strict = Settings(desired_retention=0.97, enable_fuzzing=False)
    relaxed = Settings(desired_retention=0.8, enable_fuzzing=False)
    good = Rating.GOOD
    assert (
        scheduling.review(schedule, good, now, strict, card_id=1, seed=1).due
        < scheduling.review(schedule, good, now, relaxed, card_id=1, seed=1).due
    )


def test_times_are_utc_exactly_whatever_comes_in():
    naive = datetime(2024, 3, 1, 9, 30)
    other_zone = T0.astimezone(timezone(timedelta(hours=2)))
    for given in (naive, other_zone, T0):
        schedule = scheduling.review(None, Rating.GOOD, given, Settings(), card_id=1, seed=1)
        assert schedule.due.tzinfo is UTC  # the very object fsrs checks for (timezone.utc)
        assert schedule.last_review == T0
    again = scheduling.review(
        schedule, Rating.GOOD, other_zone + timedelta(minutes=11), Settings(), card_id=1, seed=1
    )
    assert again.due.tzinfo is UTC  # the very object fsrs checks for (timezone.utc)


def test_lapses_count_forgotten_reviews_and_flag_a_leech_at_eight():
    settings = Settings(enable_fuzzing=False)
    schedule, now = None, T0
    for _ in range(3):  # learn it: into review
        schedule = scheduling.review(schedule, Rating.GOOD, now, settings, card_id=1, seed=1)
        now = schedule.due
    assert schedule.phase == Phase.REVIEW and schedule.lapses == 0
    for lapse in range(1, 9):
        schedule = scheduling.review(schedule, Rating.AGAIN, now, settings, card_id=1, seed=1)
        assert schedule.lapses == lapse
        assert schedule.leech is (lapse >= 8)
        # Again during relearning is not another lapse.
        now = schedule.due
        schedule = scheduling.review(schedule, Rating.AGAIN, now, settings, card_id=1, seed=1)
        assert schedule.lapses == lapse
        now = schedule.due
        schedule = scheduling.review(schedule, Rating.GOOD, now, settings, card_id=1, seed=1)
        now = schedule.due
    assert schedule.leech and schedule.reps == 3 + 8 * 3


def test_schedule_round_trips_through_a_dict():
    schedule = _play(Settings())[-1][0]
    assert CardSchedule.from_dict(schedule.to_dict()) == schedule
    learning = scheduling.review(None, Rating.AGAIN, T0, Settings(), card_id=1, seed=1)
    assert CardSchedule.from_dict(learning.to_dict()) == learning


@pytest.mark.parametrize(
    ("correct", "chosen", "expected"),
    [
        (False, None, Rating.AGAIN),
        (False, 1, Rating.AGAIN),
        (True, None, Rating.GOOD),
        (True, 2, Rating.HARD),
        (True, 4, Rating.EASY),
        (None, 1, Rating.AGAIN),
        (None, 4, Rating.EASY),
    ],
)
def test_rating_rules(correct, chosen, expected):
    assert scheduling.rating_for(correct, chosen) == expected


@pytest.mark.parametrize(
    ("correct", "chosen", "message"),
    [
        (False, 3, "a wrong answer is rated Again"),
        (True, 1, "a right answer is rated Hard, Good or Easy"),
        (None, None, "rate your recall"),
        (True, 7, "a rating is 1 (Again)"),
        (None, "x", "a rating is 1 (Again)"),
    ],
)
def test_rating_rules_refuse(correct, chosen, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        scheduling.rating_for(correct, chosen)


def test_allowed_ratings():
    assert scheduling.allowed_ratings(None) == tuple(Rating)
    assert scheduling.allowed_ratings(False) == (Rating.AGAIN,)
    assert scheduling.allowed_ratings(True) == (Rating.HARD, Rating.GOOD, Rating.EASY)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=20), "<1m"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=800), "2.2y"),
    ],
)
def test_format_interval(delta, text):
    assert scheduling.format_interval(delta) == text


def test_days_start_at_4_am_utc_by_default_or_midnight_if_chosen_and_durations_are_capped():
    late = datetime(2024, 3, 1, 23, 59, tzinfo=UTC)
    assert scheduling.day_start(late) == datetime(2024, 3, 1, 4, tzinfo=UTC)
    assert scheduling.next_day_start(late) == datetime(2024, 3, 2, 4, tzinfo=UTC)
    early = datetime(2024, 3, 2, 3, 59, tzinfo=UTC)
    assert scheduling.day_start(early) == datetime(2024, 3, 1, 4, tzinfo=UTC)
    midnight = scheduling.LearnerDay("UTC", 0)
    assert scheduling.day_start(late, midnight) == datetime(2024, 3, 1, tzinfo=UTC)
    assert scheduling.next_day_start(late, midnight) == datetime(2024, 3, 2, tzinfo=UTC)
    assert scheduling.clamp_duration(4321) == 4321
    assert scheduling.clamp_duration(3_600_000) == 60_000
    assert scheduling.clamp_duration(-5) == 0
    assert scheduling.clamp_duration("junk") == 0
    assert scheduling.clamp_duration(None) == 0


def test_settings_problems():
    assert scheduling.settings_problem(0.9, 20) is None
    assert scheduling.settings_problem(None, None) is None
    assert "retention" in scheduling.settings_problem(0.5, None)
    assert "retention" in scheduling.settings_problem(float("nan"), None)
    assert "New cards" in scheduling.settings_problem(None, -1)
    assert "New cards" in scheduling.settings_problem(None, True)


def _importers(module: str) -> list[str]:
    package = Path(scheduling.__file__).resolve().parent.parent
    pattern = re.compile(rf"^\s*(import|from) {module}(\s|\.|$)")
    return sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if any(pattern.match(line) for line in path.read_text(encoding="utf-8").splitlines())
    )


def test_only_the_scheduling_module_imports_fsrs():
    assert _importers("fsrs") == ["domain/scheduling.py"]


def test_only_the_optimizer_module_imports_the_fitter():
    assert _importers("fsrs_rs_python") == ["domain/optimizer.py"]


# --- load balancing ----------------------------------------------------------------------------


def _fuzz_days(interval: int, seed: int, day_load=None) -> int:
    return scheduling.fuzzed_days(interval, 36500, random.Random(seed), day_load)


def test_load_balancing_avoids_a_loaded_day_and_prefers_an_empty_one():
    low, high = scheduling.fuzz_range(30, 36500)
    days = range(low, high + 1)
    busy = low + 1
    # One day carries 50 cards, the others 5: over many seeds the busy day is (almost) never
    # drawn, though without a load it is drawn like any other.
    load = {day: (50 if day == busy else 5) for day in days}
    picks = [_fuzz_days(30, seed, load) for seed in range(400)]
    plain = [_fuzz_days(30, seed) for seed in range(400)]
    assert picks.count(busy) <= 2 < plain.count(busy)
    assert all(low <= day <= high for day in picks)
    # Every day loaded but one: the empty day wins most draws.
    empty = high - 1
    load = {day: (0 if day == empty else 10) for day in days}
    picks = [_fuzz_days(30, seed, load) for seed in range(400)]
    assert picks.count(empty) > 300
    # A function of the day offset works as the mapping does.
    assert [_fuzz_days(30, seed, lambda day: load[day]) for seed in range(400)] == picks


def test_load_balancing_is_deterministic_and_previews_equal_outcomes():
    settings = Settings()
    card = scheduling.review(None, Rating.EASY, T0, settings, card_id=7, seed=1)
    later = card.due
    load = {day: 3 * (day % 4) for day in range(0, 200)}
    first = scheduling.review(card, Rating.GOOD, later, settings, card_id=7, seed=99, day_load=load)
    again = scheduling.review(
        card, Rating.GOOD, later, settings, card_id=7, seed=99, day_load=dict(load)
    )
    assert first == again
    shown = scheduling.preview(card, later, settings, card_id=7, seed=99, day_load=load)
    assert later + shown[Rating.GOOD] == first.due
    # The chosen day is a lightly loaded one of the window.
    low, high = scheduling.load_window(card, later, settings, (Rating.GOOD,))
    chosen = (first.due - later).days
    assert low <= chosen <= high
    assert load[chosen] <= min(load[d] for d in range(low, high + 1)) + 3


def test_without_a_load_or_with_an_even_one_the_fuzz_is_unchanged():
    settings = Settings()
    card = scheduling.review(None, Rating.EASY, T0, settings, card_id=7, seed=1)
    for seed in range(50):
        plain = scheduling.review(card, Rating.GOOD, card.due, settings, card_id=7, seed=seed)
        assert (
            scheduling.review(
                card, Rating.GOOD, card.due, settings, card_id=7, seed=seed, day_load=None
            )
            == plain
        )
        # Nothing to balance: every day equally loaded (or empty) draws as fsrs does.
        assert (
            scheduling.review(
                card, Rating.GOOD, card.due, settings, card_id=7, seed=seed, day_load={}
            )
            == plain
        )
        assert (
            scheduling.review(
                card, Rating.GOOD, card.due, settings, card_id=7, seed=seed, day_load=lambda day: 4
            )
            == plain
        )


def test_the_load_window_is_none_when_no_rating_ends_in_a_fuzzed_review():
    settings = Settings()
    # A new card's Again, Hard and Good stay in learning steps: no load is needed.
    assert (
        scheduling.load_window(None, T0, settings, (Rating.AGAIN, Rating.HARD, Rating.GOOD)) is None
    )
    # Easy graduates it to a review interval of days: its fuzz range.
    easy = (
        scheduling.review(
            None, Rating.EASY, T0, Settings(enable_fuzzing=False), card_id=1, seed=0
        ).due
        - T0
    ).days
    assert scheduling.load_window(None, T0, settings, (Rating.EASY,)) == scheduling.fuzz_range(
        easy, settings.maximum_interval
    )
    assert scheduling.load_window(None, T0, Settings(enable_fuzzing=False)) is None
