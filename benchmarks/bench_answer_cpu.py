"""Server CPU per answered card, in one process: robust to a machine shared with other work.

Seeds 40 learners x 400 card states (4 decks; 40 due cards each) with the bench's seeder, then
answers cards through the Flask test client exactly as the bench's ``api`` path does (the answer
brings the next card, which the next answer answers) and reports the CPU time of each answer
request (``time.process_time``: what this process spent, however busy the machine is), the SQL
statements per answer, and a cProfile of the answers (timer: CPU time) by cumulative time.
The first 20 answers warm up and are not counted.

    PYTHONPATH=. python benchmarks/bench_answer_cpu.py --url postgresql+psycopg://.../SCRATCH
    PYTHONPATH=. python benchmarks/bench_answer_cpu.py            # a temporary SQLite file

The database's quizapp tables are emptied: give it a scratch database. The profile adds its own
overhead (roughly 1.5x): compare runs made the same way.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import tempfile
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from quizapp.bench.load import answer_for
from quizapp.bench.run import prepare_schema
from quizapp.bench.seed import SeedSize, seed, study_deck

WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=None)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--lines", type=int, default=40, help="profile lines to print")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='quizapp-cpu-')}/bench.db"
    prepare_schema(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        seeded = seed(conn, SeedSize(learners=40, decks=4, cards=400), now=datetime.now(UTC))
    engine.dispose()

    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    statements = [0]

    def count(*_):
        statements[0] += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
    profile = cProfile.Profile(time.process_time)
    cpu: list[float] = []
    counted = done = learner = 0
    decks = list(range(1, 5))
    while done < args.answers + WARM_UP and learner < len(seeded.tokens):
        learner += 1
        slug = seeded.deck_slugs[study_deck(learner, decks) - 1]
        headers = {"Authorization": f"Bearer {seeded.tokens[learner - 1]}"}
        card = client.get(f"/api/v1/study/{slug}/next", headers=headers).get_json()["card"]
        for _ in range(20):
            if card is None or done >= args.answers + WARM_UP:
                break
            body = {
                "card_id": card["card_id"],
                "answer": answer_for(card),
                "version": card["version"],
                "idempotency_key": uuid.uuid4().hex,
                "duration_ms": 4000,
            }
            measured = done >= WARM_UP
            before, started = statements[0], time.process_time()
            if measured:
                profile.enable()
            response = client.post(f"/api/v1/study/{slug}/answers", json=body, headers=headers)
            if measured:
                profile.disable()
                cpu.append((time.process_time() - started) * 1000)
                counted += statements[0] - before
            assert response.status_code == 201, response.get_json()
            done += 1
            card = response.get_json()["next"]["card"]
    cpu.sort()
    print(
        json.dumps(
            {
                "engine": sa.make_url(url).get_backend_name(),
                "answers": len(cpu),
                "cpu_ms_median": round(cpu[len(cpu) // 2], 2),
                "cpu_ms_mean": round(sum(cpu) / len(cpu), 2),
                "statements_per_answer": round(counted / len(cpu), 2),
            }
        )
    )
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.lines)
    print(out.getvalue())


if __name__ == "__main__":
    main()
