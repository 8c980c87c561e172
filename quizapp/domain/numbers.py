"""Whole numbers typed by users: ASCII digits only, bounded before Python converts them.

``str.isdigit()`` is true for "²" and "٣", which ``int()`` then refuses or reads differently,
and ``int()`` of a 5,000-digit string raises (CPython's conversion limit) or costs quadratic
time. Every user-typed number goes through :func:`parse_count` instead.
"""

from __future__ import annotations

from typing import Any

#: Database ids are 32-bit signed on PostgreSQL (``integer``); SQLite's are 64-bit, but a larger
#: id than PostgreSQL holds is never one of ours, so both refuse it the same way.
MAX_ID = 2**31 - 1


def parse_count(text: Any, *, most: int, least: int = 0) -> int | None:
    """``text`` as an int when it is ASCII digits between ``least`` and ``most``; else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(most)):
        return None
    value = int(text)
    return value if least <= value <= most else None


def is_db_id(value: Any) -> bool:
    """True for an int (not a bool) that can be the id of a row: 1 to :data:`MAX_ID`."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
