"""``/api/v1/quizzes``: start a quiz, get its questions (never the answers), save answers, submit
once, get the result and the history.

Scoring happens on the server at submission; until then nothing in a response says which answer
is right. Errors are ``{"error": {"status", "message"}}``: 404 for a quiz that is not the user's,
422 for an answer of the wrong shape or an unknown question, 409 for a quiz already submitted or
past its deadline (that 409 also carries the ``result`` the attempt was scored with).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from quizapp.domain import quiz as rules
from quizapp.domain.numbers import is_db_id
from quizapp.models import QuizAttempt
from quizapp.services import quiz as service

from ..clock import current_time
from ..errors import error_response
from . import ApiError, api_login_required, bp, current_api_user, json_body


@bp.errorhandler(service.TimeUp)
def _time_up(exc: service.TimeUp):
    """Refused as late, with the result the attempt was scored as it stood."""
    response, status = error_response(exc.status, exc.message)
    body = response.get_json()
    body["result"] = result_json(exc.attempt)
    return jsonify(body), status


def _iso(at) -> str | None:
    return at.isoformat() if at else None


def attempt_json(view: service.AttemptView) -> dict[str, Any]:
    """An attempt as its learner sees it while taking it: questions and saved answers only."""
    a = view.attempt
    at = current_time()
    return {
        "id": a.id,
        "decks": [{"slug": d.slug, "title": d.title} for d in service.attempt_decks(a)],
        "assignment_id": a.assignment_id,
        "settings": {k: v for k, v in (a.settings or {}).items() if k != "ended"},
        "started_at": _iso(a.started_at),
        "expires_at": _iso(a.expires_at),
        "seconds_left": view.seconds_left(at) if a.submitted_at is None else 0,
        "submitted": a.submitted_at is not None,
        "answered": view.answered_count,
        "questions": [
            {"index": item.index, "kind": item.kind, "label": item.label, **item.shown}
            for item in view.items
        ],
        "answers": dict(a.answers or {}),
        "links": {
            "self": url_for("api.get_quiz", attempt_id=a.id),
            "answers": url_for("api.save_quiz_answers", attempt_id=a.id),
            "submit": url_for("api.submit_quiz", attempt_id=a.id),
            "result": url_for("api.quiz_result", attempt_id=a.id),
            "page": url_for("quiz.take", attempt_id=a.id),
        },
    }


def result_json(attempt: QuizAttempt) -> dict[str, Any]:
    """A submitted attempt: the score, the time taken and every item with its right answer."""
    return {
        "id": attempt.id,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": service.percent(attempt),
        "started_at": _iso(attempt.started_at),
        "submitted_at": _iso(attempt.submitted_at),
        "time_taken_s": service.time_taken_s(attempt),
        "ended": (attempt.settings or {}).get("ended"),
        "message": service.ended_message(attempt),
        "missed": [r["index"] for r in attempt.results or [] if not r["correct"]],
        "items": [
            {
                "index": r["index"],
                "kind": r["kind"],
                "label": r["label"],
                **r["shown"],
                "answered": r["answered"],
                "correct": r["correct"],
                "given": r["given"],
                "expected": r["expected"],
                "feedback": r["feedback"],
                "explanation": r["explanation"],
                "source": {"section": r["section"], "quote": r["quote"]},
            }
            for r in attempt.results or []
        ],
        "links": {
            "retake": url_for("api.retake_quiz", attempt_id=attempt.id),
            "page": url_for("quiz.result", attempt_id=attempt.id),
        },
    }


def _options(body: dict[str, Any]) -> rules.QuizOptions:
    try:
        return rules.make_options(
            count=body.get("count", rules.DEFAULT_QUESTIONS),
            types=body.get("types"),
            only_missed=body.get("only_missed", False),
            time_limit_s=body.get("time_limit_s"),
            layout=body.get("layout", "paged"),
        )
    except rules.QuizError as exc:
        raise ApiError(422, str(exc)) from None


@bp.post("/quizzes")
@api_login_required
def start_quiz():
    """Start a quiz on ``decks`` (slugs) with options, or the quiz of ``assignment_id``."""
    body, user = json_body(), current_api_user()
    if "assignment_id" in body:
        assignment_id = body["assignment_id"]
        if isinstance(assignment_id, bool) or not isinstance(assignment_id, int):
            raise ApiError(400, "'assignment_id' must be an integer.")
        if not is_db_id(assignment_id):  # no row has it; PostgreSQL would refuse the query
            raise ApiError(404, f"There is no assignment {assignment_id}.")
        attempt = service.start_assignment_quiz(user, assignment_id, now=current_time())
    else:
        decks = body.get("decks")
        if not isinstance(decks, list) or not decks or not all(isinstance(d, str) for d in decks):
            raise ApiError(
                400,
                "'decks' must be a non-empty list of deck slugs (or send "
                "'assignment_id' for an assigned quiz).",
            )
        attempt = service.start_quiz(user, decks, _options(body), now=current_time())
    return jsonify(attempt_json(service.attempt_view(attempt))), 201


@bp.get("/quizzes")
@api_login_required
def list_quizzes():
    """The user's attempts, grouped by deck with the best and latest score (``?deck=slug``)."""
    groups = service.history(
        current_api_user(), now=current_time(), deck_slug=request.args.get("deck") or None
    )
    return jsonify(
        groups=[
            {
                "decks": group.titles,
                "best_percent": group.best,
                "latest_percent": group.latest,
                "attempts": [
                    {
                        "id": a.id,
                        "started_at": _iso(a.started_at),
                        "submitted_at": _iso(a.submitted_at),
                        "score": a.score,
                        "max_score": a.max_score,
                        "percent": service.percent(a),
                        "assignment_id": a.assignment_id,
                        "link": url_for("api.get_quiz", attempt_id=a.id),
                    }
                    for a in group.attempts
                ],
            }
            for group in groups
        ]
    )


