"""Accounts: creating users, signing in with rate limits, changing passwords and roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import RateCounter, Role
from quizapp.services import accounts
from quizapp.services.accounts import (
    ATTEMPT_WINDOW,
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    AccountError,
    SignInError,
)
from tests.factories import PASSWORD

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_passwords_are_hashed_with_argon2id(factory):
    user = factory.user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("email", "password", "field", "fragment"),
    [
        ("nobody", PASSWORD, "email", "valid email"),
        ("a@b@c", PASSWORD, "email", "valid email"),
        ("ok@example.com", "short", "password", "at least 10"),
        ("ok@example.com", "1234567890123", "password", "guessable"),
    ],
)
def test_create_user_refuses_bad_input_naming_the_field(app, email, password, field, fragment):
    with pytest.raises(AccountError) as caught:
        accounts.create_user(email, password)
    assert caught.value.field == field
    assert fragment in str(caught.value)


def test_create_user_refuses_a_taken_email_in_any_case(factory):
    factory.user(email="taken@example.com")
    with pytest.raises(AccountError, match="already exists") as caught:
        accounts.create_user(" Taken@Example.COM ", PASSWORD)
    assert caught.value.field == "email"


def test_sign_in_accepts_right_credentials(factory):
    user = factory.user(email="ada@example.com")
    assert accounts.sign_in("ADA@example.com ", PASSWORD, "10.0.0.1", now=NOW) == user
    # Counters are kept by hash: no email or address at rest.
    stored = " ".join(f"{r.scope} {r.key_hash}" for r in db.session.scalars(sa.select(RateCounter)))
    assert "ada@" not in stored and "10.0.0.1" not in stored


def test_wrong_password_and_unknown_email_get_the_same_message(factory):
    factory.user(email="ada@example.com")
    with pytest.raises(SignInError) as wrong_password:
        accounts.sign_in("ada@example.com", "not the password", "10.0.0.1", now=NOW)
    with pytest.raises(SignInError) as unknown_email:
        accounts.sign_in("bob@example.com", PASSWORD, "10.0.0.1", now=NOW)
    assert str(wrong_password.value) == str(unknown_email.value) == accounts.WRONG_CREDENTIALS
    assert wrong_password.value.retry_after is None


def test_too_many_failures_lock_the_account_at_that_address_only(factory):
    """Finding 7: failures from one address do not lock the real user out from theirs."""
    factory.user(email="ada@example.com")
    for i in range(MAX_FAILURES_PER_ACCOUNT):
        with pytest.raises(SignInError, match="Wrong email"):
            accounts.sign_in("ada@example.com", "wrong", "10.6.6.6", now=NOW + timedelta(minutes=i))
    later = NOW + timedelta(minutes=5)
    with pytest.raises(SignInError, match="Too many sign-in attempts") as caught:
        accounts.sign_in("ada@example.com", PASSWORD, "10.6.6.6", now=later)
    # The window opened by the first failure (at NOW) ends at NOW + 15 min: 10 minutes on.
    assert caught.value.retry_after == timedelta(minutes=10)
    assert "10 minutes" in str(caught.value)
    # The real user, elsewhere, signs in meanwhile.
    assert accounts.sign_in("ada@example.com", PASSWORD, "10.0.0.1", now=later).email == (
        "ada@example.com"
    )
    # Once the window ends, the address may try again.
    user = accounts.sign_in(
        "ada@example.com", PASSWORD, "10.6.6.6", now=NOW + ATTEMPT_WINDOW + timedelta(seconds=1)
    )
    assert user.email == "ada@example.com"


def test_a_success_clears_the_account_count(factory):
    factory.user(email="ada@example.com")
    for i in range(MAX_FAILURES_PER_ACCOUNT - 1):
        with pytest.raises(SignInError):
            accounts.sign_in("ada@example.com", "wrong", "10.0.0.1", now=NOW + timedelta(seconds=i))
    accounts.sign_in("ada@example.com", PASSWORD, "10.0.0.1", now=NOW + timedelta(seconds=10))
    for i in range(MAX_FAILURES_PER_ACCOUNT - 1):
        with pytest.raises(SignInError, match="Wrong email"):
            accounts.sign_in(
                "ada@example.com", "wrong", "10.0.0.1", now=NOW + timedelta(seconds=20 + i)
            )


def test_too_many_failures_from_one_address_lock_the_address_for_every_email(factory):
    factory.user(email="ada@example.com")
    for i in range(MAX_FAILURES_PER_ADDRESS):
        with pytest.raises(SignInError, match="Wrong email"):
            accounts.sign_in(
                f"guess{i}@example.com", "wrong", "10.6.6.6", now=NOW + timedelta(seconds=i)
            )
    with pytest.raises(SignInError, match="Too many") as caught:
        accounts.sign_in("ada@example.com", PASSWORD, "10.6.6.6", now=NOW + timedelta(minutes=1))
    assert "14 minutes" in str(caught.value)  # the window opened at NOW ends 15 min after it
    # Another address is not affected.
    assert accounts.sign_in("ada@example.com", PASSWORD, "10.0.0.2", now=NOW + timedelta(minutes=1))


def test_successes_do_not_use_up_the_address_limit(factory):
    factory.user(email="ada@example.com")
    for i in range(MAX_FAILURES_PER_ADDRESS + 5):
        accounts.sign_in("ada@example.com", PASSWORD, "10.0.0.1", now=NOW + timedelta(seconds=i))


def test_ended_windows_are_pruned(factory):
    factory.user(email="ada@example.com")
    with pytest.raises(SignInError):
        accounts.sign_in("ada@example.com", "wrong", "10.0.0.1", now=NOW)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RateCounter)) == 2
    with pytest.raises(SignInError):
        accounts.sign_in("bob@example.com", "wrong", "10.0.0.2", now=NOW + timedelta(hours=1))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RateCounter)) == 2


def test_change_password(factory):
    user = factory.user()
    with pytest.raises(AccountError, match="current password") as caught:
        accounts.change_password(user, "wrong", "a brand new secret")
    assert caught.value.field == "current"
    with pytest.raises(AccountError, match="at least 10"):
        accounts.change_password(user, PASSWORD, "short")
    with pytest.raises(AccountError, match="different"):
        accounts.change_password(user, PASSWORD, PASSWORD)
    accounts.change_password(user, PASSWORD, "a brand new secret")
    assert accounts.verify_password(user, "a brand new secret")
    assert not accounts.verify_password(user, PASSWORD)


def test_set_role(factory):
    admin = factory.user(Role.ADMIN)
    learner = factory.user()
    accounts.set_role(learner, Role.INSTRUCTOR, by=admin)
    assert accounts.get_user(learner.id).role == Role.INSTRUCTOR
    with pytest.raises(AccountError, match="Unknown role"):
        accounts.set_role(learner, "wizard", by=admin)
    with pytest.raises(AccountError, match="own admin role"):
        accounts.set_role(admin, Role.LEARNER, by=admin)
    assert admin.role == Role.ADMIN


def test_list_users_searches_emails_literally(factory):
    factory.user(email="ann_lee@example.com")
    factory.user(email="annxlee@example.com")
    assert [u.email for u in accounts.list_users("ann_").users] == ["ann_lee@example.com"]
    assert accounts.list_users("").total == 2


def test_the_user_create_command_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=["user", "create", "Prof@Example.com", "--role", "instructor"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "created prof@example.com (instructor)" in result.output
    user = accounts.find_user("prof@example.com")
    assert user.role == Role.INSTRUCTOR and accounts.verify_password(user, PASSWORD)
    again = runner.invoke(args=["user", "create", "prof@example.com"], input=PASSWORD + "\n")
    assert again.exit_code == 1 and "already exists" in again.output
    weak = runner.invoke(args=["user", "create", "x@example.com"], input="short\n")
    assert weak.exit_code == 1 and "at least 10" in weak.output
