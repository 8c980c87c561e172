"""Reading a CSV of accounts to create: ``email,role[,password]`` per line, untrusted input.

Pure: no database, no Flask. The shape is checked here (columns, roles, size); whether an email is
valid or taken and a password strong enough is the accounts service's to say. Every problem names
its line, and all of them are reported at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass

MAX_ROWS = 1000


@dataclass(frozen=True)
class UserRow:
    """One account to create; ``password`` is empty when the person should get an invite link."""

    line: int
    email: str
    role: str
    password: str


class UserCsvError(ValueError):
    """The file cannot be used; ``problems`` are messages that each name a line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse(text: str, roles: Collection[str]) -> list[UserRow]:
    """The rows of ``text`` (a header line ``email,role,password`` is skipped, as are blank lines);
    :class:`UserCsvError` listing every line that is wrong."""
    problems: list[str] = []
    rows: list[UserRow] = []
    try:
        records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as exc:
        raise UserCsvError([f"The file is not readable as CSV: {exc}."]) from None
    for number, record in enumerate(records, start=1):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() == "email":
            continue  # the header
        if len(cells) not in (2, 3):
            problems.append(
                f"Line {number}: expected email,role[,password]; found "
                f"{len(cells)} column{'s' if len(cells) != 1 else ''}."
            )
            continue
        email, role = cells[0], cells[1].lower()
        password = record[2] if len(record) == 3 else ""  # passwords keep their spaces
        if not email:
            problems.append(f"Line {number}: the email is empty.")
        if role not in roles:
            problems.append(
                f"Line {number}: unknown role {cells[1]!r}; use one of {', '.join(roles)}."
            )
        rows.append(UserRow(number, email, role, password.strip() and password))
    if not rows and not problems:
        problems.append("The file has no accounts: one line per account, email,role[,password].")
    if len(rows) > MAX_ROWS:
        problems.append(f"The file has {len(rows)} accounts; at most {MAX_ROWS} at a time.")
    if problems:
        raise UserCsvError(problems)
    return rows
