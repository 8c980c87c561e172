"""Quiz pages through the test client: start, answer (no JavaScript), submit, result, retake,
the assignment pages, and the refusals (someone else's attempt, late answers, wrong shapes)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from quizapp.extensions import db
from quizapp.models import QuizAttempt, Role
from quizapp.services import classes
from quizapp.services import quiz as service

from ..services.test_quiz import questions_of, right_answer, wrong_answer

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
ALL_TYPES = ["multiple_choice", "true_false", "ordering", "cloze", "basic"]
pytestmark = pytest.mark.start_time(T0)


@pytest.fixture
def learner(factory, auth, clock):
    user = factory.user()
    auth.login(user)
    return user


def sign_in_as(auth, user) -> None:
    """Switch the client's user. The tests hold an app context open, which requests reuse, so
    flask-login's per-context cache of the current user is dropped too."""
    from flask import g

    auth.login(user)
    g.pop("_login_user", None)


def form_fields(item: service.ItemView, response: dict[str, Any] | None) -> dict[str, Any]:
    """What a browser without JavaScript posts for ``item`` answered with ``response``."""
    p = f"i{item.index}-"
    data: dict[str, Any] = {p + "shown": "1"}
    if response is None:
        return data
    if item.kind == "true_false":
        data[p + "answer"] = "true" if response["answer"] else "false"
    elif item.kind in ("multiple_choice", "basic_choice"):
        data[p + "choice"] = response["choices"]
    elif item.kind == "ordering":
        for position, step_id in enumerate(response["order"], start=1):
            data[f"{p}pos-{step_id}"] = str(position)
    elif item.kind == "cloze":
        data[p + "blank"] = response["text"]
    else:
        data[p + "text"] = response["text"]
    return data


def start_via_form(client, **overrides) -> QuizAttempt:
    data = {"decks": ["sample-deck"], "count": "10", "types": ALL_TYPES, "layout": "paged"}
    data.update(overrides)
    response = client.post("/quiz/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(re.search(r"/quiz/(\d+)", response.headers["Location"])[1])
    return db.session.get(QuizAttempt, attempt_id)


def answers_for(attempt: QuizAttempt, wrong: set[int] = frozenset()):
    view = service.attempt_view(attempt)
    pairs = []
    for item, question in zip(view.items, questions_of(attempt), strict=True):
        ordinal = attempt.items[item.index]["ordinal"]
        make = wrong_answer if item.index in wrong else right_answer
        pairs.append((item, make(item, question, ordinal)))
    return pairs


# --- pages and guards ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/quiz/",
        "/quiz/new",
        "/quiz/1",
        "/quiz/1/q/1",
        "/quiz/1/result",
        "/quiz/assignments/1",
        "/quiz/assignments/1/settings",
        "/quiz/assignments/1/results",
    ],
)
def test_quiz_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_deck_page_links_to_a_quiz(client, learner, deck):
    html = client.get("/decks/sample-deck").get_data(as_text=True)
    assert 'href="/quiz/new?deck=sample-deck"' in html


def test_start_form_preselects_the_deck_and_refuses_bad_options(client, learner, deck):
    html = client.get("/quiz/new?deck=sample-deck").get_data(as_text=True)
    assert re.search(
        r'<input checked[^>]*value="sample-deck"|value="sample-deck"[^>]*checked', html
    )
    response = client.post(
        "/quiz/new", data={"decks": ["sample-deck"], "count": "10", "layout": "paged"}
    )
    assert response.status_code == 422
    assert "Choose at least one question type." in response.get_data(as_text=True)
    response = client.post("/quiz/new", data={"count": "10", "types": ALL_TYPES, "layout": "paged"})
    assert response.status_code == 422
    assert "Choose at least one deck" in response.get_data(as_text=True)


