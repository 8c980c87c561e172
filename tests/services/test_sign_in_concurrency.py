"""The sign-in limits hold under real parallel requests (security finding 6).

40 wrong passwords for one account are sent at once, over HTTP to a threaded server, each request
in its own thread with its own database session, released together by a barrier: exactly
``SIGN_IN_ACCOUNT.most`` may reach the password check (401), every other one is refused (429).
The same for one address and many accounts. Before the limit was counted atomically, PostgreSQL
let 8 of 40 through. The PostgreSQL test makes its own database, as the study concurrency test
does; the SQLite test runs on the suite's database when that is SQLite.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import RateCounter
from quizapp.services import throttle

from ..conftest import require_postgres_url
from ..factories import PASSWORD, Factory
from .test_study_concurrency import _serve

PARALLEL = 40


def _ask_for_token(url: str, email: str, password: str) -> int:
    request = urllib.request.Request(
        f"{url}/api/v1/tokens",
        method="POST",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _all_at_once(url: str, emails: list[str], password: str) -> Counter:
    barrier = threading.Barrier(len(emails))
    statuses: list[int | None] = [None] * len(emails)

    def run(i: int) -> None:
        barrier.wait()
        statuses[i] = _ask_for_token(url, emails[i], password)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(emails))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(s is not None for s in statuses)
    return Counter(statuses)


def _exercise(url: str) -> None:
    Factory().user(email="ada@example.com")
    db.session.commit()
    # One account, one address: only the account limit's worth are checked.
    got = _all_at_once(url, ["ada@example.com"] * PARALLEL, "wrong password")
    assert got == {
        401: throttle.SIGN_IN_ACCOUNT.most,
        429: PARALLEL - throttle.SIGN_IN_ACCOUNT.most,
    }, got
    # The right password from here is refused too, until the window ends.
    assert _ask_for_token(url, "ada@example.com", PASSWORD) == 429
    # Many accounts, one address: only the address limit's worth are checked (five failures were
    # counted for the address above).
    db.session.execute(sa.delete(RateCounter))
    db.session.commit()
    emails = [f"guess{i}@example.com" for i in range(PARALLEL)]
    got = _all_at_once(url, emails, "wrong password")
    assert got == {
        401: throttle.SIGN_IN_ADDRESS.most,
        429: PARALLEL - throttle.SIGN_IN_ADDRESS.most,
    }, got


@pytest.mark.postgres
def test_parallel_wrong_passwords_on_postgresql(tmp_path):
    base = sa.engine.make_url(require_postgres_url())
    name = f"quizapp_signin_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = base.set(database=name).render_as_string(hide_password=False)
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "t",
                "QUIZAPP_BUNDLED_DECKS": str(tmp_path),
                "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": PARALLEL + 5},
            }
        )
        with app.app_context():
            db.create_all()
            server, thread, base_url = _serve(app)
            try:
                _exercise(base_url)
            finally:
                server.shutdown()
                thread.join(timeout=5)
                db.session.remove()
                db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_parallel_wrong_passwords_on_sqlite(app, live_server):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the suite runs on another database; the PostgreSQL test covers it")
    _exercise(live_server.url)
