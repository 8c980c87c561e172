"""The class time zone migration keeps what existing classes meant: their due dates and quiz
windows were entered in UTC, so the classes stay in UTC and a due date ends at 23:59 UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom


def test_existing_due_dates_end_at_23_59_utc(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}", "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade(revision="f3b7c2a9d614")
        with db.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # rows only as far as this test needs
            conn.exec_driver_sql(
                "INSERT INTO classrooms (id, name, owner_id, join_code, created_at) "
                "VALUES (1, 'Bio', 1, 'ABCDEFGH', '2026-01-01 00:00:00')"
            )
            conn.exec_driver_sql(
                "INSERT INTO assignments (id, classroom_id, deck_id, target_date, created_at) "
                "VALUES (1, 1, 1, '2026-03-08', '2026-01-01 00:00:00'), "
                "(2, 1, 2, NULL, '2026-01-01 00:00:00')"
            )
        upgrade()
        assert db.session.get_one(Classroom, 1).timezone == "UTC"
        dated, undated = db.session.scalars(sa.select(Assignment).order_by(Assignment.id))
        assert dated.due_at == datetime(2026, 3, 8, 23, 59, tzinfo=UTC)
        assert undated.due_at is None
        db.session.remove()
        db.engine.dispose()
