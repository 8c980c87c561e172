"""Accounts: creating users, signing in with rate limits, changing passwords and roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Role, SignInAttempt
from quizapp.services import accounts
from quizapp.services.accounts import (
    ATTEMPT_WINDOW,
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_EMAIL,
    AccountError,
    SignInError,
)
from tests.factories import PASSWORD

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_passwords_are_hashed_with_argon2id(factory):
    user = factory.user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(("email", "password", "field", "fragment"), [
    ("nobody", PASSWORD, "email", "valid email"),
    ("a@b@c", PASSWORD, "email", "valid email"),
    ("ok@example.com", "short", "password", "at least 10"),
    ("ok@example.com", "1234567890123", "password", "guessable"),
])
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


def test_sign_in_accepts_right_credentials_and_records_the_attempt(factory):
    user = factory.user(email="ada@example.com")
    assert accounts.sign_in("ADA@example.com ", PASSWORD, "10.0.0.1", now=NOW) == user
    attempt = db.session.scalar(sa.select(SignInAttempt))
    assert (attempt.email, attempt.address, attempt.succeeded) == (
        "ada@example.com", "10.0.0.1", True)


def test_wrong_password_and_unknown_email_get_the_same_message(factory):
    factory.user(email="ada@example.com")
    with pytest.raises(SignInError) as wrong_password:
        accounts.sign_in("ada@example.com", "not the password", "10.0.0.1", now=NOW)
    with pytest.raises(SignInError) as unknown_email:
        accounts.sign_in("bob@example.com", PASSWORD, "10.0.0.1", now=NOW)
    assert str(wrong_password.value) == str(unknown_email.value) == accounts.WRONG_CREDENTIALS
    assert wrong_password.value.retry_after is None


def test_too_many_failures_for_one_email_lock_it_even_with_the_right_password(factory):
    factory.user(email="ada@example.com")
    for i in range(MAX_FAILURES_PER_EMAIL):
        with pytest.raises(SignInError, match="Wrong email"):
            accounts.sign_in("ada@example.com", "wrong", f"10.0.0.{i}", now=NOW + timedelta(
                minutes=i))
    later = NOW + timedelta(minutes=5)
    with pytest.raises(SignInError, match="Too many sign-in attempts") as caught:
        accounts.sign_in("ada@example.com", PASSWORD, "10.9.9.9", now=later)
    # The first failure (at NOW) leaves the 15-minute window at NOW + 15 min: 10 minutes on.
    assert caught.value.retry_after == timedelta(minutes=10)
    assert "10 minutes" in str(caught.value)
    # Refused attempts are not counted: once the oldest failure expires, one more try is allowed.
    user = accounts.sign_in("ada@example.com", PASSWORD, "10.9.9.9",
                            now=NOW + ATTEMPT_WINDOW + timedelta(seconds=1))
    assert user.email == "ada@example.com"


def test_a_success_clears_the_email_count(factory):
    factory.user(email="ada@example.com")
    for i in range(MAX_FAILURES_PER_EMAIL - 1):
        with pytest.raises(SignInError):
            accounts.sign_in("ada@example.com", "wrong", "10.0.0.1", now=NOW + timedelta(
                seconds=i))
    accounts.sign_in("ada@example.com", PASSWORD, "10.0.0.1", now=NOW + timedelta(seconds=10))
    for i in range(MAX_FAILURES_PER_EMAIL - 1):
        with pytest.raises(SignInError, match="Wrong email"):
            accounts.sign_in("ada@example.com", "wrong", "10.0.0.1",
                             now=NOW + timedelta(seconds=20 + i))


def test_too_many_failures_from_one_address_lock_the_address_for_every_email(factory):
    factory.user(email="ada@example.com")
    # All but the last failure written directly (each real one costs an argon2 check).
    db.session.add_all(SignInAttempt(email=f"guess{i}@example.com", address="10.6.6.6",
                                     at=NOW + timedelta(seconds=i), succeeded=False)
                       for i in range(MAX_FAILURES_PER_ADDRESS - 1))
    db.session.commit()
    with pytest.raises(SignInError, match="Wrong email"):
        accounts.sign_in("last@example.com", "wrong", "10.6.6.6", now=NOW + timedelta(seconds=30))
    with pytest.raises(SignInError, match="Too many") as caught:
        accounts.sign_in("ada@example.com", PASSWORD, "10.6.6.6", now=NOW + timedelta(minutes=1))
    assert "14 minutes" in str(caught.value)  # the first failure expires 15 min after NOW
    # Another address is not affected.
    assert accounts.sign_in("ada@example.com", PASSWORD, "10.0.0.2",
                            now=NOW + timedelta(minutes=1))


def test_old_attempts_are_pruned(factory):
    factory.user(email="ada@example.com")
    with pytest.raises(SignInError):
        accounts.sign_in("ada@example.com", "wrong", "10.0.0.1", now=NOW)
    accounts.sign_in("ada@example.com", PASSWORD, "10.0.0.1", now=NOW + timedelta(hours=1))
    rows = db.session.scalars(sa.select(SignInAttempt)).all()
    assert [r.succeeded for r in rows] == [True]


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
    assert [u.email for u in accounts.list_users("ann_")] == ["ann_lee@example.com"]
    assert len(accounts.list_users("")) == 2


def test_the_user_create_command_reads_the_password_from_stdin(runner):
    result = runner.invoke(args=["user", "create", "Prof@Example.com", "--role", "instructor"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created prof@example.com (instructor)" in result.output
    user = accounts.find_user("prof@example.com")
    assert user.role == Role.INSTRUCTOR and accounts.verify_password(user, PASSWORD)
    again = runner.invoke(args=["user", "create", "prof@example.com"], input=PASSWORD + "\n")
    assert again.exit_code == 1 and "already exists" in again.output
    weak = runner.invoke(args=["user", "create", "x@example.com"], input="short\n")
    assert weak.exit_code == 1 and "at least 10" in weak.output
