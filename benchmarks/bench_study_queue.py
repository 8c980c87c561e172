"""Does picking the next card slow down as a learner's history grows? (It should not.)

One learner among 21, a 300-card deck every one of them has seen (60 cards due now), and the
learner's review history growing from nothing to 300,000 reviews. Times
``quizapp.services.study.next_card`` and ``queue_counts`` (median of many calls) at each size.

    python benchmarks/bench_study_queue.py [--url postgresql+psycopg://...] [--sizes 0,10000,...]

Without ``--url`` it runs on a temporary SQLite file. With ``--url`` it uses that database and
drops and recreates every table in it: give it a scratch database.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from quizapp import create_app
from quizapp.domain import deck as domain
from quizapp.extensions import db
from quizapp.models import Card, CardState, Review, User
from quizapp.services import study
from quizapp.services.decks import get_deck, import_deck

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CARDS = 300


def _deck() -> domain.Deck:
    questions = [
        domain.Question(f"q{n}", "basic", {"front": f"Front {n}", "back": f"Back {n}"})
        for n in range(CARDS)
    ]
    return domain.Deck(id="bench", title="Bench", description="", questions=questions)


def _time(fn, repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="")
    parser.add_argument("--sizes", default="0,10000,100000,300000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "QUIZAPP_BUNDLED_DECKS": tmp}
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            users = [User(email=f"u{n}@example.com", password_hash="x") for n in range(21)]
            db.session.add_all(users)
            db.session.commit()
            import_deck(_deck(), now=NOW)
            deck = get_deck("bench")
            cards = list(db.session.scalars(sa.select(Card.id).where(Card.deck_id == deck.id)))
            for user in users:
                db.session.execute(
                    sa.insert(CardState),
                    [
                        {
                            "user_id": user.id,
                            "card_id": c,
                            "deck_id": deck.id,
                            "state": 2,
                            "stability": 10.0,
                            "difficulty": 5.0,
                            "reps": 5,
                            "version": 1,
                            "due": NOW + timedelta(hours=(n % 10 - 1) * 24),
                            "last_review": NOW,
                        }
                        for n, c in enumerate(cards)
                    ],
                )
            db.session.commit()
            learner = users[0]
            print(
                f"engine: {db.engine.dialect.name}; deck of {CARDS} cards, "
                f"{sum(1 for n in range(CARDS) if n % 10 <= 1)} due now"
            )
            print("\n| reviews in the learner's history | next_card | queue_counts |")
            print("|---|---|---|")
            done = 0
            for size in sizes:
                rows = []
                for n in range(done, size):
                    rows.append(
                        {
                            "user_id": learner.id,
                            "card_id": cards[n % CARDS],
                            "deck_id": deck.id,
                            "rating": 3,
                            "duration_ms": 1000,
                            "reviewed_at": NOW - timedelta(minutes=n + 1),
                            "idempotency_key": f"k{n}",
                            "previous_state": {"state": 2, "due": NOW.isoformat()},
                        }
                    )
                    if len(rows) == 20_000:
                        db.session.execute(sa.insert(Review), rows)
                        rows = []
                if rows:
                    db.session.execute(sa.insert(Review), rows)
                db.session.commit()
                done = size
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
                next_ms = _time(lambda: study.next_card(learner.id, deck, NOW))
                counts_ms = _time(lambda: study.queue_counts(learner.id, deck, NOW))
                print(f"| {size:,} | {next_ms:.2f} ms | {counts_ms:.2f} ms |")
            db.session.remove()
            if args.url:
                db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
