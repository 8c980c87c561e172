"""``quizapp bench``: the whole benchmark run and its report.

For each data size (the full one, then 10x fewer cards per learner): seed the database in bulk,
start the real server (or ``servers`` of them on the one database), drive the study API, the
browser's study path, the floor endpoint and the home and deck pages from a separate load process,
and stop the servers. Then time the deck builder and the Anki export. Every figure is printed with
its goal, cards per second next to the floor of the same run, with the SQL statements per card
that the servers counted.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from .seed import PAGE_DECKS, Seeded, SeedSize, seed, study_deck, token_for
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
    #: ``quizapp serve`` processes on the one database, the load dealt out over them.
    servers: int = 1
    #: Skip the deck builder and the Anki export (the study runs only).
    study_only: bool = False
    #: Write each server worker's cProfile of the requests under this folder.
    profile: Path | None = None
    #: Measure the first size on the data an earlier run seeded (same sizes), without seeding;
    #: the second size is skipped.
    reuse: bool = False
    #: Learners loading the home and deck pages at once. Not K: a page view is not a tight
    #: loop, and a closed loop of K measures the queue (latency = K x CPU per page / cores).
    page_concurrency: int = 2


SCENARIOS = ("api", "browser", "floor", "pages")


@dataclass
class SizeResult:
    size: SeedSize
    seed_seconds: float
    runs: dict  # scenario -> the load process's result

    @property
    def floor(self) -> dict:
        return self.runs["floor"]


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
    # As `quizapp serve`; several servers share the cores.
    workers = options.workers or (1 if sqlite else max(1, (os.cpu_count() or 1) // options.servers))
    threads = options.threads or (4 if sqlite else 2)
    report = Report(engine=engine.dialect.name, workers=workers, threads=threads, options=options)
    work = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    sizes = [
        SeedSize(options.learners, options.decks, options.cards),
        SeedSize(options.learners, options.decks, max(options.decks, options.cards // 10)),
    ]
    if options.reuse:
        sizes = sizes[:1]
    for size in sizes:
        echo(
            f"{'reusing' if options.reuse else 'seeding'} {size.learners} learners x "
            f"{size.cards} cards = {size.card_states:,} card "
            f"states, ~{size.reviews:,} reviews ({report.engine}) ..."
        )
        with engine.connect() as conn:
            if options.reuse:
                seeded = Seeded(
                    size=size,
                    deck_slugs=[f"bench-deck-{d + 1}" for d in range(size.decks)],
                    tokens=[token_for(u) for u in range(1, size.learners + 1)],
                    seconds=0.0,
                )
            else:
                seeded = seed(conn, size, now=datetime.now(UTC), page_decks=PAGE_DECKS)
            conn.execute(DROP_TABLE)
            conn.execute(CREATE_TABLE)
            conn.commit()
        echo(f"  seeded in {seeded.seconds:.1f} s")
        deck_ids = list(range(1, size.decks + 1))
        learners = [
            {
                "token": token,
                "email": f"learner{user}@bench.invalid",
                "deck": seeded.deck_slugs[study_deck(user, deck_ids) - 1],
            }
            for user, token in enumerate(seeded.tokens, 1)
        ]
        # The API studies with the first half of the learners, the browser with the second, so
        # each finds its learners' due cards untouched.
        half = max(1, len(learners) // 2)
        files = {}
        for scenario, part in (
            ("api", learners[:half]),
            ("browser", learners[half:][::-1]),
            ("floor", learners),
            ("pages", learners),
        ):
            files[scenario] = work / f"learners-{scenario}.json"
            files[scenario].write_text(json.dumps(part or learners))
        with contextlib.ExitStack() as stack:
            servers = [
                stack.enter_context(
                    Server(
                        options.database_url,
                        workers,
                        threads,
                        work / f"server-{n}.log",
                        profile=options.profile,
                    )
                )
                for n in range(options.servers)
            ]
            urls = [server.url for server in servers]
            results = {}
            for scenario in SCENARIOS:
                _load(
                    urls,
                    scenario,
                    files[scenario],
                    options,  # warm up
                    seconds=min(2.0, options.seconds),
                )
                results[scenario] = _load(
                    urls, scenario, files[scenario], options, seconds=options.seconds
                )
                echo(f"  {scenario}: {_line(results[scenario])}")
        with engine.connect() as conn:
            conn.execute(DROP_TABLE)
            conn.commit()
        report.sizes.append(SizeResult(size, seeded.seconds, results))
    engine.dispose()
    if options.study_only:
        return report

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
    urls: list[str], scenario: str, learners_file: Path, options: BenchOptions, seconds: float
) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "quizapp.bench.load",
            *[arg for url in urls for arg in ("--url", url)],
            "--scenario",
            scenario,
            "--learners",
            str(learners_file),
            "--concurrency",
            str(options.page_concurrency if scenario == "pages" else options.concurrency),
            "--seconds",
            str(seconds),
        ],
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise RuntimeError(f"the {scenario} load process failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout)


def _line(result: dict) -> str:
    line = (
        f"{result['throughput']}/s, p50 {result['p50']} ms, p95 {result['p95']} ms, "
        f"p99 {result['p99']} ms, {result['statements_per_item']} statements each "
        f"({result['count']} done, {result['errors']} errors {result['error_kinds']})"
    )
    for page in ("home", "deck"):
        if page in result:
            line += f"; {page} p50 {result[page]['p50']} ms, p99 {result[page]['p99']} ms"
    return line


def summary(report: Report) -> list[str]:
    """The report as lines, each figure beside its goal."""
    big, small = report.sizes[0], report.sizes[-1]
    lines = [
        f"quizapp bench — {report.engine}, {report.options.servers} server(s) of "
        f"{report.workers} worker process(es) x "
        f"{report.threads} threads, K={report.options.concurrency} concurrent "
        f"learners, {report.options.seconds:g} s per run, {os.cpu_count()} cores",
        "",
    ]
    lines.append(
        "| data | card states | reviews | path | cards/s | p50 | p95 | p99 | statements/card | "
        "floor/s | floor p99 | cards/floor |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in report.sizes:
        for path in ("api", "browser"):
            run = r.runs[path]
            ratio = run["throughput"] / r.floor["throughput"] if r.floor["throughput"] else 0
            lines.append(
                f"| {r.size.learners} x {r.size.cards} | {r.size.card_states:,} | "
                f"{r.size.reviews:,} | {path} | {run['throughput']} | {run['p50']} ms | "
                f"{run['p95']} ms | {run['p99']} ms | {run['statements_per_item']} | "
                f"{r.floor['throughput']} | {r.floor['p99']} ms | {ratio:.2f} |"
            )
    lines.append("")
    goal_ratio = 0.4 if report.engine == "sqlite" else 0.5
    for path in ("api", "browser"):
        big_run, small_run = big.runs[path], small.runs[path]
        ratio = big_run["throughput"] / big.floor["throughput"] if big.floor["throughput"] else 0
        growth = (big_run["p50"] / small_run["p50"]) if small_run["p50"] else 0
        lines += [
            _goal(
                f"{path}: card p99 at {big.size.card_states:,} card states",
                f"{big_run['p99']} ms",
                "< 50 ms",
                (big_run["p99"] or 1e9) < 50,
            ),
            _goal(
                f"{path}: cards/s / floor requests/s",
                f"{ratio:.2f}",
                f">= {goal_ratio}",
                ratio >= goal_ratio,
            ),
            _goal(
                f"{path}: p50 at {big.size.card_states:,} / p50 at {small.size.card_states:,}",
                f"{growth:.2f}",
                "<= 1.3",
                growth <= 1.3,
            ),
        ]
    pages = f"K={report.options.page_concurrency}"
    for page, label in (
        ("home", f"home page, 200 decks ({pages})"),
        ("deck", f"deck page, 500-question deck ({pages})"),
    ):
        figures = big.runs["pages"].get(page) or {}
        p99 = figures.get("p99")
        lines.append(_goal(f"{label}: p99", f"{p99} ms", "< 100 ms", (p99 or 1e9) < 100))
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
