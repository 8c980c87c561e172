"""Importing other formats into the database: the CLI, schedules kept, nothing written if bad."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quizapp.domain.interop import EXPORT_FORMATS
from quizapp.extensions import db
from quizapp.models import CardState, Deck, Question
from quizapp.services.decks import get_deck

from ..factories import sample_deck
from .test_import import _cards, _study

FILES = {"csv": "deck.csv", "tsv": "deck.tsv", "gift": "deck.gift", "moodle": "deck.xml"}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_cli_imports_and_a_reimport_keeps_schedules(app, runner, factory, tmp_path, fmt):
    learner = factory.user()
    deck = sample_deck("shared-deck")
    path = tmp_path / FILES[fmt]
    path.write_bytes(EXPORT_FORMATS[fmt].write([deck])[0])
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "shared-deck: 5 added" in result.output or "shared-deck: 6 added" in result.output
    cards = _cards("shared-deck")
    kept, restarted = cards[("definition", 1)], cards[("misconception-workout", 1)]
    _study(learner, kept)
    _study(learner, restarted)

    by_id = {q.id: q for q in deck.questions}
    by_id["definition"].fields["front"] = "What is IGF-1 signalling, in one sentence?"
    by_id["misconception-workout"].fields["answer"] = True
    path.write_bytes(EXPORT_FORMATS[fmt].write([deck])[0])
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "restarted misconception-workout" in result.output
    states = {s.card_id for s in db.session.scalars(sa.select(CardState))}
    assert kept.id in states and restarted.id not in states
    assert _cards("shared-deck")[("definition", 1)].id == kept.id  # the same card, by id

    result = runner.invoke(args=["import", str(path)])
    assert "0 added, 0 updated, 0 restarted, 0 retired" in result.output


def test_skipped_rows_are_listed_and_the_rest_imports(app, runner, tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("apple\tpomme\nlonely\nhouse\tmaison\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:2: skipped: a Basic row needs a front and a back" in result.output
    assert "words: 2 added" in result.output
    assert get_deck("words").title == "words"


def test_an_unreadable_file_writes_nothing_and_fails(app, runner, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_bytes(b"::a:: fine {T}\n\n::b:: broken {=x\n")
    good = tmp_path / "good.csv"
    good.write_text("a,b\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(bad), str(good)])
    assert result.exit_code == 1
    assert f"{bad}:3: an answer block opened with '{{' is never closed" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Deck.id))) == 1  # only the good file
    assert get_deck("good") is not None and get_deck("bad") is None


def test_a_custom_separator_and_yaml_files_in_one_run(app, runner, tmp_path):
    from quizapp.domain.deckfile import dump_deck_text

    (tmp_path / "deck.yaml").write_text(dump_deck_text(sample_deck("yaml-deck")), "utf-8")
    words = tmp_path / "quizlet.txt"
    words.write_text("apple - pomme\nhouse - maison\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path / "deck.yaml"), str(words),
                                 "--separator", " - "])
    assert result.exit_code == 0, result.output
    assert "yaml-deck: 5 added" in result.output and "quizlet: 2 added" in result.output
    fronts = db.session.scalars(sa.select(Question.fields).join(Deck).where(Deck.slug == "quizlet"))
    assert sorted(f["back"] for f in fronts) == ["maison", "pomme"]
