"""A class's wall clock: dates and times entered and shown in the class's IANA time zone, kept
in UTC. Pure (no Flask, no database).

A due date given as a date alone means the end of that day in the class's zone (23:59 there),
so "due 9 March" in New York is 03:59 UTC on 10 March after the spring change and 04:59 UTC
the day before it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The last minute of a day: what a date alone means as a deadline.
END_OF_DAY = time(23, 59)


def zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; UTC for an empty or unknown name."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def from_local(wall: datetime, zone_name: str | None) -> datetime:
    """A naive wall-clock time in the class's zone as an aware UTC time.

    A time the clocks skip (02:30 on the spring-forward night) is read with the offset before the
    change, as :mod:`zoneinfo` does (so 03:30 after it); a time that happens twice in the autumn
    is the first of the two.
    """
    return wall.replace(tzinfo=zone(zone_name), fold=0).astimezone(UTC)


def to_local(at: datetime, zone_name: str | None) -> datetime:
    """An aware time as a naive wall-clock time in the class's zone (what a form shows)."""
    return at.astimezone(zone(zone_name)).replace(tzinfo=None)


def end_of_day(day: date, zone_name: str | None) -> datetime:
    """The deadline a date alone means: 23:59 that day in the class's zone, in UTC."""
    return from_local(datetime.combine(day, END_OF_DAY), zone_name)


def format_local(at: datetime, zone_name: str | None) -> str:
    """``at`` as the class reads it: "2026-03-09 23:59 EDT (America/New_York)"."""
    name = zone_name or "UTC"
    local = at.astimezone(zone(name))
    abbreviation = local.strftime("%Z")
    if abbreviation == name or abbreviation == "UTC" and name in ("UTC", "Etc/UTC"):
        return local.strftime("%Y-%m-%d %H:%M ") + name
    return local.strftime("%Y-%m-%d %H:%M %Z") + f" ({name})"


def format_due(day: date, zone_name: str | None) -> str:
    """A due date as the class reads it: "9 Mar 2026, end of day (America/New_York)"."""
    return f"{day.strftime('%d %b %Y')}, end of day ({zone_name or 'UTC'})"
