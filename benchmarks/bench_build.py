"""Benchmark: build 1,000 articles into deck files on one core and print articles per second.

Run from the repository root::

    python benchmarks/bench_build.py [--count 1000] [--reuse-tags]
    QUIZAPP_TAGGER=parser|off python benchmarks/bench_build.py   # the alternatives

The measuring code is ``quizapp.bench.articles`` (also run by ``quizapp bench``). Results for
this machine are in docs/benchmarks.md ("Deck builder").
"""

from __future__ import annotations

import argparse
import time

from quizapp.bench.articles import bench_builder


def calibrate() -> float:
    start = time.process_time()
    total = 0
    for n in range(5_000_000):
        total += n
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--reuse-tags",
        action="store_true",
        help="keep the tagger's per-sentence cache across articles (the variants "
        "share sentences, so this flatters the figure)",
    )
    args = parser.parse_args()
    r = bench_builder(args.count, reuse_tags=args.reuse_tags)
    print(
        f"{r['articles']} articles ({r['megabytes']} MB, {r['templates']} templates: "
        f".txt .md .html) -> {r['questions']} questions, failed: {r['failed']}"
    )
    print(
        f"wall {r['seconds']:.2f} s ({r['articles'] / r['seconds']:.0f} articles/s), "
        f"CPU {r['cpu_seconds']:.2f} s ({r['articles'] / r['cpu_seconds']:.0f} articles/s "
        "per core)"
    )
    print(
        f"tagger: {r['tagger']} (QUIZAPP_TAGGER), slowest single article: "
        f"{r['one_article_ms']} ms CPU (model loaded)"
    )
    print(
        f"machine: a 5,000,000-step Python loop took {calibrate():.2f} s of CPU "
        "(compare runs by this: it grows when other work shares the core)"
    )


if __name__ == "__main__":
    main()
