"""What operators ask of a running app: is the database ready, how many cards are due.

:func:`readiness` answers ``/readyz``: the database answers a query and its schema is at the newest
migration this installation ships (a process started before ``quizapp db upgrade`` ran, or one
whose database is behind, is not ready). :func:`due_cards` is the queue-depth gauge of
``/metrics``. Both read only, on a connection of their own, so they never disturb a request's
session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from quizapp.extensions import db
from quizapp.models import CardState
from quizapp.resources import resource_dir


@dataclass(frozen=True)
class Readiness:
    ready: bool
    database: str  # "ok", "unreachable" or "behind"
    revision: str | None = None  # the database's Alembic revision(s), comma-separated
    head: str | None = None  # the newest migration of this installation
    problem: str | None = None

    def as_json(self) -> dict:
        body = {
            "status": "ready" if self.ready else "not ready",
            "database": self.database,
            "revision": self.revision,
            "head": self.head,
        }
        if self.problem:
            body["problem"] = self.problem
        return body


@cache
def migration_heads() -> tuple[str, ...]:
    """The newest migration(s) this installation ships (read once per process)."""
    return tuple(sorted(ScriptDirectory(str(resource_dir("migrations"))).get_heads()))


def readiness() -> Readiness:
    heads = migration_heads()
    head = ",".join(heads)
    try:
        with db.engine.connect() as conn:
            current = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
    except sa.exc.SQLAlchemyError as exc:
        # The driver's message may name the host, never the password (URLs are not in it).
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        return Readiness(
            False, "unreachable", head=head, problem=f"the database does not answer: {reason}"
        )
    revision = ",".join(current) or None
    if current != heads:
        return Readiness(
            False,
            "behind",
            revision=revision,
            head=head,
            problem="the database is not at the newest migration: run "
            "`quizapp db upgrade` (quizapp serve does it on start)",
        )
    return Readiness(True, "ok", revision=revision, head=head)


def due_cards(now: datetime) -> int:
    """How many learners' cards are due at ``now``, over all learners (the review queue)."""
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).select_from(CardState).where(CardState.due <= now)
            ).scalar_one()
        )
