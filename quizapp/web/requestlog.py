"""A request id for every request, and logs as one JSON object per line on request.

Every response carries ``X-Request-ID``: the one a trusted reverse proxy sent (only when
``QUIZAPP_TRUSTED_PROXIES`` > 0, and only letters, digits and ``._:-``, at most 128 characters),
else a new random one. With ``QUIZAPP_LOG_FORMAT=json`` every log record goes to standard error as
one JSON object (``time``, ``level``, ``logger``, ``message``, and inside a request
``request_id``, ``method``, ``path``), and each request ends with one ``quizapp.request`` record
adding ``status`` and ``duration_ms``. The path is logged without its query string (join codes and
tokens may travel there).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_log = logging.getLogger("quizapp.request")


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the request's fields when logged inside one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry.update(request_id=g.get("request_id"), method=request.method, path=request.path)
        for field in ("status", "duration_ms"):
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging() -> None:
    """Send every log record (the app's, gunicorn's, libraries') to stderr as JSON lines."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "quizapp_json", False):
            root.removeHandler(handler)
        elif isinstance(handler.formatter, JsonFormatter):
            return  # set up already, by gunicorn's logconfig_dict (quizapp serve)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.quizapp_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


#: gunicorn's logging under ``QUIZAPP_LOG_FORMAT=json`` (``quizapp serve``): its own messages and
#: everything else through one JSON handler on stderr; its access log is off (each request's
#: ``quizapp.request`` record replaces it).
GUNICORN_JSON_LOGGING = {
    "root": {"level": "INFO", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
    },
    "handlers": {
        "json": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "formatters": {"json": {"()": "quizapp.web.requestlog.JsonFormatter"}},
}


def register(app: Flask) -> None:
    json_logs = app.config.get("QUIZAPP_LOG_FORMAT") == "json"
    if json_logs:
        configure_json_logging()
        from flask.logging import default_handler

        # Flask's own handler would print each app error a second time, as text.
        app.logger.removeHandler(default_handler)
    trust_header = int(app.config.get("QUIZAPP_TRUSTED_PROXIES") or 0) > 0

    @app.before_request
    def _assign_id() -> None:
        given = request.headers.get(HEADER, "") if trust_header else ""
        g.request_id = given if _VALID_ID.fullmatch(given) else secrets.token_hex(16)
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if rid:
            response.headers[HEADER] = rid
        started = g.get("request_started")
        if json_logs and started is not None:
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
