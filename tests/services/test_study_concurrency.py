"""Real concurrent requests answering one card: one review counts, the others get 409, and a
replayed idempotency key never records a second review.

Requests go over HTTP to a threaded server, each in its own thread with its own database
session and connection, released together by a barrier. The PostgreSQL test makes its own
database (so it runs whichever database the rest of the suite uses); the SQLite test runs on the
suite's database when that is SQLite.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import CardState, Review, User
from quizapp.services import study
from quizapp.services.tokens import issue_token

from ..conftest import _free_port, require_postgres_url
from ..factories import Factory
from .study_helpers import right_answer

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
THREADS = 8


def _post(url: str, token: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _together(url: str, token: str, payloads: list[dict]) -> list[tuple[int, dict]]:
    """POST every payload at once, one thread each; the responses in payload order."""
    barrier = threading.Barrier(len(payloads))
    results: list[tuple[int, dict] | None] = [None] * len(payloads)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = _post(url, token, payloads[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def _exercise(app, base_url: str) -> None:
    """The scenarios, against a server at ``base_url`` serving ``app`` (its clock is set here)."""
    clock = {"now": NOW}
    app.config["QUIZAPP_NOW"] = lambda: clock["now"]
    factory = Factory()
    user = factory.user()
    deck = factory.deck("sample-deck")
    token = issue_token(user, now=NOW).token
    user_id, deck_id = user.id, deck.id
    url = f"{base_url}/api/v1/study/sample-deck/answers"

    def payload(card: study.StudyCard, key: str) -> dict:
        q = card.question
        return {
            "card_id": card.card.id,
            "version": card.version,
            "idempotency_key": key,
            "duration_ms": 1000,
            "answer": right_answer(q.type, q.fields, card.card.ordinal),
        }

    def counts(card_id: int) -> tuple[int, int]:
        db.session.expire_all()
        reviews = db.session.scalar(
            sa.select(sa.func.count(Review.id)).where(
                Review.user_id == user_id, Review.card_id == card_id
            )
        )
        reps = db.session.scalar(
            sa.select(CardState.reps).where(
                CardState.user_id == user_id, CardState.card_id == card_id
            )
        )
        return reviews, reps

    # 1. A new card answered in eight tabs at once: one counts, seven get 409.
    card = study.next_card(user_id, deck, NOW)
    results = _together(url, token, [payload(card, uuid.uuid4().hex) for _ in range(THREADS)])
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: THREADS - 1}, results
    assert all(
        "already answered in another tab" in body["error"]["message"]
        for status, body in results
        if status == 409
    )
    assert counts(card.card.id) == (1, 1)

    # 2. The same answer sent eight times at once (retries): one review, one outcome.
    second = study.next_card(user_id, deck, NOW)
    assert second.card.id != card.card.id
    results = _together(url, token, [payload(second, "retry-key")] * THREADS)
    assert Counter(status for status, _ in results) == {201: 1, 200: THREADS - 1}, results
    assert len({body["review_id"] for _, body in results}) == 1
    assert counts(second.card.id) == (1, 1)

    # 3. A card with a state (an update, not an insert), due again: the same race.
    clock["now"] = NOW + timedelta(days=30)
    deck = db.session.get(type(deck), deck_id)
    again = study.get_card(user_id, deck, card.card.id)
    assert again.version == 1 and again.kind == "learning"
    results = _together(url, token, [payload(again, uuid.uuid4().hex) for _ in range(THREADS)])
    assert Counter(status for status, _ in results) == {201: 1, 409: THREADS - 1}, results
    assert counts(card.card.id) == (2, 2)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def _serve(app):
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.mark.postgres
def test_concurrent_answers_on_postgresql(tmp_path):
    base = sa.engine.make_url(require_postgres_url())
    name = f"quizapp_study_{uuid.uuid4().hex[:8]}"
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
            }
        )
        with app.app_context():
            db.create_all()
            server, thread, base_url = _serve(app)
            try:
                _exercise(app, base_url)
            finally:
                server.shutdown()
                thread.join(timeout=5)
                db.session.remove()
                db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_concurrent_answers_on_sqlite(app, live_server):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the suite runs on another database; the PostgreSQL test covers it")
    _exercise(app, live_server.url)
