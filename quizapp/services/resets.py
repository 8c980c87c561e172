"""Password-reset links: emailed on request ("forgot password") or issued by an admin.

A link carries a token of 256 random bits (``secrets``); only its SHA-256 is stored (a guessable
token would need a slow hash; this one cannot be guessed). A link is bound to one user, works once
and expires: :data:`EMAIL_LIFETIME` for an emailed link (it may sit in a mailbox),
:data:`ADMIN_LIFETIME` for one an admin hands over (it may take a day to reach the person).

Using a link (:func:`reset_password`) sets the new password, marks every other link of the user
used, ends every sign-in of the user and revokes their API tokens
(:func:`quizapp.services.signins.end_all`). The link is claimed with one conditional UPDATE, so two
requests with the same link cannot both succeed.

:func:`request_by_email` never tells whether an email has an account: it does the same work for
every email (validates it, counts the rate limits per email and per address,
:mod:`quizapp.services.throttle`) and leaves looking the email up, making the link and mailing it
(:func:`send_link`) to a job the web layer runs after the answer is sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa

from quizapp.domain.mail import SmtpSettings, reset_message
from quizapp.extensions import db
from quizapp.models import PasswordReset, User

from . import mail, signins, throttle
from .accounts import (
    AccountError,
    email_problem,
    find_user,
    hash_password,
    normalise_email,
    password_problem,
)
from .tokens import token_hash as _hash

EMAIL_LIFETIME = timedelta(hours=1)
ADMIN_LIFETIME = timedelta(hours=24)
_MAX_TOKEN_LENGTH = 100

INVALID_LINK = (
    "This password-reset link is not valid any more: it was used, it expired, or a "
    "newer password was set. Ask for a new one."
)


@dataclass
class IssuedReset:
    """A new link's token (its only copy) and when it expires."""

    token: str
    expires_at: datetime
    user: User


def _prune(now: datetime) -> None:
    """Delete ended links (of every user: the table holds a few rows per recent request)."""
    db.session.execute(sa.delete(PasswordReset).where(PasswordReset.expires_at <= now))


def _issue(
    user: User, *, now: datetime, lifetime: timedelta, by: User | None = None
) -> IssuedReset:
    token = secrets.token_urlsafe(32)
    row = PasswordReset(
        user_id=user.id,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + lifetime,
        issued_by_id=by.id if by else None,
    )
    db.session.add(row)
    db.session.commit()
    return IssuedReset(token=token, expires_at=now + lifetime, user=user)


def issue_by_admin(user: User, *, by: User | None, now: datetime) -> IssuedReset:
    """A one-time reset link for ``user``, for an admin to hand over (``by``; None from the
    command line, ``quizapp user reset-link``); commits. :class:`AccountError` for a disabled
    account (enable it first: its link would not work)."""
    if user.is_disabled:
        raise AccountError(
            f"{user.email} is disabled: enable the account first, then make a reset link."
        )
    _prune(now)
    return _issue(user, now=now, lifetime=ADMIN_LIFETIME, by=by)


def _run_now(job: Callable[[], object]) -> None:
    job()


def request_by_email(
    email: str,
    address: str,
    *,
    now: datetime,
    smtp: SmtpSettings,
    reset_page: str,
    later: Callable[[Callable[[], object]], None] = _run_now,
) -> None:
    """Count a "forgot password" request for ``email`` (commits) and have :func:`send_link`
    run by ``later(job)``; the same work whatever the email.

    :class:`~quizapp.services.accounts.AccountError` for a malformed address (says nothing about
    accounts); :class:`~quizapp.services.throttle.TooManyAttempts` past the limits, which count
    every request alike. ``reset_page`` is the absolute address the token is appended to. The
    web layer's ``later`` runs the job in a background thread once the answer is sent, so
    looking the email up, making the link and talking to the mail server cannot change how long
    the answer takes; the default runs it at once.
    """
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    wait = throttle.take_all(
        [(throttle.RESET_EMAIL, email), (throttle.RESET_ADDRESS, (address or "")[:64])], now
    )
    db.session.commit()
    if wait is not None:
        raise throttle.TooManyAttempts(throttle.wait_message("password-reset requests", wait), wait)
    later(lambda: send_link(email, now=now, smtp=smtp, reset_page=reset_page))


def send_link(email: str, *, now: datetime, smtp: SmtpSettings, reset_page: str) -> bool:
    """If ``email`` has an account: make a link (commits) and mail it to the account. Whether a
    mail was sent; a mail server's failure is logged (``quizapp.mail``), not raised."""
    _prune(now)
    user = find_user(email)
    if user is None or user.is_disabled:
        db.session.commit()
        return False
    issued = _issue(user, now=now, lifetime=EMAIL_LIFETIME)
    return mail.deliver(
        smtp,
        reset_message(
            sender=smtp.sender,
            to=user.email,
            link=reset_page + issued.token,
            lifetime=EMAIL_LIFETIME,
        ),
    )


def _live(token: str, now: datetime) -> tuple[PasswordReset, User] | None:
    if not token or len(token) > _MAX_TOKEN_LENGTH or not token.isascii():
        return None
    found = db.session.execute(
        sa.select(PasswordReset, User)
        .join(User, User.id == PasswordReset.user_id)
        .where(PasswordReset.token_hash == _hash(token))
    ).first()
    if found is None or found[0].used_at is not None or found[0].expires_at <= now:
        return None
    if found[1].is_disabled:  # a disabled account is not let back in through a link
        return None
    return found[0], found[1]


def user_for(token: str, *, now: datetime) -> User | None:
    """The user a live (unused, unexpired) reset token belongs to, or None."""
    found = _live(token, now)
    return found[1] if found else None


def reset_password(token: str, new: str, *, now: datetime) -> User:
    """Set the password of the token's user to ``new`` and commit; the user.

    :class:`AccountError` (field ``password``) for a weak password, leaving the link usable;
    :class:`AccountError` (field ``token``, :data:`INVALID_LINK`) for a used, expired or unknown
    link. Every other link of the user stops working, every sign-in ends, every API token is
    revoked.
    """
    found = _live(token, now)
    if found is None:
        raise AccountError(INVALID_LINK, "token")
    row, user = found
    problem = password_problem(new)
    if problem:
        raise AccountError(problem, "password")
    password_hash = hash_password(new)
    # Claim the link and every other live link of the user at once: the one request whose UPDATE
    # finds this link unused wins; a second one with the same link finds it used.
    claimed = cast(
        sa.CursorResult,
        db.session.execute(
            sa.update(PasswordReset)
            .where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
        ),
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise AccountError(INVALID_LINK, "token")
    db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    user.password_hash = password_hash
    db.session.commit()
    signins.end_all(user, now=now)
    return user
