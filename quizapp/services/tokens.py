"""API bearer tokens: issued for an email and password (the API) or to a signed-in user (the
account page), stored only as a SHA-256, listed and revoked by their owner.

A token is ``qz_`` and 43 URL-safe characters (256 random bits); the plain text is returned once,
at creation. It expires after :data:`TOKEN_LIFETIME`. Its ``last_used_at`` is written at most once
per :data:`LAST_USED_GRANULARITY`, so authenticating a request is normally a single read.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import ApiToken, User

from .accounts import sign_in
from .errors import NotFound

TOKEN_PREFIX = "qz_"
TOKEN_LIFETIME = timedelta(days=90)
LAST_USED_GRANULARITY = timedelta(hours=1)
MAX_NAME_LENGTH = 80


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class IssuedToken:
    """A new token: ``token`` is the only copy of its plain text."""

    id: int
    token: str
    expires_at: datetime
    user: User


def issue_token(user: User, *, now: datetime, name: str = "") -> IssuedToken:
    """Make a token for ``user`` and commit."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = now + TOKEN_LIFETIME
    row = ApiToken(
        user_id=user.id,
        token_hash=token_hash(token),
        name=name[:MAX_NAME_LENGTH],
        created_at=now,
        expires_at=expires_at,
    )
    db.session.add(row)
    db.session.commit()
    return IssuedToken(id=row.id, token=token, expires_at=expires_at, user=user)


def issue_for_credentials(
    email: str, password: str, address: str, *, now: datetime, name: str = ""
) -> IssuedToken:
    """A token for the account these credentials open.

    Uses the sign-in rules of :func:`quizapp.services.accounts.sign_in` (same rate limits, same
    message for a wrong email or password) and raises its ``SignInError``.
    """
    user = sign_in(email, password, address, now=now)
    return issue_token(user, now=now, name=name)


def find_token(token: str, *, now: datetime) -> ApiToken | None:
    """The live token row for ``token`` (not revoked, not expired), or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    return row if row is not None and _is_live(row, now) else None


# Built once, with a bound parameter, as the study hot path's queries are (see
# services/study/hot_path.py): building the expression cost more CPU than running it.
@functools.cache
def _token_with_user_statement() -> sa.Select:
    return (
        sa.select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == sa.bindparam("hash"))
    )


def _live_token_with_user(token: str, *, now: datetime) -> tuple[ApiToken, User] | None:
    """The live token row for ``token`` and its user, in one query."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    found = db.session.execute(_token_with_user_statement(), {"hash": token_hash(token)}).first()
    if found is None or not _is_live(found[0], now) or found[1].disabled_at is not None:
        return None
    return found[0], found[1]


def _is_live(row: ApiToken, now: datetime) -> bool:
    return row.revoked_at is None and (row.expires_at is None or row.expires_at > now)


def authenticate(token: str, *, now: datetime) -> tuple[User, ApiToken] | None:
    """The user a bearer token belongs to (and the token), or None; records its use."""
    found = _live_token_with_user(token, now=now)
    if found is None:
        return None
    row, user = found
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        row.last_used_at = now
        db.session.commit()
    return user, row


def list_live(user: User, *, now: datetime) -> list[ApiToken]:
    """``user``'s tokens that still work (neither revoked nor expired), newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                ApiToken.revoked_at.is_(None),
                sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
            )
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_own(user: User, token_id: int, *, now: datetime) -> ApiToken:
    """Revoke ``user``'s live token ``token_id`` and commit; :class:`NotFound` for a token that is
    not theirs (whoever's it is), already revoked or expired."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or not _is_live(row, now):
        raise NotFound("There is no such API token of yours (it may be revoked already).")
    revoke(row, now=now)
    return row


def revoke(row: ApiToken, *, now: datetime) -> None:
    """Revoke the token and commit; it stops working at once."""
    row.revoked_at = now
    db.session.commit()
