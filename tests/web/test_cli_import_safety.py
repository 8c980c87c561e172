"""``quizapp import`` under attack: the same deck imported twice at once, and bad files in a batch.

The concurrent test runs two real ``python -m quizapp import`` processes against the test
database (SQLite file or PostgreSQL) and checks the deck ends as exactly one of the two files and
that ``decks.version`` counts both imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain.deckfile import dump_deck_text
from quizapp.extensions import db
from quizapp.models import Deck, Question

from ..conftest import PROJECT_ROOT
from ..factories import sample_deck

QUESTIONS = 400


def _big_deck(word: str) -> domain.Deck:
    return domain.Deck(
        id="raced",
        title=f"Raced {word}",
        questions=[
            domain.Question(
                f"q{n}", "basic", {"front": f"{word} front {n}", "back": f"{word} back {n}"}
            )
            for n in range(QUESTIONS)
        ],
    )


def _import_cli(path: Path, url: str) -> subprocess.Popen:
    env = {**os.environ, "QUIZAPP_DATABASE_URL": url, "QUIZAPP_SECRET_KEY": "test"}
    return subprocess.Popen(
        [sys.executable, "-m", "quizapp", "import", str(path)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _live_fronts() -> set[str]:
    db.session.expire_all()
    return {
        q.fields["front"].split()[0]
        for q in db.session.scalars(
            sa.select(Question)
            .join(Deck)
            .where(Deck.slug == "raced", Question.retired_at.is_(None))
        )
    }


def test_two_imports_of_one_deck_at_once_run_one_after_the_other(app, runner, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    files = {}
    for word in ("first", "alpha", "beta", "gamma", "delta"):
        files[word] = tmp_path / f"{word}.yaml"
        files[word].write_text(dump_deck_text(_big_deck(word)), encoding="utf-8")
    assert runner.invoke(args=["import", str(files["first"])]).exit_code == 0
    db.session.remove()  # the CLI runner's session must not hold SQLite's lock
    version = db.session.scalar(sa.select(Deck.version).where(Deck.slug == "raced"))

    for round_, (a, b) in enumerate((("alpha", "beta"), ("gamma", "delta"))):
        # Two files that differ from the deck and from each other in every question, at once.
        procs = [_import_cli(files[a], url), _import_cli(files[b], url)]
        outputs = [p.communicate(timeout=120)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outputs
        fronts = _live_fronts()
        assert len(fronts) == 1, f"round {round_}: a mix of both files: {fronts}"
        # Both imports changed the deck (the second saw the first's questions), so both count.
        version += 2
        now_version = db.session.scalar(sa.select(Deck.version).where(Deck.slug == "raced"))
        assert now_version == version, f"round {round_}: an import's version bump was lost"
        db.session.remove()


def test_import_reports_a_bad_file_and_goes_on_with_the_others(runner, tmp_path):
    files = {
        "a-nested.yaml": "id: nested\ntitle: x\nquestions: " + "[" * 50_000 + "]" * 50_000,
        "b-aliases.yaml": 'id: bomb\ntitle: x\nquestions: []\na: &a ["x", "x"]\nb: [*a, *a]\n',
        "c-number.yaml": "id: num\ntitle: x\nquestions: []\nn: " + "9" * 5000 + "\n",
        "d-long-title.yaml": "id: long\ntitle: " + "t" * 201 + "\nquestions: []\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    good = tmp_path / "e-good.yaml"
    good.write_text(dump_deck_text(sample_deck("good")), encoding="utf-8")

    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert f"{tmp_path / 'a-nested.yaml'}:3: nested more than" in result.output
    assert f"{tmp_path / 'b-aliases.yaml'}:4: anchor '&a'" in result.output
    assert f"{tmp_path / 'b-aliases.yaml'}:5: alias '*a'" in result.output
    assert f"{tmp_path / 'c-number.yaml'}:4: a number of 5000 digits is too large" in result.output
    assert f"{tmp_path / 'd-long-title.yaml'}:2: 'title' is 201 characters long" in result.output
    assert "good: 5 added" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Deck)) == 1
