"""The Content-Security-Policy in a real browser (security finding 17): the main pages, seen by a
learner, an instructor and an admin, with their scripts running, report no violation.

The pages are those of the shared walk (``walk.py``), which the accessibility test visits too.
Chromium reports a blocked inline script, inline event handler or ``style`` attribute both on the
console and as a ``securitypolicyviolation`` event; the test collects both, page by page.
"""

from __future__ import annotations

import pytest

from quizapp.services import classes

from .walk import make_world, sign_in, walk

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
        if "Content Security Policy" in message.text or "Content-Security-Policy" in (message.text):
            self.found.append(f"{self.page.url}: {message.text}")

    def collect(self) -> None:
        self.found += [
            f"{self.page.url}: {v}" for v in self.page.evaluate("window.__violations || []")
        ]


def test_main_pages_break_no_content_security_policy(browser_instance, live_server, factory):
    world = make_world(factory)
    found: list[str] = []
    watchers: dict[int, Watcher] = {}

    def new_tab():
        context = browser_instance.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        watchers[id(page)] = Watcher(page)
        return context, page

    def check(page, label: str) -> None:
        watcher = watchers[id(page)]
        watcher.collect()
        found.extend(watcher.found)
        watcher.found = []

    def policy_sent(response) -> None:
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], response.url

    walk(new_tab, world, check, on_response=policy_sent)

    # The confirm dialog of "Leave this class" comes from app.js: dismissing it keeps the learner.
    context, page = new_tab()
    watcher = watchers[id(page)]
    sign_in(page, "learner@example.com")
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.goto(f"/classes/{world['classroom'].id}")
    page.get_by_role("button", name="Leave this class").click()
    page.wait_for_load_state("networkidle")
    assert questions, "the confirm question did not appear"
    assert classes.is_member(world["learner"], world["classroom"])
    watcher.collect()
    found += watcher.found
    context.close()

    assert not found, "\n".join(found)
