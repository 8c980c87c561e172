"""A class's wall clock across the 2026 changes in New York, checked by hand: clocks went from
02:00 EST (UTC-5) to 03:00 EDT (UTC-4) on Sunday 8 March, and back on Sunday 1 November."""

from __future__ import annotations

from datetime import UTC, date, datetime

from quizapp.domain import class_time

NY = "America/New_York"


def test_a_date_alone_ends_at_23_59_in_the_class_zone_on_either_side_of_the_change():
    # Saturday 7 March, 23:59 EST = 04:59 UTC on the 8th.
    assert class_time.end_of_day(date(2026, 3, 7), NY) == datetime(2026, 3, 8, 4, 59, tzinfo=UTC)
    # Sunday 8 March (the change day), 23:59 EDT = 03:59 UTC on the 9th: an hour earlier in UTC.
    assert class_time.end_of_day(date(2026, 3, 8), NY) == datetime(2026, 3, 9, 3, 59, tzinfo=UTC)
    assert class_time.end_of_day(date(2026, 3, 8), "UTC") == datetime(
        2026, 3, 8, 23, 59, tzinfo=UTC
    )


def test_wall_clock_times_round_trip_through_utc():
    before = class_time.from_local(datetime(2026, 3, 7, 9, 0), NY)
    after = class_time.from_local(datetime(2026, 3, 9, 9, 0), NY)
    assert (before, after) == (
        datetime(2026, 3, 7, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
    )
    assert (after - before).total_seconds() == 47 * 3600  # two calendar days, one hour short
    assert class_time.to_local(after, NY) == datetime(2026, 3, 9, 9, 0)
    assert class_time.to_local(before, NY) == datetime(2026, 3, 7, 9, 0)


def test_skipped_and_repeated_times_are_read_with_the_earlier_offset():
    # 02:30 on 8 March does not exist in New York: read as EST, it is 07:30 UTC (03:30 EDT).
    assert class_time.from_local(datetime(2026, 3, 8, 2, 30), NY) == datetime(
        2026, 3, 8, 7, 30, tzinfo=UTC
    )
    # 01:30 on 1 November happens twice: the first (EDT) is 05:30 UTC.
    assert class_time.from_local(datetime(2026, 11, 1, 1, 30), NY) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_times_are_shown_with_the_zone_name():
    at = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    assert class_time.format_local(at, NY) == "2026-03-09 09:00 EDT (America/New_York)"
    assert class_time.format_local(at, "UTC") == "2026-03-09 13:00 UTC"
    assert class_time.format_local(at, None) == "2026-03-09 13:00 UTC"
    assert (
        class_time.format_due(date(2026, 3, 8), NY) == "08 Mar 2026, end of day (America/New_York)"
    )


def test_an_unknown_zone_reads_as_utc():
    assert class_time.from_local(datetime(2026, 3, 8, 9, 0), "Mars/Olympus") == datetime(
        2026, 3, 8, 9, 0, tzinfo=UTC
    )
