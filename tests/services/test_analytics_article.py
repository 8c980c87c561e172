"""The article painted by memory: sentences in deck order with the learner's predicted recall
(computed in SQL, equal to the scheduler's own retrievability), and "study these now"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.domain import scheduling
from quizapp.domain.scheduling import CardSchedule, Phase, Settings
from quizapp.extensions import db
from quizapp.models import Card, CardState, Question
from quizapp.services import study
from quizapp.services.analytics import article
from quizapp.services.errors import Invalid
from quizapp.services.study import focus

from .study_helpers import new_key, right_answer

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def card(deck, key: str, ordinal: int = 1) -> Card:
    return db.session.scalar(
        sa.select(Card)
        .join(Question)
        .where(Question.deck_id == deck.id, Question.key == key, Card.ordinal == ordinal)
    )


def remember(user, c: Card, *, last: datetime, stability: float, due: datetime) -> CardSchedule:
    db.session.add(
        CardState(
            user_id=user.id,
            card_id=c.id,
            deck_id=c.deck_id,
            state=int(Phase.REVIEW),
            stability=stability,
            difficulty=5.0,
            due=due,
            last_review=last,
            reps=2,
        )
    )
    db.session.commit()
    return CardSchedule(
        phase=Phase.REVIEW,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=due,
        last_review=last,
    )


@pytest.fixture
def world(factory):
    ann = factory.user()
    deck = factory.deck("sample-deck")
    # The liver cloze's first card: 3 days and 5 hours ago (3 whole days), stability 10, not due.
    liver = remember(
        ann,
        card(deck, "takeaway-liver", 1),
        last=NOW - 3 * DAY - timedelta(hours=5),
        stability=10.0,
        due=NOW + 7 * DAY,
    )
    # The misconception: 30 days ago, stability 2, overdue.
    workout = remember(
        ann,
        card(deck, "misconception-workout"),
        last=NOW - 30 * DAY,
        stability=2.0,
        due=NOW - 25 * DAY,
    )
    return ann, deck, liver, workout


def test_recall_in_sql_is_the_schedulers_retrievability(world):
    ann, deck, liver, workout = world
    rows = {r.question.key: r for r in article.question_recall(ann.id, deck, NOW)}
    expected_liver = scheduling.retrievability(liver, NOW, Settings())
    expected_workout = scheduling.retrievability(workout, NOW, Settings())
    assert 0.9 < expected_liver < 1 and expected_workout < 0.7
    assert rows["takeaway-liver"].recall == pytest.approx(expected_liver, abs=1e-9)
    assert (rows["takeaway-liver"].cards, rows["takeaway-liver"].seen) == (2, 1)
    assert rows["takeaway-liver"].ready == 1  # the second, new card
    assert rows["misconception-workout"].recall == pytest.approx(expected_workout, abs=1e-9)
    assert rows["misconception-workout"].ready == 1
    assert rows["definition"].recall is None
    # A last review "in the future" (clock skew) counts as no time at all: recall 1.
    assert article.question_recall(ann.id, deck, NOW - 40 * DAY)[1].recall == pytest.approx(1)


def test_sentences_in_deck_order_with_bands(world):
    ann, deck, liver, workout = world
    sections = article.painted_article(ann.id, deck, NOW)
    assert [s.name for s in sections] == [
        "takeaway",
        "misconception",
        "mechanism",
        "signs",
        "definition",
    ]
    takeaway, misconception = sections[0], sections[1]
    assert [s.quote for s in takeaway.sentences] == ["IGF-1 is produced by the liver."]
    assert takeaway.sentences[0].band == "r5"
    assert misconception.sentences[0].band == article.band(
        scheduling.retrievability(workout, NOW, Settings())
    )
    assert sections[2].sentences == [] and [q.question.key for q in sections[2].unquoted] == [
        "mechanism-order"
    ]
    assert [article.band(x) for x in (None, 0.95, 0.9, 0.85, 0.75, 0.6, 0.2)] == [
        "untested",
        "r5",
        "r5",
        "r4",
        "r3",
        "r2",
        "r1",
    ]


def test_sentence_recall_is_the_mean_over_seen_cards(world, factory):
    ann, deck, liver, workout = world
    other = remember(
        ann, card(deck, "takeaway-liver", 2), last=NOW - 10 * DAY, stability=4.0, due=NOW - 2 * DAY
    )
    sentence = article.painted_article(ann.id, deck, NOW)[0].sentences[0]
    expected = (
        scheduling.retrievability(liver, NOW, Settings())
        + scheduling.retrievability(other, NOW, Settings())
    ) / 2
    assert sentence.recall == pytest.approx(expected, abs=1e-9)
    assert (sentence.seen, sentence.cards, sentence.ready) == (2, 2, 1)


def test_study_these_now_puts_the_cards_first(world):
    ann, deck, liver, workout = world
    normal = study.next_card(ann.id, deck, NOW)
    assert normal.question.key == "misconception-workout"  # the due review comes first
    liver_q = card(deck, "takeaway-liver").question_id
    assert focus.queue_first(ann.id, deck, [liver_q], NOW) == 1  # card 1 is not due
    first = study.next_card(ann.id, deck, NOW)
    assert (first.question.key, first.card.ordinal) == ("takeaway-liver", 2)
    response = right_answer("cloze", first.question.fields, 2)
    study.submit_answer(
        ann.id,
        deck,
        first.card.id,
        response,
        idempotency_key=new_key(),
        duration_ms=1000,
        now=NOW + timedelta(seconds=5),
    )
    # Answered after it was queued: the usual order again.
    after = study.next_card(ann.id, deck, NOW + timedelta(seconds=10))
    assert after.question.key == "misconception-workout"


def test_study_now_rejects_questions_of_other_decks(world, factory):
    ann, deck, *_ = world
    other = factory.deck("other-deck")
    foreign = card(other, "definition").question_id
    with pytest.raises(Invalid):
        focus.queue_first(ann.id, deck, [foreign], NOW)
    with pytest.raises(Invalid):
        focus.queue_first(ann.id, deck, [], NOW)
