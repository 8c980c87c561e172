"""Invites: instructors and admins let one person register, with a role and maybe a class.

An invite link carries ``inv_`` and 43 URL-safe characters (256 random bits); only its SHA-256 is
stored, and the plain link is shown once, when the invite is made. It works once, for
:data:`INVITE_LIFETIME`, unless revoked. Instructors invite learners into their own classes;
admins invite any role. Invites admit in every registration mode, except that with
``QUIZAPP_REGISTRATION=closed`` only admins may send them (an instructor's invite would reopen
the door the operator closed).

Accepting creates the account with the invite's email and role, marks the invite used and joins
the class, all in one transaction; two acceptances of one link at once make one account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa

from quizapp.domain import scheduling
from quizapp.extensions import db
from quizapp.models import Classroom, Invite, Membership, Role, User

from . import accounts, classes
from .errors import Forbidden, NotFound
from .tokens import token_hash

TOKEN_PREFIX = "inv_"
INVITE_LIFETIME = timedelta(days=7)
_MAX_TOKEN_LENGTH = 120
NOT_LIVE = (
    "This invite link is not valid: it was used, revoked or has expired, or it is "
    "mistyped. Ask whoever invited you for a new one."
)


@dataclass
class IssuedInvite:
    """A new invite: ``token`` is the only copy of its link's secret."""

    invite: Invite
    token: str


def roles_for(user: User) -> list[str]:
    """The roles ``user`` may invite: admins any, instructors learners only."""
    if user.is_admin:
        return [r.value for r in Role]
    return [Role.LEARNER.value] if user.is_instructor else []


def may_invite(user: User, *, mode: str) -> bool:
    """Whether ``user`` may send invites under registration ``mode``."""
    return user.is_admin or (user.is_instructor and mode != "closed")


def create(
    by: User, email: str, role: str, *, now: datetime, mode: str, classroom_id: int | None = None
) -> IssuedInvite:
    """A new invite from ``by`` (commits). :class:`~.errors.Forbidden` when ``by`` may not invite;
    :class:`~.accounts.AccountError` naming the field for a bad email, role or class."""
    if not may_invite(by, mode=mode):
        raise Forbidden("Registration is closed: only admins send invites.")
    email = accounts.normalise_email(email or "")
    problem = accounts.email_problem(email)
    if problem:
        raise accounts.AccountError(problem, "email")
    if role not in roles_for(by):
        allowed = ", ".join(roles_for(by))
        raise accounts.AccountError(f"You can invite these roles: {allowed}.", "role")
    if accounts.find_user(email):
        raise accounts.AccountError(f"{email} already has an account.", "email")
    if classroom_id is not None:
        classroom = db.session.get(Classroom, classroom_id)
        if classroom is None or not classes.can_manage(by, classroom):
            raise accounts.AccountError("Choose one of your classes.", "classroom")
    issued = new_unchecked(by, email, role, now=now, classroom_id=classroom_id)
    db.session.commit()
    return issued


def new_unchecked(
    by: User, email: str, role: str, *, now: datetime, classroom_id: int | None = None
) -> IssuedInvite:
    """An invite added to the session without any check: for callers that checked the email,
    role and class themselves (bulk creation checks a whole file at once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    invite = Invite(
        email=email,
        role=role,
        classroom_id=classroom_id,
        created_by_id=by.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + INVITE_LIFETIME,
    )
    db.session.add(invite)
    return IssuedInvite(invite, token)


def find_live(token: str, *, now: datetime) -> Invite | None:
    """The invite this link's token opens (not used, revoked or expired), or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > _MAX_TOKEN_LENGTH:
        return None
    invite = db.session.scalar(sa.select(Invite).where(Invite.token_hash == token_hash(token)))
    if invite is None or invite.used_at or invite.revoked_at or invite.expires_at <= now:
        return None
    return invite


def accept(token: str, password: str, *, now: datetime, timezone: str | None = None) -> User:
    """Register the invited person with ``password`` (commits once): the new user, with the
    invite's email and role, member of its class. :class:`~.accounts.AccountError` for a dead
    link, a weak password, or an email that meanwhile has an account."""
    invite = find_live(token, now=now)
    if invite is None:
        raise accounts.AccountError(NOT_LIVE)
    problem = accounts.password_problem(password)
    if problem:
        raise accounts.AccountError(problem, "password")
    if accounts.find_user(invite.email):
        raise accounts.AccountError(
            "An account with this email already exists. Sign in instead.", "email"
        )
    user = User(
        email=invite.email,
        password_hash=accounts.hash_password(password),
        role=invite.role,
        timezone=timezone if timezone and scheduling.is_time_zone(timezone) else "UTC",
    )
    db.session.add(user)
    try:
        db.session.flush()
        # Single use even when two requests accept at once: only one update finds it unused.
        used = cast(
            sa.CursorResult,
            db.session.execute(
                sa.update(Invite)
                .where(
                    Invite.id == invite.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None)
                )
                .values(used_at=now, used_by_id=user.id)
            ),
        ).rowcount
        if used != 1:
            raise accounts.AccountError(NOT_LIVE)
        if invite.classroom_id is not None:
            db.session.add(
                Membership(classroom_id=invite.classroom_id, user_id=user.id, joined_at=now)
            )
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()  # the email was registered at the same moment
        raise accounts.AccountError(
            "An account with this email already exists. Sign in instead.", "email"
        ) from None
    except accounts.AccountError:
        db.session.rollback()
        raise
    return user


def pending(by: User, *, now: datetime) -> list[Invite]:
    """Live invites ``by`` may see (admins: all; instructors: their own), newest first."""
    query = (
        sa.select(Invite)
        .where(Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > now)
        .order_by(Invite.created_at.desc(), Invite.id.desc())
        .limit(500)
    )
    if not by.is_admin:
        query = query.where(Invite.created_by_id == by.id)
    return list(db.session.scalars(query))


def revoke(by: User, invite_id: int, *, now: datetime) -> Invite:
    """Revoke an invite ``by`` made (admins: any) and commit; its link stops working.
    :class:`~.errors.NotFound` for an invite ``by`` may not see."""
    invite = db.session.get(Invite, invite_id)
    if invite is None or not (by.is_admin or invite.created_by_id == by.id):
        raise NotFound("There is no such invite.")
    if invite.revoked_at is None and invite.used_at is None:
        invite.revoked_at = now
        db.session.commit()
    return invite


def class_names(invites: list[Invite]) -> dict[int, str]:
    """Class id → name for the classes these invites join."""
    ids = {i.classroom_id for i in invites if i.classroom_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Classroom.id, Classroom.name).where(Classroom.id.in_(ids)))
    return {class_id: name for class_id, name in rows}
