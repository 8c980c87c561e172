"""Quizzes in the real browser: a learner takes a 10-question quiz on a bundled deck
(decks/igf-1-signaling.yaml) covering every question type, reloads and resumes (also from a new
tab), submits with mistakes, reads the right score and each mistake explained, and retakes the
missed ones; an assigned quiz with a time limit refuses a late submission (the server's clock is
moved; nothing sleeps)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quizapp.domain.questions.basic import quote_repeats
from quizapp.extensions import db
from quizapp.models import QuizAttempt, Role
from quizapp.services import classes
from quizapp.services import quiz as service
from quizapp.services.decks import get_deck, import_paths

from ..factories import PASSWORD, Clock
from ..services.test_quiz import questions_of, right_answer, wrong_answer

pytestmark = pytest.mark.browser

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
#: A bundled deck with every question type (and four basic cards, asked as choices).
BUNDLED = "igf-1-signaling"
ALL_KINDS = {"cloze", "true_false", "ordering", "multiple_choice", "basic_choice"}


def bundled_deck(app, slug: str = BUNDLED):
    """Import one of the decks that ship with the app (decks/<slug>.yaml)."""
    [result] = import_paths([Path(app.config["QUIZAPP_BUNDLED_DECKS"]) / f"{slug}.yaml"])
    assert result.summary is not None, result.problems
    return get_deck(slug)


def sign_in(page, user) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def attempt_id_of(page) -> int:
    return int(re.search(r"/quiz/(\d+)/", page.url)[1])


def plan(attempt_id: int, wrong: set[int] = frozenset()) -> list[tuple[Any, dict]]:
    """(item, response) per question, the ones numbered in ``wrong`` (from 1) answered wrong."""
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    view = service.attempt_view(attempt)
    out = []
    for item, question in zip(view.items, questions_of(attempt), strict=True):
        make = wrong_answer if item.number in wrong else right_answer
        out.append((item, make(item, question, attempt.items[item.index]["ordinal"])))
    return out


def answer(page, item, response: dict) -> None:
    """Answer ``item`` on the page the way a learner does: clicks, typing, choosing positions."""
    if item.kind == "true_false":
        page.get_by_label("True" if response["answer"] else "False", exact=True).check()
    elif item.kind in ("multiple_choice", "basic_choice"):
        text = {c["id"]: c["text"] for c in item.shown["choices"]}
        for choice_id in response["choices"]:
            page.get_by_label(text[choice_id], exact=True).check()
    elif item.kind == "ordering":
        text = {s["id"]: s["text"] for s in item.shown["steps"]}
        # With script the arrows are the one control (the number menus are hidden): move each
        # step up into place, first to last.
        assert not page.get_by_label(f"Position of: {text[response['order'][0]]}").is_visible()
        for position, step_id in enumerate(response["order"]):
            now = page.locator(".quiz-step-text").all_inner_texts().index(text[step_id])
            for _ in range(now - position):
                page.get_by_role("button", name=f"Move up: {text[step_id]}").click()
        steps = page.locator(".quiz-step-text").all_inner_texts()
        assert steps == [text[i] for i in response["order"]]
    elif item.kind == "cloze":
        for k, typed in enumerate(response["text"]):
            page.get_by_label(f"Blank {k + 1}", exact=True).fill(typed)
    else:
        page.get_by_label("Your answer").fill(response["text"])


def labels(page) -> list[str]:
    return page.locator(".quiz-item label, .quiz-step-text").all_inner_texts()


def test_take_resume_submit_review_and_retake(page, app, factory):
    bundled_deck(app)
    learner = factory.user()
    sign_in(page, learner)
    # Ten questions are drawn from the deck's twenty at random; the check wants every type in
    # the quiz, so the learner starts again until the draw has them all (about two tries).
    for _ in range(40):
        page.goto(f"/decks/{BUNDLED}")
        page.get_by_role("link", name="Quiz", exact=True).click()
        page.wait_for_url(f"**/quiz/new?deck={BUNDLED}")
        assert page.get_by_label("IGF-1 Signaling").is_checked()
        page.get_by_label("Number of questions").fill("10")
        page.get_by_role("button", name="Start the quiz").click()
        page.wait_for_url("**/q/1")
        attempt_id = attempt_id_of(page)
        steps = plan(attempt_id, wrong={2, 5, 9})
        if {item.kind for item, _ in steps} == ALL_KINDS:
            break
    assert {item.kind for item, _ in steps} == ALL_KINDS, "the deck lacks a question type"
    assert len(steps) == 10

    for number, (item, response) in enumerate(steps[:5], start=1):
        assert page.get_by_text(f"Question {number} of 10").is_visible()
        answer(page, item, response)
        page.get_by_role("button", name="Next", exact=True).click()
        page.wait_for_url(f"**/q/{number + 1}")

    # Mid-way: a reload shows the same question, choices in the same order, progress kept.
    before = labels(page)
    page.reload()
    assert page.url.endswith(f"/quiz/{attempt_id}/q/6")
    assert labels(page) == before
    assert page.get_by_text("Question 6 of 10 · 5 answered").is_visible()
    # A closed tab: a new one finds the quiz under "Resume" and lands on the first unanswered.
    context = page.context
    page.close()
    page = context.new_page()
    page.goto("/quiz/")
    page.get_by_role("link", name="Resume").first.click()
    page.wait_for_url(f"**/quiz/{attempt_id}/q/6")
    assert labels(page) == before
    answered = page.locator(".quiz-nav button.answered").all_inner_texts()
    assert answered == ["1", "2", "3", "4", "5"]

    for number, (item, response) in enumerate(steps[5:], start=6):
        answer(page, item, response)
        name = "Next" if number < 10 else "Submit the quiz"
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_url(f"**/q/{number + 1}" if number < 10 else "**/result")

    assert page.locator("[data-score]").inner_text() == "7 / 10 (70%)"
    assert page.locator("[data-time-taken]").inner_text()
    wrong = page.locator('article[data-result="wrong"]')
    assert wrong.count() == 3
    db.session.expire_all()
    results = db.session.get(QuizAttempt, attempt_id).results
    for index, r in enumerate(r for r in results if not r["correct"]):
        card = wrong.nth(index)
        if r["explanation"]:
            assert card.locator(".quiz-explanation").inner_text() == f"Why: {r['explanation']}"
        assert r["quote"]  # every bundled question has its source sentence
        if quote_repeats(r["quote"], r["expected"]):  # a basic card whose back is the quote
            assert card.locator("blockquote.origin").count() == 0
        else:
            assert card.locator("blockquote.origin").inner_text().startswith(r["quote"])
        assert card.locator(".quiz-given").inner_text().strip() not in ("", "—")
        assert card.locator(".quiz-expected").inner_text().strip()
    assert [
        int(x)
        for x in re.findall(r"Question (\d+)", " ".join(wrong.locator("h3").all_inner_texts()))
    ] == [2, 5, 9]

    page.get_by_role("button", name="Retake the 3 I missed").click()
    page.wait_for_url("**/q/1")
    assert page.get_by_text("Question 1 of 3").is_visible()
    retake = plan(attempt_id_of(page))
    assert sorted(
        i["card_id"] for i in db.session.get(QuizAttempt, attempt_id_of(page)).items
    ) == sorted(results[n - 1]["card_id"] for n in (2, 5, 9))
    assert len(retake) == 3

    # The quiz pages fit a phone screen.
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (page.url, f"/quiz/{attempt_id}/result", "/quiz/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"


def test_assigned_quiz_with_a_time_limit_refuses_a_late_submission(page, app, factory):
    clock = Clock(T0)
    app.config["QUIZAPP_NOW"] = clock
    deck = bundled_deck(app)
    teacher = factory.user(Role.INSTRUCTOR)
    member = factory.user()
    classroom = classes.create_class(teacher, "Biology 1")
    classes.join(member, classroom.join_code)
    assignment = classes.assign(classroom, deck)
    service.set_assignment_quiz(
        teacher,
        assignment.id,
        question_count=2,
        time_limit_s=60,
        closes_at=T0 + timedelta(days=1),
        max_attempts=1,
    )

    sign_in(page, member)
    page.goto(f"/quiz/assignments/{assignment.id}")
    assert page.get_by_text("Time limit: 1 min").is_visible()
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/q/1")
    assert page.locator(".quiz-timer").is_visible()
    steps = plan(attempt_id_of(page))
    answer(page, *steps[0])
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_url("**/q/2")

    # The learner takes too long over question 2, and their late answer must travel with the
    # submission itself: autosave does not get through (it would have been refused too, and
    # quiz.js would then have shown the result at once).
    page.route("**/autosave", lambda route: route.abort())
    clock.advance(minutes=2)
    answer(page, *steps[1])
    page.get_by_role("button", name="Submit the quiz", exact=True).click()
    page.wait_for_url("**/result")
    assert (
        page.get_by_role("alert")
        .first.inner_text()
        .startswith("Time was up at 2025-03-01 09:01 UTC.")
    )
    assert page.locator("[data-score]").inner_text() == "1 / 2 (50%)"
    assert page.locator("[data-time-taken]").inner_text() == "1 min"

    page.goto(f"/quiz/assignments/{assignment.id}")
    assert page.get_by_text("You have used all 1 attempt at this quiz.").is_visible()
