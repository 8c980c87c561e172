"""How long do the admin's accounts pages take with many accounts, and bulk creation from CSV?
(Server time: the Flask request through the test client; no network.)

Seeds N accounts in bulk (default 100,000; PostgreSQL COPY, SQLite executemany), then times, as an
admin, the first and the last page of the accounts list, a search that matches 1,111 emails and
one that matches none (median of 7 requests after 2 warm-ups). Then uploads a CSV of 1,000 lines
without passwords (1,000 invites) and one of 20 lines with passwords (argon2id at the app's real
cost), once each.

    python benchmarks/bench_admin.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/DB]

``--url`` names a scratch database: every table in it is dropped and recreated. Without it the
run uses a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from quizapp import create_app
from quizapp.bench.seed import _bulk, _settle
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import accounts, signins

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
GOALS_MS = {
    "first page": 150,
    "last page": 150,
    "search, 1,111 matches": 150,
    "search, no match": 150,
    "CSV, 1,000 invites": 3000,
}


def timed(client, url: str, runs: int = 7, warm: int = 2) -> float:
    for _ in range(warm):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


def upload(client, text: str) -> float:
    started = time.perf_counter()
    response = client.post(
        "/admin/users/import",
        content_type="multipart/form-data",
        data={"users_file": (io.BytesIO(text.encode()), "users.csv")},
    )
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 201, response.text[-2000:]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="scratch database URL (default: temporary SQLite)")
    parser.add_argument("--users", type=int, default=100_000)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'admin.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "QUIZAPP_NOW": lambda: NOW,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        password_hash = accounts.hash_password("not used by the benchmark")
        created = NOW.replace(tzinfo=None)  # the bulk loader writes naive datetimes as UTC
        with db.engine.connect() as conn:
            _bulk(
                conn,
                "users",
                (
                    "id",
                    "email",
                    "password_hash",
                    "role",
                    "display_name",
                    "created_at",
                    "timezone",
                    "day_starts_at",
                ),
                (
                    (i, f"user{i}@bench.invalid", password_hash, "learner", "", created, "UTC", 4)
                    for i in range(1, args.users + 1)
                ),
            )
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text(
                        "SELECT setval(pg_get_serial_sequence('users', 'id'), "
                        "(SELECT MAX(id) FROM users) + 1, false)"
                    )
                )
            conn.commit()
            _settle(conn)
        print(
            f"seeded {args.users:,} accounts in {time.perf_counter() - started:.0f} s "
            f"({db.engine.dialect.name})"
        )
        admin = db.session.get(User, 1)
        admin.role = "admin"
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = signins.start(admin, now=NOW)
        pages = -(-args.users // accounts.USERS_PER_PAGE)
        figures = {
            "first page": timed(client, "/admin/users"),
            "last page": timed(client, f"/admin/users?page={pages}"),
            "search, 1,111 matches": timed(client, "/admin/users?q=user7"),
            "search, no match": timed(client, "/admin/users?q=nobody"),
            "CSV, 1,000 invites": upload(
                client, "".join(f"new{i}@bench.invalid,learner\n" for i in range(1000))
            ),
            "CSV, 20 passwords": upload(
                client,
                "".join(
                    f"pw{i}@bench.invalid,learner,correct horse battery {i}\n" for i in range(20)
                ),
            ),
        }
        load = (
            Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
        )
        print(f"(load average while timing: {load})")
        for name, ms in figures.items():
            goal = GOALS_MS.get(name)
            verdict = (
                "" if goal is None else (f"goal < {goal} ms: {'met' if ms < goal else 'MISSED'}")
            )
            print(f"{name:24s} {ms:8.1f} ms  {verdict}")
        db.engine.dispose()


if __name__ == "__main__":
    main()
