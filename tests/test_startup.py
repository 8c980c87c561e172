"""Several app servers starting at once on one database: one migrates and loads, the rest wait."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from .conftest import PROJECT_ROOT, require_postgres_url

PROCESSES = 4
PREPARE = """
from quizapp import create_app
from quizapp.services.setup import prepare_database
app = create_app()
with app.app_context():
    print("\\n".join(prepare_database()))
"""


def _start_together(url: str, tmp_path: Path) -> list[subprocess.CompletedProcess]:
    env = dict(
        os.environ,
        QUIZAPP_DATABASE_URL=url,
        QUIZAPP_SECRET_KEY="startup-test",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PREPARE],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    return [
        subprocess.CompletedProcess(p.args, p.wait(timeout=300), p.stdout.read()) for p in processes
    ]


def _check(url: str, results: list[subprocess.CompletedProcess]) -> None:
    for result in results:
        assert result.returncode == 0, result.stdout
    imported = [r for r in results if "importing the bundled decks" in r.stdout]
    assert len(imported) == 1, [r.stdout for r in results]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            slugs = conn.execute(sa.text("SELECT slug FROM decks ORDER BY slug")).scalars().all()
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert slugs == ["igf-1-and-muscle-adaptation", "igf-1-signaling"]
    assert len(versions) == 1


def test_concurrent_starts_on_sqlite_migrate_and_load_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'quizapp.db'}"
    _check(url, _start_together(url, tmp_path))


@pytest.mark.postgres
def test_concurrent_starts_on_postgres_migrate_and_load_once(tmp_path):
    base = sa.engine.make_url(require_postgres_url())
    name = f"quizapp_startup_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        _check(url, _start_together(url, tmp_path))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
