"""One walk over the main pages, shared by the browser checks that look at every page.

The walk makes a small world (an instructor with a class, a published deck and a draft, a learner
in the class with an open quiz and a finished one, an admin) and visits each page as the visitor,
the learner, the instructor and the admin, including the states reached by clicking (a revealed
study card, an answered one, a finished session). After each page state it calls ``check(page,
label)``; the CSP test collects violations there, the axe test runs axe-core.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from quizapp.domain.quiz import QuizOptions
from quizapp.extensions import db
from quizapp.models import Role, Visibility
from quizapp.services import classes, drafts, quiz

from ..factories import PASSWORD
from ..services.test_quiz import answer_all

Check = Callable[[object, str], None]


def sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def make_world(factory) -> dict:
    """The users, decks, class and quiz attempts the walk visits."""
    owner = factory.user(Role.INSTRUCTOR, email="owner@example.com")
    learner = factory.user(email="learner@example.com")
    factory.user(Role.ADMIN, email="admin@example.com")
    deck = factory.deck("sample-deck", owner=owner, visibility=Visibility.CLASS)
    draft = drafts.create_empty_deck(owner, "Owner's draft")
    classroom = classes.create_class(owner, "Bio 101")
    classes.join(learner, classroom.join_code)
    assignment = classes.assign(classroom, deck)
    assignment.quiz_question_count = 3  # the assignment comes with a quiz
    db.session.commit()
    now = datetime.now(UTC)
    finished = quiz.start_quiz(learner, ["sample-deck"], QuizOptions(count=5), now=now)
    # Right, wrong and unanswered items, so the result shows each kind of verdict.
    answers = answer_all(finished, wrong={1, 2})
    answers.pop("0")
    quiz.submit(learner, finished.id, answers, now=now)
    attempt = quiz.start_quiz(learner, ["sample-deck"], QuizOptions(count=3), now=now)
    return {
        "owner": owner,
        "learner": learner,
        "draft": draft,
        "classroom": classroom,
        "assignment": assignment,
        "attempt": attempt,
        "finished": finished,
    }


def learner_paths(world: dict) -> list[str]:
    attempt, finished = world["attempt"], world["finished"]
    classroom, assignment = world["classroom"], world["assignment"]
    return [
        "/",
        "/decks/sample-deck",
        "/study/sample-deck",
        "/quiz/",
        "/quiz/new",
        f"/quiz/{attempt.id}/q/1",
        f"/quiz/{attempt.id}/q/3",
        f"/quiz/{attempt.id}/all",
        f"/quiz/{finished.id}/result",
        f"/quiz/{finished.id}/review",
        "/classes/",
        f"/classes/{classroom.id}",
        f"/quiz/classes/{classroom.id}",
        f"/quiz/assignments/{assignment.id}",
        "/classes/join",
        f"/classes/join/{classroom.join_code}",
        "/auth/password",
        "/study/sample-deck/settings",
        "/stats/",
        "/stats/decks/sample-deck",
        "/stats/decks/sample-deck/article",
    ]


def instructor_paths(world: dict) -> list[str]:
    draft, classroom, assignment = world["draft"], world["classroom"], world["assignment"]
    learner = world["learner"]
    return [
        "/instructor/",
        f"/instructor/decks/{draft.slug}",
        f"/instructor/decks/{draft.slug}/questions/new",
        "/instructor/decks/sample-deck",
        "/instructor/decks/sample-deck/preview",
        "/instructor/decks/sample-deck/reports",
        "/instructor/decks/sample-deck/questions/definition/delete",
        f"/classes/{classroom.id}",
        f"/classes/{classroom.id}/results",
        f"/quiz/assignments/{assignment.id}/settings",
        f"/quiz/assignments/{assignment.id}/results",
        f"/stats/classes/{classroom.id}",
        f"/stats/classes/{classroom.id}/items",
        f"/stats/classes/{classroom.id}/learners/{learner.id}",
    ]


VISITOR_PATHS = ["/", "/auth/login", "/auth/register"]


def _next_step(page) -> None:
    """Wait for the step after the one marked walked (swapped in by script, or a new page)."""
    page.wait_for_selector("#study .study-step:not([data-walked])")
    page.wait_for_load_state("networkidle")


def study_states(page, check: Check) -> None:
    """A study session by clicking to its end: each question, its result or revealed answer,
    the session summary. Blanks and basic cards are revealed, the first choice is picked, the
    first button pressed, and a revealed or right answer rated Good."""
    page.goto("/study/sample-deck")
    page.wait_for_load_state("networkidle")
    seen: list[str] = []
    for _ in range(30):
        step = page.locator("#study .study-step")
        kind = step.get_attribute("data-step")
        seen.append(kind)
        step.evaluate("s => { s.dataset.walked = '1'; }")
        check(page, f"/study/sample-deck ({len(seen)}: {kind})")
        if kind == "empty":
            break
        if kind == "question":
            if page.locator("#study [data-reveal]").count():
                page.locator("#study [data-reveal]").first.click()  # "Show the answer"
                _next_step(page)
                continue
            if page.locator("#study input[name=choice]").count():
                page.locator("#study input[name=choice]").first.check()
            page.locator("#study form button[type=submit]").first.click()
        elif page.get_by_role("button", name="I was right").count():
            page.get_by_role("button", name="I was right").click()  # a wrong answer: to Good
        else:  # a right or revealed answer: Good, or Continue with the rating given
            page.locator("#study [data-rating='3'], #study [data-primary]").first.click()
        _next_step(page)
    assert seen[-1] == "empty", f"the study walk did not reach the end: {seen}"
    assert page.locator("[data-summary]").is_visible()


def walk(
    new_tab: Callable[[], tuple[object, object]],
    world: dict,
    check: Check,
    *,
    on_response: Callable[[object], None] | None = None,
) -> None:
    """Visit every page state of the walk in fresh tabs from ``new_tab()``; call ``check``
    after each, and ``on_response`` with each page's HTTP response."""

    def visit(page, path: str) -> None:
        response = page.goto(path)
        assert response.status < 400, f"{path}: {response.status}"
        if on_response:
            on_response(response)
        page.wait_for_load_state("networkidle")
        check(page, path)

    tours = [
        (None, VISITOR_PATHS, False),
        ("learner@example.com", learner_paths(world), True),
        ("owner@example.com", instructor_paths(world), False),
        ("admin@example.com", ["/admin/users"], False),
    ]
    for email, paths, studies in tours:
        context, page = new_tab()
        if email:
            sign_in(page, email)
        for path in paths:
            visit(page, path)
        if studies:
            study_states(page, check)
        context.close()
