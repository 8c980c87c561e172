"""A revealed cloze is recorded on the server: typing the text just shown is not graded right
(issue 13, finding 19). DESIGN.md: "revealed: self-rated"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import CardReveal, Review
from quizapp.services import tokens

from ..factories import Clock
from .forms import form_to

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock(app) -> Clock:
    app.config["QUIZAPP_NOW"] = clock = Clock(NOW)
    return clock


@pytest.fixture
def learner(factory, auth, clock):
    user = factory.user()
    auth.login(user)
    return user


@pytest.fixture
def deck(factory):
    return factory.deck("sample-deck")


def _reviews() -> list[Review]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Review).order_by(Review.id)))


def test_typing_a_revealed_cloze_counts_as_revealed_on_the_page(client, learner, deck):
    html = client.get("/study/sample-deck").get_data(as_text=True)
    typed, reveal = form_to(html, "/answer"), form_to(html, "/reveal/")
    shown = client.get(reveal.action, query_string=reveal.data()).get_data(as_text=True)
    assert "liver" in shown
    # Back to the question (another tab, the back button) and type what was shown.
    response = client.post(
        typed.action, data=typed.data(text="liver", mode="typed"), follow_redirects=True
    )
    assert "counts as revealed: rated Again" in response.get_data(as_text=True)
    [review] = _reviews()
    assert (review.correct, review.rating, review.answer) == (None, 1, {"revealed": True})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CardReveal)) == 0


def test_an_unrevealed_cloze_is_still_graded(client, learner, deck):
    html = client.get("/study/sample-deck").get_data(as_text=True)
    typed = form_to(html, "/answer")
    client.post(typed.action, data=typed.data(text="liver", mode="typed"))
    [review] = _reviews()
    assert (review.correct, review.rating) == (True, 3)


def test_the_api_records_a_reveal_and_grades_the_next_answer_as_revealed(
    client, factory, deck, clock
):
    ada, bob = factory.user(), factory.user()
    ada_h = {"Authorization": f"Bearer {tokens.issue_token(ada, now=NOW).token}"}
    bob_h = {"Authorization": f"Bearer {tokens.issue_token(bob, now=NOW).token}"}
    card = client.get("/api/v1/study/sample-deck/next", headers=ada_h).get_json()["card"]
    assert card["type"] == "cloze"
    revealed = client.post(
        "/api/v1/study/sample-deck/reveal", json={"card_id": card["card_id"]}, headers=ada_h
    )
    assert revealed.get_json()["expected"] == ["liver"]
    # Revealing twice keeps one record; another learner's reveal is theirs alone.
    client.post(
        "/api/v1/study/sample-deck/reveal", json={"card_id": card["card_id"]}, headers=ada_h
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CardReveal)) == 1
    bob_result = client.post(
        "/api/v1/study/sample-deck/answers",
        headers=bob_h,
        json={"card_id": card["card_id"], "answer": {"text": "liver"}, "idempotency_key": "b"},
    )
    assert bob_result.get_json()["correct"] is True
    # Typed with a rating: self-rated, the learner's own rating; never auto-graded right.
    result = client.post(
        "/api/v1/study/sample-deck/answers",
        headers=ada_h,
        json={
            "card_id": card["card_id"],
            "answer": {"text": "liver"},
            "rating": 2,
            "idempotency_key": "a",
            "version": card["version"],
        },
    ).get_json()
    assert (result["correct"], result["rating"], result["can_adjust"]) == (None, 2, False)
    assert result["expected"] == ["liver"]
    assert [(r.user_id, r.correct) for r in _reviews()] == [(bob.id, True), (ada.id, None)]
    # A rating change cannot turn it into a right answer afterwards.
    changed = client.put(
        f"/api/v1/study/sample-deck/reviews/{result['review_id']}/rating",
        json={"rating": 4},
        headers=ada_h,
    )
    assert changed.status_code == 422
