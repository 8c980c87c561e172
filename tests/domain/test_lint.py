"""The question linter: each warning fires on the weak shape and stays quiet on the good one."""

from __future__ import annotations

import pytest

from quizapp.domain.deck import Question
from quizapp.domain.questions.lint import lint_deck, lint_question


def codes(qtype, fields, explanation="", qid="q1"):
    return {w.code for w in lint_question(qid, qtype, fields, explanation)}


def mc(prompt, choices, correct, **extra):
    return {"prompt": prompt, "choices": choices, "correct": correct, **extra}


@pytest.mark.parametrize(
    ("qtype", "fields", "explanation", "code"),
    [
        # the cloze answer appears elsewhere in the text
        (
            "cloze",
            {"text": "Cortisol peaks after waking; {{c1::cortisol}} falls by night."},
            "",
            "answer-given",
        ),
        # the basic back is written on the front
        (
            "basic",
            {"front": "What does the liver make, growth hormone or IGF-1?", "back": "IGF-1."},
            "",
            "answer-given",
        ),
        # the right choice shares a rare word with the prompt that no distractor has
        (
            "multiple_choice",
            mc(
                "Which hormone does the pituitary gland release?",
                ["Pituitary growth hormone", "Insulin", "Leptin"],
                [0],
            ),
            "",
            "answer-given",
        ),
        (
            "true_false",
            {"statement": "Stretching always prevents injury.", "answer": False},
            "Stretching has little effect on injury rates.",
            "absolute",
        ),
        (
            "true_false",
            {"statement": "None of the calories come from fat.", "answer": False},
            "Some do.",
            "absolute",
        ),
        (
            "multiple_choice",
            mc("Which raise IGF-1?", ["Sleep", "Leucine", "All of the above"], [2]),
            "",
            "of-the-above",
        ),
        (
            "multiple_choice",
            mc("Which raise IGF-1?", ["Sleep", "Leucine", "None of the above"], [0, 1]),
            "",
            "of-the-above",
        ),
        (
            "multiple_choice",
            mc(
                "Which of these is NOT a symptom of anaemia?",
                ["Fatigue", "Pale skin", "Fever"],
                [2],
            ),
            "",
            "negative",
        ),
        (
            "true_false",
            {"statement": "Caffeine does not remove adenosine.", "answer": True},
            "",
            "negative",
        ),
        (
            "cloze",
            {"text": "Growth hormone is released {{c1::during}} deep sleep."},
            "",
            "stop-word-blank",
        ),
        (
            "multiple_choice",
            mc("Which organ makes IGF-1?", ["The liver", "Liver", "Kidney"], [0]),
            "",
            "distractor-is-answer",
        ),
        (
            "true_false",
            {"statement": "Muscle grows during the workout.", "answer": False},
            "",
            "no-correction",
        ),
        (
            "true_false",
            {"statement": "Muscle grows during the workout.", "answer": False},
            "No.",
            "no-correction",
        ),
    ],
)
def test_each_warning_fires(qtype, fields, explanation, code):
    assert code in codes(qtype, fields, explanation)


@pytest.mark.parametrize(
    ("qtype", "fields", "explanation"),
    [
        ("cloze", {"text": "Cortisol peaks {{c1::30 to 45 minutes}} after waking."}, ""),
        ("cloze", {"text": "The liver releases {{c1::IGF-1}} in response to growth hormone."}, ""),
        (
            "basic",
            {
                "front": "What is IGF-1 signaling?",
                "back": "A hormonal pathway that turns growth hormone into tissue growth.",
            },
            "",
        ),
        (
            "multiple_choice",
            mc(
                "Which hormone does the pituitary gland release?",
                ["Growth hormone", "Insulin", "Leptin"],
                [0],
            ),
            "",
        ),
        (
            "multiple_choice",
            mc(
                "Which of these are signs of low iron? Select all that apply.",
                ["Fatigue", "Pale skin", "Fever"],
                [0, 1],
                multiple=True,
            ),
            "",
        ),
        (
            "true_false",
            {"statement": "Muscle is built during the workout.", "answer": False},
            "Muscle is built during recovery, when protein synthesis exceeds breakdown.",
        ),
        (
            "true_false",
            {"statement": "Adenosine builds up while you are awake.", "answer": True},
            "",
        ),
        (
            "ordering",
            {
                "prompt": "Order the steps.",
                "steps": ["Stimulus", "Signal transduction", "Protein translation"],
            },
            "",
        ),
    ],
)
def test_good_questions_get_no_warning(qtype, fields, explanation):
    assert codes(qtype, fields, explanation) == set()


def test_a_cloze_with_the_answer_only_in_its_own_blank_is_fine_even_with_two_deletions():
    text = "{{c1::Leucine}} activates {{c2::mTOR}} inside muscle cells."
    assert codes("cloze", {"text": text}) == set()
    # but a second deletion whose answer the first card shows gives it away
    text = "{{c1::mTOR}} is switched on by leucine; {{c2::mTOR}} then starts synthesis."
    assert "answer-given" in codes("cloze", {"text": text})


def test_negative_wording_and_absolutes_name_the_word_and_what_to_do():
    [absolute, negative] = lint_question(
        "myth-1",
        "true_false",
        {"statement": "You never need to stretch.", "answer": False},
        "Stretching helps range of motion.",
    )
    assert absolute.question_id == "myth-1" and absolute.field == "statement"
    assert "'never'" in absolute.message and "without the absolute" in absolute.message
    assert not absolute.serious
    assert "state the claim positively" in negative.message


def test_serious_warnings_are_the_ones_that_mislead():
    [w] = lint_question("q", "cloze", {"text": "Sleep {{c1::is}} when growth hormone peaks."})
    assert w.serious and w.field == "text" and "stop words" in w.message
    [w] = lint_question(
        "q", "true_false", {"statement": "Muscle grows during the workout.", "answer": False}
    )
    assert w.serious and w.field == "explanation"


def test_near_duplicates_in_a_deck_are_named_on_the_later_question():
    questions = [
        Question("a", "cloze", {"text": "The liver releases {{c1::IGF-1}} into the blood."}),
        Question("b", "basic", {"front": "What is mTOR?", "back": "A nutrient sensor."}),
        Question("c", "cloze", {"text": "The liver releases {{c1::IGF-1}} into blood."}),
        Question("d", "cloze", {"text": "Muscle cells take up {{c1::leucine}} after meals."}),
    ]
    found = lint_deck(questions)
    assert [(w.question_id, w.code) for w in found] == [("c", "duplicate")]
    assert "'a'" in found[0].message


def test_deck_file_mappings_and_invalid_questions():
    raw = [
        {"id": "x", "type": "cloze", "text": "Sleep {{c1::is}} deep.", "origin": {}},
        {"id": "y", "type": "multiple_choice", "prompt": "P"},  # invalid: left to validate
        {"type": "basic"},
    ]
    assert [w.question_id for w in lint_deck(raw)] == ["x"]
