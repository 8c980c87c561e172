"""The one error family (services/errors.py) answered by the one app-wide handler: the status of
each member, and its field and problem list, as API JSON and as a page."""

from __future__ import annotations

import pytest

from quizapp.domain.deckfile import FileProblem
from quizapp.services import errors
from quizapp.services.accounts import AccountError
from quizapp.services.classes import ClassError
from quizapp.services.drafts import DraftError
from quizapp.services.export import UnknownDecks
from quizapp.services.quiz import QuizServiceError
from quizapp.services.study import BadAnswer, StudyError


@pytest.mark.parametrize(
    "error, status",
    [
        (AccountError("Use at least 10 characters.", "password"), 400),
        (ClassError("Give the class a name."), 400),
        (DraftError("The deck cannot be published yet."), 400),
        (UnknownDecks(["nope"]), 404),
        (errors.Forbidden("Not yours."), 403),
        (errors.Conflict("Answered meanwhile."), 409),
        (BadAnswer("That answer is too long."), 422),
    ],
)
def test_every_area_error_is_a_service_error_with_its_status(error, status):
    assert isinstance(error, errors.ServiceError) and error.status == status
    assert StudyError is errors.ServiceError and QuizServiceError is errors.ServiceError


def _raising(app, error: Exception) -> None:
    def view():
        raise error

    app.add_url_rule("/api/v1/_raise", "_raise_api", view)
    app.add_url_rule("/_raise", "_raise_page", view)


def test_field_and_problems_reach_the_json_and_the_page(app, client):
    problems = [
        FileProblem("deck.yaml", 3, "a question needs a type"),
        FileProblem("deck.yaml", 9, "<b>answer</b> is missing"),
    ]
    _raising(app, DraftError("The deck file has problems.", problems))
    response = client.get("/api/v1/_raise")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": {
            "status": 400,
            "message": "The deck file has problems.",
            "problems": [
                "deck.yaml:3: a question needs a type",
                "deck.yaml:9: <b>answer</b> is missing",
            ],
        }
    }
    page = client.get("/_raise", headers={"Accept": "text/html"})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "deck.yaml:3: a question needs a type" in text
    assert "&lt;b&gt;answer&lt;/b&gt; is missing" in text  # escaped, never markup


def test_a_field_is_named_and_nothing_else_is_added(app, client):
    _raising(app, AccountError("Use at least 10 characters.", "password"))
    assert client.get("/api/v1/_raise").get_json() == {
        "error": {"status": 400, "message": "Use at least 10 characters.", "field": "password"}
    }
