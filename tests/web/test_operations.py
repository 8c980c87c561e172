"""Operators' endpoints and request plumbing: /readyz, request ids, JSON logs, /metrics."""

from __future__ import annotations

import json
import logging
import re
import shutil
from datetime import UTC, datetime

import pytest
from flask_migrate import upgrade

from quizapp import create_app
from quizapp.extensions import db

from ..conftest import PROJECT_ROOT, AuthActions
from ..factories import Clock, Factory
from .forms import form_to

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def make_app(tmp_path, **config):
    """A real app on its own SQLite file (not migrated: the tables come from create_all)."""
    bundled = tmp_path / "bundled-decks"
    if not bundled.exists():
        shutil.copytree(PROJECT_ROOT / "decks", bundled, ignore=shutil.ignore_patterns("sources"))
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ops.db'}",
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "QUIZAPP_BUNDLED_DECKS": str(bundled),
            **config,
        }
    )


# --- /readyz ------------------------------------------------------------------------------------


def test_readyz_is_503_until_the_database_is_migrated(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        db.create_all()  # the tables, but no migration recorded
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "not ready" and body["database"] == "behind"
        assert body["revision"] is None and body["head"]
        assert "quizapp db upgrade" in body["problem"]
        db.engine.dispose()


def test_readyz_is_200_at_the_newest_migration(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        upgrade()
        response = app.test_client().get("/readyz")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["status"] == "ready" and body["database"] == "ok"
        assert body["revision"] == body["head"]
        assert response.headers["Cache-Control"] == "no-store"
        db.engine.dispose()


def test_readyz_is_503_when_the_database_does_not_answer(tmp_path):
    # Nothing listens on port 9 (discard) on a test machine: the connection is refused at once.
    app = make_app(
        tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody:secret@127.0.0.1:9/x"
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "unreachable" and "does not answer" in body["problem"]
    assert "secret" not in response.get_data(as_text=True)
    # /healthz only says the process answers.
    assert app.test_client().get("/healthz").status_code == 200


# --- request ids and JSON logs ------------------------------------------------------------------


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second
    # Not behind a trusted proxy: a client cannot choose the id written in the logs.
    assert client.get("/healthz", headers={"X-Request-ID": "abc"}).headers["X-Request-ID"] != "abc"


def test_a_trusted_proxys_request_id_is_kept_if_well_formed(tmp_path):
    client = make_app(tmp_path, QUIZAPP_TRUSTED_PROXIES=1).test_client()
    given = "edge-7f3a:42.1"
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" {"level": "fake"}'})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-ID"])
    assert (
        client.get("/healthz", headers={"X-Request-ID": "a" * 129}).headers["X-Request-ID"]
        != "a" * 129
    )


@pytest.fixture
def json_log_lines(capsys):
    """The JSON lines written to stderr; the JSON handler is removed afterwards."""

    def lines() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]

    yield lines
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "quizapp_json", False):
            root.removeHandler(handler)


def test_json_logs_one_object_per_request_with_its_id(tmp_path, json_log_lines):
    app = make_app(tmp_path, QUIZAPP_LOG_FORMAT="json")
    with app.app_context():
        db.create_all()
        json_log_lines()  # forget what came before
        response = app.test_client().get("/healthz?code=SECRET")
        app.logger.warning("something to look at")
        db.engine.dispose()
    entries = json_log_lines()
    request_line = next(e for e in entries if e["logger"] == "quizapp.request")
    assert request_line["request_id"] == response.headers["X-Request-ID"]
    assert request_line["method"] == "GET" and request_line["path"] == "/healthz"
    assert request_line["status"] == 200 and request_line["level"] == "info"
    assert isinstance(request_line["duration_ms"], float) and request_line["duration_ms"] >= 0
    assert datetime.fromisoformat(request_line["time"]).tzinfo is not None
    assert "SECRET" not in json.dumps(entries)  # query strings are never logged
    warning = next(e for e in entries if e["message"] == "something to look at")
    assert warning["level"] == "warning" and "request_id" not in warning


# --- /metrics -----------------------------------------------------------------------------------


def test_metrics_are_off_unless_switched_on(client):
    response = client.get("/metrics")
    assert (
        response.status_code == 404
        and "QUIZAPP_METRICS=1" in response.get_json()["error"]["message"]
    )


def test_metrics_token_is_required_when_set(tmp_path):
    client = make_app(tmp_path, QUIZAPP_METRICS=True, QUIZAPP_METRICS_TOKEN="s3cret").test_client()
    with client.application.app_context():
        db.create_all()
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret"}):
            response = client.get("/metrics", headers=headers)
            assert response.status_code == 401 and response.is_json
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        response = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
        assert response.status_code == 200
        assert response.content_type.startswith("text/plain")
        db.engine.dispose()


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        name_part, _, label_part = metric.partition("{")
        got = ",".join(sorted(label_part.rstrip("}").split(","))) if label_part else ""
        if name_part == name and got == wanted:
            return float(value)
    return 0.0


def test_metrics_count_requests_reviews_and_due_cards(tmp_path):
    app = make_app(tmp_path, QUIZAPP_METRICS=True)
    clock = Clock(NOW)
    app.config["QUIZAPP_NOW"] = clock
    client = app.test_client()
    with app.app_context():
        db.create_all()
        factory = Factory()
        factory.deck("sample-deck")
        AuthActions(client).login(factory.user())
        before = client.get("/metrics").get_data(as_text=True)
        assert "# TYPE quizapp_http_request_duration_seconds histogram" in before
        assert _sample(before, "quizapp_cards_due") == 0

        study = client.get("/study/sample-deck")
        form = form_to(study.get_data(as_text=True), "/answer")
        assert client.post(form.action, data=form.data(text="kidney")).status_code == 302
        clock.advance(minutes=5)  # "Again" brings the card back after a minute
        after = client.get("/metrics").get_data(as_text=True)
        db.engine.dispose()

    labels = {"endpoint": "study.page", "method": "GET", "status": "200"}
    assert (
        _sample(after, "quizapp_http_requests_total", **labels)
        - _sample(before, "quizapp_http_requests_total", **labels)
    ) == 1
    count = {"endpoint": "study.page", "method": "GET"}
    assert (
        _sample(after, "quizapp_http_request_duration_seconds_count", **count)
        - _sample(before, "quizapp_http_request_duration_seconds_count", **count)
    ) == 1
    assert (
        _sample(after, "quizapp_reviews_recorded_total")
        - _sample(before, "quizapp_reviews_recorded_total")
    ) == 1
    assert _sample(after, "quizapp_cards_due") == 1
    # An unrouted address counts under one label, whatever was asked for.
    assert 'endpoint="/' not in after
