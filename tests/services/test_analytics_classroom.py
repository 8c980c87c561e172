"""The class dashboard and gradebook, each figure checked against a small class by hand."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.domain import scheduling
from quizapp.domain.scheduling import CardSchedule, Phase, Settings
from quizapp.extensions import db
from quizapp.models import Card, CardState, QuizAttempt, Review, Role
from quizapp.services import classes
from quizapp.services.analytics import classroom
from quizapp.services.errors import NotFound

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
TARGET = date(2026, 6, 25)


def cards_of(deck) -> list[Card]:
    return list(
        db.session.scalars(sa.select(Card).where(Card.deck_id == deck.id).order_by(Card.id))
    )


def state(user, card, phase=Phase.REVIEW, *, last, stability=10.0) -> CardSchedule:
    due = last + timedelta(days=5)
    db.session.add(
        CardState(
            user_id=user.id,
            card_id=card.id,
            deck_id=card.deck_id,
            state=int(phase),
            stability=stability,
            difficulty=5.0,
            due=due,
            last_review=last,
            reps=2,
        )
    )
    return CardSchedule(
        phase=phase, step=None, stability=stability, difficulty=5.0, due=due, last_review=last
    )


def review(user, card, at, rating, *, was=Phase.REVIEW):
    before = CardSchedule(
        phase=was, step=None, stability=5.0, difficulty=5.0, due=at, last_review=at - 5 * DAY
    )
    db.session.add(
        Review(
            user_id=user.id,
            card_id=card.id,
            deck_id=card.deck_id,
            rating=rating,
            reviewed_at=at,
            duration_ms=1000,
            correct=rating > 1,
            previous_state=before.to_dict(),
        )
    )


def attempt(user, assignment, score, *, submitted, deck):
    db.session.add(
        QuizAttempt(
            user_id=user.id,
            assignment_id=assignment.id if assignment else None,
            deck_ids=[deck.id],
            items=[],
            answers={},
            started_at=NOW - 2 * DAY,
            expires_at=NOW + DAY,
            submitted_at=submitted,
            score=score,
            max_score=4,
        )
    )


@pytest.fixture
def world(factory):
    owner = factory.user(Role.INSTRUCTOR)
    deck = factory.deck("sample-deck")
    other_deck = factory.deck("other-deck")
    room = classes.create_class(owner, "Bio 101")
    ann, bob, cat, dan = (
        factory.user(email=f"{n}@example.com") for n in ("ann", "bob", "cat", "dan")
    )
    for person in (ann, bob, cat):
        classes.join(person, room.join_code)
    assignment = classes.assign(room, deck, TARGET)
    assignment.created_at = datetime(2026, 6, 5, tzinfo=UTC)
    c = cards_of(deck)
    schedules = [
        state(ann, c[0], last=NOW - 2 * DAY),
        state(ann, c[1], last=NOW - 4 * DAY, stability=3.0),
        state(ann, c[2], last=NOW - DAY, stability=20.0),
        state(ann, c[3], Phase.LEARNING, last=NOW - timedelta(hours=1), stability=0.5),
    ]
    state(bob, c[0], last=NOW - DAY)
    state(dan, c[0], last=NOW - DAY)  # not a member
    review(ann, c[0], NOW - 2 * DAY, 3)
    review(ann, c[1], NOW - 4 * DAY, 3)
    review(ann, c[2], NOW - DAY, 1)
    review(ann, c[3], NOW - timedelta(hours=1), 3, was=Phase.LEARNING)  # not in retention
    review(ann, c[0], NOW - 40 * DAY, 1)  # too old for retention, but a review
    review(ann, cards_of(other_deck)[0], NOW, 1)  # another deck
    review(bob, c[0], NOW - DAY, 3)
    review(dan, c[0], NOW, 3)
    attempt(ann, assignment, 4, submitted=NOW - 5 * DAY, deck=deck)
    attempt(ann, assignment, 2, submitted=NOW - 3 * DAY, deck=deck)
    attempt(ann, assignment, 3, submitted=NOW - 2 * DAY, deck=deck)
    attempt(ann, assignment, None, submitted=None, deck=deck)  # unfinished
    attempt(bob, None, 4, submitted=NOW - DAY, deck=deck)  # a practice quiz, not the assignment
    db.session.commit()
    return room, assignment, deck, (ann, bob, cat), schedules


def test_dashboard_rows(world):
    room, assignment, deck, (ann, bob, cat), schedules = world
    board = classroom.dashboard(room, assignment, NOW)
    assert [r.email for r in board.rows] == [
        "ann@example.com",
        "bob@example.com",
        "cat@example.com",
    ]
    a, b, c = board.rows
    assert board.assigned == 6
    assert (a.learnt, a.seen, a.assigned) == (3, 4, 6)
    assert (b.learnt, c.learnt) == (1, 0)
    at = datetime(2026, 6, 25, tzinfo=UTC)
    assert board.recall_at == at
    expected = sum(scheduling.retrievability(s, at, Settings()) for s in schedules) / 6
    assert a.recall == pytest.approx(expected, abs=1e-9)
    assert c.recall == 0
    assert (a.retention_passed, a.retention_total) == (2, 3)
    assert (b.retention_passed, b.retention_total) == (1, 1)
    assert c.retention is None
    assert a.reviews == 4 and a.last_active == NOW - timedelta(hours=1)  # 30 days: 4 of 5
    assert c.last_active is None
    assert (a.quiz_attempts, a.quiz_best, a.quiz_latest) == (3, 1.0, 0.75)
    assert (b.quiz_best, b.quiz_latest) == (None, None)
    # Pace: 10.5 of 20 days gone by; 3/6 learnt is on pace, 1/6 and 0/6 are behind.
    assert board.pace == pytest.approx(10.5 / 20)
    assert [r.behind for r in board.rows] == [False, True, True]


def test_sorting_puts_missing_values_last(world):
    room, assignment, *_ = world
    by = {
        s: [
            r.email[:3]
            for r in classroom.dashboard(room, assignment, NOW, sort=s, descending=d).rows
        ]
        for s, d in (
            ("learnt", True),
            ("quiz_best", True),
            ("retention", False),
            ("name", True),
            ("nonsense", False),
        )
    }
    assert by["learnt"] == ["ann", "bob", "cat"]
    assert by["quiz_best"] == ["ann", "bob", "cat"]
    assert by["retention"] == ["ann", "bob", "cat"]  # 2/3 < 1/1; cat has none
    assert by["name"] == ["cat", "bob", "ann"]
    assert by["nonsense"] == ["ann", "bob", "cat"]


def test_no_target_date_means_now_and_no_pace(world):
    room, assignment, *_ = world
    assignment.target_date = None
    db.session.commit()
    board = classroom.dashboard(room, assignment, NOW)
    assert board.recall_at == NOW and board.pace is None
    assert not any(r.behind for r in board.rows)


def test_assignment_of_another_class_is_not_found(world, factory):
    room, assignment, deck, *_ = world
    other = classes.create_class(factory.user(Role.INSTRUCTOR), "Other")
    with pytest.raises(NotFound):
        classroom.get_assignment(other, assignment.id)
    with pytest.raises(NotFound):
        classroom.learner_in_class(other, world[3][0].id)


def test_gradebook_csv(world):
    room, assignment, deck, (ann, bob, cat), _ = world
    ann.display_name = "=HYPERLINK(1)"
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(classroom.gradebook_csv(room, NOW))))
    assert len(rows) == 3
    first = rows[0]
    assert first["learner_name"] == "'=HYPERLINK(1)"
    assert (
        first["cards_learnt"],
        first["cards_assigned"],
        first["retention_30d"],
        first["quiz_best"],
        first["quiz_latest"],
        first["behind_pace"],
    ) == ("3", "6", "0.667", "1.000", "0.750", "no")
    assert first["target_date"] == "2026-06-25" and first["deck"] == "Sample Deck"
    assert rows[2]["last_active"] == "" and rows[2]["behind_pace"] == "yes"
