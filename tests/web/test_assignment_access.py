"""Assignments are no way around a deck's visibility, and their ids cannot be probed
(issue 13, findings 3, 14 and 15)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quizapp.models import Role, Visibility
from quizapp.services import classes, drafts, tokens
from quizapp.services import quiz as service

from ..factories import Clock

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(app) -> Clock:
    app.config["QUIZAPP_NOW"] = clock = Clock(T0)
    return clock


@pytest.fixture
def world(factory, clock):
    """A teacher's class-only deck assigned (with a quiz) to their class, with one learner."""
    teacher = factory.user(Role.INSTRUCTOR)
    learner = factory.user()
    deck = factory.deck("owned", owner=teacher, visibility=Visibility.CLASS)
    classroom = classes.create_class(teacher, "Biology")
    classes.join(learner, classroom.join_code)
    assignment = classes.assign(classroom, deck, by=teacher)
    service.set_assignment_quiz(teacher, assignment.id, question_count=4)
    headers = {"Authorization": f"Bearer {tokens.issue_token(learner, now=T0).token}"}
    return teacher, learner, deck, assignment, headers


def _error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]["message"]


def test_a_deck_made_private_is_not_quizzable_through_its_assignment(client, auth, world):
    teacher, learner, deck, assignment, headers = world
    # While the class may see the deck: an attempt started and one submitted.
    first = client.post("/api/v1/quizzes", json={"assignment_id": assignment.id}, headers=headers)
    assert first.status_code == 201
    done = first.get_json()["id"]
    assert (
        client.post(
            f"/api/v1/quizzes/{done}/submit", json={"answers": {}}, headers=headers
        ).status_code
        == 200
    )
    second = client.post(
        "/api/v1/quizzes", json={"assignment_id": assignment.id}, headers=headers
    ).get_json()["id"]

    drafts.set_visibility(deck, Visibility.PRIVATE)

    # No new attempt, no resumed one, no submission (which would return every answer), no retake.
    _error(
        client.post("/api/v1/quizzes", json={"assignment_id": assignment.id}, headers=headers), 404
    )
    for call in (
        client.get(f"/api/v1/quizzes/{second}", headers=headers),
        client.put(f"/api/v1/quizzes/{second}/answers", json={"answers": {}}, headers=headers),
        client.post(f"/api/v1/quizzes/{second}/submit", json={"answers": {}}, headers=headers),
        client.post(f"/api/v1/quizzes/{done}/retake", headers=headers),
    ):
        assert "expected" not in call.get_data(as_text=True)
        _error(call, 404)
    # The same on the pages.
    auth.login(learner)
    assert client.get(f"/quiz/assignments/{assignment.id}").status_code == 404
    assert client.post(f"/quiz/assignments/{assignment.id}/start").status_code == 404
    assert client.post(f"/quiz/{second}/submit").status_code == 404
    assert service.assigned_quizzes(learner) == []
    assert service.class_quizzes(learner, assignment.classroom_id)[2] == []
    assert "Sample Deck" not in client.get(f"/classes/{assignment.classroom_id}").text
    # The learner's finished attempt stays theirs to read.
    assert client.get(f"/api/v1/quizzes/{done}/result", headers=headers).status_code == 200
    # Made class-only again, the class has its quiz back.
    drafts.set_visibility(deck, Visibility.CLASS)
    resumed = client.post("/api/v1/quizzes", json={"assignment_id": assignment.id}, headers=headers)
    assert resumed.status_code == 201 and resumed.get_json()["id"] == second


def test_a_class_only_deck_is_seen_through_its_owners_classes_only(client, auth, factory, world):
    teacher, learner, deck, _, _ = world
    # Another instructor assigned the deck while it was public; then its owner made it
    # class-only.
    drafts.set_visibility(deck, Visibility.PUBLIC)
    other = factory.user(Role.INSTRUCTOR)
    outsider = factory.user()
    their_class = classes.create_class(other, "Chemistry")
    classes.join(outsider, their_class.join_code)
    theirs = classes.assign(their_class, deck, by=other)
    service.set_assignment_quiz(other, theirs.id, question_count=2)
    drafts.set_visibility(deck, Visibility.CLASS)

    headers = {"Authorization": f"Bearer {tokens.issue_token(outsider, now=T0).token}"}
    auth.login(outsider)
    assert client.get("/decks/owned").status_code == 404
    assert client.get("/study/owned").status_code == 404
    assert "owned" not in client.get("/").get_data(as_text=True)
    _error(client.get("/api/v1/decks/owned", headers=headers), 404)
    _error(client.get("/api/v1/study/owned/next", headers=headers), 404)
    _error(client.post("/api/v1/quizzes", json={"decks": ["owned"]}, headers=headers), 404)
    _error(client.post("/api/v1/quizzes", json={"assignment_id": theirs.id}, headers=headers), 404)
    assert service.assigned_quizzes(outsider) == []
    assert classes.assigned_to(outsider) == []
    # The owner's own class still sees it.
    auth.login(learner)
    assert client.get("/decks/owned").status_code == 200
    assert [a.deck.slug for a in classes.assigned_to(learner)] == ["owned"]
    # And a class-only deck cannot be assigned to another instructor's class again.
    admin = factory.user(Role.ADMIN)
    with pytest.raises(classes.ClassError, match="class-only"):
        classes.assign(their_class, deck, by=admin)


def test_assignment_ids_cannot_be_probed(client, auth, factory, world):
    teacher, learner, deck, assignment, _ = world
    stranger = factory.user(Role.INSTRUCTOR)
    missing = assignment.id + 1000
    headers = {"Authorization": f"Bearer {tokens.issue_token(stranger, now=T0).token}"}
    auth.login(stranger)
    for url, method in (
        ("/quiz/assignments/{}", "get"),
        ("/quiz/assignments/{}/start", "post"),
        ("/quiz/assignments/{}/settings", "get"),
        ("/quiz/assignments/{}/settings", "post"),
        ("/quiz/assignments/{}/results", "get"),
    ):
        existing = getattr(client, method)(url.format(assignment.id))
        absent = getattr(client, method)(url.format(missing))
        assert existing.status_code == absent.status_code == 404, url
        assert f"There is no assignment {assignment.id} in your classes." in existing.text, url
        assert f"There is no assignment {missing} in your classes." in absent.text, url
    existing = _error(
        client.post("/api/v1/quizzes", json={"assignment_id": assignment.id}, headers=headers), 404
    )
    absent = _error(
        client.post("/api/v1/quizzes", json={"assignment_id": missing}, headers=headers), 404
    )
    assert existing == f"There is no assignment {assignment.id} in your classes."
    assert absent == f"There is no assignment {missing} in your classes."
    # A member of the class is no manager: its settings and results are not found either.
    auth.login(learner)
    assert client.get(f"/quiz/assignments/{assignment.id}/settings").status_code == 404
    assert client.get(f"/quiz/assignments/{assignment.id}/results").status_code == 404
