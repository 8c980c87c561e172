"""Invite-only registration in the real browser: an admin invites an instructor, who accepts the
link, invites a learner into a class, and the learner arrives in the class; no CSP complaint."""

from __future__ import annotations

import pytest

from quizapp.models import Role
from quizapp.services import accounts, classes

from ..factories import PASSWORD
from .test_csp import Watcher

pytestmark = pytest.mark.browser


def _tab(browser_instance, live_server):
    context = browser_instance.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())  # data-confirm questions: yes
    return tab


def _invite(page, email: str, role: str, classroom: str | None = None) -> str:
    page.get_by_role("link", name="Invites").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Role").select_option(role)
    if classroom:
        page.get_by_label("Join this class (optional)").select_option(label=classroom)
    page.get_by_role("button", name="Create invite").click()
    link = page.locator("#invite-link")
    assert link.is_visible()
    return link.inner_text()


def _accept(page, link: str, email: str) -> None:
    page.goto(link)
    assert page.get_by_label("Email").input_value() == email
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(lambda url: "/invites/" not in url)
    assert page.get_by_text(f"Welcome! Your account {email} is ready").is_visible()


def test_invite_an_instructor_who_invites_a_learner(app, browser_instance, live_server, factory):
    app.config["QUIZAPP_REGISTRATION"] = "invite"
    factory.user(Role.ADMIN, email="admin@example.com")

    admin = _tab(browser_instance, live_server)
    watch_admin = Watcher(admin)
    admin.goto("/auth/register")
    assert (
        admin.locator("#registration-rules")
        .inner_text()
        .startswith("Registration on this site is by invitation")
    )
    admin.goto("/auth/login")
    admin.fill("input[name=email]", "admin@example.com")
    admin.fill("input[name=password]", PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url("**/")
    link = _invite(admin, "teacher@example.com", "instructor")
    watch_admin.collect()
    assert admin.locator("tr", has_text="teacher@example.com").is_visible()

    teacher = _tab(browser_instance, live_server)
    watch_teacher = Watcher(teacher)
    _accept(teacher, link, "teacher@example.com")
    assert teacher.get_by_role("link", name="My decks").is_visible()  # an instructor now
    classes.create_class(accounts.find_user("teacher@example.com"), "Bio 101")
    learner_link = _invite(teacher, "pupil@example.com", "learner", classroom="Bio 101")
    watch_teacher.collect()

    learner = _tab(browser_instance, live_server)
    watch_learner = Watcher(learner)
    _accept(learner, learner_link, "pupil@example.com")
    learner.goto("/classes/")
    assert learner.get_by_text("Bio 101").first.is_visible()
    watch_learner.collect()
    learner.goto(learner_link)  # used: the link does not work twice
    assert learner.get_by_text("Sign out first").is_visible()

    # The admin sees both accounts, and disables the learner (confirming the question).
    admin.goto("/admin/users?q=pupil")
    row = admin.locator("tr", has_text="pupil@example.com")
    row.get_by_role("button", name="Disable").click()
    admin.wait_for_load_state()
    assert admin.locator("tr", has_text="pupil@example.com").get_by_text("Disabled").is_visible()
    watch_admin.collect()
    learner.goto("/classes/")
    assert "/auth/login" in learner.url  # signed out

    # The new pages fit a phone screen (wide tables scroll inside their box).
    admin.set_viewport_size({"width": 390, "height": 800})
    for path in ("/admin/users", "/invites", "/admin/users/import", learner_link):
        admin.goto(path)
        overflow = admin.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"

    found = watch_admin.found + watch_teacher.found + watch_learner.found
    assert not found, "\n".join(found)
