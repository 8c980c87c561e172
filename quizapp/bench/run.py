"""``quizapp bench``: the whole benchmark run and its report.

For each data size (the full one, then 10x fewer cards per learner): seed the database in bulk,
start the real server, drive the study round trip and then the floor endpoint from a separate load
process, and stop the server. Then time the deck builder and the Anki export. Every figure is
printed with its goal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from .seed import SeedSize, seed, study_deck
from .server import Server


@dataclass
class BenchOptions:
    database_url: str
    learners: int = 1000
    cards: int = 2000
    decks: int = 10
    concurrency: int = 16
    seconds: float = 20.0
    workers: int | None = None
    threads: int | None = None
    articles: int = 1000
    anki_questions: int = 10_000
    quick: bool = False
    out: Path | None = None


@dataclass
class SizeResult:
    size: SeedSize
    seed_seconds: float
    study: dict
    floor: dict


@dataclass
class Report:
    engine: str
    workers: int
    threads: int
    options: BenchOptions
    sizes: list[SizeResult] = field(default_factory=list)
    builder: dict | None = None
    anki: dict | None = None


def prepare_schema(database_url: str) -> None:
    """Bring the bench database to the newest migration (in this process)."""
    from flask_migrate import upgrade

    from quizapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        from quizapp.extensions import db

        db.engine.dispose()


def run(options: BenchOptions, echo=print) -> Report:
    from .floor import CREATE_TABLE, DROP_TABLE

    prepare_schema(options.database_url)
    engine = sa.create_engine(options.database_url)
    sqlite = engine.dialect.name == "sqlite"
    workers = options.workers or (1 if sqlite else os.cpu_count() or 1)  # as `quizapp serve`
    threads = options.threads or (4 if sqlite else 2)
    report = Report(
        engine=engine.dialect.name, workers=workers, threads=threads, options=options
    )
    work = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    sizes = [
        SeedSize(options.learners, options.decks, options.cards),
        SeedSize(options.learners, options.decks, max(options.decks, options.cards // 10)),
    ]
    for size in sizes:
        echo(
            f"seeding {size.learners} learners x {size.cards} cards = {size.card_states:,} card "
            f"states, ~{size.reviews:,} reviews ({report.engine}) ..."
        )
        with engine.connect() as conn:
            seeded = seed(conn, size, now=datetime.now(UTC))
            conn.execute(DROP_TABLE)
            conn.execute(CREATE_TABLE)
            conn.commit()
        echo(f"  seeded in {seeded.seconds:.1f} s")
        deck_ids = list(range(1, size.decks + 1))
        learners = [
            (token, seeded.deck_slugs[study_deck(user, deck_ids) - 1])
            for user, token in enumerate(seeded.tokens, 1)
        ]
        learners_file = work / "learners.json"
        learners_file.write_text(json.dumps(learners))
        with Server(options.database_url, workers, threads, work / "server.log") as server:
            results = {}
            for scenario in ("study", "floor"):
                _load(
                    server.url,
                    scenario,
                    learners_file,
                    options,  # warm up
                    seconds=min(2.0, options.seconds),
                )
                results[scenario] = _load(
                    server.url, scenario, learners_file, options, seconds=options.seconds
                )
                echo(f"  {scenario}: {_line(results[scenario])}")
        with engine.connect() as conn:
            conn.execute(DROP_TABLE)
            conn.commit()
        report.sizes.append(SizeResult(size, seeded.seconds, results["study"], results["floor"]))
    engine.dispose()

    from .articles import bench_builder
    from .export import bench_anki

    report.builder = bench_builder(options.articles)
    echo(f"deck builder: {report.builder['articles']} articles in {report.builder['seconds']} s")
    report.anki = bench_anki(options.anki_questions)
    echo(
        f"anki export: {report.anki['questions']} questions in {report.anki['quizapp_seconds']} s "
        f"(plain genanki {report.anki['genanki_seconds']} s)"
    )
    return report


def _load(
    url: str, scenario: str, learners_file: Path, options: BenchOptions, seconds: float
) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "quizapp.bench.load",
            "--url",
            url,
            "--scenario",
            scenario,
            "--learners",
            str(learners_file),
            "--concurrency",
            str(options.concurrency),
            "--seconds",
            str(seconds),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def _line(result: dict) -> str:
    return (
        f"{result['throughput']}/s, p50 {result['p50']} ms, p95 {result['p95']} ms, "
        f"p99 {result['p99']} ms ({result['count']} done, {result['errors']} errors)"
    )


def summary(report: Report) -> list[str]:
    """The report as lines, each figure beside its goal."""
    big, small = report.sizes[0], report.sizes[-1]
    lines = [
        f"quizapp bench — {report.engine}, {report.workers} worker process(es) x "
        f"{report.threads} threads, K={report.options.concurrency} concurrent "
        f"learners, {report.options.seconds:g} s per run, {os.cpu_count()} cores",
        "",
    ]
    lines.append(
        "| data | card states | reviews | study round trip/s | p50 | p95 | p99 | "
        "floor/s | floor p99 | study/floor |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in report.sizes:
        ratio = r.study["throughput"] / r.floor["throughput"] if r.floor["throughput"] else 0
        lines.append(
            f"| {r.size.learners} x {r.size.cards} | {r.size.card_states:,} | {r.size.reviews:,} | "
            f"{r.study['throughput']} | {r.study['p50']} ms | {r.study['p95']} ms | "
            f"{r.study['p99']} ms | {r.floor['throughput']} | {r.floor['p99']} ms | {ratio:.2f} |"
        )
    lines.append("")
    ratio = big.study["throughput"] / big.floor["throughput"] if big.floor["throughput"] else 0
    growth = (big.study["p50"] / small.study["p50"]) if small.study["p50"] else 0
    lines += [
        _goal(
            f"study p99 at {big.size.card_states:,} card states",
            f"{big.study['p99']} ms",
            "< 50 ms",
            (big.study["p99"] or 1e9) < 50,
        ),
        _goal("study throughput / floor throughput", f"{ratio:.2f}", ">= 0.5", ratio >= 0.5),
        _goal(
            f"p50 at {big.size.card_states:,} / p50 at {small.size.card_states:,}",
            f"{growth:.2f}",
            "<= 1.3",
            growth <= 1.3,
        ),
    ]
    if report.builder:
        b = report.builder
        lines.append(
            _goal(
                f"deck builder, {b['articles']} articles (one core)",
                f"{b['seconds']} s",
                "< 10 s for 1,000",
                b["seconds"] * 1000 / b["articles"] < 10,
            )
        )
    if report.anki:
        a = report.anki
        anki_ratio = a["quizapp_seconds"] / a["genanki_seconds"]
        lines.append(
            _goal(
                f"anki export, {a['questions']} questions",
                f"{a['quizapp_seconds']} s = {anki_ratio:.2f}x plain genanki "
                f"({a['genanki_seconds']} s)",
                "<= 1.5x",
                anki_ratio <= 1.5,
            )
        )
    return lines


def _goal(what: str, value: str, goal: str, met: bool) -> str:
    return f"{'met ' if met else 'MISSED'}  {what}: {value} (goal {goal})"
