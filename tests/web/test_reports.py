"""Reporting a bad card from the study page and a quiz result; the owner's reports inbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from quizapp.domain.quiz import QuizOptions
from quizapp.extensions import db
from quizapp.models import CardReport, Role, Visibility
from quizapp.services import classes, quiz

from ..factories import PASSWORD, Clock
from .forms import form_to, forms

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(app, factory):
    app.config["QUIZAPP_NOW"] = Clock(NOW)
    owner = factory.user(Role.INSTRUCTOR, email="owner@example.com")
    learner = factory.user(Role.LEARNER, email="ada@example.com")
    deck = factory.deck("class-deck", owner=owner, visibility=Visibility.CLASS)
    classroom = classes.create_class(owner, "Bio")
    classes.join(learner, classroom.join_code)
    classes.assign(classroom, deck)
    db.session.commit()
    return owner, learner, deck


def html(response) -> str:
    assert response.status_code == 200, response.data[:400]
    return response.get_data(as_text=True)


def report_from_study_result(client, note="c1 should be 'liver'") -> str:
    """Answer the first card wrong, then report it from the result step; the page returned to."""
    form = form_to(html(client.get("/study/class-deck")), "/answer")
    result = client.get(client.post(form.action, data=form.data(text="kidney")).location)
    report = form_to(html(result), "/report")
    response = client.post(report.action, data=report.data(reason="typo", note=note))
    assert response.status_code == 303
    return response.location


def test_learner_reports_from_the_study_result_and_the_owner_resolves(client, auth, world):
    owner, learner, deck = world
    auth.login(learner)
    back = report_from_study_result(client)
    assert back == "/study/class-deck"
    assert "the deck&#39;s author will look at this card" in html(client.get(back))
    # Reporting the same question again while open updates the report.
    report_from_study_result(client, note="second thoughts")
    rows = db.session.scalars(sa.select(CardReport)).all()
    assert [(r.reason, r.note, r.user_id) for r in rows] == [
        ("typo", "second thoughts", learner.id)
    ]

    auth.login(owner)
    editor = html(client.get("/instructor/decks/class-deck"))
    assert 'href="/instructor/decks/class-deck/reports"' in editor and "reports (1)" in editor
    inbox = html(client.get("/instructor/decks/class-deck/reports"))
    assert "IGF-1 is produced by the" in inbox and "Typo" in inbox
    assert "second thoughts" in inbox and "ada" in inbox and "1 learner<" in inbox
    resolve = next(f for f in forms(inbox) if f.data().get("action") == ["resolve"])
    response = client.post(resolve.action, data=resolve.data())
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(sa.select(CardReport.status)) == "resolved"
    assert "No open reports." in html(client.get("/instructor/decks/class-deck/reports"))


def test_another_instructor_gets_404(client, auth, world, factory):
    _, learner, _ = world
    auth.login(learner)
    report_from_study_result(client)
    report_id = db.session.scalar(sa.select(CardReport.id))
    auth.login(factory.user(Role.INSTRUCTOR))
    assert client.get("/instructor/decks/class-deck/reports").status_code == 404
    response = client.post(
        f"/instructor/decks/class-deck/reports/{report_id}", data={"action": "dismiss"}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.scalar(sa.select(CardReport.status)) == "open"


def test_a_learner_outside_the_class_cannot_report(client, auth, world, factory):
    _, learner, deck = world
    auth.login(learner)
    form = form_to(html(client.get("/study/class-deck")), "/answer")
    result = html(client.get(client.post(form.action, data=form.data(text="kidney")).location))
    report = form_to(result, "/report")
    auth.login(factory.user(Role.LEARNER))
    response = client.post(report.action, data=report.data(reason="typo"))
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(CardReport.id))) == 0


def test_reveal_step_and_quiz_result_offer_the_report_form(client, auth, world):
    _, learner, deck = world
    auth.login(learner)
    attempt = quiz.start_quiz(learner, ["class-deck"], QuizOptions(count=3), now=NOW)
    result_url = client.post(f"/quiz/{attempt.id}/submit").location
    result = html(client.get(result_url))
    report_forms = [f for f in forms(result) if f.action.endswith("/report")]
    assert len(report_forms) == 3
    response = client.post(
        report_forms[0].action, data=report_forms[0].data(reason="unclear", note="")
    )
    assert response.status_code == 303 and response.location == result_url
    # A note longer than 500 characters is refused, and nothing changes.
    response = client.post(
        report_forms[0].action, data=report_forms[0].data(reason="other", note="x" * 501)
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(CardReport.reason)) == "unclear"
    # An outside "next" is not followed.
    response = client.post(
        report_forms[1].action, data=report_forms[1].data(reason="typo", next="//evil.example/")
    )
    assert response.status_code == 303 and not response.location.startswith("//")


def test_reveal_step_has_the_report_form(client, auth, world):
    _, learner, deck = world
    auth.login(learner)
    turn = form_to(html(client.get("/study/class-deck")), "/reveal/")
    reveal = html(client.get(turn.action, query_string=turn.data()))
    assert 'data-step="reveal"' in reveal
    assert any(f.action.endswith("/report") for f in forms(reveal))


def test_the_api_reports_a_card_of_the_deck_only(client, world, factory):
    owner, learner, deck = world
    token = _token(client)
    headers = {"Authorization": f"Bearer {token}"}
    card = client.get("/api/v1/study/class-deck/next", headers=headers).get_json()["card"]
    url = f"/api/v1/study/class-deck/cards/{card['card_id']}/report"
    response = client.post(
        url, json={"reason": "unclear", "note": "Which hormone?"}, headers=headers
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["reason"], body["note"], body["status"]) == ("unclear", "Which hormone?", "open")
    again = client.post(url, json={"reason": "typo"}, headers=headers).get_json()
    assert again["report_id"] == body["report_id"] and again["note"] == ""
    for bad in (
        {},
        {"reason": 3},
        {"reason": "typo", "note": 7},
        {"reason": "typo", "note": "x" * 501},
    ):
        assert client.post(url, json=bad, headers=headers).status_code == 422
    # A card of another deck, through this deck's URL: not found.
    factory.deck("public-deck")
    other = client.get("/api/v1/study/public-deck/next", headers=headers).get_json()["card"]
    response = client.post(
        f"/api/v1/study/class-deck/cards/{other['card_id']}/report",
        json={"reason": "typo"},
        headers=headers,
    )
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
    assert db.session.scalar(sa.select(sa.func.count(CardReport.id))) == 1


def _token(client) -> str:
    response = client.post(
        "/api/v1/tokens", json={"email": "ada@example.com", "password": PASSWORD, "name": "t"}
    )
    assert response.status_code == 201, response.data
    return response.get_json()["token"]
