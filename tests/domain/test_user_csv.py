"""Reading the admin's CSV of accounts: shapes accepted, every bad line named."""

from __future__ import annotations

import pytest

from quizapp.domain.user_csv import MAX_ROWS, UserCsvError, UserRow, parse

ROLES = ("learner", "instructor", "admin")


def test_rows_with_and_without_passwords_and_a_header():
    text = (
        "\ufeffemail,role,password\r\n"
        "ann@example.com,Learner,correct horse battery\r\n"
        "\r\n"
        "bob@example.com , instructor\r\n"
        "cy@example.com,admin,\r\n"
    )
    assert parse(text, ROLES) == [
        UserRow(2, "ann@example.com", "learner", "correct horse battery"),
        UserRow(4, "bob@example.com", "instructor", ""),
        UserRow(5, "cy@example.com", "admin", ""),
    ]


def test_every_bad_line_is_named():
    text = "ann@example.com,teacher\nbob@example.com\n,learner\nok@example.com,learner,x,y\n"
    with pytest.raises(UserCsvError) as caught:
        parse(text, ROLES)
    assert caught.value.problems == [
        "Line 1: unknown role 'teacher'; use one of learner, instructor, admin.",
        "Line 2: expected email,role[,password]; found 1 column.",
        "Line 3: the email is empty.",
        "Line 4: expected email,role[,password]; found 4 columns.",
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "email,role,password\n"])
def test_an_empty_file_says_so(text):
    with pytest.raises(UserCsvError, match="no accounts"):
        parse(text, ROLES)


def test_too_many_rows():
    text = "".join(f"u{i}@example.com,learner\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(UserCsvError, match=f"at most {MAX_ROWS}"):
        parse(text, ROLES)
