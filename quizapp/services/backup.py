"""Backing up and restoring a SQLite database while the app may be serving (docs/deployment.md).

:func:`backup` copies the live database with SQLite's online backup API: a consistent snapshot
even while workers write (the copy restarts when a write lands mid-copy), checked with
``PRAGMA integrity_check``, written beside the target and renamed into place, mode 0600 (it holds
password hashes), in rollback-journal mode so the file stands alone.

:func:`restore` replaces the live database with a backup through the same API (so connections of
a running server see the restored data at their next transaction, never a torn file), after
checking that the file is a quizapp SQLite database no newer than this installation's migrations,
and after keeping the database as it was in ``<database>.before-restore-<time>``. A backup from an
older version is migrated to head afterwards.

PostgreSQL has its own tools (``pg_dump`` / ``pg_restore``): both functions refuse it with the
command to run.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_migrate import upgrade

from quizapp.extensions import db

from .errors import ServiceError
from .health import migration_heads

PG_DUMP = (
    "PostgreSQL is backed up with its own tools: pg_dump --format=custom "
    '--file=quizapp.dump "$QUIZAPP_DATABASE_URL" (and pg_restore --clean '
    '--no-owner -d "$QUIZAPP_DATABASE_URL" quizapp.dump); see docs/deployment.md, '
    '"Backups"'
)


class BackupError(ServiceError):
    status = 409


@dataclass(frozen=True)
class Done:
    path: Path
    size: int
    revision: str | None
    kept: Path | None = None  # restore: the database as it was
    migrated: bool = False  # restore: the backup came from an older version


def _live_database() -> Path:
    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise BackupError(PG_DUMP)
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("This SQLite database has no file to back up (in memory or a URI).")
    return Path(name)


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return None
    return ",".join(sorted(r[0] for r in rows)) or None


def backup(target: Path) -> Done:
    """Copy the live SQLite database to ``target`` (a new file); :class:`BackupError`."""
    source = _live_database()
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists: give a new file name (nothing was written)")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder: create it first")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        live = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            revision = _revision(copy)
        finally:
            copy.close()
            live.close()
        if check != "ok":
            raise BackupError(f"The copy failed its integrity check ({check}); nothing was kept.")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Done(target, target.stat().st_size, revision)


def restore(source: Path, *, now: datetime) -> Done:
    """Replace the live SQLite database by the backup ``source``; :class:`BackupError`."""
    live_path = _live_database()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    backup_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            check = backup_conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                f"{source} is not a SQLite database ({exc}); nothing was changed"
            ) from None
        if check != "ok":
            raise BackupError(
                f"{source} is damaged (integrity check: {check}); nothing was changed"
            )
        revision = _revision(backup_conn)
        if revision is None:
            raise BackupError(
                f"{source} is not a quizapp database (no migration recorded); nothing was changed"
            )
        known = _known_revisions()
        if any(r not in known for r in revision.split(",")):
            raise BackupError(
                f"{source} comes from a newer quizapp (migration {revision}): "
                "upgrade quizapp first; nothing was changed"
            )
        kept = None
        if live_path.exists():
            kept = backup(
                live_path.with_name(f"{live_path.name}.before-restore-{now:%Y%m%dT%H%M%SZ}")
            ).path
        db.session.remove()
        db.engine.dispose()  # no connection of this process holds the file during the copy
        live = sqlite3.connect(live_path, timeout=30)
        try:
            backup_conn.backup(live)
        finally:
            live.close()
    finally:
        backup_conn.close()
    migrated = tuple(revision.split(",")) != migration_heads()
    if migrated:
        upgrade()
    return Done(live_path, live_path.stat().st_size, revision, kept=kept, migrated=migrated)


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from quizapp.resources import resource_dir

    return {s.revision for s in ScriptDirectory(str(resource_dir("migrations"))).walk_revisions()}
