"""The article, painted by memory: the deck's source sentences, each with the learner's current
predicted recall (FSRS retrievability) of the questions made from it.

The full article text is not stored with a deck; every question keeps its source sentence(s)
(``origin_quote``) and section (``origin_section``), so the article is rebuilt from those, in the
deck's order: sections in the order their first question appears, and within a section the
quoted sentences in the order of their first question. Questions without a quote are listed at
the end of their section.

Recall per question is one aggregate query (cards, cards seen, sum of retrievability per
question, computed in SQL at ``now``); the sentence's recall is the mean over the seen cards of
all its questions. A sentence none of whose cards were seen is "untested".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from quizapp.domain.scheduling import curve_terms
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question

from ..study import effective_settings
from .sqltime import retrievability

#: Tints, strongest first: (lowest recall of the band, CSS class suffix, legend label).
BANDS = (
    (0.9, "r5", "90% or more"),
    (0.8, "r4", "80–90%"),
    (0.7, "r3", "70–80%"),
    (0.5, "r2", "50–70%"),
    (0.0, "r1", "under 50%"),
)


def band(recall: float | None) -> str:
    """The tint class suffix of a recall ("r1".."r5"), or "untested"."""
    if recall is None:
        return "untested"
    return next(name for low, name, _ in BANDS if recall >= low)


@dataclass
class QuestionRecall:
    question: Question
    cards: int
    seen: int
    recall_sum: float
    #: Cards the queue may show now: new or due.
    ready: int

    @property
    def recall(self) -> float | None:
        return self.recall_sum / self.seen if self.seen else None


@dataclass
class Sentence:
    number: int
    quote: str
    questions: list[QuestionRecall] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return sum(q.seen for q in self.questions)

    @property
    def cards(self) -> int:
        return sum(q.cards for q in self.questions)

    @property
    def ready(self) -> int:
        return sum(q.ready for q in self.questions)

    @property
    def recall(self) -> float | None:
        seen = self.seen
        return sum(q.recall_sum for q in self.questions) / seen if seen else None

    @property
    def band(self) -> str:
        return band(self.recall)


@dataclass
class Section:
    name: str
    sentences: list[Sentence] = field(default_factory=list)
    unquoted: list[QuestionRecall] = field(default_factory=list)


def question_recall(user_id: int, deck: Deck, now: datetime) -> list[QuestionRecall]:
    """Every live question of ``deck`` with its cards, cards seen by the learner, the sum of their
    retrievability at ``now`` and how many can be studied now; in deck order."""
    factor, decay = curve_terms(effective_settings(user_id, deck).parameters)
    recall = retrievability(now, factor, decay)
    ready = sa.case((sa.or_(CardState.id.is_(None), CardState.due <= now), 1), else_=0)
    per_question = (
        sa.select(
            Card.question_id.label("question_id"),
            sa.func.count(Card.id).label("cards"),
            sa.func.count(CardState.id).label("seen"),
            sa.func.coalesce(sa.func.sum(recall), 0.0).label("recall_sum"),
            sa.func.sum(ready).label("ready"),
        )
        .outerjoin(CardState, sa.and_(CardState.card_id == Card.id, CardState.user_id == user_id))
        .where(Card.deck_id == deck.id, Card.retired_at.is_(None))
        .group_by(Card.question_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Question,
            per_question.c.cards,
            per_question.c.seen,
            per_question.c.recall_sum,
            per_question.c.ready,
        )
        .join(per_question, per_question.c.question_id == Question.id)
        .where(Question.deck_id == deck.id, Question.retired_at.is_(None))
        .order_by(Question.position, Question.id)
    ).all()
    return [
        QuestionRecall(question, int(cards), int(seen), float(total or 0), int(ready or 0))
        for question, cards, seen, total, ready in rows
    ]


def painted_article(user_id: int, deck: Deck, now: datetime) -> list[Section]:
    """The deck's sections and source sentences in order, with the learner's recall."""
    sections: dict[str, Section] = {}
    sentences: dict[tuple[str, str], Sentence] = {}
    for item in question_recall(user_id, deck, now):
        name = item.question.origin_section or "other"
        section = sections.setdefault(name, Section(name))
        quote = " ".join((item.question.origin_quote or "").split())
        if not quote:
            section.unquoted.append(item)
            continue
        sentence = sentences.get((name, quote))
        if sentence is None:
            sentence = sentences[(name, quote)] = Sentence(len(sentences) + 1, quote)
            section.sentences.append(sentence)
        sentence.questions.append(item)
    return list(sections.values())
