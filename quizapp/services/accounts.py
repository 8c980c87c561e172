"""Accounts: creating users, checking passwords (argon2id), signing in with rate limits, roles.

Sign-in attempts are limited (:mod:`quizapp.services.throttle`) per account *at one client
address* and per address, never per account alone: a stranger guessing elsewhere cannot lock the
real user out. Each attempt is counted atomically before the password is checked, so parallel
requests cannot get more guesses than the limit. Messages never say whether the email or the
password was wrong, and registration answers the same whether or not the email has an account.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from quizapp.domain import scheduling
from quizapp.extensions import db
from quizapp.models import Role, User, utcnow

from . import signins, throttle
from .errors import ServiceError

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 would hash megabytes happily; nobody types that many

#: Sign-in rate limits: at most this many failures within :data:`ATTEMPT_WINDOW`, for one
#: account from one address, and from one address.
MAX_FAILURES_PER_ACCOUNT = throttle.SIGN_IN_ACCOUNT.most
MAX_FAILURES_PER_ADDRESS = throttle.SIGN_IN_ADDRESS.most
ATTEMPT_WINDOW = throttle.SIGN_IN_ACCOUNT.window

WRONG_CREDENTIALS = "Wrong email or password."
DISABLED = "This account is disabled. Ask an admin of this site to enable it."
#: Users per page of the admin list.
USERS_PER_PAGE = 50
# Compared against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(ServiceError, ValueError):
    """A request about an account that cannot be carried out; the message is for the user.

    ``field`` names the form field the message belongs to (``email``, ``password``, ``current``,
    ``role``), when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


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
        raise AccountError(
            f"Unknown role {role!r}: one of {', '.join(r.value for r in Role)}.", "role"
        )
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
        raise AccountError(
            "An account with this email already exists. Sign in instead?", "email"
        ) from None
    return user


