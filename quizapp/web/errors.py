"""Error pages and JSON errors: every failure answers in the client's language, never a bare 500."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from quizapp.extensions import db
from quizapp.services.errors import ServiceError


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(
    status: int, message: str, title: str | None = None, error: ServiceError | None = None
):
    """The error as JSON (``{"error": {"status", "message", ...}}``) or as the error page; a
    service ``error`` adds its ``field`` and ``problems``."""
    if wants_json():
        body = error.to_dict() if error is not None else {"status": status, "message": message}
        return jsonify(error=body), status
    return render_template(
        "error.html",
        status=status,
        title=title or "Error",
        message=message,
        problems=error.problems if error else [],
    ), status


#: Seconds a client is told to wait when the database was too busy to answer.
RETRY_AFTER_S = 2
#: What SQLite and PostgreSQL say when a lock could not be had in time.
_BUSY = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not obtain lock",
    "canceling statement due to lock timeout",
)


def is_busy(exc: BaseException) -> bool:
    """True for a database error that means "busy, try again", not a bug."""
    return isinstance(exc, sa.exc.OperationalError) and any(
        text in str(exc.orig).lower() for text in _BUSY
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(
            400, f"{exc.description} Reload the page and try again.", "Form expired"
        )

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        """A request a service refused: its message, as a page or (API) JSON."""
        response = make_response(
            error_response(exc.status, exc.message, HTTP_STATUS_CODES.get(exc.status), exc)
        )
        retry_after = getattr(exc, "retry_after_seconds", None)
        if retry_after is not None:  # a rate limit (services/throttle.py)
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 500:
            return server_error(exc)
        response, status = error_response(exc.code or 400, exc.description or exc.name, exc.name)
        response = app.make_response((response, status))
        # Keep what the exception says beyond its body: Allow on 405, Retry-After, ...
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(sa.exc.OperationalError)
    def database_busy(exc: sa.exc.OperationalError):
        """A lock wait that ran out (SQLite's busy timeout, a PostgreSQL lock timeout or
        deadlock) is a busy server, not a bug: 503 with Retry-After, nothing half-written."""
        if not is_busy(exc):
            return server_error(exc)
        db.session.rollback()
        app.logger.warning("database busy on %s %s: %s", request.method, request.path, exc.orig)
        response = app.make_response(
            error_response(503, "The server is busy: please try again in a moment.", "Busy")
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        db.session.rollback()
        if not isinstance(exc, HTTPException):
            app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, InternalServerError.description, "Something went wrong")
