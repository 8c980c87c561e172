"""Engine settings per database: SQLite in WAL mode, with a busy timeout and foreign keys."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_configured: set[int] = set()


#: How long a SQLite writer waits for another's lock before "database is locked" (which the web
#: layer answers 503 with Retry-After, never 500).
DEFAULT_BUSY_TIMEOUT_MS = 5000


def configure_engine(engine: Engine, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
    """Apply per-connection pragmas once per engine (SQLite only; PostgreSQL needs none)."""
    if engine.dialect.name != "sqlite" or id(engine) in _configured:
        return
    _configured.add(id(engine))

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