def register(
    email: str, password: str, address: str, *, now: datetime, timezone: str | None = None
) -> User | None:
    """Create an account from the registration form and commit; the new user, or None when the
    email already has an account (the caller answers both alike, so nobody learns which emails
    have accounts). :class:`AccountError` for a malformed email or a weak password (these say
    nothing about other accounts); :class:`~quizapp.services.throttle.TooManyAttempts` once the
    address has registered too often."""
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    wait = throttle.take(throttle.REGISTER_ADDRESS, (address or "")[:64], now)
    db.session.commit()
    if wait is not None:
        raise throttle.TooManyAttempts(
            throttle.wait_message("new accounts from your network", wait), wait
        )
    password_hash = hash_password(password)  # hashed either way: both answers take as long
    if find_user(email):
        return None
    user = User(
        email=email,
        password_hash=password_hash,
        role=Role.LEARNER,
        timezone=timezone if timezone and scheduling.is_time_zone(timezone) else "UTC",
    )
    db.session.add(user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()  # registered by another request at the same moment
        return None
    return user


# --- signing in -----------------------------------------------------------------------------


def too_many_attempts_message(wait: timedelta) -> str:
    return throttle.wait_message("sign-in attempts", wait)


def sign_in(email: str, password: str, address: str, *, now: datetime | None = None) -> User:
    """The user whose credentials these are; :class:`SignInError` otherwise.

    The attempt is counted (and committed) first, for the account at this address and for the
    address; past either limit it is refused without checking the password. A right password
    clears the account's count at this address and takes the attempt back from the address's.
    """
    now = now or utcnow()
    email = normalise_email(email)[:254]
    address = (address or "")[:64]
    account_key = f"{email}\n{address}"
    wait = throttle.take_all(
        [(throttle.SIGN_IN_ACCOUNT, account_key), (throttle.SIGN_IN_ADDRESS, address)], now
    )
    db.session.commit()
    if wait is not None:
        raise SignInError(too_many_attempts_message(wait), retry_after=wait)

    user = find_user(email)
    if user is None:
        _burn_time(password)
        raise SignInError(WRONG_CREDENTIALS)
    if not verify_password(user, password):
        raise SignInError(WRONG_CREDENTIALS)
    if user.is_disabled:  # said only to whoever knows the password
        raise SignInError(DISABLED)
    throttle.clear(throttle.SIGN_IN_ACCOUNT, account_key)
    if address:
        throttle.give_back(throttle.SIGN_IN_ADDRESS, address)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def _burn_time(password: str) -> None:
    """Spend as long as a real password check, so unknown emails cannot be told apart by time."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


# --- changing accounts ----------------------------------------------------------------------


def change_password(user: User, current: str, new: str, *, now: datetime | None = None) -> None:
    """Set ``user``'s password to ``new`` and commit; :class:`AccountError` says why not.

    Every other sign-in of the user ends and every API token is revoked (the sign-in ``user``
    was loaded through, if any, stays)."""
    if not verify_password(user, current):
        raise AccountError("Your current password is not right.", "current")
    problem = password_problem(new)
    if problem:
        raise AccountError(problem, "password")
    if new == current:
        raise AccountError("Choose a password different from the current one.", "password")
    user.password_hash = hash_password(new)
    db.session.commit()
    signins.end_all(user, now=now or utcnow(), keep_current=True)


def change_email(user: User, current: str, new_email: str) -> None:
    """Make ``new_email`` the sign-in email of ``user`` and commit; :class:`AccountError`
    (field ``current`` or ``email``) for a wrong current password, a malformed or taken email."""
    if not verify_password(user, current):
        raise AccountError("Your current password is not right.", "current")
    email = normalise_email(new_email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    if email == user.email:
        raise AccountError("That is already your email address.", "email")
    taken = AccountError("Another account uses this email address.", "email")
    if find_user(email):
        raise taken
    user.email = email
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()  # taken by another request at the same moment
        raise taken from None


def set_role(user: User, role: str, *, by: User | None = None) -> None:
    """Give ``user`` the role ``role`` and commit.

    Never leaves the site without an active admin: taking the admin role from the last one
    (oneself included) is refused with :class:`AccountError`.
    """
    if role not in {r.value for r in Role}:
        raise AccountError(
            f"Unknown role {role!r}: one of {', '.join(r.value for r in Role)}.", "role"
        )
    if user.role == Role.ADMIN and role != Role.ADMIN:
        _keep_an_admin(
            user,
            "remove your own admin role"
            if by is not None and by.id == user.id
            else "take the admin role from the last active admin",
        )
    user.role = role
    db.session.commit()


def _keep_an_admin(user: User, action: str) -> None:
    """:class:`AccountError` unless an active admin other than ``user`` remains.

    Locks every active admin's row, ``user``'s too, in id order (PostgreSQL): two admins demoting
    or disabling each other at once are served one after the other, and the second sees that the
    first is no longer an admin."""
    admins = db.session.scalars(
        sa.select(User.id)
        .where(User.role == Role.ADMIN, User.disabled_at.is_(None))
        .order_by(User.id)
        .with_for_update()
    ).all()
    if not [admin_id for admin_id in admins if admin_id != user.id]:
        raise AccountError(
            f"You cannot {action}: the site needs at least one active admin. "
            "Make another account admin first.",
            "role",
        )


def set_disabled(user: User, disabled: bool, *, by: User, now: datetime) -> None:
    """Disable (or enable) ``user`` and commit. Disabling ends every sign-in of theirs and
    revokes their API tokens; nobody disables themselves or the last active admin."""
    if not disabled:
        user.disabled_at = None
        db.session.commit()
        return
    if user.id == by.id:
        raise AccountError("You cannot disable your own account.")
    if user.is_admin:
        _keep_an_admin(user, "disable the last active admin")
    if user.disabled_at is None:
        user.disabled_at = now
    db.session.commit()
    signins.end_all(user, now=now)


@dataclass
class UserPage:
    """One page of the admin's list of users."""

    users: list[User]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_users(search: str = "", *, page: int = 1, per_page: int = USERS_PER_PAGE) -> UserPage:
    """Users by email, ``per_page`` at a time, optionally only those whose email contains
    ``search``; a page past the end gives the last page."""
    where = []
    if search.strip():
        where.append(User.email.contains(search.strip().lower(), autoescape=True))
    total = db.session.scalar(sa.select(sa.func.count(User.id)).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = db.session.scalars(
        sa.select(User)
        .where(*where)
        .order_by(User.email)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return UserPage(list(users), total, page, per_page)


def set_day(user: User, timezone: str, starts_at: str | int) -> None:
    """Set when the learner's study day begins (an IANA time zone and an hour, 0-23); commit.

    :class:`AccountError` naming the field for an unknown zone or an hour out of range.
    """
    timezone = (timezone or "").strip()
    if not scheduling.is_time_zone(timezone):
        raise AccountError("Choose a time zone from the list, such as Europe/Berlin.", "timezone")
    text = str(starts_at).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 2 and 0 <= int(text) <= 23):
        raise AccountError("The day starts at a whole hour from 0 to 23.", "day_starts_at")
    user.timezone = timezone
    user.day_starts_at = int(text)
    db.session.commit()
