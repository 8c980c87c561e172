"""Endpoints for operators' tools: readiness for load balancers and orchestrators, and metrics.

``/healthz`` (the process answers) lives in :mod:`quizapp.web.main`. ``/readyz`` answers 200 when
the database answers and is at the newest migration, else 503; both as JSON, to anyone (they name
no user data). ``/metrics`` is 404 unless ``QUIZAPP_METRICS=1``; with ``QUIZAPP_METRICS_TOKEN``
it asks for ``Authorization: Bearer <token>`` (401 otherwise). See docs/deployment.md.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request

from quizapp.services import health

from . import metrics
from .study import current_time

bp = Blueprint("ops", __name__)


@bp.get("/readyz")
def readyz():
    state = health.readiness()
    response = jsonify(state.as_json())
    response.status_code = 200 if state.ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def metrics_page():
    if not current_app.config.get("QUIZAPP_METRICS"):
        return _json_error(404, "Metrics are off: set QUIZAPP_METRICS=1 to serve them.")
    token = current_app.config.get("QUIZAPP_METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            response = _json_error(401, "Send the metrics token: Authorization: Bearer <token>.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    body, content_type = metrics.exposition(health.due_cards(current_time()))
    return body, 200, {"Content-Type": content_type, "Cache-Control": "no-store"}


def _json_error(status: int, message: str):
    response = jsonify(error={"status": status, "message": message})
    response.status_code = status
    return response
