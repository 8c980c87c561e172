"""The quiz JSON API with a bearer token: start, questions without answers, save, submit once,
result, and every refusal as a 4xx JSON error."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import QuizAttempt, Role, Visibility
from quizapp.services import classes, tokens
from quizapp.services import quiz as service

from ..services.test_quiz import questions_of, right_answer, wrong_answer

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.start_time(T0)


@pytest.fixture
def api(client, learner, clock):
    token = tokens.issue_token(learner, now=clock()).token
    return _Api(client, token)


class _Api:
    def __init__(self, client, token: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method: str):
        def call(url: str, body=None):
            kwargs = {"headers": self.headers}
            if body is not None:
                kwargs["json"] = body
            return getattr(self.client, method)(url, **kwargs)

        return call


def answers(attempt_id: int, wrong: set[int] = frozenset()) -> dict:
    attempt = db.session.get(QuizAttempt, attempt_id)
    view = service.attempt_view(attempt)
    out = {}
    for item, question in zip(view.items, questions_of(attempt), strict=True):
        make = wrong_answer if item.index in wrong else right_answer
        out[str(item.index)] = make(item, question, attempt.items[item.index]["ordinal"])
    return out


def test_start_get_submit_result(api, deck):
    response = api.post("/api/v1/quizzes", {"decks": ["sample-deck"], "count": 10})
    assert response.status_code == 201, response.get_json()
    quiz = response.get_json()
    assert len(quiz["questions"]) == 5 and quiz["answers"] == {}
    assert quiz["decks"] == [{"slug": "sample-deck", "title": "Sample Deck"}]
    text = json.dumps(quiz)
    for secret in ('"correct"', '"expected"', "The process by which IGF-1", '"answer"'):
        assert secret not in text
    quiz_id = quiz["id"]
    assert api.get(f"/api/v1/quizzes/{quiz_id}").get_json()["questions"] == quiz["questions"]
    assert api.get(f"/api/v1/quizzes/{quiz_id}/result").status_code == 409

    right = answers(quiz_id, wrong={2})
    saved = api.put(f"/api/v1/quizzes/{quiz_id}/answers", {"answers": {"0": right["0"]}})
    assert saved.status_code == 200 and saved.get_json()["answered"] == 1
    result = api.post(f"/api/v1/quizzes/{quiz_id}/submit", {"answers": right}).get_json()
    assert (result["score"], result["max_score"], result["percent"]) == (4, 5, 80)
    assert result["missed"] == [2] and result["already_submitted"] is False
    item = result["items"][2]
    assert item["correct"] is False and item["expected"] is not None
    assert set(item["source"]) == {"section", "quote"}
    assert "explanation" in item
    again = api.post(f"/api/v1/quizzes/{quiz_id}/submit", {"answers": answers(quiz_id)})
    assert again.status_code == 200
    assert again.get_json()["already_submitted"] is True and again.get_json()["score"] == 4
    assert api.get(f"/api/v1/quizzes/{quiz_id}/result").get_json()["score"] == 4
    assert api.get(f"/api/v1/quizzes/{quiz_id}").get_json()["result"]["score"] == 4

    retake = api.post(f"/api/v1/quizzes/{quiz_id}/retake")
    assert retake.status_code == 201 and len(retake.get_json()["questions"]) == 1
    history = api.get("/api/v1/quizzes?deck=sample-deck").get_json()["groups"]
    assert history[0]["best_percent"] == 80 and len(history[0]["attempts"]) == 2


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 400, "'decks' must be a non-empty list"),
        ({"decks": "sample-deck"}, 400, "'decks' must be a non-empty list"),
        ({"decks": ["nope"]}, 404, "no deck called “nope”"),
        ({"decks": ["sample-deck"], "count": 0}, 422, "between 1 and 100"),
        ({"decks": ["sample-deck"], "types": ["essay"]}, 422, "Unknown question type"),
        ({"decks": ["sample-deck"], "time_limit_s": "soon"}, 422, "whole number of seconds"),
        ({"decks": ["sample-deck"], "only_missed": True}, 422, "nothing to retry"),
        ({"assignment_id": "1"}, 400, "'assignment_id' must be an integer"),
        ({"assignment_id": 999}, 404, "no assignment 999"),
    ],
)
def test_bad_starts_are_4xx_json(api, deck, body, status, message):
    response = api.post("/api/v1/quizzes", body)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]


def test_wrong_shapes_unknown_questions_and_other_learners(api, deck, factory, client, clock):
    quiz = api.post(
        "/api/v1/quizzes", {"decks": ["sample-deck"], "types": ["true_false", "multiple_choice"]}
    ).get_json()
    kinds = [q["kind"] for q in quiz["questions"]]
    tf, mc = str(kinds.index("true_false")), str(kinds.index("multiple_choice"))
    cases = [
        ({"answers": {tf: {"answer": "yes"}}}, 422, "a true/false answer is"),
        ({"answers": {mc: {"choices": ["not-an-id"]}}}, 422, "unknown choice id"),
        ({"answers": {mc: "A"}}, 422, "a multiple-choice answer is"),
        ({"answers": {"7": {"answer": True}}}, 422, "no question '7'"),
        ({"answers": {"x": {"answer": True}}}, 422, "no question 'x'"),
        ({"answers": [1, 2]}, 400, "'answers' must be an object"),
        ({"answers": {tf: {"answer": True, "x": "y" * 3000}}}, 422, "this answer is too long"),
    ]
    for body, status, message in cases:
        for method, url in (
            ("put", f"/api/v1/quizzes/{quiz['id']}/answers"),
            ("post", f"/api/v1/quizzes/{quiz['id']}/submit"),
        ):
            response = getattr(api, method)(url, body)
            assert response.status_code == status, (body, response.get_json())
            assert message in response.get_json()["error"]["message"]
    assert db.session.get(QuizAttempt, quiz["id"]).submitted_at is None
    response = api.post(f"/api/v1/quizzes/{quiz['id']}/submit", [1])
    assert response.status_code == 400

    other = _other_api(client, factory, clock)
    for method, url in (
        ("get", f"/api/v1/quizzes/{quiz['id']}"),
        ("get", f"/api/v1/quizzes/{quiz['id']}/result"),
        ("put", f"/api/v1/quizzes/{quiz['id']}/answers"),
        ("post", f"/api/v1/quizzes/{quiz['id']}/submit"),
        ("post", f"/api/v1/quizzes/{quiz['id']}/retake"),
    ):
        response = getattr(other, method)(url, {"answers": {}})
        assert response.status_code == 404
        assert "of yours" in response.get_json()["error"]["message"]
    assert api.get("/api/v1/quizzes/999999").status_code == 404
    assert client.get(f"/api/v1/quizzes/{quiz['id']}").status_code == 401


def _other_api(client, factory, clock) -> _Api:
    return _Api(client, tokens.issue_token(factory.user(), now=clock()).token)


def test_late_submission_is_409_with_the_result_as_it_stood(api, deck, clock):
    quiz = api.post("/api/v1/quizzes", {"decks": ["sample-deck"], "time_limit_s": 120}).get_json()
    assert quiz["seconds_left"] == 120
    right = answers(quiz["id"])
    api.put(f"/api/v1/quizzes/{quiz['id']}/answers", {"answers": {"0": right["0"]}})
    clock.advance(minutes=5)
    response = api.post(f"/api/v1/quizzes/{quiz['id']}/submit", {"answers": right})
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["message"].startswith("Time was up at 2025-03-01 09:02 UTC.")
    assert body["result"]["score"] == 1 and body["result"]["ended"] == "time_limit"
    assert body["result"]["time_taken_s"] == 120
    response = api.put(f"/api/v1/quizzes/{quiz['id']}/answers", {"answers": right})
    assert response.status_code == 409


def test_assigned_quiz_over_the_api(api, learner, factory, deck, clock):
    teacher = factory.user(Role.INSTRUCTOR)
    classroom = classes.create_class(teacher, "Class")
    classes.join(learner, classroom.join_code)
    assignment = classes.assign(classroom, deck)
    response = api.post("/api/v1/quizzes", {"assignment_id": assignment.id})
    assert response.status_code == 404 and "has no quiz" in response.get_json()["error"]["message"]
    service.set_assignment_quiz(
        teacher,
        assignment.id,
        question_count=2,
        time_limit_s=60,
        closes_at=T0 + timedelta(minutes=30),
    )
    quiz = api.post("/api/v1/quizzes", {"assignment_id": assignment.id}).get_json()
    assert len(quiz["questions"]) == 2 and quiz["assignment_id"] == assignment.id
    assert quiz["seconds_left"] == 60


def test_hidden_deck_is_not_quizzable(api, factory):
    factory.deck("secret", owner=factory.user(Role.INSTRUCTOR), visibility=Visibility.PRIVATE)
    response = api.post("/api/v1/quizzes", {"decks": ["secret"]})
    assert response.status_code == 404


def test_every_quiz_route_is_in_the_openapi_description(client, app):
    from ruamel.yaml import YAML

    spec = YAML(typ="safe").load(client.get("/api/v1/openapi.yaml").get_data(as_text=True))
    documented = {
        (path, method.upper())
        for path, ops in spec["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "delete")
    }
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/quizzes"):
            path = rule.rule.removeprefix("/api/v1").replace("<int:attempt_id>", "{attempt_id}")
            served |= {(path, m) for m in rule.methods if m not in ("HEAD", "OPTIONS")}
    assert len(served) == 7 and served <= documented, served - documented

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from ([value] if key == "$ref" else refs(value))
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(spec):
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]  # KeyError: a dangling $ref
