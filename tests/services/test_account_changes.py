"""Changing one's email, and listing and revoking one's own API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.services import accounts, tokens
from quizapp.services.accounts import AccountError
from quizapp.services.errors import NotFound
from tests.factories import PASSWORD

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_change_email_needs_the_password_and_a_free_valid_address(factory):
    user = factory.user(email="ada@example.com")
    factory.user(email="taken@example.com")
    for current, email, field, fragment in [
        ("wrong password", "new@example.com", "current", "current password"),
        (PASSWORD, "not-an-email", "email", "valid email"),
        (PASSWORD, "Taken@Example.com", "email", "Another account"),
        (PASSWORD, "ADA@example.com", "email", "already your email"),
    ]:
        with pytest.raises(AccountError, match=fragment) as caught:
            accounts.change_email(user, current, email)
        assert caught.value.field == field
    assert accounts.get_user(user.id).email == "ada@example.com"
    accounts.change_email(user, PASSWORD, " New@Example.com ")
    assert accounts.get_user(user.id).email == "new@example.com"
    assert accounts.find_user("ada@example.com") is None
    assert accounts.sign_in("new@example.com", PASSWORD, "10.0.0.1", now=NOW) == user


def test_live_tokens_are_listed_newest_first_and_revoked_by_their_owner_only(factory):
    ada, bob = factory.user(), factory.user()
    old = tokens.issue_token(ada, now=NOW - timedelta(days=1), name="old")
    new = tokens.issue_token(ada, now=NOW, name="new")
    expired = tokens.issue_token(ada, now=NOW - tokens.TOKEN_LIFETIME, name="expired")
    bobs = tokens.issue_token(bob, now=NOW, name="bob's")
    assert [t.name for t in tokens.list_live(ada, now=NOW)] == ["new", "old"]
    with pytest.raises(NotFound):
        tokens.revoke_own(ada, bobs.id, now=NOW)
    with pytest.raises(NotFound):
        tokens.revoke_own(ada, expired.id, now=NOW)
    with pytest.raises(NotFound):
        tokens.revoke_own(ada, 10**9, now=NOW)
    tokens.revoke_own(ada, old.id, now=NOW)
    with pytest.raises(NotFound):
        tokens.revoke_own(ada, old.id, now=NOW)  # twice
    assert [t.id for t in tokens.list_live(ada, now=NOW)] == [new.id]
    assert tokens.authenticate(old.token, now=NOW) is None
    assert tokens.authenticate(bobs.token, now=NOW)[0] == bob
