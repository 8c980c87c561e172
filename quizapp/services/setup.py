"""Getting a database ready to serve: migrated to head, with the bundled decks when it has none."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_migrate import upgrade

from quizapp.extensions import db
from quizapp.resources import resource_dir

from .decks import has_decks, import_paths


def bundled_decks_dir(app: Flask) -> Path:
    return Path(app.config.get("QUIZAPP_BUNDLED_DECKS") or resource_dir("decks"))


#: The PostgreSQL advisory lock key held while a process migrates and loads the bundled decks.
STARTUP_LOCK_KEY = 0x717A617070  # "qzapp"


@contextmanager
def startup_lock() -> Iterator[None]:
    """Only one process at a time migrates and loads the bundled decks.

    PostgreSQL: a session advisory lock on its own connection (several app servers may start at
    once on one database). SQLite: an exclusive ``flock`` on a file beside the database (several
    workers on one machine). Other processes wait, then find the work done.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY})
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.startup-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_database() -> list[str]:
    """Upgrade the schema to head; import the bundled decks into an empty database.

    Safe to run from several processes at once (:func:`startup_lock`). Returns lines describing
    what was done, for the operator.
    """
    with startup_lock():
        upgrade()
        where = db.engine.url.render_as_string(hide_password=True)
        if has_decks():
            return [f"database {where} is up to date"]
        lines = [f"database {where} is empty: importing the bundled decks"]
        for result in import_paths([bundled_decks_dir(current_app)]):
            lines.append(
                f"  {result.summary.line()}"
                if result.summary
                else "\n".join(f"  {p}" for p in result.problems)
            )
        return lines
