"""Item analysis, each figure checked against a small set of quiz attempts and reviews."""

from __future__ import annotations

import csv
import io
import statistics
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.domain.questions import item_id
from quizapp.extensions import db
from quizapp.models import Assignment, Card, CardState, Question, QuizAttempt, Review, Role
from quizapp.services import classes
from quizapp.services.analytics import items

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
KEYS = ("takeaway-liver", "misconception-workout", "signs-choice")
# Per attempt: right (1) or wrong (0) on liver, workout, signs; and the wrong answers given.
ATTEMPTS = [
    ((1, 1, 1), {}),
    ((1, 1, 0), {"signs-choice": ["Sharper eyesight"]}),
    ((1, 0, 0), {"signs-choice": ["Progress stalls", "Longer hair"]}),
    ((0, 1, 0), {"signs-choice": ["Sharper eyesight"], "takeaway-liver": ["Kidney"]}),
    ((0, 0, 0), {"signs-choice": ["Sharper eyesight"], "takeaway-liver": ["the kidney "]}),
    ((1, 0, 1), {}),
]


def question(deck, key) -> Question:
    return db.session.scalar(
        sa.select(Question).where(Question.deck_id == deck.id, Question.key == key)
    )


def first_card(q: Question) -> Card:
    return db.session.scalar(sa.select(Card).where(Card.question_id == q.id, Card.ordinal == 1))


def add_attempt(user, qs, marks, given, *, submitted=True, assignment_id=None):
    results = [
        {
            "index": i,
            "card_id": first_card(q).id,
            "question_id": q.id,
            "correct": bool(m),
            "given": given.get(q.key, bool(m)),
        }
        for i, (q, m) in enumerate(zip(qs, marks, strict=True))
    ]
    db.session.add(
        QuizAttempt(
            user_id=user.id,
            assignment_id=assignment_id,
            deck_ids=[qs[0].deck_id],
            items=[],
            answers={},
            started_at=NOW - timedelta(hours=1),
            expires_at=NOW + timedelta(hours=1),
            submitted_at=NOW if submitted else None,
            score=sum(marks),
            max_score=len(marks),
            results=results if submitted else None,
        )
    )


def add_review(user, card, correct, answer=None, *, undone=False):
    db.session.add(
        Review(
            user_id=user.id,
            card_id=card.id,
            deck_id=card.deck_id,
            rating=3 if correct else 1,
            reviewed_at=NOW,
            correct=correct,
            answer=answer,
            undone_at=NOW if undone else None,
        )
    )


@pytest.fixture
def world(factory):
    owner = factory.user(Role.INSTRUCTOR)
    deck = factory.deck("sample-deck")
    room = classes.create_class(owner, "Bio 101")
    ann, bob, cat, stranger = (factory.user() for _ in range(4))
    for person in (ann, bob, cat):
        classes.join(person, room.join_code)
    classes.assign(room, deck)
    qs = [question(deck, k) for k in KEYS]
    people = [ann, ann, bob, bob, cat, cat]
    for person, (marks, given) in zip(people, ATTEMPTS, strict=True):
        add_attempt(person, qs, marks, given)
    add_attempt(ann, qs, (0, 0, 0), {}, submitted=False)  # unfinished
    add_attempt(stranger, qs, (0, 0, 0), {})  # not in the class
    add_attempt(ann, qs[:1], (0,), {"takeaway-liver": ["spleen"]})  # one item: no rest score
    # The same deck assigned in another class: that class's quiz is not this class's business.
    elsewhere = classes.assign(classes.create_class(owner, "Other"), deck)
    add_attempt(ann, qs, (0, 0, 0), {"signs-choice": ["Longer hair"]}, assignment_id=elsewhere.id)
    liver, signs = first_card(qs[0]), first_card(qs[2])
    for ok in (True, True, True):
        add_review(ann, liver, ok, {"text": "liver"})
    add_review(bob, liver, False, {"text": "Pancreas"})
    add_review(bob, liver, False, {"text": "kidney"}, undone=True)  # undone
    add_review(stranger, liver, False, {"text": "bone"})  # not in the class
    add_review(cat, liver, None, {"revealed": True})  # self-rated
    add_review(cat, signs, False, {"choices": [item_id("Longer hair")]})
    liver2 = db.session.scalar(
        sa.select(Card).where(Card.question_id == qs[0].id, Card.ordinal == 2)
    )
    for person, card, difficulty, leech in (
        (ann, liver, 4.0, False),
        (bob, liver, 8.0, True),
        (ann, liver2, 6.0, False),
        (stranger, liver, 9.0, True),
    ):
        db.session.add(
            CardState(
                user_id=person.id,
                card_id=card.id,
                deck_id=deck.id,
                state=2,
                stability=3.0,
                difficulty=difficulty,
                due=NOW,
                last_review=NOW,
                leech=leech,
            )
        )
    db.session.commit()
    return room, deck


def assignment_of(room) -> int:
    return db.session.scalar(sa.select(Assignment.id).where(Assignment.classroom_id == room.id))


