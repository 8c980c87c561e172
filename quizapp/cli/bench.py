"""``quizapp bench``: the benchmark suite (see docs/benchmarks.md)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import click


@click.command("bench")
@click.option("--quick", is_flag=True, help="Small sizes and short runs: under a minute.")
@click.option(
    "--database-url",
    envvar="QUIZAPP_BENCH_DATABASE_URL",
    default=None,
    help="Database to benchmark; its quizapp tables are EMPTIED. Default: a new "
    "SQLite file in a temporary folder.",
)
@click.option("--learners", type=int, help="Learners L (default 1000; quick 100).")
@click.option("--cards", type=int, help="Card states per learner C (default 2000; quick 200).")
@click.option("--decks", type=int, default=10, show_default=True, help="Decks D.")
@click.option(
    "--concurrency",
    type=int,
    default=16,
    show_default=True,
    help="Concurrent learners K in the load process.",
)
@click.option("--seconds", type=float, help="Seconds per load run T (default 20; quick 4).")
@click.option(
    "--workers",
    type=int,
    help="Server worker processes (default: 1 on SQLite, 2 per core on PostgreSQL).",
)
@click.option(
    "--servers",
    type=int,
    default=1,
    show_default=True,
    help="`quizapp serve` processes on the one database (scale-out); the default "
    "workers are then shared among them.",
)
@click.option(
    "--study-only",
    is_flag=True,
    help="Only the study, floor and page runs (no deck builder, no Anki export).",
)
@click.option(
    "--profile",
    type=click.Path(path_type=Path),
    help="Profile every request with cProfile; each server worker writes "
    "DIR/<pid>.prof (slows the server: not for the figures).",
)
@click.option(
    "--reuse",
    is_flag=True,
    help="Measure the full size again on the data an earlier run of the same sizes "
    "left in --database-url (no seeding; the smaller size is skipped).",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(path_type=Path),
    help="Also write the full results as JSON here.",
)
def bench(
    quick: bool,
    database_url: str | None,
    learners: int | None,
    cards: int | None,
    decks: int,
    concurrency: int,
    seconds: float | None,
    workers: int | None,
    servers: int,
    study_only: bool,
    profile: Path | None,
    reuse: bool,
    json_out: Path | None,
) -> None:
    """Seed, serve and load-test the study API, the browser's study path and the home and deck
    pages against a floor endpoint; time the deck builder and the Anki export; print every
    figure beside its goal."""
    from quizapp.bench.run import BenchOptions, run, summary
    from quizapp.config import normalise_database_url

    if database_url is None:
        database_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='quizapp-bench-')) / 'bench.db'}"
    options = BenchOptions(
        database_url=normalise_database_url(database_url),
        learners=learners or (100 if quick else 1000),
        cards=cards or (200 if quick else 2000),
        decks=decks,
        concurrency=concurrency,
        seconds=seconds or (4.0 if quick else 20.0),
        workers=workers,
        articles=100 if quick else 1000,
        anki_questions=1000 if quick else 10_000,
        quick=quick,
        servers=max(1, servers),
        study_only=study_only,
        profile=profile.resolve() if profile else None,
        reuse=reuse,
    )
    click.echo(f"benchmarking {options.database_url.split('@')[-1]} on {os.cpu_count()} cores")
    report = run(options, echo=click.echo)
    click.echo("")
    for line in summary(report):
        click.echo(line)
    if json_out:
        json_out.write_text(json.dumps(asdict(report), default=str, indent=2))
