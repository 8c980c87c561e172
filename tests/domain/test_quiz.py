"""The quiz rules: drawing, presenting, grading, scoring and time, without an app."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain import quiz as rules
from quizapp.domain.questions import AnswerShapeError, item_id
from quizapp.domain.quiz import Candidate, QuestionData

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

CLOZE = QuestionData(
    1,
    "cloze",
    {"text": "IGF-1 is made by the {{c1::liver}} after {{c2::growth hormone}} rises."},
    explanation="The liver makes most IGF-1.",
    section="takeaway",
    quote="IGF-1 is produced by the liver.",
)
TF = QuestionData(
    2,
    "true_false",
    {"statement": "Muscle is built during the workout.", "answer": False},
    explanation="It is built after.",
)
ORDER = QuestionData(
    3, "ordering", {"prompt": "Order them.", "steps": ["first", "second", "third", "fourth"]}
)
MC = QuestionData(
    4,
    "multiple_choice",
    {
        "prompt": "Which are signs?",
        "choices": ["stalls", "slow", "eyes", "hair"],
        "correct": [0, 1],
    },
)
BASIC = QuestionData(
    5,
    "basic",
    {"front": "What is IGF-1 signaling?", "back": "How IGF-1 tells muscle cells to grow."},
)


def candidates(n_questions: int = 20) -> list[Candidate]:
    out = []
    for q in range(1, n_questions + 1):
        out.append(Candidate(card_id=q * 10 + 1, question_id=q, type="cloze", ordinal=1))
        out.append(Candidate(card_id=q * 10 + 2, question_id=q, type="cloze", ordinal=2))
    return out


# --- options ------------------------------------------------------------------------------------


def test_options_defaults_and_type_order():
    options = rules.make_options(count=5, types=["basic", "cloze"], time_limit_s=600)
    assert options.types == ("cloze", "basic")
    assert options.to_settings()["time_limit_s"] == 600


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 0}, "between 1 and 100"),
        ({"count": 101}, "between 1 and 100"),
        ({"count": "10"}, "whole number"),
        ({"count": True}, "whole number"),
        ({"types": []}, "at least one"),
        ({"types": ["essay"]}, "Unknown question type 'essay'"),
        ({"time_limit_s": 30}, "between 1 minute"),
        ({"time_limit_s": 1.5}, "whole number of seconds"),
        ({"only_missed": "yes"}, "true or false"),
        ({"layout": "grid"}, "layout"),
    ],
)
def test_bad_options_say_what_to_change(kwargs, message):
    with pytest.raises(rules.QuizError, match=message):
        rules.make_options(**kwargs)


# --- drawing ------------------------------------------------------------------------------------


def test_draw_is_random_without_repeats_and_one_card_per_question():
    items = rules.draw_items(candidates(), 10, random.Random(1))
    assert len(items) == 10
    assert len({i["question_id"] for i in items}) == 10
    assert len({i["card_id"] for i in items}) == 10
    assert {i["ordinal"] for i in items} == {1, 2}  # either sibling may be asked
    json.dumps(items)  # stored as JSON


def test_draw_is_reproducible_with_the_same_rng_and_differs_with_another():
    pool = candidates()
    first = rules.draw_items(pool, 10, random.Random(7))
    assert rules.draw_items(list(reversed(pool)), 10, random.Random(7)) == first
    assert rules.draw_items(pool, 10, random.Random(8)) != first


def test_draw_gives_what_there_is_when_asked_for_more():
    assert len(rules.draw_items(candidates(3), 10, random.Random(1))) == 3
    assert rules.draw_items([], 10, random.Random(1)) == []


def test_basic_card_becomes_a_choice_between_backs_when_there_are_enough():
    pool = [Candidate(50 + q, q, "basic", 1) for q in range(1, 6)]
    backs = {q: f"back number {q}" for q in range(1, 6)}
    backs[5] = "Back number 1."  # the same text as question 1's back: never a wrong choice for it
    items = rules.draw_items(pool, 5, random.Random(3), basic_backs=backs)
    by_q = {i["question_id"]: i for i in items}
    assert all(i["mode"] == "choice" for i in items)
    assert len(by_q[2]["distractors"]) == 3
    assert 2 not in by_q[2]["distractors"]
    assert 5 not in by_q[1]["distractors"] and 1 not in by_q[5]["distractors"]


def test_basic_card_is_typed_when_the_decks_have_too_few_other_backs():
    pool = [Candidate(51, 1, "basic", 1), Candidate(52, 2, "basic", 1)]
    items = rules.draw_items(pool, 2, random.Random(3), basic_backs={1: "one", 2: "two"})
    assert [i["mode"] for i in items] == ["typed", "typed"]


def test_missed_cards_are_those_whose_latest_answer_was_wrong():
    events = [
        (1, T0, False),
        (1, T0 + timedelta(days=1), True),  # fixed since
        (2, T0, True),
        (2, T0 + timedelta(days=1), False),  # forgotten since
        (3, T0, True),
    ]
    assert rules.missed_cards(events) == {2}


# --- presenting ---------------------------------------------------------------------------------

ITEM = {"card_id": 1, "question_id": 0, "ordinal": 1, "seed": 99}


@pytest.mark.parametrize("question", [CLOZE, TF, ORDER, MC])
def test_presentation_is_stable_and_never_contains_the_answer(question):
    item = {**ITEM, "question_id": question.id}
    first = rules.present_item(item, question)
    assert rules.present_item(item, question) == first
    text = json.dumps(first)
    assert '"correct"' not in text and '"answer"' not in text
    if question is CLOZE:
        assert "liver" not in text and "growth hormone" in text
        assert [p for p in first["shown"]["parts"] if p["blank"]] == [
            {"text": "", "blank": True, "hint": None}
        ]
    if question is ORDER:
        assert [s["text"] for s in first["shown"]["steps"]] != ORDER.fields["steps"]


def test_choices_are_shuffled_per_item_seed():
    orders = {
        tuple(c["id"] for c in rules.present_item({**ITEM, "seed": seed}, MC)["shown"]["choices"])
        for seed in range(20)
    }
    assert len(orders) > 1


def test_basic_choice_offers_the_back_among_other_backs():
    item = {**ITEM, "question_id": 5, "mode": "choice", "distractors": [6, 7]}
    view = rules.present_item(item, BASIC, ["other one", "other two"])
    assert view["kind"] == "basic_choice"
    assert {c["text"] for c in view["shown"]["choices"]} == {
        BASIC.fields["back"],
        "other one",
        "other two",
    }
    assert set(view["shown"]["choices"][0]) == {"id", "text"}
    typed = rules.present_item({**ITEM, "question_id": 5}, BASIC)
    assert typed["kind"] == "basic_typed" and typed["shown"] == {"prompt": BASIC.fields["front"]}


# --- grading and scoring ------------------------------------------------------------------------


def test_basic_choice_grading():
    item = {**ITEM, "question_id": 5, "mode": "choice", "distractors": [6, 7]}
    others = ["other one", "other two"]
    right = {"choices": [item_id(BASIC.fields["back"])]}
    assert rules.grade_item(item, BASIC, right, others).correct is True
    assert (
        rules.grade_item(item, BASIC, {"choices": [item_id("other one")]}, others).correct is False
    )
    with pytest.raises(AnswerShapeError, match="one choice"):
        rules.grade_item(item, BASIC, {"choices": []}, others)
    with pytest.raises(AnswerShapeError, match="unknown choice"):
        rules.grade_item(item, BASIC, {"choices": ["nope"]}, others)


def test_basic_typed_is_fuzzy_matched():
    item = {**ITEM, "question_id": 5}
    assert rules.grade_item(item, BASIC, {"text": "how IGF-1 tells muscle cells to grow"}).correct
    assert not rules.grade_item(item, BASIC, {"text": "it makes bones"}).correct
    with pytest.raises(AnswerShapeError):
        rules.grade_item(item, BASIC, {"choices": []})


def test_cloze_must_be_typed_in_a_quiz():
    item = {**ITEM, "question_id": 1}
    with pytest.raises(AnswerShapeError, match="typed"):
        rules.grade_item(item, CLOZE, {"revealed": True})
    assert rules.grade_item(item, CLOZE, {"text": ["Livr"]}).correct is True


@pytest.mark.parametrize(
    ("response", "blank"),
    [
        (None, True),
        ({"choices": []}, True),
        ({"text": "  "}, True),
        ({"text": ["", " "]}, True),
        ({"text": ["", "x"]}, False),
        ({"answer": False}, False),
        ({"order": []}, False),
    ],
)
def test_blank_answers(response, blank):
    assert rules.is_blank(response) is blank


def test_score_counts_right_items_and_keeps_what_was_asked():
    items = [
        {"card_id": 10 + q.id, "question_id": q.id, "ordinal": 1, "seed": q.id}
        for q in (CLOZE, TF, ORDER, MC)
    ]
    questions = {q.id: q for q in (CLOZE, TF, ORDER, MC)}
    order_ids = [item_id(s) for s in ORDER.fields["steps"]]
    answers = {
        "0": {"text": ["liver"]},  # right
        "1": {"answer": True},  # wrong
        "2": {"order": order_ids},  # right
        # "3" unanswered
    }
    scored = rules.score_attempt(items, questions, answers)
    assert (scored.score, scored.max_score) == (2, 4)
    assert scored.missed == [1, 3]
    tf, mc = scored.results[1], scored.results[3]
    assert (tf["given"], tf["expected"], tf["explanation"]) == (True, False, "It is built after.")
    assert mc["answered"] is False and mc["expected"] == ["stalls", "slow"]
    assert scored.results[0]["quote"] == "IGF-1 is produced by the liver."
    assert scored.results[0]["shown"]["parts"]
    json.dumps(scored.results)


def test_a_stored_answer_that_no_longer_fits_counts_as_wrong_not_as_an_error():
    item = {"card_id": 1, "question_id": 4, "ordinal": 1, "seed": 1}
    scored = rules.score_attempt([item], {4: MC}, {"0": {"choices": ["gone"]}})
    assert scored.score == 0
    assert "unknown choice" in scored.results[0]["feedback"]["problem"]


# --- time ---------------------------------------------------------------------------------------


def test_deadline_is_the_time_limit_or_the_resume_window_never_after_closing():
    assert rules.deadline(T0, time_limit_s=600) == T0 + timedelta(minutes=10)
    assert rules.deadline(T0, time_limit_s=None) == T0 + rules.RESUME_WINDOW
    closes = T0 + timedelta(minutes=5)
    assert rules.deadline(T0, time_limit_s=600, closes_at=closes) == closes


def test_answers_are_accepted_until_the_deadline_plus_grace():
    end = T0 + timedelta(minutes=10)
    assert rules.accepts_answers(end, end)
    assert rules.accepts_answers(end, end + rules.GRACE)
    assert not rules.accepts_answers(end, end + rules.GRACE + timedelta(seconds=1))


def test_end_reason_and_message():
    closes = T0 + timedelta(minutes=5)
    assert rules.end_reason(closes, time_limit_s=600, closes_at=closes) == "closing_time"
    assert rules.end_reason(T0, time_limit_s=600, closes_at=None) == "time_limit"
    assert rules.end_reason(T0, time_limit_s=None, closes_at=None) == "expired"
    message = rules.end_message("time_limit", T0)
    assert "Time was up at 2025-03-01 12:00 UTC" in message and "not accepted" in message


def test_assignment_gate():
    gate = dict(opens_at=T0, closes_at=T0 + timedelta(days=1), max_attempts=2)
    rules.assignment_gate(T0, attempts_used=1, **gate)
    with pytest.raises(rules.QuizError, match="opens at 2025-03-01 12:00 UTC"):
        rules.assignment_gate(T0 - timedelta(seconds=1), attempts_used=0, **gate)
    with pytest.raises(rules.QuizError, match="closed at"):
        rules.assignment_gate(T0 + timedelta(days=1), attempts_used=0, **gate)
    with pytest.raises(rules.QuizError, match="all 2 attempts"):
        rules.assignment_gate(T0, attempts_used=2, **gate)


def test_durations():
    assert rules.format_duration(75) == "1 min 15 s"
    assert rules.format_duration(3600) == "1 h"
    assert rules.format_duration(600) == "10 min"
    assert rules.format_duration(3660) == "1 h 1 min"
    assert rules.format_duration(9) == "9 s"
    assert rules.percent(2, 3) == 67 and rules.percent(None, 3) is None
