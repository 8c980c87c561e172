"""Golden tables for every question type: each row written by hand, with the answer it must give.

Grading (right, wrong, self-rated, the shape refused), answer keys (a change restarts cards, so a
key must not drift), the cards a question yields, cloze's forgiving matching, and how each type
reads a learner's answer from the study form. No row is computed by the code it checks.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from quizapp.domain.questions import AnswerShapeError, get_type, item_id
from quizapp.domain.questions.cloze import matches, normalise

CLOZE = {"text": "The {{c1::liver}} makes {{c2::IGF-1::a hormone}} when {{c1::GH}} rises."}
TRUE_FALSE = {"statement": "The liver makes IGF-1.", "answer": True}
ORDERING = {
    "prompt": "Put the signal in order",
    "steps": ["GH rises", "the liver makes IGF-1", "muscle grows"],
}
ONE_CHOICE = {
    "prompt": "Which organ makes IGF-1?",
    "choices": ["liver", "kidney", "spleen"],
    "correct": [0],
}
ALL_THAT_APPLY = {
    "prompt": "Which organs?",
    "choices": ["liver", "kidney", "spleen"],
    "correct": [2, 0],
}
BASIC = {"front": "What does IGF-1 do?", "back": "Tells muscle cells to grow"}

GH, LIVER, MUSCLE = (item_id(s) for s in ORDERING["steps"])
C_LIVER, C_KIDNEY, C_SPLEEN = (item_id(c) for c in ONE_CHOICE["choices"])


# --- cards: ordinals and answer keys ------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_name", "fields", "ordinals"),
    [
        ("cloze", CLOZE, [1, 2]),
        ("cloze", {"text": "{{c3::a}} and {{c1::b}} and {{c3::c}}"}, [1, 3]),
        ("true_false", TRUE_FALSE, [1]),
        ("ordering", ORDERING, [1]),
        ("multiple_choice", ONE_CHOICE, [1]),
        ("basic", BASIC, [1]),
    ],
)
def test_ordinals(type_name, fields, ordinals):
    assert get_type(type_name).ordinals(fields) == ordinals


@pytest.mark.parametrize(
    ("type_name", "fields", "key"),
    [
        ("cloze", CLOZE, '[[1, "liver"], [2, "IGF-1"], [1, "GH"]]'),
        ("true_false", TRUE_FALSE, "true"),
        ("true_false", {**TRUE_FALSE, "answer": False}, "false"),
        ("ordering", ORDERING, '["GH rises", "the liver makes IGF-1", "muscle grows"]'),
        ("multiple_choice", ONE_CHOICE, '["liver"]'),
        ("multiple_choice", ALL_THAT_APPLY, '["liver", "spleen"]'),
        ("basic", BASIC, '"Tells muscle cells to grow"'),
        ("basic", {"front": "Ü?", "back": "Ärger"}, '"Ärger"'),
    ],
)
def test_answer_key(type_name, fields, key):
    assert get_type(type_name).answer_key(fields) == key


@pytest.mark.parametrize(
    ("type_name", "fields", "ordinal", "key"),
    [
        # A cloze card's key is its own deletions, normalised: rewording the rest keeps schedules.
        ("cloze", CLOZE, 1, "liver\x1fgh"),
        ("cloze", CLOZE, 2, "igf 1"),
        ("cloze", {"text": "The {{c1::Liver.}} makes IGF-1."}, 1, "liver"),
        ("true_false", TRUE_FALSE, 1, "true"),
        ("ordering", ORDERING, 1, '["GH rises", "the liver makes IGF-1", "muscle grows"]'),
        ("multiple_choice", ONE_CHOICE, 1, '["liver"]'),
        ("basic", BASIC, 1, '"Tells muscle cells to grow"'),
    ],
)
def test_card_answer_key(type_name, fields, ordinal, key):
    assert get_type(type_name).card_answer_key(fields, ordinal) == key


# --- grading ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_name", "fields", "ordinal", "response", "correct", "expected", "given"),
    [
        ("cloze", CLOZE, 1, {"text": "liver; GH"}, True, ["liver", "GH"], ["liver", "GH"]),
        ("cloze", CLOZE, 1, {"text": ["Liver", "gh"]}, True, ["liver", "GH"], ["Liver", "gh"]),
        ("cloze", CLOZE, 1, {"text": ["lover", "GH"]}, True, ["liver", "GH"], ["lover", "GH"]),
        ("cloze", CLOZE, 1, {"text": ["kidney", "GH"]}, False, ["liver", "GH"], ["kidney", "GH"]),
        ("cloze", CLOZE, 2, {"text": "IGF 1"}, True, ["IGF-1"], ["IGF 1"]),
        ("cloze", CLOZE, 2, {"text": "IGF-2"}, False, ["IGF-1"], ["IGF-2"]),
        ("cloze", CLOZE, 1, {"revealed": True}, None, ["liver", "GH"], None),
        ("true_false", TRUE_FALSE, 1, {"answer": True}, True, True, True),
        ("true_false", TRUE_FALSE, 1, {"answer": False}, False, True, False),
        (
            "ordering",
            ORDERING,
            1,
            {"order": [GH, LIVER, MUSCLE]},
            True,
            ORDERING["steps"],
            ORDERING["steps"],
        ),
        (
            "ordering",
            ORDERING,
            1,
            {"order": [LIVER, GH, MUSCLE]},
            False,
            ORDERING["steps"],
            ["the liver makes IGF-1", "GH rises", "muscle grows"],
        ),
        ("multiple_choice", ONE_CHOICE, 1, {"choices": [C_LIVER]}, True, ["liver"], ["liver"]),
        ("multiple_choice", ONE_CHOICE, 1, {"choices": [C_KIDNEY]}, False, ["liver"], ["kidney"]),
        (
            "multiple_choice",
            ALL_THAT_APPLY,
            1,
            {"choices": [C_SPLEEN, C_LIVER]},
            True,
            ["liver", "spleen"],
            ["liver", "spleen"],
        ),
        (
            "multiple_choice",
            ALL_THAT_APPLY,
            1,
            {"choices": [C_LIVER]},
            False,
            ["liver", "spleen"],
            ["liver"],
        ),
        ("basic", BASIC, 1, {}, None, "Tells muscle cells to grow", None),
        ("basic", BASIC, 1, None, None, "Tells muscle cells to grow", None),
    ],
)
def test_grade(type_name, fields, ordinal, response, correct, expected, given):
    grade = get_type(type_name).grade(fields, ordinal, response)
    assert (grade.correct, grade.expected, grade.given) == (correct, expected, given)


@pytest.mark.parametrize(
    ("type_name", "fields", "ordinal", "response", "feedback"),
    [
        (
            "cloze",
            CLOZE,
            1,
            {"text": ["kidney", "GH"]},
            {"blanks": [False, True], "text": "The liver makes IGF-1 when GH rises."},
        ),
        (
            "ordering",
            ORDERING,
            1,
            {"order": [LIVER, GH, MUSCLE]},
            {"positions": [False, False, True]},
        ),
        (
            "multiple_choice",
            ONE_CHOICE,
            1,
            {"choices": [C_KIDNEY]},
            {
                "choices": [
                    {"id": C_LIVER, "text": "liver", "correct": True, "chosen": False},
                    {"id": C_KIDNEY, "text": "kidney", "correct": False, "chosen": True},
                    {"id": C_SPLEEN, "text": "spleen", "correct": False, "chosen": False},
                ]
            },
        ),
        ("true_false", TRUE_FALSE, 1, {"answer": False}, {}),
    ],
)
def test_grade_feedback(type_name, fields, ordinal, response, feedback):
    assert get_type(type_name).grade(fields, ordinal, response).feedback == feedback


@pytest.mark.parametrize(
    ("type_name", "fields", "ordinal", "response"),
    [
        ("cloze", CLOZE, 1, {"text": ["liver"]}),  # two blanks, one answer
        ("cloze", CLOZE, 1, {"text": 3}),
        ("cloze", CLOZE, 1, "liver"),
        ("true_false", TRUE_FALSE, 1, {"answer": "true"}),
        ("true_false", TRUE_FALSE, 1, {}),
        ("ordering", ORDERING, 1, {"order": [GH, LIVER]}),
        ("ordering", ORDERING, 1, {"order": [GH, GH, LIVER]}),
        ("multiple_choice", ONE_CHOICE, 1, {"choices": [C_LIVER, C_KIDNEY]}),  # one only
        ("multiple_choice", ONE_CHOICE, 1, {"choices": ["0123456789"]}),
        ("multiple_choice", ONE_CHOICE, 1, {"choices": "liver"}),
        ("basic", BASIC, 1, "I knew it"),
    ],
)
def test_grade_refuses_the_wrong_shape(type_name, fields, ordinal, response):
    with pytest.raises(AnswerShapeError):
        get_type(type_name).grade(fields, ordinal, response)


# --- cloze matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected", "match"),
    [
        ("liver", "liver", True),
        ("the liver", "liver", True),  # a leading article is dropped
        ("Liver.", "liver", True),  # case and a full stop
        ("an apple", "apple", True),
        ("café", "cafe", True),  # accents
        ("cell division", "cell-division", True),
        ("3.5%", "3.5%", True),
        ("3.6%", "3.5%", False),  # numbers are never typos
        ("21", "twenty-one", False),
        ("cat", "car", False),  # up to 3 letters: exact only
        ("lover", "liver", True),  # 4 to 7 letters: one typo
        ("lovar", "liver", False),
        ("hepatocite", "hepatocyte", True),  # 8 and more: two typos
        ("hepatocytes!!", "hepatocyte", True),
        ("hapatocites", "hepatocyte", False),
        ("glucagon", "insulin", False),
        ("", "liver", False),
    ],
)
def test_cloze_matching(given, expected, match):
    assert matches(given, expected) is match


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("The Liver", "liver"),
        ("IGF-1", "igf 1"),
        ("growth/repair", "growth repair"),
        ("Crème brûlée!", "creme brulee"),
        ("3.5 mg.", "3.5 mg"),
    ],
)
def test_cloze_normalise(text, normal):
    assert normalise(text) == normal


# --- answers from the study form ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_name", "form", "response"),
    [
        ("cloze", [("text", "liver")], {"text": "liver"}),
        ("cloze", [("text", "liver"), ("text", "GH")], {"text": ["liver", "GH"]}),
        ("true_false", [("answer", "true")], {"answer": True}),
        ("true_false", [("answer", "false")], {"answer": False}),
        ("true_false", [("answer", "maybe")], {"answer": "maybe"}),  # refused by grade()
        ("multiple_choice", [("choice", "a1"), ("choice", "b2")], {"choices": ["a1", "b2"]}),
        ("ordering", [("pos-b", "1"), ("pos-a", "2"), ("version", "3")], {"order": ["b", "a"]}),
        ("basic", [("anything", "x")], {}),
    ],
)
def test_study_response(type_name, form, response):
    assert get_type(type_name).study_response(MultiDict(form)) == response


@pytest.mark.parametrize(
    ("type_name", "form", "message"),
    [
        ("multiple_choice", [], "Pick an answer first."),
        ("ordering", [("pos-a", "x")], "Give every step a position number."),
        (
            "ordering",
            [("pos-a", "1"), ("pos-b", "1")],
            "Give each step a different position (1, 2, 3, ...).",
        ),
    ],
)
def test_study_response_says_what_to_fix(type_name, form, message):
    with pytest.raises(
        AnswerShapeError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        get_type(type_name).study_response(MultiDict(form))


@pytest.mark.parametrize(
    ("type_name", "can_reveal", "reveal_response"),
    [
        ("cloze", True, {"revealed": True}),
        ("basic", True, {}),
        ("true_false", False, {}),
        ("ordering", False, {}),
        ("multiple_choice", False, {}),
    ],
)
def test_reveal(type_name, can_reveal, reveal_response):
    qtype = get_type(type_name)
    assert (qtype.can_reveal, qtype.reveal_response()) == (can_reveal, reveal_response)
