"""Sign-ins (login sessions): the credential a browser's cookies carry, one per sign-in.

Signing in makes a :class:`~quizapp.models.SignIn` row and a credential ``"<id>.<secret>"`` (256
random bits; only the secret's SHA-256 is stored). ``User.get_id()`` returns that credential, so
flask-login puts it, not the user id, in the session cookie and the "keep me signed in" cookie;
the user loader (:func:`resolve`) accepts a credential only while its row lives. So every sign-in
gets a new credential, signing out (:func:`end`) makes that sign-in's cookies worthless, and
:func:`end_all` (a password change, "sign out everywhere") ends every sign-in of the user, except
the current one when asked, and revokes every API token of the user.

A sign-in lasts :data:`SIGN_IN_LIFETIME` at most (as long as the remember cookie).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import ApiToken, SignIn, User

SIGN_IN_LIFETIME = timedelta(days=30)
_MAX_CREDENTIAL_LENGTH = 120


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def start(user: User, *, now: datetime) -> str:
    """A new sign-in for ``user`` (commits); its credential, also set as ``user.sign_in_token``."""
    db.session.execute(sa.delete(SignIn).where(SignIn.user_id == user.id, SignIn.expires_at <= now))
    secret = secrets.token_urlsafe(32)
    row = SignIn(
        user_id=user.id,
        secret_hash=_hash(secret),
        created_at=now,
        expires_at=now + SIGN_IN_LIFETIME,
    )
    db.session.add(row)
    db.session.commit()
    user.sign_in_token = f"{row.id}.{secret}"
    return user.sign_in_token


def _parse(credential: str) -> tuple[int, str] | None:
    if not credential or len(credential) > _MAX_CREDENTIAL_LENGTH:
        return None
    sign_in_id, dot, secret = credential.partition(".")
    if not dot or not secret or not sign_in_id.isascii() or not sign_in_id.isdigit():
        return None
    if not secret.isascii() or len(sign_in_id) > 18:
        return None
    return int(sign_in_id), secret


def resolve(credential: str, *, now: datetime) -> User | None:
    """The user of a live sign-in with this credential (one query), or None."""
    parsed = _parse(credential)
    if parsed is None:
        return None
    sign_in_id, secret = parsed
    found = db.session.execute(
        sa.select(SignIn.secret_hash, SignIn.expires_at, User)
        .join(User, User.id == SignIn.user_id)
        .where(SignIn.id == sign_in_id)
    ).first()
    if found is None:
        return None
    secret_hash, expires_at, user = found
    if not hmac.compare_digest(secret_hash, _hash(secret)) or expires_at <= now:
        return None
    if user.disabled_at is not None:  # disabling ends sign-ins; this also covers a race
        return None
    user.sign_in_token = credential
    return user


def current_id(user: User) -> int | None:
    """The id of the sign-in ``user`` was loaded through, if any."""
    parsed = _parse(user.sign_in_token or "")
    return parsed[0] if parsed else None


def end(user: User) -> None:
    """End the sign-in ``user`` was loaded through (its cookies stop working); commits."""
    sign_in_id = current_id(user)
    if sign_in_id is not None:
        db.session.execute(
            sa.delete(SignIn).where(SignIn.id == sign_in_id, SignIn.user_id == user.id)
        )
        db.session.commit()
    user.sign_in_token = None


def end_all(user: User, *, now: datetime, keep_current: bool = False) -> int:
    """End every sign-in of ``user`` (but the current one with ``keep_current``) and revoke every
    API token of theirs; commits. How many sign-ins were ended."""
    query = sa.delete(SignIn).where(SignIn.user_id == user.id)
    keep = current_id(user) if keep_current else None
    if keep is not None:
        query = query.where(SignIn.id != keep)
    # A DELETE's result is a CursorResult (its rowcount), which the typing does not know.
    ended = cast(sa.CursorResult, db.session.execute(query)).rowcount
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.commit()
    if not keep_current:
        user.sign_in_token = None
    return ended


def count(user: User, *, now: datetime) -> int:
    """How many live sign-ins ``user`` has."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(SignIn.id)).where(
                SignIn.user_id == user.id, SignIn.expires_at > now
            )
        )
        or 0
    )
