"""One card as the learner meets it: loading it with the learner's state and settings, and what
the learner is shown of it (never its answer)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from quizapp.domain.questions import get_type, presentation_rng
from quizapp.domain.scheduling import CardSchedule, Phase, Settings
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question

from ..errors import NotFound

ALREADY_ANSWERED = (
    "This card was already answered in another tab or window; this answer was "
    "not counted. Here is the next card."
)


@dataclass
class StudyCard:
    """One card as the learner meets it: the card, its question and the learner's state."""

    card: Card
    question: Question
    state: CardState | None
    #: The learner's settings in force for the deck, when they came with the card.
    settings: Settings | None = None

    @property
    def version(self) -> int:
        return self.state.version if self.state is not None else 0

    @property
    def kind(self) -> str:
        if self.state is None:
            return "new"
        return Phase(self.state.state).name.lower()

    @property
    def schedule(self) -> CardSchedule | None:
        return schedule_of(self.state)


def schedule_of(state: CardState | None) -> CardSchedule | None:
    if state is None:
        return None
    return CardSchedule(
        phase=Phase(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
        reps=state.reps,
        lapses=state.lapses,
        leech=state.leech,
    )


def _live(query: sa.Select) -> sa.Select:
    """Restrict a query joined to ``cards`` to the cards learners still see."""
    return query.join(Question, Question.id == Card.question_id).where(
        Card.retired_at.is_(None), Question.retired_at.is_(None)
    )


def _is_id(value: Any) -> bool:
    """A positive integer (or its digits) that fits a database id column."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return False
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**31


def _load(user_id: int, deck: Deck, card_id: Any) -> StudyCard:
    """Card ``card_id`` of ``deck`` with the learner's state; :class:`NotFound` otherwise."""
    if not _is_id(card_id):
        raise NotFound("card_id must be the id of a card of this deck")
    from .hot_path import load_statement, study_card

    # One query (built once): the card, its question, the learner's state and deck settings.
    row = db.session.execute(
        load_statement(), {"user_id": user_id, "card_id": int(card_id)}
    ).first()
    if row is None or row[0].deck_id != deck.id:
        raise NotFound(f"There is no card {card_id} in the deck “{deck.slug}”.")
    card, question = row[0], row[1]
    if card.retired_at is not None or question.retired_at is not None:
        raise NotFound(f"Card {card_id} was removed from the deck “{deck.slug}”.")
    return study_card(deck, row)


def get_card(user_id: int, deck: Deck, card_id: Any) -> StudyCard:
    return _load(user_id, deck, card_id)


def _shuffle_rng(user_id: int, study_card: StudyCard) -> random.Random:
    # Choices are shuffled anew for every review (the version changes with each answer), under
    # the app's secret key: every other part of the seed is visible to the learner.
    return presentation_rng(
        current_app.config["SECRET_KEY"], "study", user_id, study_card.card.id, study_card.version
    )


def present(user_id: int, study_card: StudyCard) -> dict[str, Any]:
    """Everything needed to show the card, and nothing that gives its answer away."""
    question, card = study_card.question, study_card.card
    qtype = get_type(question.type)
    shown = qtype.present(question.fields, card.ordinal, _shuffle_rng(user_id, study_card))
    shown = qtype.study_view(question.fields, card.ordinal, shown)
    state = study_card.state
    return {
        "card_id": card.id,
        # The database id, not the deck file's key: keys are made of a question's key terms
        # ("takeaway-liver"), often the very answer.
        "question_id": str(question.id),
        "type": question.type,
        "label": qtype.label,
        "self_rated": qtype.self_rated,
        "can_reveal": qtype.can_reveal,
        "version": study_card.version,
        "kind": study_card.kind,
        "leech": bool(state and state.leech),
        "lapses": state.lapses if state else 0,
        "question": shown,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
