"""The Content-Security-Policy in a real browser (security finding 17): the main pages, seen by a
learner, an instructor and an admin, with their scripts running, report no violation.

Chromium reports a blocked inline script, inline event handler or ``style`` attribute both on the
console and as a ``securitypolicyviolation`` event; the test collects both, page by page.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quizapp.domain.quiz import QuizOptions
from quizapp.extensions import db
from quizapp.models import Role, Visibility
from quizapp.services import classes, drafts, quiz

from ..factories import PASSWORD

pytestmark = pytest.mark.browser

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " +
                           e.sourceFile + ":" + e.lineNumber);
});
"""


class Watcher:
    """Every CSP complaint of one tab, by the page it was on."""

    def __init__(self, page):
        self.page = page
        self.found: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in (
                message.text):
            self.found.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response.status < 400, f"{path}: {response.status}"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def collect(self) -> None:
        self.found += [f"{self.page.url}: {v}" for v in
                       self.page.evaluate("window.__violations || []")]


def _sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_main_pages_break_no_content_security_policy(browser_instance, live_server, factory):
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
    attempt = quiz.start_quiz(learner, ["sample-deck"], QuizOptions(count=3),
                              now=datetime.now(UTC))

    def tab():
        context = browser_instance.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        return context, context.new_page()

    found: list[str] = []

    # The visitor.
    context, page = tab()
    watcher = Watcher(page)
    for path in ("/", "/auth/login", "/auth/register"):
        watcher.visit(path)
    found += watcher.found
    context.close()

    # The learner: home, a deck, studying (the page builds questions with script), quizzes,
    # classes, the account page, and a confirm button (its handler lives in static/app.js).
    context, page = tab()
    watcher = Watcher(page)
    _sign_in(page, "learner@example.com")
    for path in ("/", "/decks/sample-deck", "/study/sample-deck", "/quiz/", "/quiz/new",
                 f"/quiz/{attempt.id}/q/1", f"/quiz/{attempt.id}/all", "/classes/",
                 f"/classes/{classroom.id}", f"/quiz/classes/{classroom.id}",
                 f"/quiz/assignments/{assignment.id}", "/classes/join",
                 f"/classes/join/{classroom.join_code}", "/auth/password",
                 "/study/sample-deck/settings"):
        watcher.visit(path)
    page.goto("/study/sample-deck")
    page.locator("#study form button[type=submit], #study button").first.click()
    page.wait_for_load_state("networkidle")
    watcher.collect()
    # The confirm dialog of "Leave this class" comes from app.js: dismissing it keeps the learner.
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.goto(f"/classes/{classroom.id}")
    page.get_by_role("button", name="Leave this class").click()
    page.wait_for_load_state("networkidle")
    assert questions, "the confirm question did not appear"
    assert classes.is_member(learner, classroom)
    watcher.collect()
    found += watcher.found
    context.close()

    # The instructor: workspace, editor, preview, a question form, the class and its results.
    context, page = tab()
    watcher = Watcher(page)
    _sign_in(page, "owner@example.com")
    for path in ("/instructor/", f"/instructor/decks/{draft.slug}",
                 f"/instructor/decks/{draft.slug}/questions/new",
                 "/instructor/decks/sample-deck", "/instructor/decks/sample-deck/preview",
                 f"/classes/{classroom.id}", f"/classes/{classroom.id}/results",
                 f"/quiz/assignments/{assignment.id}/settings",
                 f"/quiz/assignments/{assignment.id}/results"):
        watcher.visit(path)
    found += watcher.found
    context.close()

    # The admin page.
    context, page = tab()
    watcher = Watcher(page)
    _sign_in(page, "admin@example.com")
    watcher.visit("/admin/users")
    found += watcher.found
    context.close()

    assert not found, "\n".join(found)
