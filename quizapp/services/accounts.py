"""Accounts: creating users, checking passwords (argon2id), signing in with rate limits, roles.

Sign-in attempts are recorded in ``sign_in_attempts`` and limited per account (email) and per
network address within a sliding window; rows older than the window are pruned as new ones are
written, so the table stays small. Messages never say whether the email or the password was wrong.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from quizapp.extensions import db
from quizapp.models import Role, SignInAttempt, User, utcnow

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 would hash megabytes happily; nobody types that many

#: Sign-in rate limits: at most this many failures within :data:`ATTEMPT_WINDOW`.
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
ATTEMPT_WINDOW = timedelta(minutes=15)

WRONG_CREDENTIALS = "Wrong email or password."
# Compared against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user.

    ``field`` names the form field the message belongs to (``email``, ``password``, ``current``,
    ``role``), when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class SignInError(AccountError):
    """Sign-in refused: wrong credentials, or too many attempts (``retry_after`` is set)."""

    def __init__(self, message: str, retry_after: timedelta | None = None):
        super().__init__(message, None)
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why ``password`` is too weak, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.isdigit() or len(set(password)) < 4:
        return "Use a less guessable password: more different characters."
    return None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why ``email`` (normalised) cannot be an account's email, or None."""
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain or any(c.isspace() for c in email):
        return "Enter a valid email address."
    if len(email) > 254:
        return "That email address is too long."
    return None


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def create_user(email: str, password: str, role: str = Role.LEARNER) -> User:
    """Create and commit a user; :class:`AccountError` for a taken email, weak password or role."""
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    if role not in {r.value for r in Role}:
        raise AccountError(f"Unknown role {role!r}: one of {', '.join(r.value for r in Role)}.",
                           "role")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    if find_user(email):
        raise AccountError("An account with this email already exists. Sign in instead?", "email")
    user = User(email=email, password_hash=hash_password(password), role=role)
    db.session.add(user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Two registrations for one email at the same moment: the second loses.
        db.session.rollback()
        raise AccountError("An account with this email already exists. Sign in instead?",
                           "email") from None
    return user


# --- signing in -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Limit:
    column: sa.Column
    value: str
    most: int


def _retry_after(limit: _Limit, since: datetime, now: datetime) -> timedelta | None:
    """How long until another failure is allowed under ``limit``; None when one is allowed now."""
    if not limit.value:
        return None
    failures = list(db.session.scalars(
        sa.select(SignInAttempt.at)
        .where(limit.column == limit.value, SignInAttempt.at > since,
               SignInAttempt.succeeded.is_(False))
        .order_by(SignInAttempt.at.desc())
        .limit(limit.most)
    ))
    if len(failures) < limit.most:
        return None
    # Allowed again once the oldest of the last ``most`` failures leaves the window.
    return max(failures[-1] + ATTEMPT_WINDOW - now, timedelta(seconds=1))


def _last_success(email: str, since: datetime) -> datetime:
    last = db.session.scalar(
        sa.select(sa.func.max(SignInAttempt.at))
        .where(SignInAttempt.email == email, SignInAttempt.succeeded.is_(True),
               SignInAttempt.at > since))
    if last is None:
        return since
    return last if last.tzinfo else last.replace(tzinfo=since.tzinfo)


def too_many_attempts_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many sign-in attempts. Try again in {minutes} {unit}."


def sign_in(email: str, password: str, address: str, *, now: datetime | None = None) -> User:
    """The user whose credentials these are; :class:`SignInError` otherwise.

    Refused without checking the password while the email or the address has too many recent
    failures (a success clears the email's count; the address's count only expires). Every try
    is recorded and commits.
    """
    now = now or utcnow()
    email = normalise_email(email)[:254]
    address = (address or "")[:64]
    window_start = now - ATTEMPT_WINDOW
    db.session.execute(sa.delete(SignInAttempt).where(SignInAttempt.at < window_start))
    waits = [w for w in (
        _retry_after(_Limit(SignInAttempt.email, email, MAX_FAILURES_PER_EMAIL),
                     _last_success(email, window_start), now),
        _retry_after(_Limit(SignInAttempt.address, address, MAX_FAILURES_PER_ADDRESS),
                     window_start, now),
    ) if w is not None]
    if waits:
        db.session.commit()
        wait = max(waits)
        raise SignInError(too_many_attempts_message(wait), retry_after=wait)

    user = find_user(email)
    if user is None:
        _burn_time(password)
        ok = False
    else:
        ok = verify_password(user, password)
    db.session.add(SignInAttempt(email=email, address=address, at=now, succeeded=ok))
    if ok and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    if not ok:
        raise SignInError(WRONG_CREDENTIALS)
    return user


def _burn_time(password: str) -> None:
    """Spend as long as a real password check, so unknown emails cannot be told apart by time."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


# --- changing accounts ----------------------------------------------------------------------

def change_password(user: User, current: str, new: str) -> None:
    """Set ``user``'s password to ``new`` and commit; :class:`AccountError` says why not."""
    if not verify_password(user, current):
        raise AccountError("Your current password is not right.", "current")
    problem = password_problem(new)
    if problem:
        raise AccountError(problem, "password")
    if new == current:
        raise AccountError("Choose a password different from the current one.", "password")
    user.password_hash = hash_password(new)
    db.session.commit()


def set_role(user: User, role: str, *, by: User | None = None) -> None:
    """Give ``user`` the role ``role`` and commit.

    An admin cannot take the admin role from themselves (there would be nobody left to give it
    back when they are the last); :class:`AccountError` says so.
    """
    if role not in {r.value for r in Role}:
        raise AccountError(f"Unknown role {role!r}: one of {', '.join(r.value for r in Role)}.",
                           "role")
    if by is not None and by.id == user.id and role != Role.ADMIN and user.role == Role.ADMIN:
        raise AccountError("You cannot remove your own admin role; ask another admin.", "role")
    user.role = role
    db.session.commit()


def list_users(search: str = "", *, limit: int = 200) -> list[User]:
    """Users by email, optionally only those whose email contains ``search``."""
    query = sa.select(User).order_by(User.email).limit(limit)
    if search.strip():
        query = query.where(User.email.contains(search.strip().lower(), autoescape=True))
    return list(db.session.scalars(query))
