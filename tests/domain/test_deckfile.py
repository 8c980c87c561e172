"""Deck files: every mistake is reported as one clear file:line line."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.domain.deck import Deck
from quizapp.domain.deckfile import DeckFileError, dump_deck_text, load_deck_file, load_deck_text

HEADER = "id: broken\ntitle: Broken deck\nquestions:\n"


def problems(text: str) -> list[str]:
    with pytest.raises(DeckFileError) as info:
        load_deck_text(text, "deck.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "  - id: q1\n    type: essay\n    text: x\n",
            "deck.yaml:5: question 'q1': unknown type 'essay' (expected one of: cloze, true_false, "
            "ordering, multiple_choice, basic)",
        ),
        (
            "  - id: q1\n    type: true_false\n    statement: The sky is green.\n",
            "deck.yaml:4: question 'q1': missing field 'answer' (required for true_false)",
        ),
        (
            "  - id: q1\n    type: basic\n    front: a\n    back: b\n"
            "  - id: q1\n    type: basic\n    front: c\n    back: d\n",
            "deck.yaml:8: duplicate question id 'q1' (first used on line 4); ids must be unique "
            "within the deck",
        ),
        (
            "  - id: q1\n    type: cloze\n    text: Nothing is deleted here.\n",
            "deck.yaml:6: question 'q1': cloze has no deletions: mark at least one term as "
            "{{c1::term}}",
        ),
        (
            "  - id: q1\n    type: multiple_choice\n    prompt: Pick\n    choices: [a, b, c]\n"
            "    correct: [3]\n",
            "deck.yaml:8: question 'q1': index 3 is out of range: choices are numbered 0 to 2",
        ),
        (
            "  - id: q1\n    type: ordering\n    prompt: Order\n    steps: [first, second]\n",
            "deck.yaml:7: question 'q1': needs 3 to 8 steps, has 2",
        ),
        (
            "  - id: q1\n    type: basic\n    front: a\n    back: b\n    origin: {section: intro}\n",
            "deck.yaml:8: question 'q1': origin section 'intro' is not one of: definition, takeaway, "
            "misconception, mechanism, signs, why_it_matters, other",
        ),
        (
            "  - id: q1\n    type: basic\n    front: a\n    back: b\n    tags: [two words]\n",
            "deck.yaml:8: question 'q1': 'tags' must be a list of words without spaces (use '_' or "
            "'::')",
        ),
    ],
)
def test_each_mistake_gives_one_clear_line(body, expected):
    assert problems(HEADER + body) == [expected]


def test_wrong_indentation_names_the_line():
    text = HEADER + "  - id: q1\n    type: basic\n      front: a\n    back: b\n"
    (message,) = problems(text)
    assert message.startswith("deck.yaml:6: not valid YAML")
    assert "indentation" in message


def test_field_indented_to_top_level_is_named():
    text = HEADER + "  - id: q1\n    type: basic\n    front: a\nback: b\n"
    assert problems(text) == [
        "deck.yaml:7: unknown top-level field 'back' (expected: id, title, description, source, "
        "questions; is a question field indented wrongly?)",
        "deck.yaml:4: question 'q1': missing field 'back' (required for basic)",
    ]


def test_every_problem_of_a_file_is_reported_at_once():
    text = HEADER + (
        "  - id: a\n    type: cloze\n    text: none\n"
        "  - id: b\n    type: ordering\n    prompt: p\n    steps: [x]\n"
        "  - type: basic\n    front: f\n    back: b\n"
    )
    assert len(problems(text)) == 3


def test_not_utf8_not_yaml_too_big(tmp_path: Path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(HEADER.encode() + "  - id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(DeckFileError, match=r"latin.yaml:4: not UTF-8 text"):
        load_deck_file(latin)
    prose = tmp_path / "prose.yaml"
    prose.write_text("This is: not: a deck\n", encoding="utf-8")
    with pytest.raises(DeckFileError, match=r"prose.yaml:1: not valid YAML"):
        load_deck_file(prose)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    with pytest.raises(DeckFileError, match=r"big.yaml: file is 5.2 MB; deck files are limited"):
        load_deck_file(big)
    with pytest.raises(DeckFileError, match=r"missing.yaml: cannot read file"):
        load_deck_file(tmp_path / "missing.yaml")


def test_dump_and_load_round_trip():
    from ..factories import sample_deck

    deck = sample_deck()
    again = load_deck_text(dump_deck_text(deck))
    assert isinstance(again, Deck)
    assert again.to_dict() == deck.to_dict()


def test_bundled_decks_are_valid():
    root = Path(__file__).resolve().parents[2] / "decks"
    files = sorted(root.glob("*.yaml"))
    for path in files:
        deck = load_deck_file(path)
        assert deck.id == path.stem
        assert deck.questions
