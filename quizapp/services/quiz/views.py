"""What a learner (or the instructor) sees of an attempt: its items as presented, scores and
deck titles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quizapp.domain import quiz as rules
from quizapp.domain.questions import get_type
from quizapp.extensions import db
from quizapp.models import Deck, Question, QuizAttempt, User


@dataclass
class ItemView:
    """One item as the learner sees it, with the answer saved so far (None: unanswered)."""

    index: int
    kind: str
    label: str
    shown: dict[str, Any]
    answer: Any = None

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def answered(self) -> bool:
        return not rules.is_blank(self.answer)


@dataclass
class AttemptView:
    attempt: QuizAttempt
    items: list[ItemView]
    deck_titles: list[str]

    @property
    def answered_count(self) -> int:
        return sum(1 for item in self.items if item.answered)

    @property
    def unanswered(self) -> list[ItemView]:
        return [item for item in self.items if not item.answered]

    def seconds_left(self, now: datetime) -> int:
        return max(0, int((self.attempt.expires_at - now).total_seconds()))


def percent(attempt: QuizAttempt) -> int | None:
    return rules.percent(attempt.score, attempt.max_score)


def time_taken_s(attempt: QuizAttempt) -> float | None:
    if attempt.submitted_at is None:
        return None
    return (attempt.submitted_at - attempt.started_at).total_seconds()


def ended_message(attempt: QuizAttempt) -> str | None:
    """Why the attempt ended without the learner submitting it, or None when they submitted."""
    reason = (attempt.settings or {}).get("ended")
    return rules.end_message(reason, attempt.expires_at) if reason else None


def _questions_of(attempt: QuizAttempt) -> tuple[dict[int, rules.QuestionData], dict[int, str]]:
    """The attempt's questions (and the backs its basic choices borrow), as plain data."""
    ids = {item["question_id"] for item in attempt.items}
    distractor_ids = {q for item in attempt.items for q in item.get("distractors", [])}
    rows = {
        q.id: q
        for q in db.session.scalars(
            sa.select(Question).where(Question.id.in_(ids | distractor_ids))
        )
    }
    questions = {}
    for qid in ids:
        row = rows.get(qid)
        questions[qid] = (
            rules.QuestionData(
                row.id,
                row.type,
                dict(row.fields),
                row.explanation,
                row.origin_section,
                row.origin_quote,
            )
            if row is not None
            else rules.removed_question(qid)
        )
    pool = {
        qid: get_type(rows[qid].type).quiz_pool_text(dict(rows[qid].fields))
        for qid in distractor_ids
        if qid in rows
    }
    backs = {qid: text for qid, text in pool.items() if text is not None}
    return questions, backs


def attempt_view(attempt: QuizAttempt) -> AttemptView:
    """Every item as presented (the same shuffle as always), with the answers saved so far."""
    questions, backs = _questions_of(attempt)
    items = []
    for index, item in enumerate(attempt.items):
        distractors = [backs[q] for q in item.get("distractors", []) if q in backs]
        shown = rules.present_item(item, questions[item["question_id"]], distractors)
        items.append(
            ItemView(
                index,
                shown["kind"],
                shown["label"],
                shown["shown"],
                (attempt.answers or {}).get(str(index)),
            )
        )
    return AttemptView(attempt, items, _deck_titles(attempt.deck_ids))


def deck_titles(attempt: QuizAttempt) -> list[str]:
    """The titles of the decks the attempt drew from, in order."""
    return _deck_titles(attempt.deck_ids)


def attempt_decks(attempt: QuizAttempt) -> list[Deck]:
    """The decks the attempt drew from that still exist, in order."""
    rows = {
        d.id: d for d in db.session.scalars(sa.select(Deck).where(Deck.id.in_(attempt.deck_ids)))
    }
    return [rows[i] for i in attempt.deck_ids if i in rows]


def attempt_learner(attempt: QuizAttempt) -> User | None:
    return db.session.get(User, attempt.user_id)


def _deck_titles(deck_ids: Iterable[int]) -> list[str]:
    ids = list(deck_ids)
    titles = dict(db.session.execute(sa.select(Deck.id, Deck.title).where(Deck.id.in_(ids))).all())
    return [titles.get(i, "(a deleted deck)") for i in ids]
