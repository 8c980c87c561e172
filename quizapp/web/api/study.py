"""``/api/v1/study/<deck>``: the next card, answers, reveal, rating changes and undo.

The answer is graded here on the server; ``next`` never contains it.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from quizapp.models import Deck
from quizapp.services import decks as deck_service
from quizapp.services import overrides, reports, study

from ..clock import current_time
from . import ApiError, api_login_required, bp, current_api_user, json_body


def _deck(slug: str) -> Deck:
    return deck_service.require_visible(current_api_user(), slug)


def _int(body: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"'{name}' is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f"'{name}' must be an integer.")
    return value


@bp.get("/study/<slug>/next")
@api_login_required
def next_card(slug: str):
    """The card to study now (without its answer), or ``card: null`` and when to come back.

    The queue counts come with an empty queue, or with ``?counts=1`` (they cost four queries,
    which a client answering card after card rarely needs).
    """
    deck, user = _deck(slug), current_api_user()
    body = _next_body(
        user.id, deck, current_time(), with_counts=request.args.get("counts") in ("1", "true")
    )
    return jsonify({"deck": deck.slug} | body)


def _next_body(user_id: int, deck: Deck, now, *, with_counts: bool = False) -> dict[str, Any]:
    """``card`` (presented, never its answer), and ``counts``/``message`` when the queue is
    empty (or ``with_counts``): the body of ``GET next``, also the ``next`` of an answer."""
    card = study.next_card(user_id, deck, now)
    body: dict[str, Any] = {"card": study.present(user_id, card) if card else None}
    if card is not None and not with_counts:
        return body
    counts = study.queue_counts(user_id, deck, now)
    body["counts"] = counts.to_dict()
    if card is None:
        body["message"] = _empty_message(counts)
    return body


def _empty_message(counts: study.QueueCounts) -> str:
    back = counts.come_back_at
    return (
        f"Nothing to study now; come back at {back.isoformat()}."
        if back
        else "Every card of this deck is learnt; none is scheduled."
    )


@bp.post("/study/<slug>/answers")
@api_login_required
def answer(slug: str):
    """Grade and record an answer: 201 (200 when the idempotency key was seen before), with
    ``next``: the card to study after it, as ``GET next`` gives it."""
    deck, user, body = _deck(slug), current_api_user(), json_body()
    card_id = _int(body, "card_id", required=True)
    if "answer" not in body:
        raise ApiError(
            400,
            "'answer' is required: its shape depends on the card's type "
            "(see the OpenAPI description).",
        )
    now = current_time()
    # The next card comes along (one request per card), found in the answer's transaction; a
    # replay gets the queue as it is now.
    step = study.answer_with_next(
        user.id,
        deck,
        card_id,
        body["answer"],
        idempotency_key=body.get("idempotency_key"),
        duration_ms=_int(body, "duration_ms"),
        now=now,
        seen_version=_int(body, "version"),
        rating=_int(body, "rating"),
    )
    upcoming: dict[str, Any] = {"card": step.next}
    if step.counts is not None:
        upcoming["counts"] = step.counts.to_dict()
        upcoming["message"] = _empty_message(step.counts)
    return jsonify(step.result.to_dict() | {"next": upcoming}), 200 if step.result.replayed else 201


@bp.post("/study/<slug>/reveal")
@api_login_required
def reveal(slug: str):
    """Turn over a self-rated card (basic, or a cloze not typed): its answer and ratings."""
    deck, user, body = _deck(slug), current_api_user(), json_body()
    turned = study.reveal(user.id, deck, _int(body, "card_id", required=True), current_time())
    return jsonify(turned.to_dict())


@bp.put("/study/<slug>/reviews/<int:review_id>/rating")
@api_login_required
def rating(slug: str, review_id: int):
    """Change a right answer's rating to Hard (2), Good (3) or Easy (4)."""
    deck, user, body = _deck(slug), current_api_user(), json_body()
    result = study.adjust_rating(
        user.id, deck, review_id, _int(body, "rating", required=True), current_time()
    )
    return jsonify(result.to_dict())


@bp.post("/study/<slug>/reviews/<int:review_id>/right")
@api_login_required
def claim_right(slug: str, review_id: int):
    """ "I was right": rate a wrong auto-graded answer Good instead of Again (once)."""
    deck, user = _deck(slug), current_api_user()
    return jsonify(overrides.claim_right(user.id, deck, review_id, current_time()).to_dict())


@bp.post("/study/<slug>/undo")
@api_login_required
def undo(slug: str):
    """Undo the latest answer in the deck: the card gets its previous state back exactly."""
    deck, user = _deck(slug), current_api_user()
    undone = study.undo_last(user.id, deck, current_time())
    return jsonify(undone_review_id=undone.review_id, card_id=undone.card_id)


@bp.post("/study/<slug>/cards/<int:card_id>/report")
@api_login_required
def report_card(slug: str, card_id: int):
    """Report a bad card to the deck's owner: ``reason`` and an optional ``note``."""
    deck, user, body = _deck(slug), current_api_user(), json_body()
    report = reports.report_card(
        user, card_id, body.get("reason"), body.get("note"), current_time(), deck=deck
    )
    return jsonify(
        report_id=report.id,
        card_id=report.card_id,
        reason=report.reason,
        note=report.note,
        status=report.status,
    ), 201
