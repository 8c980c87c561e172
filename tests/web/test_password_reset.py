"""Forgot password: reset links by email through a real SMTP server, or issued by an admin."""

from __future__ import annotations

import re

from quizapp.models import Role, utcnow
from quizapp.services import accounts, resets, throttle
from tests.factories import PASSWORD
from tests.web.forms import form_to

NEW = "a brand new secret"


def _login(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def _signed_in(client) -> bool:
    return client.get("/auth/account").status_code == 200


def test_sign_in_links_to_forgot_which_says_to_ask_an_admin_without_email(client, factory):
    factory.user(email="ada@example.com")
    assert 'href="/auth/forgot"' in client.get("/auth/login").text
    page = client.get("/auth/forgot")
    assert page.status_code == 200 and "Ask an administrator" in page.text
    assert 'name="email"' not in page.text
    assert client.post("/auth/forgot", data={"email": "ada@example.com"}).status_code == 200


def test_an_admin_issues_a_link_shown_once_and_it_resets_the_password(app, client, factory, auth):
    admin, user = factory.user(Role.ADMIN), factory.user(email="ada@example.com")
    elsewhere = app.test_client()
    _login(elsewhere, "ada@example.com", PASSWORD)
    assert _signed_in(elsewhere)
    auth.login(admin)
    users = client.get("/admin/users").text
    button = form_to(users, f"/admin/users/{user.id}/reset-link")
    page = client.post(button.action, data=button.data())
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    link = re.search(r'id="reset-link" value="(http://localhost/auth/reset/[^"]+)"', page.text)[1]
    assert "24 hours" in page.text and "ada@example.com" in page.text
    path = link.removeprefix("http://localhost")
    assert path not in client.get("/admin/users").text  # shown once
    assert client.post("/admin/users/99999/reset-link").status_code == 404

    auth.logout()
    form_page = client.get(path)
    assert form_page.status_code == 200 and "ada@example.com" in form_page.text
    bad = client.post(path, data={"password": "short", "confirm": "short"})
    assert bad.status_code == 400 and "Use at least 10 characters" in bad.text
    bad = client.post(path, data={"password": NEW, "confirm": NEW + "!"})
    assert bad.status_code == 400 and "not the same" in bad.text
    ok = client.post(path, data={"password": NEW, "confirm": NEW})
    assert ok.status_code == 302 and ok.location == "/auth/login"
    assert "Your new password is set" in client.get("/auth/login").text
    assert not _signed_in(elsewhere)  # every other sign-in ended
    used = client.get(path)
    assert used.status_code == 404 and "not valid any more" in used.text
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 404
    assert _login(client, "ada@example.com", PASSWORD).status_code == 400
    assert _login(client, "ada@example.com", NEW).status_code == 302


def test_the_forgot_form_emails_a_link_from_the_base_url(app, client, factory, smtp_server):
    settings, mailbox = smtp_server
    app.config.update(QUIZAPP_SMTP=settings, QUIZAPP_BASE_URL="https://quiz.example.org")
    factory.user(email="ada@example.com")
    page = client.get("/auth/forgot")
    assert 'name="email"' in page.text and "Ask an administrator" not in page.text
    known = client.post("/auth/forgot", data={"email": "ada@example.com"})
    assert mailbox.messages == []  # the mail leaves once the answer is sent (a server closes it)
    known.close()
    known_flash = client.get("/auth/login").text
    unknown = client.post("/auth/forgot", data={"email": "nobody@example.com"})
    unknown_flash = client.get("/auth/login").text
    # The same answer whether or not the email has an account.
    assert (
        (known.status_code, known.location)
        == (unknown.status_code, unknown.location)
        == (302, "/auth/login")
    )
    assert "If that email has an account" in known_flash
    assert known_flash == unknown_flash

    [message] = mailbox.wait(1)
    assert message["To"] == "ada@example.com"
    link = re.search(r"https://quiz\.example\.org(/auth/reset/\S+)", message.get_content())[1]
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert accounts.verify_password(accounts.find_user("ada@example.com"), NEW)


def test_the_forgot_form_names_bad_input_and_is_rate_limited(app, client, smtp_server):
    settings, _ = smtp_server
    app.config["QUIZAPP_SMTP"] = settings
    bad = client.post("/auth/forgot", data={"email": "not-an-email"})
    assert bad.status_code == 400 and "Enter a valid email address." in bad.text
    assert client.post("/auth/forgot", data={}).status_code == 400
    for _ in range(throttle.RESET_EMAIL.most):
        assert client.post("/auth/forgot", data={"email": "x@example.com"}).status_code == 302
    limited = client.post("/auth/forgot", data={"email": "x@example.com"})
    assert limited.status_code == 429 and "Too many password-reset requests" in limited.text
    assert int(limited.headers["Retry-After"]) > 0


def test_a_reset_does_not_sign_out_someone_else_signed_in_here(client, factory, auth):
    admin, user = factory.user(Role.ADMIN), factory.user()
    issued = resets.issue_by_admin(user, by=admin, now=utcnow())
    auth.login(admin)
    response = client.post(f"/auth/reset/{issued.token}", data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert _signed_in(client)
