"""Error pages and JSON errors: every failure answers in the client's language, never a bare 500."""

from __future__ import annotations

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
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"]


def error_response(status: int, message: str, title: str | None = None):
    if wants_json():
        return jsonify(error={"status": status, "message": message}), status
    return render_template("error.html", status=status, title=title or "Error",
                           message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, f"{exc.description} Reload the page and try again.",
                              "Form expired")

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        """A request a service refused: its message, as a page or (API) JSON."""
        response = make_response(error_response(exc.status, exc.message,
                                                HTTP_STATUS_CODES.get(exc.status)))
        retry_after = getattr(exc, "retry_after_seconds", None)
        if retry_after is not None:  # a rate limit (services/throttle.py)
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 500:
            return server_error(exc)
        return error_response(exc.code or 400, exc.description or exc.name, exc.name)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        db.session.rollback()
        if not isinstance(exc, HTTPException):
            app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, InternalServerError.description, "Something went wrong")
