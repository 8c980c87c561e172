"""The class time zone migration keeps what existing classes meant: their due dates and quiz
windows were entered in UTC, so the classes stay in UTC and a due date ends at 23:59 UTC. On
SQLite and (with QUIZAPP_TEST_DATABASE_URL) on PostgreSQL, each in a fresh database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom

from .conftest import require_postgres_url

ROWS = [
    "INSERT INTO classrooms (id, name, owner_id, join_code, created_at) "
    "VALUES (1, 'Bio', 1, 'ABCDEFGH', '2026-01-01 00:00:00')",
    "INSERT INTO assignments (id, classroom_id, deck_id, target_date, created_at) "
    "VALUES (1, 1, 1, '2026-03-08', '2026-01-01 00:00:00'), "
    "(2, 1, 2, NULL, '2026-01-01 00:00:00')",
]


def _upgrade_with_old_rows(url: str, no_foreign_keys: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="f3b7c2a9d614")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(no_foreign_keys)  # rows only as far as this test needs
            for statement in ROWS:
                conn.exec_driver_sql(statement)
        upgrade()
        assert db.session.get_one(Classroom, 1).timezone == "UTC"
        dated, undated = db.session.scalars(sa.select(Assignment).order_by(Assignment.id))
        assert dated.due_at == datetime(2026, 3, 8, 23, 59, tzinfo=UTC)
        assert undated.due_at is None
        db.session.remove()
        db.engine.dispose()


def test_existing_due_dates_end_at_23_59_utc_on_sqlite(tmp_path):
    _upgrade_with_old_rows(f"sqlite:///{tmp_path / 'm.db'}", "PRAGMA foreign_keys=OFF")


@pytest.mark.postgres
def test_existing_due_dates_end_at_23_59_utc_on_postgres():
    base = sa.engine.make_url(require_postgres_url())
    name = f"quizapp_classtz_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        _upgrade_with_old_rows(
            base.set(database=name).render_as_string(hide_password=False),
            "SET LOCAL session_replication_role = replica",
        )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
