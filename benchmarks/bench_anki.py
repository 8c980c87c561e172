"""Benchmark: exporting a 10,000-question deck to Anki, against plain genanki.

Run from the repository root::

    python benchmarks/bench_anki.py [--questions 10000] [--repeat 7]

The measuring code is ``quizapp.bench.export`` (also run by ``quizapp bench``).
"""

from __future__ import annotations

import argparse

from quizapp.bench.export import bench_anki


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    r = bench_anki(args.questions, args.repeat)
    print(f"questions: {r['questions']}  cards: {r['cards']}  best of {r['repeat']}")
    print(f"plain genanki (uncompressed):    {r['genanki_seconds']:.3f} s  {r['genanki_mb']} MB")
    print(f"quizapp write_package (DEFLATE): {r['quizapp_seconds']:.3f} s  {r['quizapp_mb']} MB")
    print(f"plain genanki, GUIDs ready:      {r['genanki_ready_guids_seconds']:.3f} s")
    print(
        f"ratio: {r['quizapp_seconds'] / r['genanki_seconds']:.2f}x (goal: within 1.5x); "
        f"{r['quizapp_seconds'] / r['genanki_ready_guids_seconds']:.2f}x against genanki "
        "with GUIDs ready"
    )


if __name__ == "__main__":
    main()
