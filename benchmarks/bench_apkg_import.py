"""Benchmark: importing a 10,000-note Anki package (with review history) into quizapp.

The package is written by the real ``anki`` library (a test dependency): half Basic notes, half
Cloze notes with two deletions (15,000 cards), and three reviews on each note's first card
(30,000 review-log rows, written into the collection's ``revlog`` table before Anki exports it
in its current format, ``collection.anki21b``). Then, best of ``--repeat`` runs each:

- parse: :func:`quizapp.domain.interop.read_file` (unzip, zstd, read-only SQLite, mapping);
- import: :func:`quizapp.services.interop.import_file` into an empty database (SQLite, or
  PostgreSQL with ``--database-url``), the questions and cards only (as ``quizapp import FILE``);
- import with history: the same plus the 30,000 reviews recorded and replayed into FSRS states
  for one learner (as ``quizapp import FILE --user EMAIL``).

Run from the repository root::

    PYTHONPATH=. python benchmarks/bench_apkg_import.py [--notes 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def make_package(folder: Path, notes: int) -> Path:
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    col = Collection(str(folder / "collection.anki2"))
    try:
        deck_id = col.decks.id("Benchmark::Imported")
        basic, cloze = col.models.by_name("Basic"), col.models.by_name("Cloze")
        requests = []
        for i in range(notes):
            if i % 2:
                note = col.new_note(cloze)
                note.fields[0] = (
                    f"IGF-1 is made in the {{{{c1::liver}}}} after "
                    f"{{{{c2::growth hormone}}}} signals ({i})."
                )
            else:
                note = col.new_note(basic)
                note.fields[0] = f"What does IGF-1 do in muscle? ({i})"
                note.fields[1] = "It signals the fibres to build new protein."
            note.tags = ["bench", f"group::{i % 10}"]
            requests.append(AddNoteRequest(note=note, deck_id=deck_id))
        col.add_notes(requests)
        first_cards = col.db.list("SELECT min(id) FROM cards GROUP BY nid")
        start = 1_700_000_000_000
        rows = []
        for n, cid in enumerate(first_cards):
            for k, (ease, kind) in enumerate(((3, 0), (3, 1), (2, 1))):
                rows.append((start + n * 10 + k + k * 86_400_000 * 3, cid, ease, kind))
        col.db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "VALUES (?, ?, -1, ?, 1, 0, 2500, 8000, ?)",
            rows,
        )
        out = folder / "bench.apkg"
        col.export_anki_package(
            out_path=str(out),
            limit=None,
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
            ),
        )
    finally:
        col.close()
    return out


class Timer:
    """Wall-clock and CPU (this process) time of a ``with`` block."""

    def __enter__(self):
        self.start, self.start_cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.start
        self.cpu = time.process_time() - self.start_cpu


def best(repeat: int, run) -> str:
    """The best wall-clock and CPU times of ``repeat`` runs; ``run`` returns its Timer."""
    timers = [run() for _ in range(repeat)]
    return f"{min(t.wall for t in timers):7.3f} s wall, {min(t.cpu for t in timers):7.3f} s CPU"


def timed(call) -> Timer:
    with Timer() as timer:
        call()
    return timer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database-url",
        help="an empty PostgreSQL database to import into "
        "(its tables are dropped and made anew for every run); default: SQLite "
        "files in a temporary folder",
    )
    args = parser.parse_args()

    from quizapp import create_app
    from quizapp.domain.interop import read_file
    from quizapp.extensions import db
    from quizapp.services import accounts, interop

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_package(folder, args.notes)
        data = path.read_bytes()
        parsed = read_file(data, path.name)
        cards = sum(2 if q.type == "cloze" else 1 for d in parsed.decks for q in d.questions)
        print(
            f"package: {len(data) / 1e6:.2f} MB, {args.notes} notes, {cards} cards, "
            f"{len(parsed.reviews)} reviews ({parsed.reviews_skipped} left out)"
        )
        print(
            f"parse:               "
            f"{best(args.repeat, lambda: timed(lambda: read_file(data, path.name)))}"
        )

        def fresh_app(n: int):
            url = args.database_url or f"sqlite:///{folder / f'db{n}.sqlite'}"
            app = create_app(
                {"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}
            )
            with app.app_context():
                if args.database_url:
                    db.drop_all()
                db.create_all()
            return app

        counter = iter(range(1000))

        def run(with_user: bool) -> Timer:
            """An empty database (made before the clock starts), then the import, timed."""
            app = fresh_app(next(counter))
            with app.app_context():
                user = (
                    accounts.create_user("bench@example.com", "a long bench password", "learner")
                    if with_user
                    else None
                )
                with Timer() as timer:
                    report = interop.import_file(path, user=user)
                assert report.ok, report.problems
                db.session.remove()
                db.engine.dispose()
            return timer

        print(f"import (no history): {best(args.repeat, lambda: run(False))}")
        print(f"import with history: {best(args.repeat, lambda: run(True))}")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