def by_key(rows):
    return {r.question.key: r for r in rows}


def test_facility_and_discrimination(world):
    room, deck = world
    rows = by_key(items.item_analysis(room, deck, assignment_of(room)))
    for column, key in enumerate(KEYS):
        x = [marks[column] for marks, _ in ATTEMPTS]
        rest = [(sum(marks) - marks[column]) / 2 for marks, _ in ATTEMPTS]
        item = rows[key]
        assert (item.quiz_n, item.quiz_correct) == (6, sum(x))
        assert item.discrimination == pytest.approx(statistics.correlation(x, rest), abs=1e-9)
    assert rows["takeaway-liver"].quiz_facility == pytest.approx(4 / 6)
    assert rows["definition"].quiz_n == 0 and rows["definition"].discrimination is None


def test_wrong_answers_grouped(world):
    room, deck = world
    rows = by_key(items.item_analysis(room, deck, assignment_of(room)))
    # Quiz picks, plus one review; a right choice given with a wrong one is not counted.
    assert rows["signs-choice"].wrong_choices == [("Sharper eyesight", 3), ("Longer hair", 2)]
    # "Kidney" and "the kidney " are one answer; the review's "Pancreas" too; not the undone
    # review, the stranger's, or the one-item attempt's "spleen" (it counts: same class).
    assert dict(rows["takeaway-liver"].wrong_typed) == {"kidney": 2, "pancreas": 1, "spleen": 1}


def test_review_figures_difficulty_and_leeches(world):
    room, deck = world
    liver = by_key(items.item_analysis(room, deck))["takeaway-liver"]
    assert (liver.review_n, liver.review_correct) == (4, 3)
    assert liver.difficulty == pytest.approx((4 + 8 + 6) / 3)
    assert (liver.learners, liver.leeches, liver.leech_rate) == (2, 1, 0.5)


def test_point_biserial_edge_cases():
    assert items.point_biserial(1, 1, 1, 1, 1) is None
    assert items.point_biserial(4, 4, 2, 2, 1.5) is None  # everyone right: no variance
    assert items.point_biserial(2, 1, 1, 1, 1) == pytest.approx(1.0)
    assert items.point_biserial(2, 1, 1, 0, 1) == pytest.approx(-1.0)


def test_flags():
    q = Question(key="k", type="basic", fields={})
    easy = items.ItemStats(q, quiz_n=10, quiz_correct=9, discrimination=0.3)
    hard = items.ItemStats(q, quiz_n=2, quiz_correct=0, review_n=10, review_correct=3)
    negative = items.ItemStats(q, quiz_n=5, quiz_correct=3, discrimination=-0.2)
    few = items.ItemStats(q, quiz_n=4, quiz_correct=4, discrimination=-0.5)
    assert easy.flags == ["too easy"]
    assert hard.flags == ["too hard"]
    assert negative.flags == ["negative discrimination"]
    assert few.flags == []


def test_items_csv(world):
    room, deck = world
    rows = list(csv.DictReader(io.StringIO(items.items_csv(items.item_analysis(room, deck)))))
    assert [r["question_key"] for r in rows][0] == "takeaway-liver"
    signs = next(r for r in rows if r["question_key"] == "signs-choice")
    assert signs["quiz_answers"] == "6" and signs["quiz_facility"] == "0.333"
    assert signs["wrong_answers"] == "Sharper eyesight (3); Longer hair (2)"


def test_misconceptions_still_held(factory):
    owner = factory.user(Role.INSTRUCTOR)
    deck = factory.deck("sample-deck")
    room = classes.create_class(owner, "Bio 101")
    ann, bob, cat, stranger = (factory.user() for _ in range(4))
    for person in (ann, bob, cat):
        classes.join(person, room.join_code)
    card = first_card(question(deck, "misconception-workout"))

    def answer(person, correct, minutes, **kwargs):
        db.session.add(
            Review(
                user_id=person.id,
                card_id=card.id,
                deck_id=deck.id,
                rating=3 if correct else 1,
                correct=correct,
                reviewed_at=NOW + timedelta(minutes=minutes),
                undone_at=NOW if kwargs.get("undone") else None,
            )
        )

    answer(ann, False, 1)
    answer(ann, True, 2)  # ann corrected herself
    answer(bob, True, 1)
    answer(bob, False, 2)  # bob went back to it
    answer(bob, True, 3, undone=True)  # undone: does not count
    answer(stranger, False, 1)  # not in the class
    db.session.commit()
    [item] = items.misconceptions(room, deck)
    assert item.question.key == "misconception-workout"
    assert (item.answered, item.holding, item.share) == (2, 1, 0.5)  # cat has not answered