def test_take_a_quiz_without_javascript(client, learner, deck):
    attempt = start_via_form(client)
    assert client.get(f"/quiz/{attempt.id}").headers["Location"].endswith(f"/quiz/{attempt.id}/q/1")
    pairs = answers_for(attempt, wrong={1, 3})
    backs = [q.fields.get("back") for q in questions_of(attempt)]
    for number, (item, response) in enumerate(pairs, start=1):
        page = client.get(f"/quiz/{attempt.id}/q/{number}").get_data(as_text=True)
        assert f"Question {number} of 5" in page
        assert "The process by which IGF-1" not in page or item.kind == "basic_choice"
        assert all(b is None or b not in page for b in backs)
        if item.kind == "cloze":
            assert all(
                f'value="{t}"' not in page and f">{t}<" not in page for t in response["text"]
            )
            assert f" {response['text'][0]} " not in page
        data = {**form_fields(item, response), "go": str(number + 1)}
        posted = client.post(f"/quiz/{attempt.id}/q/{number}", data=data)
        assert posted.status_code == 302, posted.get_data(as_text=True)
    # Resume: all answered, so the attempt opens at question 1 with the answers filled in.
    tf = next(i for i, _ in pairs if i.kind == "true_false")
    page = client.get(f"/quiz/{attempt.id}/q/{tf.number}").get_data(as_text=True)
    assert re.search(r'value="(true|false)" checked', page)
    # Submit from the last page: everything is answered, so it scores at once.
    response = client.post(
        f"/quiz/{attempt.id}/q/5", data={**form_fields(*pairs[4]), "submit": "1"}
    )
    assert response.headers["Location"].endswith(f"/quiz/{attempt.id}/result")
    html = client.get(f"/quiz/{attempt.id}/result").get_data(as_text=True)
    assert "3 / 5 (60%)" in html
    assert "Retake the 2 I missed" in html
    assert html.count('data-result="wrong"') == 2
    for r in attempt.results:
        if r["explanation"]:
            assert r["explanation"] in html or r["explanation"].replace("'", "&#39;") in html
    # A second submission changes nothing.
    again = client.post(f"/quiz/{attempt.id}/submit", follow_redirects=True)
    assert "the first submission is the one that counts" in again.get_data(as_text=True)
    db.session.refresh(attempt)
    assert attempt.score == 3
    # The question pages now send the learner to the result.
    assert client.get(f"/quiz/{attempt.id}/q/1").headers["Location"].endswith("/result")


def test_unanswered_questions_are_listed_before_submitting(client, learner, deck):
    # (No ordering question: a browser always posts an ordering's positions.)
    attempt = start_via_form(client, types=["multiple_choice", "true_false", "cloze", "basic"])
    response = client.post(f"/quiz/{attempt.id}/q/1", data={"i0-shown": "1", "submit": "1"})
    assert response.headers["Location"].endswith(f"/quiz/{attempt.id}/review")
    html = client.get(f"/quiz/{attempt.id}/review").get_data(as_text=True)
    assert "You answered 0 of 4 questions." in html
    client.post(f"/quiz/{attempt.id}/submit")
    db.session.refresh(attempt)
    assert attempt.score == 0 and attempt.submitted_at is not None


def test_a_bad_ordering_comes_back_with_a_message(client, learner, deck):
    attempt = start_via_form(client, types=["ordering"])
    item = service.attempt_view(attempt).items[0]
    data = {"i0-shown": "1", "go": "1"}
    for step in item.shown["steps"]:
        data[f"i0-pos-{step['id']}"] = "1"
    response = client.post(f"/quiz/{attempt.id}/q/1", data=data)
    assert response.status_code == 422
    assert "give each step a different position, 1 to 4" in response.get_data(as_text=True)


