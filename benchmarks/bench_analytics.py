"""How long do the analytics pages take on a big class? (Server time: the Flask request, from
routing to the rendered page, through the test client; no network.)

Seeds, in bulk (PostgreSQL COPY), one class of 500 learners with 10 assigned decks of 200
questions (half multiple choice, half cloze), 1,000,000 reviews spread over the past 120 days with
their previous card state, the card states they leave, and 2 submitted 20-item quiz attempts per
learner per deck (10,000 attempts); plus one learner outside the class with 100,000 reviews of the
same decks. Then times, as the class's instructor, the class dashboard and the item analysis of
one deck, and, as the heavy learner, their statistics page over all decks (median of 7 requests
after 2 warm-ups), and prints each beside its goal.

    python benchmarks/bench_analytics.py --url postgresql+psycopg://postgres@127.0.0.1:5432/DB

``--url`` names a scratch database: every table in it is dropped and recreated. Without it the
run uses a temporary SQLite file (smaller sizes are advisable there: ``--reviews 100000``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from quizapp import create_app
from quizapp.bench.seed import _bulk, _settle
from quizapp.domain.questions import item_id
from quizapp.extensions import db
from quizapp.models import User
from quizapp.models.study import prior_interval_days
from quizapp.services import signins

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
GOALS_MS = {"class dashboard": 300, "item analysis": 300, "learner statistics": 150}


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat()


def seed(
    conn,
    *,
    learners: int,
    decks: int,
    questions: int,
    reviews: int,
    heavy_reviews: int,
    rng: random.Random,
) -> dict:
    """Fill the empty tables; ``rng`` draws the quiz attempts (histories use per-user ones)."""
    now = NOW.replace(tzinfo=None)
    instructor, heavy = learners + 1, learners + 2
    _bulk(
        conn,
        "users",
        ("id", "email", "password_hash", "role", "display_name", "created_at"),
        [
            (u, f"learner{u}@bench.invalid", "x", "learner", f"Learner {u}", now)
            for u in range(1, learners + 1)
        ]
        + [
            (instructor, "teacher@bench.invalid", "x", "instructor", "Teacher", now),
            (heavy, "heavy@bench.invalid", "x", "learner", "Heavy", now),
        ],
    )
    _bulk(
        conn,
        "decks",
        (
            "id",
            "slug",
            "title",
            "description",
            "owner_id",
            "visibility",
            "source_file",
            "source_sha256",
            "published_at",
            "version",
            "created_at",
            "updated_at",
        ),
        [
            (d, f"deck-{d}", f"Deck {d}", "", instructor, "public", "", "", now, 1, now, now)
            for d in range(1, decks + 1)
        ],
    )
    question_rows, card_rows, cards = [], [], []  # cards: (card id, deck id, type, fields)
    qid = 0
    for d in range(1, decks + 1):
        for i in range(questions):
            qid += 1
            if i % 2:
                qtype = "cloze"
                fields = {"text": f"Fact {qid} is about {{{{c1::answer{qid}}}}}."}
            else:
                qtype = "multiple_choice"
                fields = {
                    "prompt": f"Which is right for {qid}?",
                    "choices": [f"Choice {qid}-{c}" for c in range(4)],
                    "correct": [0],
                }
            question_rows.append(
                (
                    qid,
                    d,
                    f"q{qid}",
                    qtype,
                    json.dumps(fields),
                    "",
                    f"section{i % 6}",
                    f"Sentence {i // 2} of deck {d}.",
                    "[]",
                    i,
                    now,
                    now,
                )
            )
            card_rows.append((qid, qid, d, 1, f"{qid}"))
            cards.append((qid, d, qtype, fields))
    _bulk(
        conn,
        "questions",
        (
            "id",
            "deck_id",
            "key",
            "type",
            "fields",
            "explanation",
            "origin_section",
            "origin_quote",
            "tags",
            "position",
            "created_at",
            "updated_at",
        ),
        question_rows,
    )
    _bulk(conn, "cards", ("id", "question_id", "deck_id", "ordinal", "answer_key"), card_rows)
    _bulk(
        conn,
        "classrooms",
        ("id", "name", "owner_id", "join_code", "created_at"),
        [(1, "Bench class", instructor, "BENCHCLS", now)],
    )
    _bulk(
        conn,
        "memberships",
        ("id", "classroom_id", "user_id", "joined_at"),
        [(u, 1, u, now) for u in range(1, learners + 1)],
    )
    _bulk(
        conn,
        "assignments",
        ("id", "classroom_id", "deck_id", "target_date", "created_at", "quiz_question_count"),
        [
            (d, 1, d, (NOW + timedelta(days=14)).date(), now - timedelta(days=30), 20)
            for d in range(1, decks + 1)
        ],
    )

    def history(user: int, total: int):
        """``total`` reviews of ``user`` over the cards, and the states they leave (the same
        for the same user: each pass draws from the user's own generator)."""
        rng = random.Random(user)
        per_card = max(5, -(-total // len(cards)))
        seen = rng.sample(cards, min(len(cards), total // per_card))
        left = total
        for index, (card_id, deck_id, qtype, fields) in enumerate(seen):
            n = per_card if index < len(seen) - 1 else left
            left -= n
            at = now - timedelta(days=120)
            interval = 1.0
            previous = None
            for _ in range(n):
                at += timedelta(days=min(interval, 3), minutes=rng.randint(0, 600))
                if at > now:
                    at = now - timedelta(minutes=rng.randint(1, 600))
                wrong = rng.random() < 0.15
                answer = None
                if wrong:
                    answer = (
                        {"choices": [item_id(fields["choices"][rng.randint(1, 3)])]}
                        if qtype == "multiple_choice"
                        else {"text": rng.choice(["liver", "Kidney", "the kidney"])}
                    )
                yield (
                    "review",
                    (
                        user,
                        card_id,
                        deck_id,
                        1 if wrong else 3,
                        at,
                        rng.randint(1500, 20000),
                        not wrong,
                        json.dumps(answer) if answer else None,
                        json.dumps(previous) if previous else None,
                        prior_interval_days(previous),
                    ),
                )
                interval = 1.0 if wrong else min(interval * 2.5, 90.0)
                previous = {
                    "state": 2,
                    "step": None,
                    "stability": interval,
                    "difficulty": 5.0,
                    "due": _iso(at + timedelta(days=interval)),
                    "last_review": _iso(at),
                    "reps": 1,
                    "lapses": 0,
                    "leech": False,
                }
            yield (
                "state",
                (
                    user,
                    card_id,
                    deck_id,
                    2,
                    None,
                    round(interval, 3),
                    round(rng.uniform(2, 9), 3),
                    at + timedelta(days=interval),
                    at,
                    n,
                    0,
                    rng.random() < 0.02,
                    1,
                ),
            )

    per_learner = reviews // learners
    users = [(u, per_learner) for u in range(1, learners + 1)] + [(heavy, heavy_reviews)]

    def rows(kind: str):
        for user, total in users:
            for what, row in history(user, total):
                if what == kind:
                    counts[kind] += 1
                    yield row

    counts = {"review": 0, "state": 0}
    _bulk(
        conn,
        "card_states",
        (
            "user_id",
            "card_id",
            "deck_id",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "reps",
            "lapses",
            "leech",
            "version",
        ),
        rows("state"),
    )
    _bulk(
        conn,
        "reviews",
        (
            "user_id",
            "card_id",
            "deck_id",
            "rating",
            "reviewed_at",
            "duration_ms",
            "correct",
            "answer",
            "previous_state",
            "prior_interval_days",
        ),
        rows("review"),
    )

    by_deck: dict[int, list] = {}
    for card in cards:
        by_deck.setdefault(card[1], []).append(card)
    attempt_rows = []
    attempt_id = 0
    for user in range(1, learners + 1):
        skill = rng.random()
        for d in range(1, decks + 1):
            for _ in range(2):
                attempt_id += 1
                drawn = rng.sample(by_deck[d], 20)
                results = []
                for index, (card_id, _, qtype, fields) in enumerate(drawn):
                    right = rng.random() < 0.4 + 0.5 * skill
                    if qtype == "multiple_choice":
                        given = [fields["choices"][0 if right else rng.randint(1, 3)]]
                    else:
                        given = [f"answer{card_id}" if right else rng.choice(["liver", "bone"])]
                    results.append(
                        {
                            "index": index,
                            "card_id": card_id,
                            "question_id": card_id,
                            "correct": right,
                            "given": given,
                        }
                    )
                score = sum(r["correct"] for r in results)
                attempt_rows.append(
                    (
                        attempt_id,
                        user,
                        d,
                        json.dumps([d]),
                        "{}",
                        "[]",
                        "{}",
                        now - timedelta(days=3),
                        now + timedelta(days=1),
                        now - timedelta(days=2),
                        score,
                        20,
                        json.dumps(results),
                        1,
                    )
                )
    _bulk(
        conn,
        "quiz_attempts",
        (
            "id",
            "user_id",
            "assignment_id",
            "deck_ids",
            "settings",
            "items",
            "answers",
            "started_at",
            "expires_at",
            "submitted_at",
            "score",
            "max_score",
            "results",
            "version",
        ),
        attempt_rows,
    )
    if conn.dialect.name == "postgresql":
        for table in (
            "users",
            "decks",
            "questions",
            "cards",
            "classrooms",
            "memberships",
            "assignments",
            "card_states",
            "reviews",
            "quiz_attempts",
        ):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )
    conn.commit()
    return {
        "instructor": instructor,
        "heavy": heavy,
        "reviews": counts["review"],
        "states": counts["state"],
        "attempts": len(attempt_rows),
    }


def sign_in(client, user_id: int) -> None:
    """A real sign-in of ``user_id`` in the client's session (the session holds a sign-in
    credential, never a bare user id)."""
    from flask import g

    g.pop("_login_user", None)
    credential = signins.start(db.session.get(User, user_id), now=NOW)
    with client.session_transaction() as session:
        session["_user_id"] = credential
        session["_fresh"] = True


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="scratch database URL (default: temporary SQLite)")
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--decks", type=int, default=10)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--heavy-reviews", type=int, default=100_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time against the database a previous run seeded (no reseeding)",
    )
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'analytics.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "QUIZAPP_NOW": lambda: NOW,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        if args.reuse:
            ids = dict(
                db.session.execute(
                    sa.text(
                        "SELECT email, id FROM users WHERE email IN "
                        "('teacher@bench.invalid', 'heavy@bench.invalid')"
                    )
                ).all()
            )
            sizes = {
                "instructor": ids["teacher@bench.invalid"],
                "heavy": ids["heavy@bench.invalid"],
            }
            db.session.rollback()
        else:
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            with db.engine.connect() as conn:
                sizes = seed(
                    conn,
                    learners=args.learners,
                    decks=args.decks,
                    questions=args.questions,
                    reviews=args.reviews,
                    heavy_reviews=args.heavy_reviews,
                    rng=random.Random(7),
                )
                _settle(conn)
            print(
                f"seeded in {time.perf_counter() - started:.0f} s: {sizes['reviews']:,} "
                f"reviews, {sizes['states']:,} card states, {sizes['attempts']:,} quiz "
                f"attempts ({db.engine.dialect.name})"
            )
        client = app.test_client()
        figures = {}
        sign_in(client, sizes["instructor"])
        figures["class dashboard"] = timed(client, "/stats/classes/1?assignment=1")
        figures["item analysis"] = timed(client, "/stats/classes/1/items?assignment=1")
        sign_in(client, sizes["heavy"])
        figures["learner statistics"] = timed(client, "/stats/")
        figures["learner statistics, one deck"] = timed(client, "/stats/decks/deck-1")
        figures["article by memory"] = timed(client, "/stats/decks/deck-1/article")
        load = (
            Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
        )
        print(f"(load average while timing: {load})")
        for name, ms in figures.items():
            goal = GOALS_MS.get(name)
            verdict = (
                "" if goal is None else (f"goal < {goal} ms: {'met' if ms < goal else 'MISSED'}")
            )
            print(f"{name:32s} {ms:8.1f} ms  {verdict}")
        db.engine.dispose()


if __name__ == "__main__":
    main()
