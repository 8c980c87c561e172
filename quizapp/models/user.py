"""Accounts: users with a role, their sign-ins (login sessions), API tokens, password-reset links,
and the rate-limit counters (sign-in, join codes, registration, forgotten passwords)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.domain.scheduling import DEFAULT_DAY_STARTS_AT, LearnerDay
from quizapp.extensions import db

from .types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.LEARNER)
    display_name: Mapped[str] = mapped_column(sa.String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The learner's day (Anki's "next day starts at"): an IANA time zone and a local hour.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC", server_default="UTC")
    day_starts_at: Mapped[int] = mapped_column(
        sa.SmallInteger, default=DEFAULT_DAY_STARTS_AT, server_default=str(DEFAULT_DAY_STARTS_AT)
    )
    #: When an admin disabled the account (None: active). A disabled user cannot sign in, and
    #: their sign-ins and API tokens are refused (quizapp.services.signins, .tokens).
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def day(self) -> LearnerDay:
        """When this learner's study day begins."""
        return LearnerDay(
            self.timezone or "UTC",
            self.day_starts_at if self.day_starts_at is not None else DEFAULT_DAY_STARTS_AT,
        )

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def is_instructor(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]

    #: The credential of the sign-in this object was loaded through (``"<id>.<secret>"``), set by
    #: :mod:`quizapp.services.signins`; flask-login stores it in the session and remember cookies.
    sign_in_token = cast("str | None", None)  # not a column (typed for mypy)

    def get_id(self) -> str:
        """The sign-in credential, never the user id: a cookie names one revocable sign-in."""
        if not self.sign_in_token:
            raise RuntimeError("sign the user in with quizapp.services.signins.start() first")
        return self.sign_in_token

    # Users are equal when they are the same account (flask-login's mixin compares get_id()).
    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Invite(db.Model):
    """An invitation to register with one email and role (and maybe to join a class).

    Only the SHA-256 of the link's token is stored; it works once (``used_at``), until
    ``expires_at``, unless revoked (``revoked_at``). See :mod:`quizapp.services.invites`."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.LEARNER)
    classroom_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classrooms.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignIn(db.Model):
    """One sign-in (a login session): the browser's cookies carry its id and a random secret, of
    which only the SHA-256 is stored. Signing out deletes it; so do a password change (every other
    sign-in of the user) and "sign out everywhere" (all of them)."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PasswordReset(db.Model):
    """A one-time password-reset link (emailed, or issued by an admin); only the SHA-256 of its
    token is stored. ``used_at`` is set when it is used, or when another link of the user is."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The admin who issued the link; None for a link sent by email or made on the command line.
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RateCounter(db.Model):
    """Attempts counted for one rate limit and one key (an address, an account and address…)
    within a fixed window; see :mod:`quizapp.services.throttle`. The key is stored hashed."""

    __tablename__ = "rate_counters"

    scope: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    window_ends: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
