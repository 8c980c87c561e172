"""Turning a self-rated card over (basic, or a cloze the learner chooses not to type)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from quizapp.domain.questions import get_type
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import CardReveal, Deck

from ..errors import Conflict
from ..errors import Invalid as BadAnswer
from .cards import ALREADY_ANSWERED, StudyCard, _load
from .queue import _studyable
from .ratings import RatingOption, _options
from .settings import effective_settings


@dataclass
class Reveal:
    """A self-rated card turned over: the answer and the four rating buttons."""

    card_id: int
    version: int
    expected: Any
    explanation: str
    quote: str
    section: str
    full_text: str | None
    ratings: list[RatingOption]

    def to_dict(self) -> dict[str, Any]:
        return {
            "card_id": self.card_id,
            "version": self.version,
            "expected": self.expected,
            "explanation": self.explanation,
            "source_quote": self.quote,
            "source_section": self.section,
            "full_text": self.full_text,
            "ratings": [o.to_dict() for o in self.ratings],
        }


def reveal(user_id: int, deck: Deck, card_id: Any, now: datetime) -> Reveal:
    """Turn over a self-rated card (basic, or a cloze the learner chooses not to type).

    A cloze's reveal is recorded (and committed) before its answer is returned: until the card
    is answered, any answer to it counts as revealed (self-rated, Again without a rating), so
    typing the text just shown is not graded right. The answer itself is recorded with the
    learner's rating. Auto-graded types (true/false, multiple choice, ordering) cannot be
    revealed before they are answered.
    """
    study_card = _load(user_id, deck, card_id)
    question = study_card.question
    qtype = get_type(question.type)
    if not qtype.can_reveal:
        raise BadAnswer("This question is graded: answer it to see the right answer.")
    if not _studyable(study_card, now):
        raise Conflict(ALREADY_ANSWERED)
    if qtype.revealable:
        _record_reveal(user_id, study_card, now)
    grade = qtype.grade(question.fields, study_card.card.ordinal, qtype.reveal_response())
    return Reveal(
        card_id=study_card.card.id,
        version=study_card.version,
        expected=grade.expected,
        explanation=question.explanation,
        quote=question.origin_quote,
        section=question.origin_section,
        full_text=grade.feedback.get("text"),
        ratings=_options(
            user_id,
            study_card.card.id,
            study_card.schedule,
            now,
            effective_settings(user_id, deck),
            tuple(Rating),
        ),
    )


def _record_reveal(user_id: int, study_card: StudyCard, now: datetime) -> None:
    """Note that ``study_card``'s answer was shown in its current presentation; commits."""
    row = db.session.get(CardReveal, (user_id, study_card.card.id))
    if row is not None and row.version == study_card.version:
        return
    if row is None:
        row = CardReveal(user_id=user_id, card_id=study_card.card.id)
        db.session.add(row)
    row.version, row.revealed_at = study_card.version, now
    try:
        db.session.commit()
    except (sa.exc.IntegrityError, StaleDataError):
        # The same card revealed at the same moment in another tab: that record stands.
        db.session.rollback()


def _was_revealed(user_id: int, study_card: StudyCard) -> bool:
    """True when the card's answer was shown in this presentation (since its last answer)."""
    row = db.session.get(CardReveal, (user_id, study_card.card.id))
    return row is not None and row.version == study_card.version
