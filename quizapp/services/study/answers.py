"""Answering a card: grading on the server, scheduling, the review log, and changing a right
answer's rating afterwards."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from quizapp.domain import scheduling
from quizapp.domain.questions import AnswerShapeError, Grade, get_type
from quizapp.domain.scheduling import CardSchedule, Rating, Settings
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question, Review

from .. import reschedule
from ..errors import Conflict, NotFound
from ..errors import Invalid as BadAnswer
from ..errors import ServiceError as StudyError
from . import writes
from .cards import ALREADY_ANSWERED, StudyCard, _is_id, _iso, _load
from .queue import _studyable
from .ratings import _COUNT, RatingOption, _options, _result_ratings, day_load
from .reveal import _was_revealed
from .settings import effective_settings

MAX_KEY_LENGTH = 64

MAX_ANSWER_BYTES = 10_000


@dataclass
class AnswerResult:
    """The outcome of one answer, as the learner sees it after answering."""

    review_id: int
    card_id: int
    question_type: str
    correct: bool | None
    rating: Rating
    expected: Any
    given: Any
    feedback: dict[str, Any]
    explanation: str
    quote: str
    section: str
    due: datetime
    reviewed_at: datetime
    ratings: list[RatingOption]
    can_adjust: bool
    leech: bool = False
    #: A wrong auto-graded answer the learner may still claim was right ("I was right").
    can_claim_right: bool = False
    overridden: bool = False
    replayed: bool = False
    undone: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def interval_text(self) -> str:
        return scheduling.format_interval(self.due - self.reviewed_at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_id": self.review_id,
            "card_id": self.card_id,
            "type": self.question_type,
            "correct": self.correct,
            "rating": int(self.rating),
            "rating_label": self.rating.label,
            "expected": self.expected,
            "given": self.given,
            "feedback": self.feedback,
            "explanation": self.explanation,
            "source_quote": self.quote,
            "source_section": self.section,
            "next_due": _iso(self.due),
            "interval": self.interval_text,
            "ratings": [o.to_dict() for o in self.ratings],
            "can_adjust": self.can_adjust,
            "leech": self.leech,
            "replayed": self.replayed,
            "undone": self.undone,
            "can_claim_right": self.can_claim_right,
            "overridden": self.overridden,
        }


def _check_key(key: Any) -> str:
    if not isinstance(key, str) or not key.strip():
        raise StudyError(
            "idempotency_key is required: a fresh random string (e.g. a UUID) "
            "per answer, reused when the same answer is sent again"
        )
    key = key.strip()
    if len(key) > MAX_KEY_LENGTH:
        raise StudyError(f"idempotency_key is at most {MAX_KEY_LENGTH} characters")
    return key


def _review_by_key(user_id: int, key: str) -> Review | None:
    return db.session.scalar(
        sa.select(Review).where(Review.user_id == user_id, Review.idempotency_key == key)
    )


def _grade(question: Question, ordinal: int, response: Any) -> Grade:
    try:
        return get_type(question.type).grade(question.fields, ordinal, response)
    except AnswerShapeError as exc:
        raise BadAnswer(
            f"That answer does not fit this {get_type(question.type).label.lower()} question: {exc}"
        ) from None


def submit_answer(
    user_id: int,
    deck: Deck,
    card_id: Any,
    response: Any,
    *,
    idempotency_key: Any,
    duration_ms: Any,
    now: datetime,
    seen_version: int | None = None,
    rating: Any = None,
) -> AnswerResult:
    """Grade ``response`` to the card, schedule it, log the review and commit.

    See :func:`record_answer`; :mod:`.hot_path` adds the next card in the same transaction.
    """
    outcome = record_answer(
        user_id,
        deck,
        card_id,
        response,
        idempotency_key=idempotency_key,
        duration_ms=duration_ms,
        now=now,
        seen_version=seen_version,
        rating=rating,
    )
    db.session.commit()
    return outcome.result


@dataclass
class Recorded:
    result: AnswerResult
    #: The card answered, as loaded for the answer.
    answered: StudyCard


def record_answer(
    user_id: int,
    deck: Deck,
    card_id: Any,
    response: Any,
    *,
    idempotency_key: Any,
    duration_ms: Any,
    now: datetime,
    seen_version: int | None = None,
    rating: Any = None,
    loaded: StudyCard | None = None,
) -> Recorded:
    """Grade ``response`` to the card, schedule it and log the review, flushed but not
    committed (the caller commits).

    ``rating``: required for self-rated answers; for a right auto-graded answer it may be Hard or
    Easy instead of Good. ``seen_version``: the card version the learner was shown (from
    :func:`present`); a card answered since gets :class:`Conflict`. A replayed
    ``idempotency_key`` returns the first outcome (``replayed`` set) and records nothing.
    """
    key = _check_key(idempotency_key)
    # A replay is found on the conflict paths below: the first answer moved the card on (so the
    # version or due check fails) or, failing that, the unique (user, key) index refuses it.
    if (
        loaded is not None
        and str(loaded.card.id) == str(card_id)
        and loaded.card.deck_id == deck.id
        and loaded.settings is not None
    ):
        study_card = loaded  # loaded by the caller in this transaction, with _load
    else:
        study_card = _load(user_id, deck, card_id)
    if len(json.dumps(response, default=str)) > MAX_ANSWER_BYTES:
        raise BadAnswer("That answer is too long.")
    question, card = study_card.question, study_card.card
    if get_type(question.type).revealable and _was_revealed(user_id, study_card):
        # Shown the answer, the learner cannot be graded on typing it: the answer counts as
        # revealed, self-rated with their rating, or Again without one.
        response = get_type(question.type).reveal_response()
        if rating is None:
            rating = int(Rating.AGAIN)
    grade = _grade(question, card.ordinal, response)
    try:
        chosen = scheduling.rating_for(grade.correct, rating)
    except ValueError as exc:
        message = str(exc)
        raise BadAnswer(message[:1].upper() + message[1:] + ".") from None
    if (seen_version is not None and seen_version != study_card.version) or not _studyable(
        study_card, now, user_id, deck
    ):
        # The same answer, sent twice at once, may have been recorded since the check above.
        db.session.rollback()
        existing = _review_by_key(user_id, key)
        if existing is not None:
            return Recorded(_replay(user_id, deck, existing, card_id), study_card)
        raise Conflict(ALREADY_ANSWERED)

    settings = study_card.settings or effective_settings(user_id, deck)
    before = study_card.schedule
    # Counted once, for the answer and the result's rating buttons alike.
    load = day_load(
        user_id, card.id, before, now, settings, _result_ratings(grade.correct, chosen, False)
    )
    after = scheduling.review(
        before,
        chosen,
        now,
        settings,
        card_id=card.id,
        seed=reschedule.fuzz_seed(user_id, card.id, before),
        day_load=load,
    )
    values: dict[str, Any] = {
        "user_id": user_id,
        "card_id": card.id,
        "deck_id": deck.id,
        "rating": int(chosen),
        "reviewed_at": now,
        "duration_ms": scheduling.clamp_duration(duration_ms),
        "correct": grade.correct,
        "answer": response,
        "idempotency_key": key,
    }
    if before is not None:
        # Left out for a new card, so the column is SQL NULL (a JSON null would not be).
        values["previous_state"] = before.to_dict()
    try:
        # Core statements built once (see .writes): the ORM's flush cost as much CPU as the SQL.
        if study_card.state is None:
            writes.insert_state(user_id, card.id, deck.id, after)
        elif not writes.update_state(study_card.state, after):
            raise StaleDataError("the card's state changed since it was loaded")
        row = Review(id=writes.insert_review(**values), **values)  # not added: written above
        if get_type(question.type).revealable:
            # The answer ends the presentation the card may have been revealed in (only a
            # revealable type's card is ever recorded as revealed: see .reveal).
            writes.forget_reveal(user_id, card.id)
        result = _result(user_id, deck, row, study_card, grade, settings, load)
    except (sa.exc.IntegrityError, StaleDataError):
        db.session.rollback()
        existing = _review_by_key(user_id, key)
        if existing is not None:
            return Recorded(_replay(user_id, deck, existing, card_id), study_card)
        raise Conflict(ALREADY_ANSWERED) from None
    return Recorded(result, study_card)


def _replay(user_id: int, deck: Deck, existing: Review, card_id: Any) -> AnswerResult:
    if existing.deck_id != deck.id or str(existing.card_id) != str(card_id):
        raise Conflict(
            "This idempotency_key was already used for another answer; send a new "
            "key with every new answer."
        )
    result = review_result(user_id, deck, existing.id)
    result.replayed = True
    return result


def is_latest(review: Review) -> bool:
    """True when no later, standing review of the same card by the same learner exists."""
    later = db.session.scalar(
        sa.select(Review.id)
        .where(
            Review.user_id == review.user_id,
            Review.card_id == review.card_id,
            Review.id > review.id,
            Review.undone_at.is_(None),
        )
        .limit(1)
    )
    return later is None


def _result(
    user_id: int,
    deck: Deck,
    review: Review,
    study_card: StudyCard,
    grade: Grade,
    settings: Settings,
    load: Any = _COUNT,
) -> AnswerResult:
    question = study_card.question
    before = (
        CardSchedule.from_dict(review.previous_state) if review.previous_state is not None else None
    )
    rating = Rating(review.rating)
    can_adjust = bool(review.correct) and review.undone_at is None
    ratings = _result_ratings(review.correct, rating, review.undone_at is not None)
    options = _options(
        user_id,
        review.card_id,
        before,
        review.reviewed_at,
        settings,
        ratings,
        chosen=rating,
        load=load,
    )
    state = study_card.state
    due = next(o.interval for o in options if o.rating == rating) + review.reviewed_at
    if state is not None and state.last_review == review.reviewed_at:
        due = state.due
    return AnswerResult(
        review_id=review.id,
        card_id=review.card_id,
        question_type=question.type,
        correct=review.correct,
        rating=rating,
        expected=grade.expected,
        given=grade.given,
        feedback=grade.feedback,
        explanation=question.explanation,
        quote=question.origin_quote,
        section=question.origin_section,
        due=due,
        reviewed_at=review.reviewed_at,
        ratings=options,
        can_adjust=can_adjust,
        leech=bool(state and state.leech),
        undone=review.undone_at is not None,
        can_claim_right=(
            review.correct is False and not review.overridden and review.undone_at is None
        ),
        overridden=bool(review.overridden),
    )


def get_review(user_id: int, deck: Deck, review_id: Any) -> Review:
    if not _is_id(review_id):
        raise NotFound("review id must be a number")
    review = db.session.get(Review, int(review_id))
    if review is None or review.user_id != user_id or review.deck_id != deck.id:
        raise NotFound(f"There is no review {review_id} of yours in the deck “{deck.slug}”.")
    return review


def review_result(user_id: int, deck: Deck, review_id: Any) -> AnswerResult:
    """The outcome of an earlier answer, rebuilt from the review log (for the result page)."""
    review = get_review(user_id, deck, review_id)
    card = db.session.get_one(Card, review.card_id)
    question = card.question
    state = db.session.scalar(
        sa.select(CardState).where(CardState.user_id == user_id, CardState.card_id == card.id)
    )
    study_card = StudyCard(card=card, question=question, state=state)
    try:
        grade = get_type(question.type).grade(question.fields, card.ordinal, review.answer)
    except AnswerShapeError:
        # The question changed shape since; show the current answer without per-item detail.
        grade = Grade(
            correct=review.correct,
            expected=get_type(question.type).reveal(question.fields, card.ordinal),
        )
    return _result(user_id, deck, review, study_card, grade, effective_settings(user_id, deck))


def adjust_rating(
    user_id: int, deck: Deck, review_id: Any, rating: Any, now: datetime
) -> AnswerResult:
    """Change a right auto-graded answer's rating to Hard, Good or Easy, and commit.

    The review is recomputed from the state stored with it, at its own time, so the outcome is
    what the learner would have got by choosing that rating at once. Only the card's latest
    review can change; setting the rating it already has changes nothing.
    """
    review = get_review(user_id, deck, review_id)
    if review.undone_at is not None:
        raise Conflict("That answer was undone; answer the card again instead.")
    if review.correct is not True:
        message = (
            "A wrong answer is rated Again."
            if review.correct is False
            else "A self-rated answer keeps the rating you gave it; undo it to rate again."
        )
        raise BadAnswer(message)
    try:
        new_rating = Rating(int(rating))
    except (TypeError, ValueError):
        raise BadAnswer("A rating is 2 (Hard), 3 (Good) or 4 (Easy).") from None
    if new_rating not in scheduling.allowed_ratings(True):
        raise BadAnswer("A right answer is rated Hard, Good or Easy.")
    state = db.session.scalar(
        sa.select(CardState).where(
            CardState.user_id == user_id, CardState.card_id == review.card_id
        )
    )
    if state is None or state.last_review != review.reviewed_at or not is_latest(review):
        raise Conflict(
            "This card has been answered or changed since; its rating can no longer be changed."
        )
    if new_rating != review.rating:
        before = (
            CardSchedule.from_dict(review.previous_state)
            if review.previous_state is not None
            else None
        )
        settings = effective_settings(user_id, deck)
        # The load as the result page counts it, so the outcome is the button's interval.
        load = day_load(
            user_id,
            review.card_id,
            before,
            review.reviewed_at,
            settings,
            scheduling.allowed_ratings(True),
        )
        after = scheduling.review(
            before,
            new_rating,
            review.reviewed_at,
            settings,
            card_id=review.card_id,
            seed=reschedule.fuzz_seed(user_id, review.card_id, before),
            day_load=load,
        )
        reschedule.apply_schedule(state, after)
        review.rating = int(new_rating)
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            raise Conflict(
                "This card was answered in another tab meanwhile; its rating was not changed."
            ) from None
    return review_result(user_id, deck, review.id)
