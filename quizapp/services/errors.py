"""What a service refuses, and with which HTTP status: one family of errors for every area.

A service raises these with a message written for the user; the web layer answers with the
``status`` (a page or JSON) and never needs to know which service it came from.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A request the rules refuse; ``message`` is for the user, ``status`` for HTTP."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    """The request has the wrong shape or values (an answer that does not fit, a bad option)."""

    status = 422
