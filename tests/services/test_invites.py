"""Invites: who may send which, single use, expiry, revocation, and accepting into a class."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Invite, Membership, Role
from quizapp.services import accounts, classes, invites
from quizapp.services.errors import Forbidden, NotFound
from tests.factories import PASSWORD

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_an_instructor_invites_a_learner_into_their_class(factory):
    teacher = factory.user(Role.INSTRUCTOR)
    classroom = classes.create_class(teacher, "Bio")
    issued = invites.create(
        teacher, " Pupil@Example.com ", "learner", now=NOW, mode="open", classroom_id=classroom.id
    )
    assert issued.token.startswith("inv_") and len(issued.token) > 40
    row = db.session.get(Invite, issued.invite.id)
    assert row.email == "pupil@example.com" and issued.token not in row.token_hash
    assert row.expires_at == NOW + invites.INVITE_LIFETIME
    assert invites.pending(teacher, now=NOW) == [row]

    user = invites.accept(issued.token, PASSWORD, now=NOW + timedelta(hours=1))
    assert (user.email, user.role) == ("pupil@example.com", "learner")
    assert classes.is_member(user, classroom)
    assert accounts.sign_in("pupil@example.com", PASSWORD, "1.2.3.4", now=NOW) == user
    assert invites.pending(teacher, now=NOW) == []
    with pytest.raises(accounts.AccountError, match="not valid"):  # single use
        invites.accept(issued.token, PASSWORD, now=NOW)


def test_roles_and_classes_an_inviter_may_give(factory):
    teacher, admin = factory.user(Role.INSTRUCTOR), factory.user(Role.ADMIN)
    learner = factory.user()
    others = classes.create_class(factory.user(Role.INSTRUCTOR), "Not theirs")
    with pytest.raises(accounts.AccountError, match="these roles: learner") as caught:
        invites.create(teacher, "x@example.com", "instructor", now=NOW, mode="open")
    assert caught.value.field == "role"
    with pytest.raises(accounts.AccountError, match="one of your classes"):
        invites.create(
            teacher, "x@example.com", "learner", now=NOW, mode="open", classroom_id=others.id
        )
    with pytest.raises(accounts.AccountError, match="already has an account"):
        invites.create(teacher, learner.email, "learner", now=NOW, mode="open")
    with pytest.raises(accounts.AccountError, match="valid email"):
        invites.create(teacher, "nobody", "learner", now=NOW, mode="open")
    with pytest.raises(Forbidden):
        invites.create(learner, "x@example.com", "learner", now=NOW, mode="open")
    with pytest.raises(Forbidden, match="only admins"):
        invites.create(teacher, "x@example.com", "learner", now=NOW, mode="closed")
    issued = invites.create(admin, "boss@example.com", "admin", now=NOW, mode="closed")
    assert invites.accept(issued.token, PASSWORD, now=NOW).is_admin
    assert db.session.scalar(sa.select(sa.func.count(Invite.id))) == 1  # nothing half-made


def test_expired_revoked_and_mistyped_links_do_not_work(factory):
    teacher, colleague = factory.user(Role.INSTRUCTOR), factory.user(Role.INSTRUCTOR)
    expired = invites.create(teacher, "a@example.com", "learner", now=NOW, mode="open")
    later = NOW + invites.INVITE_LIFETIME
    assert invites.find_live(expired.token, now=later) is None
    revoked = invites.create(teacher, "b@example.com", "learner", now=NOW, mode="open")
    with pytest.raises(NotFound):  # another instructor's invite is not theirs to see
        invites.revoke(colleague, revoked.invite.id, now=NOW)
    invites.revoke(teacher, revoked.invite.id, now=NOW)
    for token in (expired.token, revoked.token, "inv_nonsense", "", "x" * 500):
        with pytest.raises(accounts.AccountError, match="not valid"):
            invites.accept(token, PASSWORD, now=later)
    assert accounts.find_user("a@example.com") is None


def test_a_weak_password_or_a_taken_email_creates_nothing(factory):
    teacher = factory.user(Role.INSTRUCTOR)
    classroom = classes.create_class(teacher, "Bio")
    issued = invites.create(
        teacher, "c@example.com", "learner", now=NOW, mode="open", classroom_id=classroom.id
    )
    with pytest.raises(accounts.AccountError, match="at least 10") as caught:
        invites.accept(issued.token, "short", now=NOW)
    assert caught.value.field == "password"
    factory.user(email="c@example.com")  # registered some other way meanwhile
    with pytest.raises(accounts.AccountError, match="already exists"):
        invites.accept(issued.token, PASSWORD, now=NOW)
    assert invites.find_live(issued.token, now=NOW) is not None
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 0
