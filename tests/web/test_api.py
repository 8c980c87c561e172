"""The JSON API: tokens, decks, studying a deck to the end, replays and bad requests."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from ruamel.yaml import YAML

from quizapp.extensions import db
from quizapp.models import ApiToken, Review, Role, Visibility
from quizapp.services.decks import get_deck

from ..factories import PASSWORD, Clock
from ..services.study_helpers import new_key, right_answer, wrong_answer

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock(NOW)
    app.config["QUIZAPP_NOW"] = clock
    return clock


@pytest.fixture
def deck(factory):
    return factory.deck("sample-deck")


@pytest.fixture
def learner(factory):
    return factory.user(email="ada@example.com")


@pytest.fixture
def token(client, learner, clock) -> str:
    response = client.post(
        "/api/v1/tokens", json={"email": "ada@example.com", "password": PASSWORD, "name": "laptop"}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status: int, words: str = "") -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"]["status"] == status and body["error"]["message"]
    assert words.lower() in body["error"]["message"].lower()


def card_fields(card_id: int):
    from quizapp.models import Card

    card = db.session.get(Card, card_id)
    return card.question.type, card.question.fields, card.ordinal


def test_tokens_are_issued_for_credentials_and_stored_hashed(client, learner, token):
    row = db.session.scalar(sa.select(ApiToken))
    assert token.startswith("qz_") and len(token) > 40
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps([row.token_hash, row.name]) and row.name == "laptop"
    assert row.expires_at == NOW + timedelta(days=90)


def test_wrong_credentials_and_rate_limit(client, learner, clock):
    response = client.post("/api/v1/tokens", json={"email": "ada@example.com", "password": "no"})
    assert_error(response, 401, "wrong email or password")
    for _ in range(6):
        response = client.post(
            "/api/v1/tokens", json={"email": "ada@example.com", "password": "nope"}
        )
    assert_error(response, 429, "too many")
    assert int(response.headers["Retry-After"]) > 0
    assert_error(client.post("/api/v1/tokens", json={"email": 3}), 400, "email")
    assert_error(
        client.post("/api/v1/tokens", data="{not json", content_type="application/json"),
        400,
        "JSON object",
    )


def test_missing_bad_expired_and_revoked_tokens_are_401(client, token, clock, deck):
    response = client.get("/api/v1/decks")
    assert_error(response, 401, "token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(client.get("/api/v1/decks", headers={"Authorization": "Basic abc"}), 401)
    assert_error(client.get("/api/v1/decks", headers=bearer("qz_forged")), 401, "unknown")
    assert client.get("/api/v1/decks", headers=bearer(token)).status_code == 200
    clock.now += timedelta(days=91)
    assert_error(client.get("/api/v1/decks", headers=bearer(token)), 401, "expired")
    clock.now = NOW
    assert client.delete("/api/v1/tokens/current", headers=bearer(token)).status_code == 204
    assert_error(client.get("/api/v1/decks", headers=bearer(token)), 401, "revoked")


def test_decks_lists_what_is_due(client, token, deck, factory):
    factory.deck("secret", owner=factory.user(Role.INSTRUCTOR), visibility=Visibility.PRIVATE)
    body = client.get("/api/v1/decks", headers=bearer(token)).get_json()
    assert [d["slug"] for d in body["decks"]] == ["sample-deck"]
    assert body["decks"][0]["counts"]["new"] == 6 and body["decks"][0]["counts"]["due"] == 0
    assert body["decks"][0]["settings"] == {"desired_retention": 0.9, "new_cards_per_day": 20}
    assert_error(client.get("/api/v1/decks/secret", headers=bearer(token)), 404)


def test_a_client_studies_a_deck_to_the_end_of_its_queue(client, token, deck, clock):
    """One request per card: ``GET next`` for the first, then each answer brings the next card,
    the same as ``GET next`` gives right after (checked on every step)."""
    answered, wrong_once = 0, set()
    response = client.get("/api/v1/study/sample-deck/next", headers=bearer(token))
    body = response.get_json()
    while True:
        if body["card"] is None:
            assert "come back" in body["message"] and body["counts"]["come_back_at"]
            break
        card = body["card"]
        qtype, fields, ordinal = card_fields(card["card_id"])
        _assert_no_answer(json.dumps(body), qtype, fields, ordinal)
        payload = {
            "card_id": card["card_id"],
            "idempotency_key": new_key(),
            "duration_ms": 2500,
            "version": card["version"],
        }
        if card["self_rated"]:
            payload |= {"answer": {}, "rating": 4}
            if qtype == "cloze":
                payload["answer"] = {"revealed": True}
        elif card["card_id"] not in wrong_once:
            wrong_once.add(card["card_id"])
            payload["answer"] = wrong_answer(qtype, fields, ordinal)
        else:
            payload |= {"answer": right_answer(qtype, fields, ordinal), "rating": 4}
        response = client.post(
            "/api/v1/study/sample-deck/answers", json=payload, headers=bearer(token)
        )
        assert response.status_code == 201, response.get_json()
        result = response.get_json()
        assert result["correct"] in (True, False, None) and result["next_due"]
        answered += 1
        assert answered < 60
        body = result["next"]
        fetched = client.get("/api/v1/study/sample-deck/next", headers=bearer(token)).get_json()
        assert {"deck": "sample-deck"} | body == fetched
        clock.now += timedelta(minutes=2)
        body = client.get("/api/v1/study/sample-deck/next", headers=bearer(token)).get_json()
    counts = client.get("/api/v1/decks/sample-deck", headers=bearer(token)).get_json()["counts"]
    assert counts["due"] == 0 and counts["new"] == 0 and counts["come_back_at"]
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == answered
    assert answered >= 6 + 4  # every card, the auto-graded ones twice


def _assert_no_answer(text: str, qtype: str, fields, ordinal: int) -> None:
    body = json.loads(text)
    shown = json.dumps(body["card"]["question"])
    for word in ("explanation", "expected", "correct", "source_quote", "back"):
        assert f'"{word}"' not in text
    if qtype == "cloze":
        from quizapp.domain.questions.cloze import deletions

        for n, answer, _ in deletions(fields["text"]):
            blanks = "".join(p["text"] for p in body["card"]["question"]["parts"])
            if n == ordinal:
                assert answer not in body["card"]["question"]["text"]
                assert answer not in blanks
    elif qtype == "basic":
        assert fields["back"] not in shown
    elif qtype == "true_false":
        assert '"answer"' not in shown


def test_a_replayed_request_records_no_second_review(client, token, deck):
    card = client.get("/api/v1/study/sample-deck/next", headers=bearer(token)).get_json()["card"]
    payload = {
        "card_id": card["card_id"],
        "answer": {"text": "liver"},
        "duration_ms": 900,
        "idempotency_key": "retry-123",
        "version": card["version"],
    }
    first = client.post("/api/v1/study/sample-deck/answers", json=payload, headers=bearer(token))
    again = client.post("/api/v1/study/sample-deck/answers", json=payload, headers=bearer(token))
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["replayed"] is True
    assert again.get_json()["review_id"] == first.get_json()["review_id"]
    # The replay has the same shape, with the next card as the queue is now.
    assert set(again.get_json()) == set(first.get_json())
    assert again.get_json()["next"] == first.get_json()["next"]
    assert first.get_json()["next"]["card"]["card_id"] != card["card_id"]
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 1
    # A second tab with its own key but the old version: one review counts, a clear message.
    stale = client.post(
        "/api/v1/study/sample-deck/answers",
        json=payload | {"idempotency_key": "tab-2"},
        headers=bearer(token),
    )
    assert_error(stale, 409, "already answered in another tab")


def test_bad_requests_get_4xx_json(client, token, deck, factory):
    other = factory.deck("other-deck")
    card = client.get("/api/v1/study/sample-deck/next", headers=bearer(token)).get_json()["card"]
    url = "/api/v1/study/sample-deck/answers"
    ok = {"card_id": card["card_id"], "answer": {"text": "liver"}, "idempotency_key": "k1"}
    cases = [
        (
            client.post(url, data="{oops", content_type="application/json", headers=bearer(token)),
            400,
            "JSON object",
        ),
        (client.post(url, json=[1, 2], headers=bearer(token)), 400, "JSON object"),
        (client.post(url, json=ok | {"card_id": "7"}, headers=bearer(token)), 400, "integer"),
        (client.post(url, json={"answer": {}}, headers=bearer(token)), 400, "card_id"),
        (
            client.post(url, json=ok | {"idempotency_key": None}, headers=bearer(token)),
            400,
            "idempotency_key",
        ),
        (
            client.post(
                url, json={k: v for k, v in ok.items() if k != "answer"}, headers=bearer(token)
            ),
            400,
            "answer",
        ),
        (
            client.post(url, json=ok | {"answer": {"choices": ["x"]}}, headers=bearer(token)),
            422,
            "does not fit",
        ),
        (client.post(url, json=ok | {"answer": "liver"}, headers=bearer(token)), 422, ""),
        (client.post(url, json=ok | {"card_id": 999_999}, headers=bearer(token)), 404, "no card"),
        (client.post(url, json=ok | {"card_id": 2**40}, headers=bearer(token)), 404, ""),
        (
            client.post("/api/v1/study/other-deck/answers", json=ok, headers=bearer(token)),
            404,
            "no card",
        ),
        (client.post("/api/v1/study/nope/answers", json=ok, headers=bearer(token)), 404, "nope"),
        (client.get("/api/v1/study/nope/next", headers=bearer(token)), 404, "nope"),
        (client.post(url, json=ok | {"rating": 9}, headers=bearer(token)), 422, "rating"),
        (
            client.post(
                "/api/v1/study/sample-deck/reveal",
                json={"card_id": _mc(other)},
                headers=bearer(token),
            ),
            404,
            "",
        ),
        (
            client.put(
                "/api/v1/study/sample-deck/reviews/99999999999/rating",
                json={"rating": 3},
                headers=bearer(token),
            ),
            404,
            "",
        ),
        (client.post("/api/v1/study/sample-deck/undo", headers=bearer(token)), 404, "undo"),
        (client.get("/api/v1/nothing-here", headers=bearer(token)), 404, ""),
        (client.delete("/api/v1/decks", headers=bearer(token)), 405, ""),
    ]
    for response, status, words in cases:
        assert_error(response, status, words)
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


def _mc(deck) -> int:
    from quizapp.models import Card, Question

    return db.session.scalar(
        sa.select(Card.id)
        .join(Question)
        .where(Question.deck_id == deck.id, Question.type == "multiple_choice")
    )


def test_reveal_rating_change_and_undo(client, token, deck):
    sample = get_deck("sample-deck")
    assert_error(
        client.post(
            "/api/v1/study/sample-deck/reveal", json={"card_id": _mc(sample)}, headers=bearer(token)
        ),
        422,
        "answer it",
    )
    card = client.get("/api/v1/study/sample-deck/next", headers=bearer(token)).get_json()["card"]
    revealed = client.post(
        "/api/v1/study/sample-deck/reveal", json={"card_id": card["card_id"]}, headers=bearer(token)
    ).get_json()
    assert revealed["expected"] == ["liver"]
    assert [r["interval"] for r in revealed["ratings"]][:3] == ["1m", "6m", "10m"]
    # Typing the answer just shown is not graded right: it counts as revealed (Again).
    result = client.post(
        "/api/v1/study/sample-deck/answers",
        headers=bearer(token),
        json={"card_id": card["card_id"], "answer": {"text": "liver"}, "idempotency_key": "a0"},
    ).get_json()
    assert result["rating"] == 1 and result["correct"] is None and not result["can_adjust"]
    assert client.post("/api/v1/study/sample-deck/undo", headers=bearer(token)).status_code == 200
    # The answer ended that presentation: shown anew and typed, the card is graded.
    result = client.post(
        "/api/v1/study/sample-deck/answers",
        headers=bearer(token),
        json={"card_id": card["card_id"], "answer": {"text": "liver"}, "idempotency_key": "a1"},
    ).get_json()
    assert result["rating"] == 3 and result["can_adjust"]
    easy = next(r for r in result["ratings"] if r["rating"] == 4)
    changed = client.put(
        f"/api/v1/study/sample-deck/reviews/{result['review_id']}/rating",
        json={"rating": 4},
        headers=bearer(token),
    )
    assert changed.status_code == 200 and changed.get_json()["rating"] == 4
    assert changed.get_json()["interval"] == easy["interval"]
    undone = client.post("/api/v1/study/sample-deck/undo", headers=bearer(token)).get_json()
    assert undone["card_id"] == card["card_id"]
    again = client.get("/api/v1/study/sample-deck/next", headers=bearer(token)).get_json()
    assert again["card"]["card_id"] == card["card_id"] and again["card"]["kind"] == "new"


def test_the_browser_session_works_and_its_writes_need_the_csrf_token(
    app, client, learner, auth, deck, clock
):
    auth.login(learner)
    app.config["WTF_CSRF_ENABLED"] = True
    body = client.get("/api/v1/study/sample-deck/next").get_json()
    payload = {
        "card_id": body["card"]["card_id"],
        "answer": {"text": "liver"},
        "idempotency_key": "s1",
    }
    response = client.post("/api/v1/study/sample-deck/answers", json=payload)
    assert_error(response, 400, "CSRF")
    html = client.get("/study/sample-deck").get_data(as_text=True)
    csrf = html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/api/v1/study/sample-deck/answers", json=payload, headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201
    # Bearer requests need no CSRF token, even with a session around.
    token = client.post(
        "/api/v1/tokens", json={"email": "ada@example.com", "password": PASSWORD}
    ).get_json()["token"]
    response = client.post("/api/v1/study/sample-deck/undo", headers=bearer(token))
    assert response.status_code == 200


def test_the_openapi_description_is_served_and_covers_the_api(client, app):
    response = client.get("/api/v1/openapi.yaml")
    assert response.status_code == 200 and "yaml" in response.content_type
    spec = YAML(typ="safe").load(response.get_data(as_text=True))
    assert spec["openapi"].startswith("3.1")
    documented = {
        (path, method.upper())
        for path, ops in spec["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "delete")
    }
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            path = rule.rule.removeprefix("/api/v1")
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", f"{{{name}}}").replace(
                    f"<{name}>", f"{{{name}}}"
                )
            served |= {(path, m) for m in rule.methods if m not in ("HEAD", "OPTIONS")}
    mine = {s for s in served if s[0].startswith(("/tokens", "/decks", "/study"))}
    assert mine <= documented, mine - documented


def test_next_leaves_the_queue_counts_out_unless_asked(client, token, deck):
    plain = client.get("/api/v1/study/sample-deck/next", headers=bearer(token)).get_json()
    assert plain["card"] is not None and "counts" not in plain
    asked = client.get("/api/v1/study/sample-deck/next?counts=1", headers=bearer(token)).get_json()
    assert asked["card"]["card_id"] == plain["card"]["card_id"]
    assert asked["counts"]["new"] == 6 and asked["counts"]["due"] == 0


def _statements(client, method: str, url: str, **kwargs) -> tuple[list[str], object]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.open(url, method=method, **kwargs)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return statements, response


def test_an_answer_with_its_next_card_costs_a_bounded_number_of_statements(client, token, deck):
    """An answer to a new card with its next card: 10 statements on SQLite and PostgreSQL (17
    before the hot path: services/study/hot_path.py), pinned: the bound fails if it grows."""
    url = "/api/v1/study/sample-deck"
    first = client.get(f"{url}/next", headers=bearer(token)).get_json()["card"]
    qtype, fields, ordinal = card_fields(first["card_id"])
    statements, response = _statements(
        client,
        "POST",
        f"{url}/answers",
        headers=bearer(token),
        json={
            "card_id": first["card_id"],
            "version": 0,
            "answer": wrong_answer(qtype, fields, ordinal),
            "idempotency_key": new_key(),
        },
    )
    assert response.status_code == 201 and response.get_json()["next"]["card"]
    next_alone, fetched = _statements(client, "GET", f"{url}/next", headers=bearer(token))
    assert fetched.get_json()["card"] == response.get_json()["next"]["card"]
    assert len(statements) <= 10, statements


def test_an_answer_to_a_due_review_costs_seven_statements(client, token, deck, learner):
    """The card a learner meets most: a due review (true/false) answered, with the next one.
    Token and user, deck, card with state and settings, the day's load (load balancing), the
    update, the review, the next card: 7 statements, pinned (the bound fails if it grows)."""
    from quizapp.models import Card, CardState, Question

    cards = db.session.execute(
        sa.select(Card.id, Question.type)
        .join(Question)
        .where(Card.deck_id == deck.id)
        .order_by(Card.id)
    ).all()
    first = next(c for c, qtype in cards if qtype == "true_false")
    db.session.execute(
        sa.insert(CardState),
        [
            {
                "user_id": learner.id,
                "card_id": c,
                "deck_id": deck.id,
                "state": 2,
                "stability": 20.0,
                "difficulty": 5.0,
                "reps": 4,
                "version": 1,
                "due": NOW - timedelta(days=2 if c == first else 1),
                "last_review": NOW - timedelta(days=20),
            }
            for c, _ in cards
        ],
    )
    db.session.commit()
    url = "/api/v1/study/sample-deck"
    card = client.get(f"{url}/next", headers=bearer(token)).get_json()["card"]
    assert card["card_id"] == first and card["kind"] == "review"
    qtype, fields, ordinal = card_fields(first)
    statements, response = _statements(
        client,
        "POST",
        f"{url}/answers",
        headers=bearer(token),
        json={
            "card_id": first,
            "version": card["version"],
            "answer": right_answer(qtype, fields, ordinal),
            "idempotency_key": new_key(),
        },
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["next"]["card"]["kind"] == "review"
    assert len(statements) <= 7, statements
