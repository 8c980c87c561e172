"""Malformed requests get 4xx, never 500 (issue 13, findings 9, 10, 11, 12, 21).

NUL characters (PostgreSQL text cannot hold them), lone surrogates (no database can encode them),
JSON nested 100,000 deep, ids beyond a database integer (2^31 on PostgreSQL, 2^63 on SQLite),
Unicode and 5,000-digit numbers in quiz forms, mistyped quiz options, 405 without ``Allow``, and a
database lock that outlasts the busy timeout (503 with Retry-After, never 500).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from quizapp import create_app
from quizapp.domain import quiz as rules
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import quiz as quiz_service
from quizapp.services import tokens

from ..factories import PASSWORD, Factory


def _is_json_error(response, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json
    assert response.get_json()["error"]["status"] == status


@pytest.mark.parametrize(
    "url",
    [
        "/decks/sample%00deck",
        "/decks/sample-deck?x=%00",
        "/?deck=a%00b",
        "/api/v1/openapi.yaml?q=%00",
        "/auth/login?next=%00",
    ],
)
def test_a_nul_in_path_or_query_is_400(client, factory, url):
    factory.deck()
    response = client.get(url)
    assert response.status_code == 400


def test_a_nul_in_the_api_path_is_400_json(client):
    _is_json_error(client.get("/api/v1/decks/a%00b"), 400)


def test_a_nul_in_a_form_is_400(client):
    response = client.post("/auth/login", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    response = client.post("/auth/register", data={"email\x00": "a@example.com"})
    assert response.status_code == 400


@pytest.mark.parametrize("email", ["a\x00@example.com", "\ud800@example.com", "x\udfff"])
def test_nul_or_a_lone_surrogate_in_json_is_400_json(client, email):
    response = client.post("/api/v1/tokens", json={"email": email, "password": "secret"})
    _is_json_error(response, 400)
    response = client.post(
        "/api/v1/tokens", json={"email": "a@example.com", "password": "p", "name": {"k\x00": 1}}
    )
    _is_json_error(response, 400)


def test_json_nested_100000_deep_is_400_json(client):
    body = '{"email": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    _is_json_error(response, 400)
    body = '{"email": ' + "[" * 40 + "]" * 40 + "}"  # under the recursion limit, over ours
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    _is_json_error(response, 400)


@pytest.fixture
def learner_api(app, factory):
    learner = factory.user()
    token = tokens.issue_token(learner, now=datetime.now(UTC)).token
    return learner, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("digits", [str(2**31), str(2**63), "1" + "0" * 30, "9" * 5000])
def test_ids_beyond_a_database_integer_are_404(app, client, auth, factory, learner_api, digits):
    learner, headers = learner_api
    number = digits
    auth.login(learner)
    for url in (
        f"/quiz/{number}",
        f"/quiz/{number}/result",
        f"/classes/{number}",
        f"/quiz/assignments/{number}",
    ):
        assert client.get(url).status_code == 404, url
    _is_json_error(client.get(f"/api/v1/quizzes/{number}", headers=headers), 404)
    _is_json_error(
        client.put(
            f"/api/v1/study/sample-deck/reviews/{number}/rating",
            json={"rating": 3},
            headers=headers,
        ),
        404,
    )
    if len(digits) < 100:
        response = client.post(
            "/api/v1/quizzes", json={"assignment_id": int(digits)}, headers=headers
        )
        _is_json_error(response, 404)


def test_the_largest_id_is_still_an_id(client, learner_api):
    _learner, headers = learner_api
    _is_json_error(client.get(f"/api/v1/quizzes/{2**31 - 1}", headers=headers), 404)


def test_unicode_and_5000_digit_numbers_in_a_quiz_form_are_refused_not_a_crash(
    app, client, auth, factory
):
    learner = factory.user()
    deck = factory.deck()
    attempt = quiz_service.start_quiz(
        learner, [deck.slug], rules.make_options(count=1, types=["ordering"]), now=datetime.now(UTC)
    )
    auth.login(learner)
    steps = quiz_service.attempt_view(attempt).items[0].shown["steps"]
    for bad in ("²", "٣", "9" * 5000):
        form = {"i0-shown": "1", **{f"i0-pos-{s['id']}": str(n + 1) for n, s in enumerate(steps)}}
        form[f"i0-pos-{steps[0]['id']}"] = bad
        response = client.post(f"/quiz/{attempt.id}/q/1", data=form)
        assert response.status_code == 422, (bad, response.status_code)
        assert "give every step a position" in response.get_data(as_text=True)
    for go in ("²", "9" * 5000):
        form = {"go": go}  # nothing answered on the page: only where to go next
        response = client.post(f"/quiz/{attempt.id}/q/1", data=form)
        assert response.status_code == 302, response.status_code
    assert quiz_service.attempt_view(attempt).items[0].kind == "ordering"


@pytest.mark.parametrize("key", ["²", "9" * 5000, "٣"])
def test_unicode_digit_question_keys_in_the_api_are_422(client, learner_api, factory, key):
    learner, headers = learner_api
    deck = factory.deck()
    attempt = quiz_service.start_quiz(
        learner, [deck.slug], rules.make_options(count=2), now=datetime.now(UTC)
    )
    response = client.put(
        f"/api/v1/quizzes/{attempt.id}/answers",
        json={"answers": {key: {"answer": True}}},
        headers=headers,
    )
    _is_json_error(response, 422)


@pytest.mark.parametrize("types", [5, True, "cloze", [["cloze"]], {"a": 1}])
def test_mistyped_quiz_types_are_422(client, learner_api, factory, types):
    _learner, headers = learner_api
    factory.deck()
    response = client.post(
        "/api/v1/quizzes", json={"decks": ["sample-deck"], "types": types}, headers=headers
    )
    _is_json_error(response, 422)
    assert "'types' must be a list" in response.get_json()["error"]["message"] or (
        "Unknown question type" in response.get_json()["error"]["message"]
    )


def test_405_says_which_methods_are_allowed(client):
    response = client.delete("/api/v1/decks")
    _is_json_error(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}
    response = client.put("/auth/login")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


# --- a database lock that outlasts the busy timeout -------------------------------------------


@pytest.fixture
def locked_sqlite_app(tmp_path, shared_database_url):
    if shared_database_url is not None:
        pytest.skip("SQLite's whole-database write lock; PostgreSQL locks rows")
    path = tmp_path / "busy.db"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "t",
            "WTF_CSRF_ENABLED": False,
            "QUIZAPP_SQLITE_BUSY_TIMEOUT_MS": 200,
        }
    )
    with app.app_context():
        db.create_all()
        Factory().user(Role.LEARNER, email="busy@example.com")
        db.session.remove()
        yield app, path
        db.session.remove()
        db.engine.dispose()


def test_a_locked_sqlite_database_is_503_with_retry_after(locked_sqlite_app):
    app, path = locked_sqlite_app
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    try:
        client = app.test_client()
        response = client.post(
            "/api/v1/tokens", json={"email": "busy@example.com", "password": PASSWORD}
        )
        _is_json_error(response, 503)
        assert response.headers["Retry-After"] == "2"
        response = client.post(
            "/auth/register",
            data={
                "email": "new@example.com",
                "password": "a long new password",
                "confirm": "a long new password",
            },
            headers={"Accept": "text/html"},
        )
        assert response.status_code == 503
        assert response.mimetype == "text/html"
        assert response.headers["Retry-After"] == "2"
        assert "try again" in response.get_data(as_text=True)
    finally:
        holder.rollback()
        holder.close()
    response = app.test_client().post(
        "/api/v1/tokens", json={"email": "busy@example.com", "password": PASSWORD}
    )
    assert response.status_code == 201
