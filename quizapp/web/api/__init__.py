"""The JSON API under ``/api/v1``: one blueprint, its authentication, and its error shape.

Authentication (:func:`api_login_required`): a bearer token (``Authorization: Bearer qz_...``,
from ``POST /api/v1/tokens``) or the browser session. Bearer requests need no CSRF token (no
cookie is involved); session-authenticated writes must send the page's CSRF token in the
``X-CSRFToken`` header. Without either: 401 JSON with ``WWW-Authenticate: Bearer``.

Errors are always ``{"error": {"status", "message"}}`` (:func:`quizapp.web.errors.error_response`):
raise :class:`ApiError`, or a service's ``StudyError``, from a view.

Adding endpoints: a module in this package that imports :data:`bp` and decorates its views with
``@bp.get``/``@bp.post`` and :func:`api_login_required`, and one name in the import line at the
bottom of this file. The OpenAPI description is ``quizapp/static/openapi.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, current_app, g, request, send_from_directory
from flask_login import current_user

from quizapp.extensions import csrf
from quizapp.models import User
from quizapp.services import tokens

from ..clock import current_time
from ..errors import error_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer requests carry no cookie, so no CSRF check; session writes are checked in the decorator.
csrf.exempt(bp)

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiError(Exception):
    """An API request that cannot be served: answered as JSON with ``status`` and ``message``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    response, status = error_response(exc.status, exc.message)
    response.headers.update(exc.headers)
    return response, status


@bp.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, {"WWW-Authenticate": 'Bearer realm="quizapp"'})


def authenticate_request() -> User:
    """The user this request acts for; :class:`ApiError` 401 (or the CSRF error) otherwise."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("Send the token as 'Authorization: Bearer <token>'.")
        found = tokens.authenticate(token.strip(), now=current_time())
        if found is None:
            raise _unauthorized(
                "This API token is unknown, revoked or expired. Get a new one "
                "with POST /api/v1/tokens."
            )
        g.api_user, g.api_token = found
        return g.api_user
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # the X-CSRFToken header of the page; CSRFError answers 400 JSON
        g.api_user, g.api_token = current_user._get_current_object(), None
        return g.api_user
    raise _unauthorized(
        "Sign in, or send an API token: 'Authorization: Bearer <token>' "
        "(get one with POST /api/v1/tokens)."
    )


def api_login_required(view: F) -> F:
    """Run ``view`` only for an authenticated request (see the module docstring)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        authenticate_request()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def current_api_user() -> User:
    """The user of the current API request (inside :func:`api_login_required` views)."""
    return g.api_user


def json_body() -> dict[str, Any]:
    """The request's JSON object; :class:`ApiError` 400 for anything else."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(
            400, "The request body must be a JSON object (Content-Type: application/json)."
        )
    return data


@bp.get("/openapi.yaml")
def openapi():
    """The OpenAPI 3.1 description of this API (public)."""
    return send_from_directory(
        current_app.static_folder, "openapi.yaml", mimetype="application/yaml", max_age=0
    )


from . import decks, quiz, study, tokens_api  # noqa: E402,F401  (routes register on bp)