def test_all_on_one_page(client, learner, deck):
    attempt = start_via_form(client, layout="all")
    assert client.get(f"/quiz/{attempt.id}").headers["Location"].endswith("/all")
    data: dict[str, Any] = {}
    for item, response in answers_for(attempt, wrong={0}):
        data.update(form_fields(item, response))
    saved = client.post(
        f"/quiz/{attempt.id}/all", data={**data, "save": "1"}, follow_redirects=True
    )
    assert "Your answers are saved." in saved.get_data(as_text=True)
    client.post(f"/quiz/{attempt.id}/all", data={**data, "submit": "1"})
    db.session.refresh(attempt)
    assert (attempt.score, attempt.max_score) == (4, 5)


def test_retake_the_missed_ones(client, learner, deck):
    attempt = start_via_form(client)
    service.submit(
        learner,
        attempt.id,
        {str(i.index): r for i, r in answers_for(attempt, wrong={0, 2})},
        now=T0,
    )
    response = client.post(f"/quiz/{attempt.id}/retake")
    retake_id = int(re.search(r"/quiz/(\d+)", response.headers["Location"])[1])
    retake = db.session.get(QuizAttempt, retake_id)
    assert retake.max_score == 2
    assert {i["card_id"] for i in retake.items} == {
        attempt.items[0]["card_id"],
        attempt.items[2]["card_id"],
    }


def test_someone_elses_attempt_is_a_404_with_a_message(client, learner, deck, factory, auth):
    attempt = start_via_form(client)
    sign_in_as(auth, factory.user())
    for url in (f"/quiz/{attempt.id}/q/1", f"/quiz/{attempt.id}/result"):
        response = client.get(url)
        assert response.status_code == 404
        assert f"no quiz attempt {attempt.id} of yours" in response.get_data(as_text=True)
    response = client.post(f"/quiz/{attempt.id}/submit")
    assert response.status_code == 404
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is None