@bp.get("/quizzes/<int:attempt_id>")
@api_login_required
def get_quiz(attempt_id: int):
    """The questions (without answers) and the answers saved so far; the result once submitted."""
    attempt = service.get_attempt(current_api_user(), attempt_id, now=current_time())
    body = attempt_json(service.attempt_view(attempt))
    if attempt.submitted_at is not None:
        body["result"] = result_json(attempt)
    return jsonify(body)


def _answers(body: dict[str, Any], *, required: bool) -> dict[str, Any] | None:
    answers = body.get("answers")
    if answers is None and not required:
        return None
    if not isinstance(answers, dict):
        raise ApiError(
            400,
            "'answers' must be an object from question index to answer, "
            'e.g. {"0": {"answer": true}, "3": {"choices": ["a1b2c3d4e5"]}}.',
        )
    return answers


@bp.put("/quizzes/<int:attempt_id>/answers")
@api_login_required
def save_quiz_answers(attempt_id: int):
    """Save some answers (null or an empty answer clears one) without submitting."""
    answers = _answers(json_body(), required=True)
    attempt = service.save_answers(current_api_user(), attempt_id, answers, now=current_time())
    return jsonify(answered=len(attempt.answers or {}), answers=dict(attempt.answers or {}))


@bp.post("/quizzes/<int:attempt_id>/submit")
@api_login_required
def submit_quiz(attempt_id: int):
    """Score the attempt (with any ``answers`` sent merged in); a repeat returns the same result."""
    body = json_body() if request.get_data() else {}
    outcome = service.submit(
        current_api_user(), attempt_id, _answers(body, required=False), now=current_time()
    )
    result = result_json(outcome.attempt)
    result["already_submitted"] = outcome.already
    return jsonify(result)


@bp.get("/quizzes/<int:attempt_id>/result")
@api_login_required
def quiz_result(attempt_id: int):
    attempt = service.attempt_for_reviewer(current_api_user(), attempt_id, now=current_time())
    if attempt.submitted_at is None:
        raise ApiError(
            409,
            "This quiz is not submitted yet: submit it with "
            f"POST /api/v1/quizzes/{attempt_id}/submit.",
        )
    return jsonify(result_json(attempt))


@bp.post("/quizzes/<int:attempt_id>/retake")
@api_login_required
def retake_quiz(attempt_id: int):
    """A new quiz of the questions this attempt missed."""
    attempt = service.retake_missed(current_api_user(), attempt_id, now=current_time())
    return jsonify(attempt_json(service.attempt_view(attempt))), 201
