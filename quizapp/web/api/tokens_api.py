"""``/api/v1/tokens``: trade an email and password for a bearer token, and revoke it."""

from __future__ import annotations

import math

from flask import g, jsonify, request

from quizapp.services import tokens
from quizapp.services.accounts import SignInError

from ..clock import current_time
from . import ApiError, api_login_required, bp, json_body


@bp.post("/tokens")
def create_token():
    """201 with the token (shown this once); 401 for wrong credentials, 429 when rate-limited."""
    body = json_body()
    email, password, name = body.get("email"), body.get("password"), body.get("name", "")
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise ApiError(400, "Send 'email' and 'password' as strings.")
    if not isinstance(name, str):
        raise ApiError(400, "'name' must be a string (a label for the token, e.g. 'laptop').")
    try:
        issued = tokens.issue_for_credentials(
            email, password, request.remote_addr or "", now=current_time(), name=name
        )
    except SignInError as exc:
        if exc.retry_after is not None:
            seconds = max(1, math.ceil(exc.retry_after.total_seconds()))
            raise ApiError(429, str(exc), {"Retry-After": str(seconds)}) from None
        raise ApiError(401, str(exc)) from None
    return jsonify(
        token=issued.token,
        token_type="Bearer",
        id=issued.id,
        expires_at=issued.expires_at.isoformat(),
        user={"id": issued.user.id, "email": issued.user.email},
    ), 201


@bp.delete("/tokens/current")
@api_login_required
def revoke_current_token():
    """Revoke the bearer token this request was made with: 204."""
    if g.api_token is None:
        raise ApiError(400, "This request carries no bearer token to revoke.")
    tokens.revoke(g.api_token, now=current_time())
    return "", 204
