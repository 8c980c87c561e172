"""A smoke run of ``quizapp bench`` at toy sizes: every stage runs and reports (no timings)."""

from __future__ import annotations

import sqlalchemy as sa

from quizapp.bench.run import BenchOptions, prepare_schema, run, summary
from quizapp.bench.seed import SeedSize, seed, token_for


def test_seed_writes_the_requested_sizes(tmp_path):
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    prepare_schema(url)
    engine = sa.create_engine(url)
    from datetime import UTC, datetime

    with engine.connect() as conn:
        seeded = seed(conn, SeedSize(learners=6, decks=3, cards=30), now=datetime.now(UTC))
        count = {
            t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
            for t in ("users", "decks", "cards", "card_states", "reviews", "api_tokens")
        }
        due = conn.execute(
            sa.text("SELECT COUNT(*) FROM card_states WHERE due <= :now"),
            {"now": datetime.now(UTC).replace(tzinfo=None).isoformat(" ")},
        ).scalar()
    engine.dispose()
    assert count["users"] == 6 and count["api_tokens"] == 6
    assert count["decks"] == 3 and count["cards"] == 30
    assert count["card_states"] == 6 * 30
    assert 6 * 30 * 2 <= count["reviews"] <= 6 * 30 * 3
    assert due == 6 * 10  # every card of the learner's study deck (10 per deck) is due
    assert seeded.tokens[0] == token_for(1)


def test_bench_smoke_run(tmp_path):
    options = BenchOptions(
        database_url=f"sqlite:///{tmp_path / 'bench.db'}",
        learners=40,
        # Enough due cards that a fast machine cannot study them all in the warm-up and the run.
        cards=200,
        decks=2,
        concurrency=2,
        seconds=1.0,
        articles=3,
        anki_questions=20,
    )
    lines: list[str] = []
    report = run(options, echo=lines.append)
    assert len(report.sizes) == 2
    for size in report.sizes:
        for scenario in ("api", "browser", "floor", "pages"):
            result = size.runs[scenario]
            assert result["count"] > 0 and result["errors"] == 0, result
            # Counted by the server (X-Bench-Statements), never zero for a request that reads.
            assert result["statements_per_item"] >= 1, result
        assert size.runs["floor"]["statements_per_item"] == 2  # one read, one insert
        assert size.runs["pages"]["home"]["count"] and size.runs["pages"]["deck"]["count"]
    assert report.builder["articles"] == 3
    assert report.anki["questions"] == 20
    text = "\n".join(summary(report))
    for goal in (
        "api: card p99",
        "browser: cards/s / floor requests/s",
        "p50 at",
        "home page, 200 decks (K=2): p99",
        "deck page, 500-question deck (K=2): p99",
        "deck builder",
        "anki export",
    ):
        assert goal in text
