"""Starting a quiz: drawing a new attempt on chosen decks, or retaking the questions missed."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from quizapp.domain import quiz as rules
from quizapp.domain.questions import get_type, quiz_pool_types
from quizapp.extensions import db
from quizapp.models import Assignment, Card, Question, QuizAttempt, Review, User

from .. import decks as deck_service
from ..errors import Conflict, Invalid
from .attempts import _LIGHT, _own_attempt, require_visible


def start_quiz(
    user: User,
    deck_slugs: Iterable[str],
    options: rules.QuizOptions,
    *,
    now: datetime,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Draw a new quiz on the decks ``deck_slugs`` (each visible to ``user``) and save it."""
    slugs = list(dict.fromkeys(s for s in deck_slugs if s))
    if not slugs:
        raise Invalid("Choose at least one deck to quiz on.")
    found = [deck_service.require_visible(user, slug) for slug in slugs]
    return _create(user, [d.id for d in found], options, now=now, rng=rng or random.Random())


def _create(
    user: User,
    deck_ids: list[int],
    options: rules.QuizOptions,
    *,
    now: datetime,
    rng: random.Random,
    assignment: Assignment | None = None,
) -> QuizAttempt:
    require_visible(user, deck_ids)
    candidates = _candidates(deck_ids, options.types)
    if options.only_missed:
        missed = _missed(user.id, deck_ids, {c.card_id for c in candidates})
        candidates = [c for c in candidates if c.card_id in missed]
        if not candidates:
            raise Invalid(
                "You have not got any question of the chosen types wrong yet: "
                "there is nothing to retry. Start a quiz on all questions instead."
            )
    if not candidates:
        raise Invalid("There are no questions of the chosen types to quiz on.")
    items = rules.draw_items(candidates, options.count, rng, basic_backs=_basic_backs(deck_ids))
    closes_at = assignment.quiz_closes_at if assignment else None
    attempt = QuizAttempt(
        user_id=user.id,
        assignment_id=assignment.id if assignment else None,
        deck_ids=deck_ids,
        settings=options.to_settings(),
        items=items,
        answers={},
        started_at=now,
        max_score=len(items),
        expires_at=rules.deadline(now, time_limit_s=options.time_limit_s, closes_at=closes_at),
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def retake_missed(
    user: User,
    attempt_id: int,
    *,
    now: datetime,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """A new practice quiz of the items ``attempt`` got wrong, reshuffled, without time limit."""
    rng = rng or random.Random()
    source = _own_attempt(user, attempt_id, now)
    if source.submitted_at is None:
        raise Conflict("Submit this quiz first; then you can retake the questions you missed.")
    require_visible(user, source.deck_ids)
    missed = [r["index"] for r in source.results or [] if not r["correct"]]
    if not missed:
        raise Conflict("You got every question right: there is nothing to retake.")
    items = []
    for index in missed:
        item = dict(source.items[index])
        item["seed"] = rng.getrandbits(31)
        items.append(item)
    rng.shuffle(items)
    settings = rules.QuizOptions(count=len(items), layout=source.settings.get("layout", "paged"))
    attempt = QuizAttempt(
        user_id=user.id,
        deck_ids=list(source.deck_ids),
        settings={**settings.to_settings(), "retake_of": source.id},
        items=items,
        answers={},
        started_at=now,
        max_score=len(items),
        expires_at=rules.deadline(now, time_limit_s=None),
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def _candidates(deck_ids: list[int], types: Iterable[str]) -> list[rules.Candidate]:
    rows = db.session.execute(
        sa.select(Card.id, Card.question_id, Question.type, Card.ordinal)
        .join(Question, Question.id == Card.question_id)
        .where(
            Card.deck_id.in_(deck_ids),
            Card.retired_at.is_(None),
            Question.retired_at.is_(None),
            Question.type.in_(list(types)),
        )
    )
    return [
        rules.Candidate(card_id, question_id, type_, ordinal)
        for card_id, question_id, type_, ordinal in rows
    ]


def _basic_backs(deck_ids: list[int]) -> dict[int, str]:
    """The quiz pool of the decks: each question's ``quiz_pool_text`` (a basic question's back)."""
    rows = db.session.execute(
        sa.select(Question.id, Question.type, Question.fields).where(
            Question.deck_id.in_(deck_ids),
            Question.type.in_(quiz_pool_types()),
            Question.retired_at.is_(None),
        )
    )
    pool = {qid: get_type(type_name).quiz_pool_text(fields) for qid, type_name, fields in rows}
    return {qid: text for qid, text in pool.items() if text is not None}


def _missed(user_id: int, deck_ids: list[int], card_ids: set[int]) -> set[int]:
    """The cards whose latest graded answer, in study or in a quiz, was wrong."""
    latest = (
        sa.select(Review.card_id, sa.func.max(Review.reviewed_at).label("at"))
        .where(Review.user_id == user_id, Review.deck_id.in_(deck_ids), Review.undone_at.is_(None))
        .group_by(Review.card_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Review.card_id, Review.reviewed_at, Review.correct, Review.rating)
        .join(
            latest, sa.and_(Review.card_id == latest.c.card_id, Review.reviewed_at == latest.c.at)
        )
        .where(Review.user_id == user_id, Review.undone_at.is_(None))
    )
    # Self-rated reviews have no ``correct``: Again (1) is the learner saying they missed it.
    events = [
        (card_id, at, correct if correct is not None else rating > 1)
        for card_id, at, correct, rating in rows
    ]
    for attempt in _attempts_on(user_id, deck_ids):
        if attempt.submitted_at is None:
            continue
        events += [
            (r["card_id"], attempt.submitted_at, bool(r["correct"]))
            for r in attempt.results or []
            if r.get("answered")
        ]
    return rules.missed_cards(e for e in events if e[0] in card_ids)


def _attempts_on(user_id: int, deck_ids: Iterable[int]) -> list[QuizAttempt]:
    """The user's attempts touching any of ``deck_ids``, newest first (filtered in Python: one
    learner's attempts are few, and deck_ids is a JSON list)."""
    wanted = set(deck_ids)
    return [
        a
        for a in db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == user_id)
            .options(*_LIGHT)
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
        if wanted & set(a.deck_ids)
    ]
