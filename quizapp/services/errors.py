"""What a service refuses, and with which HTTP status: one family of errors for every area.

A service raises these with a message written for the user; the web layer answers with the
``status`` (a page or JSON, through the one app-wide handler in ``quizapp/web/errors.py``) and
never needs to know which service it came from. A form view that re-renders the form with the
message catches the error it expects; anything it does not catch still gets the right status.

``field`` names the form field (or JSON key) the message is about, when there is one;
``problems`` lists every problem found (a deck file's ``file:line:`` problems, a question's field
problems), so one answer can name them all.

Each area's own error is a member of this family (``AccountError``, ``ClassError``,
``DraftError``, ``UnknownDecks``, ``TooManyAttempts``), and the study and quiz services' names
(``study.BadAnswer``, ``study.StudyError``, ``quiz.QuizServiceError``) are aliases of these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ServiceError(Exception):
    """A request the rules refuse; ``message`` is for the user, ``status`` for HTTP."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, problems: Iterable[Any] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems: list[Any] = list(problems)

    def to_dict(self) -> dict[str, Any]:
        """The error as the JSON API answers it: ``status`` and ``message``, then ``field`` and
        ``problems`` (as text) when there are any."""
        out: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.field:
            out["field"] = self.field
        if self.problems:
            out["problems"] = [str(p) for p in self.problems]
        return out


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    """The request has the wrong shape or values (an answer that does not fit, a bad option)."""

    status = 422
