"""Accounts in the real browser (CSRF on): forgot password through a real SMTP server, then an
API token made, copied, used and revoked on the account page; an admin's one-time reset link."""

from __future__ import annotations

import re

import pytest

from quizapp.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NEW = "a brand new secret"


def _no_sideways_scroll(page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert overflow <= 0, f"{page.url} scrolls sideways on a phone by {overflow}px"


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_forgot_password_by_email_then_a_token_made_and_revoked(app, page, factory, smtp_server):
    settings, mailbox = smtp_server
    app.config["QUIZAPP_SMTP"] = settings
    factory.user(email="ada@example.com")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.on("dialog", lambda dialog: dialog.accept())
    refused = []  # Content-Security-Policy refusals: the copy button's script must be allowed
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )

    # Forgot password: the sign-in page links to it; the mail arrives at the SMTP server.
    page.goto("/auth/login")
    page.get_by_role("link", name="Forgot password?").click()
    page.wait_for_url("**/auth/forgot")
    page.fill("input[name=email]", "ada@example.com")
    page.get_by_role("button", name="Email me a reset link").click()
    page.wait_for_url("**/auth/login")
    assert page.get_by_text("If that email has an account").is_visible()
    [message] = mailbox.wait(1)
    link = re.search(r"http://127\.0\.0\.1:\d+/auth/reset/\S+", message.get_content())[0]

    # The link from the mail sets a new password, once.
    page.goto(link)
    assert page.get_by_text("ada@example.com").is_visible()
    _no_sideways_scroll(page)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW)
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url("**/auth/login")
    assert page.get_by_text("Your new password is set").is_visible()
    assert page.goto(link).status == 404
    _sign_in(page, "ada@example.com", NEW)

    # The account page, from the nav's account link: make a token, copy it, use it.
    page.locator('nav a[href="/auth/account"]').click()
    page.wait_for_url("**/auth/account")
    _no_sideways_scroll(page)
    page.get_by_label("Name").fill("laptop script")
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("qz_")
    page.get_by_role("button", name="Copy").click()
    assert page.get_by_text("Copied.").is_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    api = page.request.get("/api/v1/decks", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 200

    # Listed (not shown again), then revoked: it stops working at once.
    page.goto("/auth/account")
    assert token not in page.content()
    row = page.locator("table.tokens tr", has_text="laptop script")
    row.get_by_role("button", name="Revoke").click()
    page.wait_for_url("**/auth/account#account-tokens")
    assert page.get_by_text("is revoked").is_visible()
    assert page.get_by_text("You have no API tokens.").is_visible()
    api = page.request.get("/api/v1/decks", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 401
    assert refused == []


def test_without_email_an_admin_hands_over_a_reset_link(
    page, factory, browser_instance, live_server
):
    factory.user(Role.ADMIN, email="admin@example.com")
    factory.user(email="bob@example.com")
    page.goto("/auth/forgot")
    assert page.get_by_text("Ask an administrator").is_visible()

    _sign_in(page, "admin@example.com", PASSWORD)
    page.goto("/admin/users")
    page.get_by_role("button", name="Reset link for bob@example.com").click()
    link = page.get_by_label("Reset link").input_value()
    assert "/auth/reset/" in link
    _no_sideways_scroll(page)

    other = browser_instance.new_context(base_url=live_server.url).new_page()
    other.goto(link)
    other.get_by_label("New password", exact=True).fill(NEW)
    other.get_by_label("Repeat the new password").fill(NEW)
    other.get_by_role("button", name="Set password").click()
    other.wait_for_url("**/auth/login")
    _sign_in(other, "bob@example.com", NEW)
    other.context.close()
