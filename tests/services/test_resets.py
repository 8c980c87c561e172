"""Password-reset links: emailed through a real SMTP server or issued by an admin; single-use,
short-lived, stored hashed, ending every sign-in of the account."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import ApiToken, PasswordReset, Role, SignIn
from quizapp.services import accounts, resets, signins, throttle, tokens
from quizapp.services.accounts import AccountError
from tests.factories import PASSWORD

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
NEW = "a brand new secret"


PAGE = "https://quiz.example.org/auth/reset/"


def _token_in(message) -> str:
    found = re.search(r"https://quiz\.example\.org/auth/reset/(\S+)", message.get_content())
    assert found, message.get_content()
    return found[1]


def _resets() -> list[PasswordReset]:
    return list(db.session.scalars(sa.select(PasswordReset).order_by(PasswordReset.id)))


def test_a_reset_link_is_emailed_through_the_smtp_server_and_works_once(factory, smtp_server):
    settings, mailbox = smtp_server
    user = factory.user(email="ada@example.com")
    resets.request_by_email(
        " Ada@Example.com ", "10.0.0.1", now=NOW, smtp=settings, reset_page=PAGE
    )
    [message] = mailbox.wait(1)
    assert message["To"] == "ada@example.com" and message["From"] == "quizapp@example.org"
    assert "Reset your quizapp password" in message["Subject"]
    assert "within 1 hour" in message.get_content()
    assert mailbox.logins == ["quizapp"]  # the configured username and password were used
    token = _token_in(message)

    # Stored only as its SHA-256, bound to the user, for an hour.
    [row] = _resets()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in (
        row.token_hash
    )
    assert row.user_id == user.id and row.issued_by_id is None
    assert row.expires_at == NOW + resets.EMAIL_LIFETIME

    assert resets.user_for(token, now=NOW) == user
    assert resets.reset_password(token, NEW, now=NOW + timedelta(minutes=5)) == user
    assert accounts.verify_password(accounts.get_user(user.id), NEW)
    with pytest.raises(AccountError, match="not valid any more") as caught:
        resets.reset_password(token, "yet another secret", now=NOW + timedelta(minutes=6))
    assert caught.value.field == "token"
    assert resets.user_for(token, now=NOW) is None


def test_an_unknown_email_gets_no_mail_and_no_link_but_the_same_answer(factory, smtp_server):
    settings, mailbox = smtp_server
    factory.user(email="ada@example.com")
    assert (
        resets.request_by_email(
            "nobody@example.com", "10.0.0.1", now=NOW, smtp=settings, reset_page=PAGE
        )
        is None
    )
    assert (
        resets.request_by_email(
            "ada@example.com", "10.0.0.1", now=NOW, smtp=settings, reset_page=PAGE
        )
        is None
    )
    [message] = mailbox.wait(1)
    assert message["To"] == "ada@example.com"
    assert len(_resets()) == 1


def test_the_lookup_and_the_mail_wait_for_the_job_and_do_the_same_work_for_any_email(
    factory, smtp_server
):
    settings, mailbox = smtp_server
    factory.user(email="ada@example.com")
    jobs = []
    for email in ("ada@example.com", "nobody@example.com"):
        assert (
            resets.request_by_email(
                email, "10.0.0.1", now=NOW, smtp=settings, reset_page=PAGE, later=jobs.append
            )
            is None
        )
    assert len(jobs) == 2 and _resets() == [] and mailbox.messages == []
    assert [job() for job in jobs] == [True, False]
    [message] = mailbox.wait(1)
    assert message["To"] == "ada@example.com" and len(_resets()) == 1


def test_a_mail_server_that_fails_is_logged_not_raised(factory, caplog):
    import socket

    from quizapp.domain.mail import SmtpSettings

    factory.user(email="ada@example.com")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = SmtpSettings(host="127.0.0.1", port=port, sender="quizapp@example.org")
    assert resets.send_link("ada@example.com", now=NOW, smtp=dead, reset_page=PAGE) is False
    assert "could not send" in caplog.text and "ada@example.com" in caplog.text


def test_the_forgot_limit_counts_unknown_and_known_emails_alike(factory, smtp_server):
    settings, _ = smtp_server
    factory.user(email="ada@example.com")
    for email in ("ada@example.com", "nobody@example.com"):
        for _ in range(throttle.RESET_EMAIL.most):
            resets.request_by_email(email, "10.0.0.1", now=NOW, smtp=settings, reset_page=PAGE)
        with pytest.raises(throttle.TooManyAttempts, match="password-reset requests"):
            resets.request_by_email(email, "10.0.0.2", now=NOW, smtp=settings, reset_page=PAGE)
    # A new window starts an hour later.
    resets.request_by_email(
        "ada@example.com", "10.0.0.3", now=NOW + timedelta(hours=1), smtp=settings, reset_page=PAGE
    )


def test_the_forgot_limit_per_address(factory, smtp_server):
    settings, _ = smtp_server
    for n in range(throttle.RESET_ADDRESS.most):
        resets.request_by_email(
            f"n{n}@example.com", "10.0.0.9", now=NOW, smtp=settings, reset_page=PAGE
        )
    with pytest.raises(throttle.TooManyAttempts):
        resets.request_by_email(
            "more@example.com", "10.0.0.9", now=NOW, smtp=settings, reset_page=PAGE
        )


def test_a_malformed_email_is_refused_by_name(app, smtp_server):
    settings, _ = smtp_server
    with pytest.raises(AccountError, match="valid email") as caught:
        resets.request_by_email("not-an-email", "10.0.0.1", now=NOW, smtp=settings, reset_page=PAGE)
    assert caught.value.field == "email"


def test_admin_links_last_a_day_and_name_the_admin(factory):
    admin, user = factory.user(Role.ADMIN), factory.user()
    issued = resets.issue_by_admin(user, by=admin, now=NOW)
    [row] = _resets()
    assert row.issued_by_id == admin.id and issued.expires_at == NOW + resets.ADMIN_LIFETIME
    assert resets.user_for(issued.token, now=NOW + timedelta(hours=23, minutes=59)) == user
    assert resets.user_for(issued.token, now=NOW + resets.ADMIN_LIFETIME) is None
    with pytest.raises(AccountError, match="not valid any more"):
        resets.reset_password(issued.token, NEW, now=NOW + resets.ADMIN_LIFETIME)
    assert accounts.verify_password(accounts.get_user(user.id), PASSWORD)


def test_using_a_link_ends_every_sign_in_revokes_tokens_and_other_links(factory):
    admin, user = factory.user(Role.ADMIN), factory.user()
    signins.start(user, now=NOW)
    signins.start(user, now=NOW)
    api = tokens.issue_token(user, now=NOW)
    first = resets.issue_by_admin(user, by=admin, now=NOW)
    second = resets.issue_by_admin(user, by=admin, now=NOW)
    other_user_link = resets.issue_by_admin(admin, by=admin, now=NOW)

    resets.reset_password(second.token, NEW, now=NOW + timedelta(minutes=1))
    assert signins.count(user, now=NOW) == 0
    assert db.session.get(ApiToken, api.id).revoked_at is not None
    assert resets.user_for(first.token, now=NOW) is None  # the older link died with it
    assert resets.user_for(other_user_link.token, now=NOW) == admin  # another user's lives
    assert (
        db.session.scalar(sa.select(sa.func.count(SignIn.id)).where(SignIn.user_id == user.id)) == 0
    )


def test_a_weak_password_leaves_the_link_usable(factory):
    admin, user = factory.user(Role.ADMIN), factory.user()
    issued = resets.issue_by_admin(user, by=admin, now=NOW)
    with pytest.raises(AccountError, match="at least 10") as caught:
        resets.reset_password(issued.token, "short", now=NOW)
    assert caught.value.field == "password"
    assert resets.user_for(issued.token, now=NOW) == user
    resets.reset_password(issued.token, NEW, now=NOW)


def test_a_disabled_account_gets_no_link_and_its_links_stop_working(factory, smtp_server):
    admin, user = factory.user(Role.ADMIN), factory.user()
    issued = resets.issue_by_admin(user, by=admin, now=NOW)
    accounts.set_disabled(user, True, by=admin, now=NOW)
    assert resets.user_for(issued.token, now=NOW) is None
    with pytest.raises(AccountError, match="not valid any more"):
        resets.reset_password(issued.token, NEW, now=NOW)
    with pytest.raises(AccountError, match="disabled"):
        resets.issue_by_admin(user, by=admin, now=NOW)
    settings, mailbox = smtp_server
    assert resets.send_link(user.email, now=NOW, smtp=settings, reset_page=PAGE) is False
    assert len(_resets()) == 1  # only the admin's dead link: no new one was made


@pytest.mark.parametrize("token", ["", "x" * 500, "nope", "ünïcode", "a/b"])
def test_unknown_or_odd_tokens_are_refused(app, token):
    assert resets.user_for(token, now=NOW) is None
    with pytest.raises(AccountError, match="not valid any more"):
        resets.reset_password(token, NEW, now=NOW)


def test_deleting_a_user_deletes_their_links(factory):
    admin, user = factory.user(Role.ADMIN), factory.user()
    resets.issue_by_admin(user, by=admin, now=NOW)
    db.session.delete(user)
    db.session.commit()
    assert _resets() == []
