"""The migrations are the schema: upgrading an empty database gives exactly the models' tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from quizapp import create_app
from quizapp.extensions import db

from .conftest import require_postgres_url


def _pending_diff(url: str) -> list:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        tables = set(sa.inspect(db.engine).get_table_names())
        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert set(db.metadata.tables) <= tables
    assert left == set(), "downgrade to base must remove every table"
    return diff


def test_sqlite_upgrade_matches_models(tmp_path):
    assert _pending_diff(f"sqlite:///{tmp_path / 'm.db'}") == []


@contextmanager
def _scratch_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new empty PostgreSQL database, dropped afterwards."""
    base = sa.engine.make_url(require_postgres_url())
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_matches_models():
    with _scratch_postgres("quizapp_migrations") as url:
        assert _pending_diff(url) == []


def _backfilled_intervals(url: str) -> dict[int, float | None]:
    """Reviews written before a5d0c8e2f417 get ``prior_interval_days`` from their stored state,
    as the model computes it for new answers."""
    import json
    from datetime import UTC, datetime, timedelta

    from quizapp.domain.scheduling import CardSchedule, Phase

    at = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

    def state(phase: Phase, days: float, last: bool = True) -> str:
        return json.dumps(
            CardSchedule(
                phase=phase,
                step=None,
                stability=days,
                difficulty=5.0,
                due=at + timedelta(days=days),
                last_review=at if last else None,
                reps=3,
                lapses=0,
            ).to_dict()
        )

    states = {
        1: None,  # a new card
        2: state(Phase.REVIEW, 21),
        3: state(Phase.REVIEW, 20.5),
        4: state(Phase.LEARNING, 0.01),
        5: state(Phase.RELEARNING, 0.5),
        6: state(Phase.REVIEW, 3, last=False),
    }
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="f3b7c2a9d614")
        now = at.replace(tzinfo=None)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, email, password_hash, role, display_name, created_at)"
                    " VALUES (1, 'a@example.com', 'x', 'learner', 'A', :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO decks (id, slug, title, description, owner_id, visibility,"
                    " source_file, source_sha256, version, created_at, updated_at)"
                    " VALUES (1, 'd', 'D', '', 1, 'public', '', '', 1, :now, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO questions (id, deck_id, key, type, fields, explanation,"
                    " origin_section, origin_quote, tags, position, created_at, updated_at)"
                    " VALUES (1, 1, 'q', 'basic', '{}', '', '', '', '[]', 0, :now, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO cards (id, question_id, deck_id, ordinal, answer_key)"
                    " VALUES (1, 1, 1, 1, '1')"
                )
            )
            for rid, previous in states.items():
                conn.execute(
                    sa.text(
                        "INSERT INTO reviews (id, user_id, card_id, deck_id, rating,"
                        " reviewed_at, duration_ms, previous_state, overridden)"
                        " VALUES (:id, 1, 1, 1, 3, :now, 0, :previous, false)"
                    ),
                    {"id": rid, "now": now, "previous": previous},
                )
        upgrade()
        with db.engine.connect() as conn:
            got = dict(conn.execute(sa.text("SELECT id, prior_interval_days FROM reviews")).all())
        downgrade(revision="base")
        db.engine.dispose()
    from quizapp.models.study import prior_interval_days

    expected = {rid: prior_interval_days(json.loads(s) if s else None) for rid, s in states.items()}
    assert expected == {1: None, 2: 21.0, 3: 20.5, 4: None, 5: None, 6: 0.0}
    return expected, got


def _close(expected: dict[int, float | None]) -> dict:
    return {rid: None if v is None else pytest.approx(v, abs=1e-6) for rid, v in expected.items()}


def test_sqlite_backfills_the_prior_interval(tmp_path):
    expected, got = _backfilled_intervals(f"sqlite:///{tmp_path / 'b.db'}")
    assert got == _close(expected)


@pytest.mark.postgres
def test_postgres_backfills_the_prior_interval():
    with _scratch_postgres("quizapp_backfill") as url:
        expected, got = _backfilled_intervals(url)
    assert got == _close(expected)
