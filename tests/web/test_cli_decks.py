"""``quizapp validate`` and ``quizapp import`` as an instructor runs them."""

from __future__ import annotations

from quizapp.domain.deckfile import dump_deck_text

from ..factories import sample_deck


def test_validate_reports_every_file_and_fails(runner, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(dump_deck_text(sample_deck("good")), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: Bad\nquestions:\n  - id: q\n    type: essay\n", encoding="utf-8"
    )
    result = runner.invoke(args=["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{good}: ok (5 questions)" in result.output
    assert f"{bad}:5: question 'q': unknown type 'essay'" in result.output
    assert runner.invoke(args=["validate", str(good)]).exit_code == 0


def test_import_prints_a_summary_and_is_idempotent(runner, tmp_path):
    path = tmp_path / "sample-deck.yaml"
    path.write_text(dump_deck_text(sample_deck()), encoding="utf-8")
    first = runner.invoke(args=["import", str(path)])
    assert first.exit_code == 0, first.output
    assert "sample-deck: 5 added, 0 updated, 0 restarted, 0 retired, 0 unchanged" in first.output
    second = runner.invoke(args=["import", str(tmp_path)])
    assert "sample-deck: 0 added, 0 updated, 0 restarted, 0 retired, 5 unchanged" in second.output

    deck = sample_deck()
    deck.questions[3].fields["correct"] = [1]
    path.write_text(dump_deck_text(deck), encoding="utf-8")
    third = runner.invoke(args=["import", str(path)])
    assert "1 restarted" in third.output
    assert "restarted signs-choice: its answer changed" in third.output


def test_import_without_paths_loads_the_bundled_decks(runner, app):
    result = runner.invoke(args=["import"])
    assert result.exit_code == 0, result.output
    assert result.output.count("added") >= 1


LINTED = """id: linted
title: Linted
questions:
  - id: fine
    type: cloze
    text: The liver releases {{c1::IGF-1}} into the blood.
  - id: stop-blank
    type: cloze
    text: Growth hormone is released {{c1::during}} deep sleep.
  - id: absolute
    type: true_false
    statement: Stretching always prevents injury.
    answer: false
    explanation: Stretching has little effect on injury rates.
"""


def test_validate_prints_linter_warnings_with_line_and_id_and_fails_only_when_strict(
    runner, tmp_path
):
    path = tmp_path / "linted.yaml"
    path.write_text(LINTED, encoding="utf-8")
    result = runner.invoke(args=["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        f"{path}:7: stop-blank: text: blank c1 ('during') deletes only stop words" in result.output
    )
    assert (
        f"{path}:10: absolute: statement: 'always' makes the statement easy to guess"
        in result.output
    )
    assert f"{path}: ok (3 questions, 2 warnings)" in result.output
    assert f"{path}:4: fine" not in result.output
    assert runner.invoke(args=["validate", "--strict", str(path)]).exit_code == 1
    good = tmp_path / "good.yaml"
    good.write_text(dump_deck_text(sample_deck("good")), encoding="utf-8")
    assert runner.invoke(args=["validate", "--strict", str(good)]).exit_code == 0
