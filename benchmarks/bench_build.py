"""Benchmark: build 1,000 articles into deck files on one core and print articles per second.

The articles are variants of the two seed articles and the test fixtures (plain text, Markdown
and HTML, glossary pages and blog articles). Each variant gets its own invented topic name and
shifted numbers, so no two articles share their topic sentences. Run:

    /work/venv/bin/python benchmarks/bench_build.py [--count 1000] [--keep DIR]

Results for this machine are in docs/benchmarks.md ("Deck builder").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.domain.builder import build_decks  # noqa: E402

SOURCES = sorted((ROOT / "decks" / "sources").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "articles").glob("*.*"))
TOPICS = {
    "igf-1": "IGF-1", "cortisol": "cortisol", "sleep-pressure": "adenosine",
    "glycogen": "glycogen", "creatine": "creatine", "hydration": "hydration",
    "vitamin-d": "vitamin D",
}
SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vex", "san", "dul", "pri", "zen", "bo", "quil"]


def invented_name(n: int) -> str:
    """A distinct made-up term per variant: "Kalomi", "Torvexsan", ..."""
    parts = []
    for _ in range(3):
        parts.append(SYLLABLES[n % len(SYLLABLES)])
        n //= len(SYLLABLES)
    return "".join(parts).capitalize() + "-" + str(n + 1)


def variant(text: str, source: Path, k: int) -> str:
    topic = next((t for key, t in TOPICS.items() if key in source.stem), None)
    name = invented_name(k)
    if topic:
        text = re.sub(re.escape(topic), name, text, flags=re.I)
    return re.sub(r"\b(\d{1,3})\b", lambda m: str(int(m.group(1)) + k % 5), text)


def make_corpus(folder: Path, count: int) -> list[Path]:
    paths = []
    for k in range(count):
        source = SOURCES[k % len(SOURCES)]
        path = folder / f"{source.stem}-{k:04d}{source.suffix}"
        path.write_text(variant(source.read_text(encoding="utf-8"), source, k), encoding="utf-8")
        paths.append(path)
    return paths


def calibrate() -> float:
    start = time.process_time()
    total = 0
    for n in range(5_000_000):
        total += n
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="write the corpus and decks here")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        corpus = work / "articles"
        corpus.mkdir(parents=True, exist_ok=True)
        paths = make_corpus(corpus, args.count)
        size = sum(p.stat().st_size for p in paths)
        build_decks(paths[:len(SOURCES)], work / "warmup")  # imports and word lists, once
        start, cpu = time.perf_counter(), time.process_time()
        report = build_decks(paths, work / "decks")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        questions = sum(r.questions for r in report.results)
        print(f"{len(paths)} articles ({size / 1e6:.1f} MB, {len(SOURCES)} templates: "
              f".txt .md .html) -> {questions} questions, failed: {len(report.failed)}")
        print(f"wall {elapsed:.2f} s ({len(paths) / elapsed:.0f} articles/s), "
              f"CPU {cpu:.2f} s ({len(paths) / cpu:.0f} articles/s per core)")
        print(f"machine: a 5,000,000-step Python loop took {calibrate():.2f} s of CPU "
              "(compare runs by this: it grows when other work shares the core)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
