"""Single sign-on: the account an OpenID Connect identity opens.

The web layer (:mod:`quizapp.web.oidc`, the only user of Authlib) checks the provider's ID token
(signature, issuer, audience, expiry, nonce) and passes its claims here. An identity is matched by
its email, and only when the provider says the email is verified. Without an account for it, one
is made under the registration mode: ``open`` makes a learner; ``invite`` needs a live invite for
the email (whose role and class it then gets); ``closed`` makes none. Accounts made here have no
password (local sign-in stays off for them until they set one).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Invite, Membership, Role, User

from . import accounts

#: Stored instead of a password hash: argon2 can never verify it, so no password opens it.
NO_PASSWORD = "!sso"


def user_for_identity(claims: dict, *, mode: str, now: datetime) -> User:
    """The user the verified ``claims`` of an ID token belong to, made if the mode allows
    (commits); :class:`~.accounts.AccountError` (or ``SignInError``) saying why not."""
    email = accounts.normalise_email(str(claims.get("email") or ""))
    if not email or accounts.email_problem(email):
        raise accounts.AccountError(
            "The sign-in provider did not tell us your email address; "
            "ask its administrator to release the email scope."
        )
    if claims.get("email_verified") is not True:
        raise accounts.AccountError(
            f"The sign-in provider has not verified {email}: verify it "
            "there first, or sign in with your password."
        )
    user = accounts.find_user(email)
    if user is not None:
        if user.is_disabled:
            raise accounts.SignInError(accounts.DISABLED)
        return user
    invite = None
    if mode == "invite":
        invite = db.session.scalar(
            sa.select(Invite)
            .where(
                Invite.email == email,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
                Invite.expires_at > now,
            )
            .order_by(Invite.created_at.desc())
            .limit(1)
        )
    if mode == "closed" or (mode == "invite" and invite is None):
        raise accounts.AccountError(
            f"There is no account for {email} on this site, and "
            "registration is "
            + ("closed" if mode == "closed" else "by invitation")
            + ": ask an admin for an account or an invite."
        )
    name = str(claims.get("name") or "")[:80]
    user = User(
        email=email,
        password_hash=NO_PASSWORD,
        display_name=name,
        role=invite.role if invite else Role.LEARNER,
    )
    db.session.add(user)
    try:
        db.session.flush()
        if invite is not None:
            invite.used_at, invite.used_by_id = now, user.id
            if invite.classroom_id is not None:
                db.session.add(
                    Membership(classroom_id=invite.classroom_id, user_id=user.id, joined_at=now)
                )
        db.session.commit()
    except sa.exc.IntegrityError:  # the same person signing in twice at once
        db.session.rollback()
        user = accounts.find_user(email)
        if user is None:
            raise
    return user
