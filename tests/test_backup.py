"""``quizapp db backup`` / ``db restore`` on real SQLite files: back up, change, restore."""

from __future__ import annotations

import sqlite3
import stat
import threading
from contextlib import closing

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from quizapp import create_app
from quizapp.cli import cli
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services.accounts import create_user


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on a migrated SQLite file (whatever QUIZAPP_TEST_DATABASE_URL says: SQLite only)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}",
        }
    )
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def run(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(cli, list(args), input=input)


def emails() -> set[str]:
    db.session.remove()
    return set(db.session.scalars(sa.select(User.email)))


def test_back_up_change_restore_and_the_data_is_back(sqlite_app, tmp_path):
    create_user("before@example.org", "a long password 1", "learner")
    target = tmp_path / "backups" / "quizapp.db"
    target.parent.mkdir()
    result = run(sqlite_app, "db", "backup", str(target))
    assert result.exit_code == 0, result.output
    assert f"backed up the database to {target}" in result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it holds password hashes
    with closing(sqlite3.connect(target)) as copy, copy:
        assert copy.execute("SELECT email FROM users").fetchall() == [("before@example.org",)]
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    create_user("after@example.org", "a long password 2", "learner")
    db.session.execute(sa.delete(User).where(User.email == "before@example.org"))
    db.session.commit()
    assert emails() == {"after@example.org"}

    refused = run(sqlite_app, "db", "restore", str(target), input="n\n")
    assert refused.exit_code != 0 and emails() == {"after@example.org"}
    result = run(sqlite_app, "db", "restore", str(target), "--yes")
    assert result.exit_code == 0, result.output
    assert emails() == {"before@example.org"}
    kept = next((tmp_path).glob("live.db.before-restore-*"))
    assert f"kept in {kept}" in result.output
    with closing(sqlite3.connect(kept)) as old, old:
        assert old.execute("SELECT email FROM users").fetchall() == [("after@example.org",)]
    assert sqlite_app.test_client().get("/readyz").status_code == 200


def test_a_backup_taken_while_writes_go_on_is_consistent(sqlite_app, tmp_path):
    live = tmp_path / "live.db"
    with closing(sqlite3.connect(live)) as conn, conn:
        conn.execute("CREATE TABLE pairs (x INTEGER)")
    stop = threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(live, timeout=30)
        n = 0
        while not stop.is_set():
            n += 1
            with conn:  # one transaction: both rows or neither
                conn.execute("INSERT INTO pairs VALUES (?)", (n,))
                conn.execute("INSERT INTO pairs VALUES (?)", (-n,))
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        results = [run(sqlite_app, "db", "backup", str(tmp_path / f"b{i}.db")) for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for i, result in enumerate(results):
        assert result.exit_code == 0, result.output
        with closing(sqlite3.connect(tmp_path / f"b{i}.db")) as copy, copy:
            count, total = copy.execute(
                "SELECT count(*), coalesce(sum(x), 0) FROM pairs"
            ).fetchone()
            assert count % 2 == 0 and total == 0
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_refuses_to_overwrite_and_names_the_file(sqlite_app, tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = run(sqlite_app, "db", "backup", str(target))
    assert result.exit_code == 1 and f"{target} already exists" in result.output
    assert target.read_text() == "keep me"
    result = run(sqlite_app, "db", "backup", str(tmp_path / "no-such-folder" / "b.db"))
    assert result.exit_code == 1 and "is not a folder" in result.output


def test_restore_refuses_what_is_not_a_quizapp_backup(sqlite_app, tmp_path):
    create_user("kept@example.org", "a long password 1", "learner")
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some text that is long enough" * 20)
    result = run(sqlite_app, "db", "restore", str(text), "--yes")
    assert result.exit_code == 1 and "is not a SQLite database" in result.output

    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE t (x)")
    result = run(sqlite_app, "db", "restore", str(other), "--yes")
    assert result.exit_code == 1 and "is not a quizapp database" in result.output

    newer = tmp_path / "newer.db"
    assert run(sqlite_app, "db", "backup", str(newer)).exit_code == 0
    with closing(sqlite3.connect(newer)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    result = run(sqlite_app, "db", "restore", str(newer), "--yes")
    assert result.exit_code == 1 and "comes from a newer quizapp" in result.output
    assert emails() == {"kept@example.org"}
    assert not list(tmp_path.glob("live.db.before-restore-*"))  # nothing was touched


def test_postgresql_is_pointed_to_pg_dump(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/x"}
    )
    for args in (
        ("db", "backup", str(tmp_path / "b.db")),
        ("db", "restore", str(tmp_path / "b.db"), "--yes"),
    ):
        result = run(app, *args)
        assert result.exit_code == 1 and "pg_dump --format=custom" in result.output
    assert not (tmp_path / "b.db").exists()
