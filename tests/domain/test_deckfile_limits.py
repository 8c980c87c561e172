"""Deck files as hostile input (issue 13, findings 5, 9, 12, 13): aliases, nesting, numbers and
sizes are refused as located problems, quickly, before anything is built."""

from __future__ import annotations

import time

import pytest

from quizapp.domain import limits
from quizapp.domain.deck import Source
from quizapp.domain.deckfile import DeckFileError, dump_deck_text, load_deck_text

from ..factories import sample_deck


def _problems(text: str) -> list[str]:
    with pytest.raises(DeckFileError) as caught:
        load_deck_text(text, "bad.yaml")
    return [str(p) for p in caught.value.problems]


def _bomb(levels: int) -> str:
    lines = ["id: bomb", "title: Bomb", "questions: []", 'a0: &a0 ["lol", "lol", "lol", "lol"]']
    for n in range(1, levels + 1):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_nested_aliases_are_refused_at_once_with_file_and_line():
    text = _bomb(9)  # 9^9 strings once expanded: gigabytes
    assert len(text) < 1000
    started = time.perf_counter()
    problems = _problems(text)
    assert time.perf_counter() - started < 1.0
    assert problems[0] == (
        "bad.yaml:4: anchor '&a0': deck files may not use YAML anchors or "
        "aliases (write the value out in full)"
    )
    assert "bad.yaml:5: alias '*a0': deck files may not use YAML anchors or aliases" in (
        "\n".join(problems)
    )


def test_a_merge_key_alias_in_a_question_is_refused():
    text = dump_deck_text(sample_deck()).replace(
        "- id: definition", "- &base\n    id: definition", 1
    )
    assert any("anchor '&base'" in p for p in _problems(text))


def test_explicit_tags_are_refused():
    problems = _problems("id: x\ntitle: !!binary aGVsbG8=\nquestions: []\n")
    assert problems == [
        "bad.yaml:2: tag 'tag:yaml.org,2002:binary': deck files use plain YAML values without tags"
    ]


@pytest.mark.parametrize("depth", [9, 1_000, 50_000])
def test_deep_nesting_is_a_located_problem_not_a_recursion_error(depth):
    text = (
        "id: x\ntitle: T\nquestions:\n  - id: q\n    type: basic\n    front: "
        + ("[" * depth + "]" * depth)
        + "\n"
    )
    assert _problems(text) == [
        f"bad.yaml:6: nested more than {limits.MAX_DEPTH} levels deep; "
        "a deck file is a mapping of questions, each a mapping of texts "
        "and lists"
    ]


def test_a_5000_digit_number_is_a_located_problem():
    text = (
        "id: x\ntitle: T\nquestions:\n  - id: q\n    type: multiple_choice\n"
        "    prompt: P\n    choices: [a, b]\n    correct: [" + "9" * 5000 + "]\n"
    )
    assert _problems(text) == [
        "bad.yaml:8: a number of 5000 digits is too large; quote it if it is text"
    ]


def test_title_description_and_source_are_bounded_by_their_columns():
    deck = sample_deck()
    deck.title = "t" * (limits.MAX_TITLE_CHARS + 1)
    deck.description = "d" * (limits.MAX_DESCRIPTION_CHARS + 1)
    deck.source = Source("f" * (limits.MAX_SOURCE_FILE_CHARS + 1), "0" * 64)
    problems = _problems(dump_deck_text(deck))
    assert "bad.yaml:2: 'title' is 201 characters long; at most 200" in problems
    assert "bad.yaml:4: 'description' is 2001 characters long; at most 2000" in problems
    assert any("'source.file' is 256 characters long; at most 255" in p for p in problems)
    deck = sample_deck()
    deck.title = "t" * limits.MAX_TITLE_CHARS
    deck.source = Source("f" * limits.MAX_SOURCE_FILE_CHARS, "0" * 64)
    assert load_deck_text(dump_deck_text(deck)).title == deck.title


@pytest.mark.parametrize(
    ("index", "field", "value"),
    [
        (0, "explanation", "e" * 5001),
        (1, "statement", "s" * 5001),
        (3, "choices", ["c"] * 51),
        (3, "choices", ["a", "b" * 5001]),
        (4, "back", "b" * 5001),
    ],
)
def test_every_question_field_is_bounded(index, field, value):
    deck = sample_deck()
    question = deck.questions[index]
    if field == "explanation":
        question.explanation = value
    else:
        question.fields[field] = value
    problems = _problems(dump_deck_text(deck))
    assert len(problems) == 1
    assert f"'{field}'" in problems[0] and "at most" in problems[0]


def test_the_source_quote_is_bounded():
    deck = sample_deck()
    deck.questions[0].origin.quote = "q" * (limits.MAX_TEXT_CHARS + 1)
    (problem,) = _problems(dump_deck_text(deck))
    assert "'origin.quote' is 5001 characters long; at most 5000" in problem


def test_a_deck_holds_at_most_500_questions():
    deck = sample_deck()
    template = deck.questions[4]
    deck.questions = [
        type(template)(f"q{n}", "basic", {"front": f"F {n}", "back": "B"})
        for n in range(limits.MAX_QUESTIONS + 1)
    ]
    problems = _problems(dump_deck_text(deck))
    assert problems == [
        "bad.yaml:4: the deck has 501 questions; a deck holds at most 500 "
        "(split it into several decks)"
    ]
    deck.questions.pop()
    assert len(load_deck_text(dump_deck_text(deck)).questions) == limits.MAX_QUESTIONS
