"""Bugs a new user met in the browser in the first hour (issue 19), each checked where it shows:
layouts measured at phone width (the page never scrolls sideways), the quiz timer kept in view,
the controls a learner is offered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain import deck as domain
from quizapp.domain.quiz import QuizOptions
from quizapp.models import Role, Visibility
from quizapp.services import classes
from quizapp.services import quiz as service

from .test_quiz import bundled_deck, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_TITLE = "Supercalifragilistic" * 10  # 200 characters, no space


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_long_title_and_the_results_table_fit_a_phone(page, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    learner = factory.user(email=("a-rather-long-learner-address." * 3) + "@example.com")
    deck = factory.deck("long", owner=teacher, visibility=Visibility.CLASS, title=LONG_TITLE)
    classroom = classes.create_class(teacher, "Class " + LONG_TITLE)
    classes.join(learner, classroom.join_code)
    assignment = classes.assign(classroom, deck)
    service.set_assignment_quiz(
        teacher,
        assignment.id,
        question_count=3,
        time_limit_s=600,
        closes_at=datetime.now(UTC) + timedelta(days=1),
        max_attempts=3,
    )
    attempt = service.start_assignment_quiz(learner, assignment.id, now=datetime.now(UTC))
    service.submit(learner, attempt.id, None, now=datetime.now(UTC))

    page.set_viewport_size(PHONE)
    sign_in(page, teacher)
    for path in (
        "/",
        "/decks/long",
        "/instructor/",
        "/instructor/decks/long",
        f"/classes/{classroom.id}",
        f"/classes/{classroom.id}/results",
        f"/quiz/assignments/{assignment.id}/results",
        "/quiz/new",
    ):
        page.goto(path)
        assert sideways(page) <= 0, f"{path} scrolls sideways on a phone by {sideways(page)}px"
        if path == "/decks/long":
            assert page.locator("h1").inner_text() == LONG_TITLE  # shown whole, wrapped


def test_the_quiz_timer_stays_in_view_on_the_one_page_layout(page, app, factory):
    bundled_deck(app)
    learner = factory.user()
    attempt = service.start_quiz(
        learner, ["igf-1-signaling"], QuizOptions(count=10, time_limit_s=600), now=datetime.now(UTC)
    )
    sign_in(page, learner)
    page.set_viewport_size(PHONE)
    page.goto(f"/quiz/{attempt.id}/all")
    timer = page.locator(".quiz-timer")
    assert "10 min" in timer.inner_text() or "9:" in timer.inner_text()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 500")
    box = timer.evaluate("t => t.getBoundingClientRect().toJSON()")
    assert box["top"] >= 0 and box["bottom"] <= PHONE["height"], box


def test_the_deck_page_lays_its_buttons_out_in_a_row(page, factory):
    factory.deck("sample-deck")
    learner = factory.user()
    sign_in(page, learner)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/decks/sample-deck")
    tops = [
        page.get_by_role("link", name=name, exact=True).bounding_box()["y"]
        for name in ("Study", "Quiz", "Download for Anki (.apkg)")
    ]
    assert max(tops) - min(tops) < 8, tops
    page.set_viewport_size(PHONE)
    assert sideways(page) <= 0


def test_a_rating_key_after_an_auto_graded_answer_says_why_it_does_nothing(page, factory):
    factory.deck(
        "tf",
        questions=[
            domain.Question(
                "tf",
                "true_false",
                {"statement": "Muscle is built during the workout.", "answer": False},
                origin=domain.Origin("misconception", ""),
            )
        ],
    )
    sign_in(page, factory.user())
    page.goto("/study/tf")
    page.wait_for_selector("#study .study-step[data-step='question']")
    page.keyboard.press("t")  # wrong: graded Again
    page.wait_for_selector("#study .study-step[data-step='result']")
    note = page.locator("[data-rating-note]")
    assert "Graded for you: Again (1)" in " ".join(note.inner_text().split())
    page.keyboard.press("3")
    page.wait_for_selector("[data-rating-note].rating-note-shown")
    page.wait_for_function("document.querySelector('[data-rating-note]').textContent.length > 0")
    assert page.locator("#study .study-step").get_attribute("data-step") == "result"
    assert "other ratings are for cards you check yourself" in note.inner_text()
