"""``quizapp user reset-link EMAIL``: a one-time link for someone who cannot sign in (even the
only admin) on a site without email."""

from __future__ import annotations

from quizapp.models import Role
from quizapp.services import accounts

NEW = "a brand new secret"


def test_the_printed_link_resets_the_password_once(app, runner, client, factory):
    factory.user(Role.ADMIN, email="root@example.com")
    app.config["QUIZAPP_BASE_URL"] = "https://quiz.example.org"
    result = runner.invoke(args=["user", "reset-link", "Root@Example.com"])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("https://quiz.example.org/auth/reset/")
    assert "works once" in result.stderr
    path = link.removeprefix("https://quiz.example.org")
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert accounts.verify_password(accounts.find_user("root@example.com"), NEW)
    assert client.get(path).status_code == 404


def test_without_a_base_url_it_prints_the_path_and_says_so(runner, factory):
    factory.user(email="ada@example.com")
    result = runner.invoke(args=["user", "reset-link", "ada@example.com"])
    assert result.exit_code == 0 and result.stdout.startswith("/auth/reset/")
    assert "QUIZAPP_BASE_URL" in result.stderr


def test_an_unknown_email_is_named(runner, app):
    result = runner.invoke(args=["user", "reset-link", "nobody@example.com"])
    assert result.exit_code != 0 and "no account with the email 'nobody@example.com'" in (
        result.output
    )
