"""Learners report bad cards; the deck's owner (or an admin) reads and closes the reports.

Who may do what is checked here, not in the views: anyone who can see a deck (see
:func:`quizapp.services.decks.can_see`) may report its cards; only the deck's owner or an admin
sees the deck's reports and resolves or dismisses them. Everyone else gets :class:`NotFound`, as
if the deck did not exist. A learner has at most one open report per question: reporting the same
question again while it is open updates the reason and the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Card, CardReport, Deck, Question, User

from . import decks
from .errors import Invalid, NotFound

#: reason code → label shown to learners and instructors.
REASONS = {
    "wrong_answer": "The answer is wrong",
    "unclear": "The question is unclear",
    "typo": "Typo",
    "other": "Something else",
}
MAX_NOTE = 500
OPEN, RESOLVED, DISMISSED = "open", "resolved", "dismissed"
CLOSINGS = {"resolve": RESOLVED, "dismiss": DISMISSED}


def _visible_card(user, card_id: int) -> tuple[Card, Deck]:
    row = db.session.execute(
        sa.select(Card, Deck).join(Deck, Deck.id == Card.deck_id).where(Card.id == card_id)
    ).first()
    if row is None or not decks.can_see(user, row.Deck) or not row.Deck.is_published:
        raise NotFound("There is no such card, or its deck is not shared with you.")
    return row.Card, row.Deck


def report_card(
    user,
    card_id: int,
    reason: str | None,
    note: str | None,
    now: datetime,
    *,
    deck: Deck | None = None,
) -> CardReport:
    """Record (or update) ``user``'s open report of the question behind ``card_id``.

    With ``deck``, the card must be one of that deck's (the API names both).
    """
    card, card_deck = _visible_card(user, card_id)
    if deck is not None and card_deck.id != deck.id:
        raise NotFound("There is no such card in this deck.")
    deck = card_deck
    reason = reason.strip() if isinstance(reason, str) else ""
    if reason not in REASONS:
        raise Invalid(f"Choose why you are reporting this card: one of {', '.join(REASONS)}.")
    if note is not None and not isinstance(note, str):
        raise Invalid("The note must be text.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"The note can be at most {MAX_NOTE} characters long.")
    report = db.session.scalar(
        sa.select(CardReport).where(
            CardReport.user_id == user.id,
            CardReport.question_id == card.question_id,
            CardReport.status == OPEN,
        )
    )
    if report is None:
        report = CardReport(
            deck_id=deck.id,
            question_id=card.question_id,
            user_id=user.id,
            status=OPEN,
            created_at=now,
        )
        db.session.add(report)
    report.card_id = card.id
    report.reason = reason
    report.note = note
    report.updated_at = now
    db.session.commit()
    return report


def _managed_deck(user, slug: str) -> Deck:
    deck = db.session.scalar(sa.select(Deck).where(Deck.slug == slug))
    if deck is None or not decks.can_edit(user, deck):
        raise NotFound(f"You have no deck called “{slug}”.")
    return deck


@dataclass(frozen=True)
class InboxItem:
    id: int
    question_key: str
    question_text: str
    reason: str
    reason_label: str
    note: str
    learner: str
    reported_at: datetime
    #: How many learners have an open report of the same question (this one included).
    same_question: int


def question_text(question: Question) -> str:
    """The words a learner sees first, whatever the question's type."""
    fields = question.fields or {}
    for name in ("front", "prompt", "statement", "text"):
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return question.key


def open_reports(user, slug: str) -> tuple[Deck, list[InboxItem]]:
    """The deck's open reports, newest first; for its owner or an admin only."""
    deck = _managed_deck(user, slug)
    rows = db.session.execute(
        sa.select(CardReport, Question, User)
        .join(Question, Question.id == CardReport.question_id)
        .join(User, User.id == CardReport.user_id)
        .where(CardReport.deck_id == deck.id, CardReport.status == OPEN)
        .order_by(CardReport.updated_at.desc(), CardReport.id.desc())
    ).all()
    per_question: dict[int, int] = {}
    for report, _, _ in rows:
        per_question[report.question_id] = per_question.get(report.question_id, 0) + 1
    items = [
        InboxItem(
            id=report.id,
            question_key=question.key,
            question_text=question_text(question),
            reason=report.reason,
            reason_label=REASONS.get(report.reason, report.reason),
            note=report.note,
            learner=learner.name,
            reported_at=report.updated_at,
            same_question=per_question[report.question_id],
        )
        for report, question, learner in rows
    ]
    return deck, items


def open_count(deck: Deck) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(CardReport.id)).where(
                CardReport.deck_id == deck.id, CardReport.status == OPEN
            )
        )
        or 0
    )


def close_report(user, slug: str, report_id: int, action: str | None, now: datetime) -> CardReport:
    """Resolve (the card was fixed) or dismiss (nothing to fix) an open report of the deck."""
    deck = _managed_deck(user, slug)
    report = db.session.scalar(
        sa.select(CardReport).where(CardReport.id == report_id, CardReport.deck_id == deck.id)
    )
    if report is None:
        raise NotFound("There is no such report for this deck.")
    status = CLOSINGS.get(action or "")
    if status is None:
        raise Invalid("Choose to resolve or to dismiss the report.")
    if report.status == OPEN:
        report.status = status
        report.closed_by_id = user.id
        report.closed_at = now
        db.session.commit()
    return report
