"""Time arithmetic inside SQL that reads the same on SQLite and PostgreSQL.

Timestamps are stored as UTC (naive text on SQLite, ``timestamptz`` on PostgreSQL; see
``models.types.UTCDateTime``). Two expressions cover every report:

- :func:`day_of` buckets a timestamp into its study day, as ``'YYYY-MM-DD'`` text (the study day
  is the UTC calendar day, as :func:`quizapp.domain.scheduling.day_start` defines it), so
  ``GROUP BY day_of(col)`` counts per day on either engine (:func:`day_key` is its cheaper form
  for grouping many rows);
- :func:`epoch_seconds` turns a timestamp (a column, or ISO 8601 text such as a time stored in a
  JSON document) into seconds since 1970, so intervals are plain subtraction.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class day_of(FunctionElement):  # noqa: N801 (reads as a SQL function)
    """``'YYYY-MM-DD'``: the UTC day of a timestamp column."""

    type = sa.String()
    inherit_cache = True
    name = "day_of"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m-%d', {compiler.process(element.clauses, **kw)})"


@compiles(day_of, "postgresql")
def _day_of_postgresql(element, compiler, **kw):
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


class day_key(FunctionElement):  # noqa: N801
    """The UTC day of a timestamp column as the cheapest key to group by: a ``DATE`` on
    PostgreSQL (a cast, about a third cheaper per row than :func:`day_of`'s ``to_char``), the
    same ``'YYYY-MM-DD'`` text as :func:`day_of` on SQLite. :func:`as_date` reads either."""

    type = sa.String()
    inherit_cache = True
    name = "day_key"


@compiles(day_key, "sqlite")
def _day_key_sqlite(element, compiler, **kw):
    return _day_of_sqlite(element, compiler, **kw)


@compiles(day_key, "postgresql")
def _day_key_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


class epoch_seconds(FunctionElement):  # noqa: N801
    """Seconds since 1970-01-01 UTC of a timestamp column or of ISO 8601 text."""

    type = sa.Float()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element, compiler, **kw):
    return (
        f"EXTRACT(EPOCH FROM CAST({compiler.process(element.clauses, **kw)} "
        "AS TIMESTAMP WITH TIME ZONE))"
    )


def as_date(key: str | date) -> date:
    """A :func:`day_of` value back as a date (PostgreSQL and SQLite both hand back text)."""
    return key if isinstance(key, date) else date.fromisoformat(str(key))


DAY_SECONDS = 86400.0


def retrievability(at: datetime, factor: float, decay: float) -> sa.ColumnElement[float]:
    """FSRS retrievability of each ``card_states`` row at ``at``, in SQL: as
    :func:`quizapp.domain.scheduling.retrievability` (whole days since the last review, never
    negative), with ``(factor, decay)`` from :func:`~quizapp.domain.scheduling.curve_terms`.
    NULL for a state without a stability (never for a card seen: every answer sets one)."""
    from quizapp.models import CardState

    elapsed = sa.func.floor((at.timestamp() - epoch_seconds(CardState.last_review)) / DAY_SECONDS)
    days = sa.case((elapsed < 0, 0.0), else_=elapsed)
    return sa.case(
        (
            sa.and_(CardState.stability > 0, CardState.last_review.is_not(None)),
            sa.func.power(1.0 + factor * days / CardState.stability, decay),
        ),
        else_=None,
    )
