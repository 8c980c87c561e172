"""Engine settings per database: SQLite in WAL mode, with a busy timeout and foreign keys; a
SQLite file (and a folder made for it) readable by its owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

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


def secure_sqlite_file(url: str) -> Path | None:
    """For a SQLite file database: make its folder (0700) and the file (0600) when missing, and
    take group and other permissions off an existing file; the path, or None for other URLs.

    The file holds password hashes. SQLite creates its ``-wal`` and ``-shm`` files with the
    database file's permissions.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):
        return None  # a URI filename: the operator chose its options
    path = Path(parsed.database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077 and path.stat().st_uid == os.getuid():
            path.chmod(mode & 0o700)
    return path