def test_late_answers_are_refused_and_the_attempt_scored_as_it_stood(client, learner, deck, clock):
    attempt = start_via_form(client, time_limit="2")
    pairs = answers_for(attempt)
    client.post(f"/quiz/{attempt.id}/q/1", data={**form_fields(*pairs[0]), "go": "2"})
    page = client.get(f"/quiz/{attempt.id}/q/2").get_data(as_text=True)
    assert 'data-seconds-left="120"' in page
    clock.advance(minutes=3)
    response = client.post(
        f"/quiz/{attempt.id}/q/2",
        data={**form_fields(*pairs[1]), "submit": "1", "confirm": "1"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Time was up at 2025-03-01 09:02 UTC" in html
    assert "1 / 5 (20%)" in html


def test_autosave_answers_json(client, learner, deck):
    attempt = start_via_form(client, types=["true_false"])
    response = client.post(
        f"/quiz/{attempt.id}/autosave",
        data={"i0-shown": "1", "i0-answer": "false"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.get_json()["answered"] == 1
    response = client.post(
        f"/quiz/{attempt.id}/autosave",
        data={"i0-shown": "1", "i0-answer": "maybe"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Question 1: choose True or False."


def test_question_text_is_escaped_in_quizzes(client, learner):
    from quizapp.services.decks import import_deck

    from .. import factories

    deck = factories.sample_deck("xss")
    deck.questions[1].fields["statement"] = "<script>alert(1)</script> is <b>bold</b>"
    import_deck(deck)
    attempt = start_via_form(client, decks=["xss"], types=["true_false"], layout="all")
    html = client.get(f"/quiz/{attempt.id}/all").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_history_page(client, learner, deck):
    attempt = start_via_form(client)
    service.submit(learner, attempt.id, {str(i.index): r for i, r in answers_for(attempt)}, now=T0)
    start_via_form(client)
    html = client.get("/quiz/").get_data(as_text=True)
    assert "Best: <strong>100%</strong>" in html and "Latest: <strong>100%</strong>" in html
    assert "Unfinished" in html and "Resume" in html
    assert "Quizzes on Sample Deck" in client.get("/quiz/?deck=sample-deck").get_data(as_text=True)


# --- assignments --------------------------------------------------------------------------------


@pytest.fixture
def assigned(factory, deck, clock):
    teacher = factory.user(Role.INSTRUCTOR)
    member = factory.user()
    classroom = classes.create_class(teacher, "Biology 1")
    classes.join(member, classroom.join_code)
    return teacher, member, classes.assign(classroom, deck)


def test_instructor_attaches_a_quiz_and_sees_the_results(client, auth, assigned, clock):
    teacher, member, assignment = assigned
    sign_in_as(auth, member)
    assert client.get(f"/quiz/assignments/{assignment.id}/settings").status_code == 404
    sign_in_as(auth, teacher)
    url = f"/quiz/assignments/{assignment.id}/settings"
    bad = client.post(
        url,
        data={
            "question_count": "5",
            "opens_at": "2025-03-01T10:00",
            "closes_at": "2025-03-01T09:00",
        },
    )
    assert bad.status_code == 422
    assert "The closing time must be after the opening time." in bad.get_data(as_text=True)
    client.post(
        url,
        data={
            "question_count": "4",
            "time_limit": "10",
            "closes_at": "2025-03-02T09:00",
            "max_attempts": "1",
        },
    )
    db.session.refresh(assignment)
    assert (
        assignment.quiz_question_count,
        assignment.quiz_time_limit_s,
        assignment.quiz_max_attempts,
    ) == (4, 600, 1)
    assert assignment.quiz_closes_at == datetime(2025, 3, 2, 9, 0, tzinfo=UTC)
    assert 'value="2025-03-02T09:00"' in client.get(url).get_data(as_text=True)

    sign_in_as(auth, member)
    page = client.get(f"/quiz/assignments/{assignment.id}").get_data(as_text=True)
    assert "4 questions" in page and "Attempts: 0 of 1 used" in page
    response = client.post(f"/quiz/assignments/{assignment.id}/start")
    attempt_id = int(re.search(r"/quiz/(\d+)", response.headers["Location"])[1])
    client.post(f"/quiz/{attempt_id}/submit")
    refused = client.post(f"/quiz/assignments/{assignment.id}/start", follow_redirects=True)
    assert "You have used all 1 attempt at this quiz." in refused.get_data(as_text=True)

    sign_in_as(auth, teacher)
    html = client.get(f"/quiz/assignments/{assignment.id}/results").get_data(as_text=True)
    assert member.email in html and "0 / 4 (0%)" in html
    review = client.get(f"/quiz/{attempt_id}/result").get_data(as_text=True)
    assert "0 / 4 (0%)" in review and member.email in review
    assert "Retake" not in review


def test_class_quizzes_page(client, auth, assigned, factory):
    teacher, member, assignment = assigned
    sign_in_as(auth, teacher)
    assert f'href="/quiz/classes/{assignment.classroom_id}"' in client.get(
        f"/classes/{assignment.classroom_id}"
    ).get_data(as_text=True)
    html = client.get(f"/quiz/classes/{assignment.classroom_id}").get_data(as_text=True)
    assert "no quiz" in html and f"/quiz/assignments/{assignment.id}/settings" in html
    service.set_assignment_quiz(teacher, assignment.id, question_count=3, time_limit_s=300)
    sign_in_as(auth, member)
    html = " ".join(
        client.get(f"/quiz/classes/{assignment.classroom_id}").get_data(as_text=True).split()
    )
    assert "3 questions · 5 min · unlimited attempts" in html
    assert f"/quiz/assignments/{assignment.id}" in html
    assert "/settings" not in html
    sign_in_as(auth, factory.user())
    assert client.get(f"/quiz/classes/{assignment.classroom_id}").status_code == 404


def test_an_empty_start_form_is_refused_with_a_message(client, learner, deck):
    response = client.post("/quiz/new")
    assert response.status_code == 422
    assert "Choose at least one deck" in response.get_data(as_text=True)