def test_claimed_right_wrong_answers_are_counted_per_question(world):
    room, deck = world
    before = by_key(items.item_analysis(room, deck))["takeaway-liver"].overridden
    wrong = db.session.scalars(
        sa.select(Review).where(
            Review.correct.is_(False), Review.undone_at.is_(None), Review.answer.is_not(None)
        )
    ).all()
    liver_cards = {
        c.id
        for c in db.session.scalars(
            sa.select(Card).join(Question).where(Question.key == "takeaway-liver")
        )
    }
    claimed = [r for r in wrong if r.card_id in liver_cards]
    assert claimed, "the world has a wrong study answer to the liver question"
    claimed[0].overridden = True
    db.session.commit()
    after = by_key(items.item_analysis(room, deck))["takeaway-liver"].overridden
    assert (before, after) == (0, 1)


def test_reteach_ranks_each_sections_questions_by_latest_wrong_share(factory):
    owner = factory.user(Role.INSTRUCTOR)
    deck = factory.deck("sample-deck")
    room = classes.create_class(owner, "Bio 101")
    ann, bob, cat, stranger = (factory.user() for _ in range(4))
    for person in (ann, bob, cat):
        classes.join(person, room.join_code)
    for key in ("mechanism-order", "signs-choice"):  # three questions in "takeaway"
        question(deck, key).origin_section = "takeaway"
    liver, order, signs, workout = (
        first_card(question(deck, key))
        for key in ("takeaway-liver", "mechanism-order", "signs-choice", "misconception-workout")
    )

    def answer(person, card, correct, minutes, undone=False):
        db.session.add(
            Review(
                user_id=person.id,
                card_id=card.id,
                deck_id=deck.id,
                rating=3 if correct else 1,
                correct=correct,
                reviewed_at=NOW + timedelta(minutes=minutes),
                undone_at=NOW if undone else None,
            )
        )

    answer(ann, liver, False, 1)
    answer(ann, liver, True, 2)  # latest right
    answer(bob, liver, False, 1)
    answer(cat, liver, False, 1)  # liver: 2 wrong of 3
    answer(ann, order, False, 1)  # order: 1 wrong of 1
    answer(ann, signs, True, 1)
    answer(bob, signs, True, 1)  # signs: none wrong, not listed
    answer(stranger, signs, False, 1)  # not in the class
    answer(bob, workout, False, 1)
    answer(cat, workout, True, 1)
    answer(ann, workout, True, 1)
    answer(ann, workout, False, 2, undone=True)  # undone: ann's latest stays right; 1 of 3
    db.session.commit()

    def shape(sections):
        return [
            (name, [(r.question.key, r.wrong, r.answered) for r in rows]) for name, rows in sections
        ]

    assert shape(items.reteach(room, deck)) == [
        ("takeaway", [("mechanism-order", 1, 1), ("takeaway-liver", 2, 3)]),
        ("misconception", [("misconception-workout", 1, 3)]),
    ]
    assert shape(items.reteach(room, deck, per_section=1)) == [
        ("takeaway", [("mechanism-order", 1, 1)]),
        ("misconception", [("misconception-workout", 1, 3)]),
    ]
    [first] = items.reteach(room, deck)[0][1][1:]
    assert first.share == pytest.approx(2 / 3)


def test_misconceptions_week_by_week(factory):
    owner = factory.user(Role.INSTRUCTOR)
    deck = factory.deck("sample-deck")
    room = classes.create_class(owner, "Bio 101")
    ann, bob, cat, stranger = (factory.user() for _ in range(4))
    for person in (ann, bob, cat):
        classes.join(person, room.join_code)
    card = first_card(question(deck, "misconception-workout"))

    def answer(person, correct, at, undone=False):
        db.session.add(
            Review(
                user_id=person.id,
                card_id=card.id,
                deck_id=deck.id,
                rating=3 if correct else 1,
                correct=correct,
                reviewed_at=at,
                undone_at=NOW if undone else None,
            )
        )

    # NOW is Monday 15 June 2026, 12:00 UTC: the weeks end with 1, 8 and 15 June.
    answer(ann, False, datetime(2026, 6, 1, 10, tzinfo=UTC))
    answer(ann, True, datetime(2026, 6, 2, tzinfo=UTC))  # midnight: the second week
    answer(bob, True, datetime(2026, 6, 1, 9, tzinfo=UTC))
    answer(bob, False, datetime(2026, 6, 8, 23, tzinfo=UTC))  # the last hour of week two
    answer(bob, True, datetime(2026, 6, 12, tzinfo=UTC), undone=True)  # does not count
    answer(cat, False, datetime(2026, 6, 6, tzinfo=UTC))
    answer(cat, True, datetime(2026, 6, 14, tzinfo=UTC))
    answer(stranger, False, datetime(2026, 6, 1, tzinfo=UTC))  # not in the class
    db.session.commit()
    days, [row] = items.misconception_weeks(room, deck, NOW, weeks=3)
    assert [d.isoformat() for d in days] == ["2026-06-01", "2026-06-08", "2026-06-15"]
    assert row.question.key == "misconception-workout"
    # (answered by the week's end, latest answer by then wrong)
    assert row.weeks == [(2, 1), (3, 2), (3, 1)]
