"""What admins do to accounts: pages of users, disabling, role changes that keep an admin, and
bulk creation from CSV (all or nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from quizapp.domain.user_csv import UserCsvError
from quizapp.extensions import db
from quizapp.models import Invite, Role, User
from quizapp.services import accounts, bulk_users, invites, signins, tokens
from tests.factories import PASSWORD

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_users_come_in_pages(factory):
    for i in range(7):
        factory.user(email=f"u{i}@example.com")
    factory.user(email="other@school.org")
    page = accounts.list_users("example", page=2, per_page=3)
    assert (page.total, page.pages, page.page) == (7, 3, 2)
    assert [u.email for u in page.users] == ["u3@example.com", "u4@example.com", "u5@example.com"]
    assert accounts.list_users("example", page=99, per_page=3).page == 3  # the last
    assert accounts.list_users("nothing").pages == 1


def test_a_disabled_user_cannot_sign_in_and_loses_sessions_and_tokens(factory):
    admin, user = factory.user(Role.ADMIN), factory.user(email="dis@example.com")
    credential = signins.start(user, now=NOW)
    token = tokens.issue_token(user, now=NOW).token
    accounts.set_disabled(user, True, by=admin, now=NOW)
    assert signins.resolve(credential, now=NOW) is None
    assert tokens.authenticate(token, now=NOW) is None
    with pytest.raises(accounts.SignInError, match="disabled"):
        accounts.sign_in("dis@example.com", PASSWORD, "1.2.3.4", now=NOW)
    with pytest.raises(accounts.SignInError, match="Wrong email or password"):
        accounts.sign_in("dis@example.com", "not the password", "1.2.3.5", now=NOW)
    accounts.set_disabled(user, False, by=admin, now=NOW)
    assert accounts.sign_in("dis@example.com", PASSWORD, "1.2.3.4", now=NOW) == user
    assert tokens.authenticate(token, now=NOW) is None  # revoked tokens stay revoked


def test_never_zero_active_admins(factory):
    first, second = factory.user(Role.ADMIN), factory.user(Role.ADMIN)
    with pytest.raises(accounts.AccountError, match="your own account"):
        accounts.set_disabled(first, True, by=first, now=NOW)
    accounts.set_role(first, "learner", by=first)  # another admin remains
    assert first.role == "learner"
    with pytest.raises(accounts.AccountError, match="remove your own admin role"):
        accounts.set_role(second, "instructor", by=second)
    third = factory.user(Role.ADMIN)
    accounts.set_disabled(third, True, by=second, now=NOW)
    with pytest.raises(accounts.AccountError, match="last active admin"):
        accounts.set_role(second, "learner", by=third)  # the disabled admin does not count
    assert second.role == "admin"


def test_bulk_creation_makes_accounts_and_invites(factory):
    admin = factory.user(Role.ADMIN)
    data = (
        b"email,role,password\n"
        b"Ann@Example.com,instructor,correct horse battery\n"
        b"bob@example.com,learner\n"
    )
    result = bulk_users.create_from_csv(admin, data, now=NOW)
    assert [(u.email, u.role) for u in result.created] == [("ann@example.com", "instructor")]
    assert accounts.sign_in("ann@example.com", PASSWORD, "1.2.3.4", now=NOW).is_instructor
    [line] = result.invited
    assert (line.email, line.role) == ("bob@example.com", "learner")
    assert invites.accept(line.token, PASSWORD, now=NOW).email == "bob@example.com"


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            b"ok@example.com,learner,correct horse battery\nbad,learner\n",
            ["Line 2: 'bad': Enter a valid email address."],
        ),
        (
            b"ok@example.com,learner\nOK@example.com,admin\n",
            ["Line 2: ok@example.com is already on line 1."],
        ),
        (
            b"taken@example.com,learner\nok@example.com,learner,short\n",
            [
                "Line 1: taken@example.com already has an account.",
                "Line 2: the password is too weak. Use at least 10 characters.",
            ],
        ),
        (
            b"ok@example.com,learner\n\xff\xfe,admin\n",
            ["Line 2: not UTF-8 text; save the file as CSV UTF-8."],
        ),
        (
            b"ok@example.com,boss\n",
            ["Line 1: unknown role 'boss'; use one of learner, instructor, admin."],
        ),
    ],
)
def test_bulk_creation_creates_nothing_when_a_line_is_bad(factory, data, problems):
    admin = factory.user(Role.ADMIN)
    factory.user(email="taken@example.com")
    with pytest.raises(UserCsvError) as caught:
        bulk_users.create_from_csv(admin, data, now=NOW)
    assert caught.value.problems == problems
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(Invite.id))) == 0


def test_bulk_creation_caps_the_slow_password_lines(factory):
    admin = factory.user(Role.ADMIN)
    data = "".join(
        f"p{i}@example.com,learner,correct horse battery\n"
        for i in range(bulk_users.MAX_PASSWORDS + 1)
    ).encode()
    with pytest.raises(UserCsvError, match=f"at most {bulk_users.MAX_PASSWORDS} at a time"):
        bulk_users.create_from_csv(admin, data, now=NOW)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
