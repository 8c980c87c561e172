"""Accounts: creating users and checking passwords (argon2id)."""

from __future__ import annotations

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from quizapp.extensions import db
from quizapp.models import Role, User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user."""


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
    if password.isdigit() or len(set(password)) < 4:
        return "Use a less guessable password: more different characters."
    return None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(email: str, password: str, role: str = Role.LEARNER) -> User:
    """Create and commit a user; :class:`AccountError` for a taken email, weak password or role."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError("Enter a valid email address.")
    if role not in {r.value for r in Role}:
        raise AccountError(f"Unknown role {role!r}: one of {', '.join(r.value for r in Role)}.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_user(email):
        raise AccountError("An account with this email already exists.")
    user = User(email=email, password_hash=hash_password(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user
