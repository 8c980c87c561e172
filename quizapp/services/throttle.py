"""Rate limits kept in the database, so every app process counts the same attempts.

One :class:`Limit` is a scope (``"sign-in-account"``), a most and a window. :func:`take` counts one
attempt for a key (an address, an account at an address, a user) and says whether it is allowed:
the count is updated and read back in one statement (an upsert), so parallel requests cannot all
read "4 so far" and go ahead: on PostgreSQL the row is locked until the caller commits, on SQLite
the write lock does the same. The caller commits right after :func:`take` (before slow work such as
a password check), so the lock is short. :func:`give_back` un-counts an attempt that turned out
well (a right password, a right join code), which makes a limit count failures only.

Windows are fixed: the first attempt starts one; the count resets when it ends. Keys are stored as
SHA-256 (no emails or addresses at rest); rows of ended windows are deleted (a batch at a time,
skipping locked rows) as new ones are made.

Every limit of the app is here: sign-in (:data:`SIGN_IN_ACCOUNT`, :data:`SIGN_IN_ADDRESS`), join
codes (:data:`JOIN_USER`, :data:`JOIN_ADDRESS`), registration (:data:`REGISTER_ADDRESS`) and
"forgot password" (:data:`RESET_EMAIL`, :data:`RESET_ADDRESS`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from quizapp.extensions import db
from quizapp.models import RateCounter, UTCDateTime

from .errors import ServiceError


@dataclass(frozen=True)
class Limit:
    scope: str
    most: int
    window: timedelta


#: Wrong passwords for one account from one address (the real user elsewhere is not locked out).
SIGN_IN_ACCOUNT = Limit("sign-in-account", 5, timedelta(minutes=15))
#: Wrong passwords from one address, whatever the account.
SIGN_IN_ADDRESS = Limit("sign-in-address", 20, timedelta(minutes=15))
#: Wrong join codes by one user, and from one address.
JOIN_USER = Limit("join-user", 10, timedelta(hours=1))
JOIN_ADDRESS = Limit("join-address", 30, timedelta(hours=1))
#: Registrations (accepted forms) from one address.
REGISTER_ADDRESS = Limit("register-address", 10, timedelta(hours=1))
#: "Forgot password" requests for one email (whether or not it has an account: the limit itself
#: must not tell), so nobody can fill a mailbox with reset mail; and from one address.
RESET_EMAIL = Limit("reset-email", 3, timedelta(hours=1))
RESET_ADDRESS = Limit("reset-address", 10, timedelta(hours=1))

_PRUNE_BATCH = 100


class TooManyAttempts(ServiceError):
    """A rate limit is reached; ``retry_after`` says when the next attempt is allowed."""

    status = 429

    def __init__(self, message: str, retry_after: timedelta):
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds()))


def wait_message(what: str, wait: timedelta) -> str:
    """``"Too many <what>. Try again in N minutes."``"""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many {what}. Try again in {minutes} {unit}."


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _insert(dialect: str):
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def take(limit: Limit, key: str, now: datetime) -> timedelta | None:
    """Count one attempt for ``key``; None when it is within the limit, else how long to wait.

    Does not commit: the caller commits (soon; the counter row stays locked until then).
    """
    dialect = db.session.get_bind().dialect.name
    table = RateCounter.__table__
    ends = now + limit.window
    _prune(now)
    ended = table.c.window_ends <= sa.literal(now, UTCDateTime())
    statement = _insert(dialect)(table).values(
        scope=limit.scope, key_hash=_key_hash(key), hits=1, window_ends=ends
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.key_hash],
        set_={
            "hits": sa.case((ended, 1), else_=table.c.hits + 1),
            "window_ends": sa.case(
                (ended, sa.literal(ends, UTCDateTime())), else_=table.c.window_ends
            ),
        },
    ).returning(table.c.hits, table.c.window_ends)
    hits, window_ends = db.session.execute(statement).one()
    if hits <= limit.most:
        return None
    if window_ends.tzinfo is None:  # the RETURNING of an upsert may skip the column type
        window_ends = window_ends.replace(tzinfo=now.tzinfo)
    return max(window_ends - now, timedelta(seconds=1))


def _prune(now: datetime) -> None:
    """Delete rows of ended windows, skipping rows another request holds: pruning never waits,
    so it cannot deadlock with the upserts of parallel requests (PostgreSQL)."""
    ended = (
        sa.select(RateCounter.scope, RateCounter.key_hash)
        .where(RateCounter.window_ends <= now)
        .limit(_PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(
        sa.delete(RateCounter).where(sa.tuple_(RateCounter.scope, RateCounter.key_hash).in_(ended))
    )


def give_back(limit: Limit, key: str) -> None:
    """Un-count one attempt of ``key`` (it succeeded); does not commit."""
    db.session.execute(
        sa.update(RateCounter)
        .where(
            RateCounter.scope == limit.scope,
            RateCounter.key_hash == _key_hash(key),
            RateCounter.hits > 0,
        )
        .values(hits=RateCounter.hits - 1)
    )


def clear(limit: Limit, key: str) -> None:
    """Forget every attempt of ``key`` in the current window; does not commit."""
    db.session.execute(
        sa.delete(RateCounter).where(
            RateCounter.scope == limit.scope, RateCounter.key_hash == _key_hash(key)
        )
    )


def take_all(checks: list[tuple[Limit, str]], now: datetime) -> timedelta | None:
    """:func:`take` for every (limit, key) with a key; the longest wait, or None."""
    waits = [
        wait for limit, key in checks if key for wait in [take(limit, key, now)] if wait is not None
    ]
    return max(waits) if waits else None
