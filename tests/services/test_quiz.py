"""Quiz attempts in the database: drawing, saving, scoring once, time limits, history and the
quizzes of class assignments.

``right_answer``/``wrong_answer`` are used by the web and browser tests too.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from quizapp.domain import quiz as rules
from quizapp.domain.questions import item_id
from quizapp.domain.questions.cloze import deletions
from quizapp.extensions import db
from quizapp.models import QuizAttempt, Review, Role, Visibility
from quizapp.services import classes
from quizapp.services import quiz as service

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
ALL = rules.QuizOptions(count=10)


# --- answering any item, right or wrong (shared with the web and browser tests) -----------------


def right_answer(item: service.ItemView, question, ordinal: int = 1) -> dict[str, Any]:
    """The right answer to a presented item, from its question row (``question.fields``)."""
    f = question.fields
    if item.kind == "true_false":
        return {"answer": f["answer"]}
    if item.kind == "multiple_choice":
        return {"choices": [item_id(f["choices"][i]) for i in f["correct"]]}
    if item.kind == "ordering":
        return {"order": [item_id(s) for s in f["steps"]]}
    if item.kind == "cloze":
        return {"text": [a for n, a, _ in deletions(f["text"]) if n == ordinal]}
    if item.kind == "basic_choice":
        return {"choices": [item_id(f["back"])]}
    return {"text": f["back"]}


def wrong_answer(item: service.ItemView, question, ordinal: int = 1) -> dict[str, Any]:
    f = question.fields
    if item.kind == "true_false":
        return {"answer": not f["answer"]}
    if item.kind == "multiple_choice":
        wrong = next(i for i in range(len(f["choices"])) if i not in f["correct"])
        return {"choices": [item_id(f["choices"][wrong])]}
    if item.kind == "ordering":
        return {"order": [item_id(s) for s in reversed(f["steps"])]}
    if item.kind == "cloze":
        return {"text": ["zzzz"] * item.shown["blanks"]}
    if item.kind == "basic_choice":
        return {
            "choices": [
                next(c["id"] for c in item.shown["choices"] if c["id"] != item_id(f["back"]))
            ]
        }
    return {"text": "zzzz"}


def questions_of(attempt: QuizAttempt) -> list:
    from quizapp.models import Question

    return [db.session.get(Question, item["question_id"]) for item in attempt.items]


def answer_all(attempt: QuizAttempt, wrong: set[int] = frozenset()) -> dict[str, Any]:
    view = service.attempt_view(attempt)
    return {
        str(item.index): (wrong_answer if item.index in wrong else right_answer)(
            item, q, attempt.items[item.index]["ordinal"]
        )
        for item, q in zip(view.items, questions_of(attempt), strict=True)
    }


# --- fixtures -----------------------------------------------------------------------------------


def start(user, slug="sample-deck", options=ALL, seed=1, at=T0) -> QuizAttempt:
    return service.start_quiz(user, [slug], options, now=at, rng=random.Random(seed))


# --- starting -----------------------------------------------------------------------------------


def test_start_draws_every_question_once_without_answers(learner, deck):
    attempt = start(learner)
    # The sample deck: 5 questions (the cloze has two cards; one of them is drawn).
    assert attempt.max_score == 5
    assert len({i["question_id"] for i in attempt.items}) == 5
    assert attempt.expires_at == T0 + rules.RESUME_WINDOW
    view = service.attempt_view(attempt)
    assert {i.kind for i in view.items} == {
        "cloze",
        "true_false",
        "ordering",
        "multiple_choice",
        "basic_typed",
    }
    text = repr([i.shown for i in view.items])
    assert "liver" not in text or "growth hormone" not in text  # one deletion stays blank
    assert "The process by which IGF-1 instructs" not in text
    assert "'correct'" not in text
    # A reload shows the same shuffle.
    assert [i.shown for i in service.attempt_view(attempt).items] == [i.shown for i in view.items]


def test_start_respects_count_and_types(learner, deck):
    attempt = start(learner, options=rules.QuizOptions(count=2, types=("cloze", "true_false")))
    kinds = {i.kind for i in service.attempt_view(attempt).items}
    assert attempt.max_score == 2 and kinds == {"cloze", "true_false"}


def test_hidden_decks_cannot_be_quizzed(learner, factory):
    factory.deck("secret", owner=factory.user(Role.INSTRUCTOR), visibility=Visibility.PRIVATE)
    with pytest.raises(service.NotFound, match="secret"):
        start(learner, "secret")
    with pytest.raises(service.Invalid, match="at least one deck"):
        service.start_quiz(learner, [], ALL, now=T0)


def test_only_missed_uses_the_latest_answer_in_quizzes_and_study(learner, deck):
    with pytest.raises(service.Invalid, match="nothing to retry"):
        start(learner, options=rules.QuizOptions(only_missed=True))
    first = start(learner)
    service.submit(learner, first.id, answer_all(first, wrong={0}), now=T0)
    missed_card = first.items[0]["card_id"]
    # A study review the learner failed (Again) counts as missed too.
    studied = first.items[1]["card_id"]
    db.session.add(
        Review(
            user_id=learner.id,
            card_id=studied,
            deck_id=deck.id,
            rating=1,
            reviewed_at=T0 + timedelta(minutes=5),
        )
    )
    db.session.commit()
    retry = start(learner, options=rules.QuizOptions(only_missed=True), at=T0 + timedelta(hours=1))
    assert {i["card_id"] for i in retry.items} == {missed_card, studied}


# --- saving and submitting ----------------------------------------------------------------------


def test_answers_survive_and_wrong_shapes_are_refused(learner, deck):
    attempt = start(learner)
    answers = answer_all(attempt)
    service.save_answers(learner, attempt.id, {"0": answers["0"]}, now=T0)
    db.session.expire_all()
    assert (
        service.attempt_view(service.get_attempt(learner, attempt.id, now=T0)).items[0].answer
        == answers["0"]
    )
    kinds = [i.kind for i in service.attempt_view(attempt).items]
    tf = kinds.index("true_false")
    with pytest.raises(service.Invalid, match=f"Question {tf + 1}: a true/false answer is"):
        service.save_answers(learner, attempt.id, {str(tf): {"answer": "yes"}}, now=T0)
    with pytest.raises(service.Invalid, match="no question '9'"):
        service.save_answers(learner, attempt.id, {"9": {"answer": True}}, now=T0)
    with pytest.raises(service.Invalid, match="no question '-1'"):
        service.save_answers(learner, attempt.id, {"-1": {"answer": True}}, now=T0)
    with pytest.raises(service.Invalid, match="Answers are an object"):
        service.save_answers(learner, attempt.id, ["x"], now=T0)  # type: ignore[arg-type]
    # A blank answer clears the saved one.
    service.save_answers(learner, attempt.id, {"0": None}, now=T0)
    assert "0" not in attempt.answers


def test_other_learners_attempts_are_not_found(learner, deck, factory):
    attempt = start(learner)
    other = factory.user()
    for call in (
        lambda: service.get_attempt(other, attempt.id, now=T0),
        lambda: service.save_answers(other, attempt.id, {}, now=T0),
        lambda: service.submit(other, attempt.id, now=T0),
        lambda: service.attempt_for_reviewer(other, attempt.id, now=T0),
        lambda: service.retake_missed(other, attempt.id, now=T0),
    ):
        with pytest.raises(service.NotFound, match=f"no quiz attempt {attempt.id} of yours"):
            call()


def test_submit_scores_once(learner, deck):
    attempt = start(learner)
    answers = answer_all(attempt, wrong={1, 3})
    done = service.submit(learner, attempt.id, answers, now=T0 + timedelta(minutes=4))
    assert not done.already
    assert (attempt.score, attempt.max_score) == (3, 5)
    assert service.time_taken_s(attempt) == 240
    assert [r["index"] for r in attempt.results if not r["correct"]] == [1, 3]
    again = service.submit(learner, attempt.id, answer_all(attempt), now=T0 + timedelta(minutes=5))
    assert again.already and attempt.score == 3
    assert attempt.submitted_at == T0 + timedelta(minutes=4)
    with pytest.raises(service.Conflict, match="already submitted"):
        service.save_answers(learner, attempt.id, {"0": None}, now=T0 + timedelta(minutes=5))


def test_result_explains_every_item(learner, deck):
    attempt = start(learner)
    service.submit(learner, attempt.id, answer_all(attempt, wrong={0, 1, 2, 3, 4}), now=T0)
    by_kind = {r["kind"]: r for r in attempt.results}
    assert by_kind["true_false"]["expected"] is False
    assert by_kind["true_false"]["explanation"].startswith("The workout is the stimulus")
    assert by_kind["true_false"]["quote"].startswith("People often think")
    assert by_kind["multiple_choice"]["expected"] == ["Progress stalls", "Slow recovery"]
    assert by_kind["ordering"]["given"][0] == "New muscle protein is made"
    assert by_kind["basic_typed"]["expected"].startswith("The process by which")


def test_concurrent_submissions_score_once(app, learner, deck):
    attempt = start(learner)
    answers = answer_all(attempt)
    attempt_id, user_id = attempt.id, learner.id
    db.session.remove()
    barrier = threading.Barrier(4)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def submit_once():
        with app.app_context():
            from quizapp.models import User

            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                outcomes.append(service.submit(user, attempt_id, answers, now=T0).already)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit_once) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(outcomes) == [False, True, True, True]
    row = db.session.get(QuizAttempt, attempt_id)
    assert row.score == 5 and row.version >= 2


# --- time ---------------------------------------------------------------------------------------


def test_a_late_submission_is_refused_and_scored_as_it_stood(learner, deck):
    attempt = start(learner, options=rules.QuizOptions(time_limit_s=600))
    answers = answer_all(attempt)
    service.save_answers(
        learner, attempt.id, {"0": answers["0"], "1": answers["1"]}, now=T0 + timedelta(minutes=9)
    )
    late = T0 + timedelta(minutes=10) + rules.GRACE + timedelta(seconds=1)
    with pytest.raises(service.TimeUp, match="Time was up at 2025-03-01 09:10 UTC") as caught:
        service.submit(learner, attempt.id, answers, now=late)
    scored = caught.value.attempt
    assert (scored.score, scored.max_score) == (2, 5)
    assert scored.submitted_at == T0 + timedelta(minutes=10)
    assert scored.settings["ended"] == "time_limit"
    # Asking again says the same; the score does not move.
    with pytest.raises(service.TimeUp):
        service.submit(learner, attempt.id, answers, now=late)
    with pytest.raises(service.TimeUp):
        service.save_answers(learner, attempt.id, answers, now=late)
    assert db.session.get(QuizAttempt, attempt.id).score == 2


def test_submission_within_the_grace_counts(learner, deck):
    attempt = start(learner, options=rules.QuizOptions(time_limit_s=600))
    done = service.submit(
        learner, attempt.id, answer_all(attempt), now=T0 + timedelta(minutes=10) + rules.GRACE
    )
    assert done.attempt.score == 5 and "ended" not in done.attempt.settings


def test_untimed_attempt_expires_after_the_resume_window(learner, deck):
    attempt = start(learner)
    service.save_answers(learner, attempt.id, {"0": answer_all(attempt)["0"]}, now=T0)
    later = T0 + rules.RESUME_WINDOW + timedelta(minutes=1)
    assert service.unfinished(learner, now=T0)[0][0].id == attempt.id
    assert service.unfinished(learner, now=later) == []
    closed = service.get_attempt(learner, attempt.id, now=later)
    assert closed.settings["ended"] == "expired" and closed.score == 1


# --- retake and history -------------------------------------------------------------------------


def test_retake_asks_the_missed_items_again_reshuffled(learner, deck):
    attempt = start(learner)
    with pytest.raises(service.Conflict, match="Submit this quiz first"):
        service.retake_missed(learner, attempt.id, now=T0)
    service.submit(learner, attempt.id, answer_all(attempt, wrong={1, 3}), now=T0)
    retake = service.retake_missed(learner, attempt.id, now=T0, rng=random.Random(5))
    assert sorted(i["card_id"] for i in retake.items) == sorted(
        attempt.items[i]["card_id"] for i in (1, 3)
    )
    assert {i["seed"] for i in retake.items}.isdisjoint({i["seed"] for i in attempt.items})
    assert retake.settings["retake_of"] == attempt.id and retake.settings["time_limit_s"] is None
    service.submit(learner, retake.id, answer_all(retake), now=T0)
    with pytest.raises(service.Conflict, match="nothing to retake"):
        service.retake_missed(learner, retake.id, now=T0)


def test_history_has_best_and_latest_per_deck(learner, deck, factory):
    other = factory.deck("other-deck")
    first = start(learner)
    service.submit(learner, first.id, answer_all(first), now=T0)  # 100%
    second = start(learner, at=T0 + timedelta(hours=1))
    service.submit(
        learner, second.id, answer_all(second, wrong={0, 1, 2}), now=T0 + timedelta(hours=1)
    )  # 40%
    start(learner, "other-deck", at=T0 + timedelta(hours=2))  # unfinished
    groups = service.history(learner, now=T0 + timedelta(hours=2))
    assert [g.deck_ids for g in groups] == [(other.id,), (deck.id,)]
    sample = next(g for g in groups if g.deck_ids == (deck.id,))
    assert (sample.best, sample.latest, len(sample.attempts)) == (100, 40, 2)
    only = service.history(learner, now=T0 + timedelta(hours=2), deck_slug="sample-deck")
    assert len(only) == 1


def test_item_outcomes_for_statistics(learner, deck):
    attempt = start(learner)
    service.submit(learner, attempt.id, answer_all(attempt, wrong={2}), now=T0)
    outcomes = service.item_outcomes(deck.id)
    assert len(outcomes) == 5
    assert [o["correct"] for o in outcomes].count(False) == 1


def test_quizzes_leave_card_states_alone(learner, deck):
    from quizapp.models import CardState

    attempt = start(learner)
    service.submit(learner, attempt.id, answer_all(attempt, wrong={0}), now=T0)
    assert db.session.scalar(sa.select(sa.func.count(CardState.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


# --- class assignments --------------------------------------------------------------------------


@pytest.fixture
def assigned(factory, deck):
    teacher = factory.user(Role.INSTRUCTOR)
    member = factory.user()
    classroom = classes.create_class(teacher, "Biology 1")
    classes.join(member, classroom.join_code)
    assignment = classes.assign(classroom, deck)
    return teacher, member, assignment


def test_instructor_sets_the_quiz_and_learners_take_it(assigned):
    teacher, member, assignment = assigned
    with pytest.raises(service.NotFound, match="has no quiz"):
        service.assignment_quiz(member, assignment.id, now=T0)
    with pytest.raises(service.NotFound, match="no assignment"):
        service.set_assignment_quiz(member, assignment.id, question_count=3)
    with pytest.raises(service.Invalid, match="closing time must be after"):
        service.set_assignment_quiz(
            teacher, assignment.id, question_count=3, opens_at=T0, closes_at=T0
        )
    service.set_assignment_quiz(
        teacher,
        assignment.id,
        question_count=3,
        time_limit_s=300,
        opens_at=T0,
        closes_at=T0 + timedelta(minutes=30),
        max_attempts=2,
    )
    view = service.assignment_quiz(member, assignment.id, now=T0 - timedelta(minutes=1))
    assert view.refusal == "This quiz opens at 2025-03-01 09:00 UTC."
    first = service.start_assignment_quiz(member, assignment.id, now=T0)
    assert first.max_score == 3 and first.expires_at == T0 + timedelta(minutes=5)
    # Starting again resumes the open attempt.
    assert service.start_assignment_quiz(member, assignment.id, now=T0).id == first.id
    service.submit(member, first.id, answer_all(first), now=T0 + timedelta(minutes=1))
    # The closing time caps the second attempt's time limit.
    second = service.start_assignment_quiz(member, assignment.id, now=T0 + timedelta(minutes=28))
    assert second.expires_at == T0 + timedelta(minutes=30)
    with pytest.raises(service.TimeUp, match="The quiz closed at 2025-03-01 09:30 UTC"):
        service.submit(member, second.id, answer_all(second), now=T0 + timedelta(minutes=31))
    with pytest.raises(service.Conflict, match="all 2 attempts"):
        service.start_assignment_quiz(member, assignment.id, now=T0 + timedelta(minutes=20))
    rows = service.assignment_results(teacher, assignment.id, now=T0 + timedelta(hours=1))
    assert [(r.user.id, r.best, r.latest, len(r.attempts)) for r in rows] == [
        (member.id, 100, 0, 2)
    ]
    # The instructor can read a member's result; nobody else can.
    assert service.attempt_for_reviewer(teacher, first.id, now=T0).id == first.id


def test_only_members_take_and_only_the_owner_sees_results(assigned, factory):
    teacher, member, assignment = assigned
    service.set_assignment_quiz(teacher, assignment.id, question_count=3)
    stranger = factory.user()
    with pytest.raises(service.NotFound):
        service.assignment_quiz(stranger, assignment.id, now=T0)
    with pytest.raises(service.NotFound):
        service.start_assignment_quiz(stranger, assignment.id, now=T0)
    with pytest.raises(service.NotFound, match="no assignment"):
        service.assignment_results(member, assignment.id, now=T0)
    with pytest.raises(service.Forbidden, match="Only members"):
        service.start_assignment_quiz(teacher, assignment.id, now=T0)
    attempt = service.start_assignment_quiz(member, assignment.id, now=T0)
    with pytest.raises(service.Conflict, match="still in progress"):
        service.attempt_for_reviewer(teacher, attempt.id, now=T0)
    with pytest.raises(service.NotFound):
        service.attempt_for_reviewer(stranger, attempt.id, now=T0)
    assert [a for a, _, _ in service.assigned_quizzes(member)] == [assignment]
    assert service.assigned_quizzes(stranger) == []
    # Removing the quiz clears every setting.
    service.set_assignment_quiz(teacher, assignment.id, question_count=None, time_limit_s=60)
    assert assignment.quiz_time_limit_s is None and not service.has_quiz(assignment)
