"""Creating many accounts at once from a CSV upload (admins): all of them or none.

Lines with a password become accounts; lines without one become invites (:mod:`.invites`), whose
links are shown once to the admin. Every line is checked before anything is written: a bad email,
a taken or repeated email, a weak password or an unknown role is reported with its line number,
and then nothing is created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from quizapp.domain import user_csv
from quizapp.extensions import db
from quizapp.models import Role, User

from . import accounts, invites
from .errors import Forbidden

#: The largest CSV accepted, in bytes.
MAX_BYTES = 512 * 1024
#: At most this many lines with a password per file: hashing each takes argon2's deliberate
#: ~50 ms (docs/benchmarks.md), so more would keep the request open too long.
MAX_PASSWORDS = 200


@dataclass(frozen=True)
class InvitedLine:
    """An invite made for a line without a password; ``token`` is its link's only copy."""

    email: str
    role: str
    token: str


@dataclass
class BulkResult:
    created: list[User] = field(default_factory=list)
    #: Plain values, read before the commit expires the rows (no query per line afterwards).
    invited: list[InvitedLine] = field(default_factory=list)


def create_from_csv(by: User, data: bytes, *, now: datetime) -> BulkResult:
    """Create the accounts and invites of the CSV ``data`` and commit once.

    :class:`~quizapp.domain.user_csv.UserCsvError` listing every bad line (nothing is written)."""
    if not by.is_admin:
        raise Forbidden("Only admins create accounts in bulk.")
    if len(data) > MAX_BYTES:
        raise user_csv.UserCsvError([f"The file is larger than {MAX_BYTES // 1024} KB; split it."])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise user_csv.UserCsvError(
            [f"Line {line}: not UTF-8 text; save the file as CSV UTF-8."]
        ) from None
    rows = user_csv.parse(text, [r.value for r in Role])
    problems = _check(rows)
    with_password = sum(1 for row in rows if row.password)
    if with_password > MAX_PASSWORDS:
        problems.append(
            f"The file has {with_password} passwords; at most {MAX_PASSWORDS} at a "
            "time (each takes a deliberately slow hash). Leave passwords out to send "
            "invite links instead, or split the file."
        )
    if problems:
        raise user_csv.UserCsvError(problems)
    result = BulkResult()
    try:
        for row in rows:
            email = accounts.normalise_email(row.email)
            if row.password:
                user = User(
                    email=email, password_hash=accounts.hash_password(row.password), role=row.role
                )
                db.session.add(user)
                result.created.append(user)
            else:
                issued = invites.new_unchecked(by, email, row.role, now=now)
                result.invited.append(InvitedLine(email, row.role, issued.token))
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()  # an email registered meanwhile
        raise user_csv.UserCsvError(
            [
                "An account with one of these emails was created while "
                "the file was read; upload it again."
            ]
        ) from None
    except Exception:
        db.session.rollback()
        raise
    return result


def _check(rows: list[user_csv.UserRow]) -> list[str]:
    problems = []
    first_line: dict[str, int] = {}
    emails = [accounts.normalise_email(row.email) for row in rows]
    taken = set(db.session.scalars(sa.select(User.email).where(User.email.in_(emails))))
    for row, email in zip(rows, emails, strict=True):
        problem = accounts.email_problem(email)
        if problem:
            problems.append(f"Line {row.line}: {email!r}: {problem}")
            continue
        if email in first_line:
            problems.append(f"Line {row.line}: {email} is already on line {first_line[email]}.")
            continue
        first_line[email] = row.line
        if email in taken:
            problems.append(f"Line {row.line}: {email} already has an account.")
        if row.password:
            problem = accounts.password_problem(row.password)
            if problem:
                problems.append(f"Line {row.line}: the password is too weak. {problem}")
    return problems
