"""The study hot path: the due queue's first card in one statement, and an answer that brings
the next card in its own transaction without reading anything after the commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Card, CardState, Review, StudyFocus
from quizapp.services import study
from quizapp.services.study import hot_path

from .study_helpers import new_key, wrong_answer

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def learner(factory):
    return factory.user()


@pytest.fixture
def deck(factory):
    return factory.deck("sample-deck")


def _cards(deck) -> list[int]:
    return list(
        db.session.scalars(sa.select(Card.id).where(Card.deck_id == deck.id).order_by(Card.id))
    )


def _state(user, card_id, deck, *, phase: int, due: datetime) -> None:
    db.session.add(
        CardState(
            user_id=user.id,
            card_id=card_id,
            deck_id=deck.id,
            state=phase,
            step=0 if phase != 2 else None,
            stability=3.0,
            difficulty=5.0,
            due=due,
            last_review=due - timedelta(days=1),
            reps=2,
        )
    )


def _statements(run):
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        value = run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return value, seen


def test_the_first_due_card_comes_in_queue_order_in_one_statement(learner, deck):
    cards = _cards(deck)
    _state(learner, cards[0], deck, phase=2, due=NOW - timedelta(days=3))  # review
    _state(learner, cards[1], deck, phase=2, due=NOW - timedelta(days=5))  # older review
    _state(learner, cards[2], deck, phase=3, due=NOW - timedelta(minutes=1))  # relearning
    _state(learner, cards[3], deck, phase=2, due=NOW + timedelta(days=2))  # not due
    db.session.commit()
    _ = learner.id, deck.desired_retention  # loaded again after the commit, as a request has them

    found, statements = _statements(lambda: hot_path.first_due(learner.id, deck, NOW))
    assert len(statements) == 1
    assert found.card.id == cards[2] and found.kind == "relearning"
    assert found.settings is not None  # the answer needs no second lookup
    # The same card the full queue gives.
    assert study.next_card(learner.id, deck, NOW).card.id == cards[2]

    db.session.execute(
        sa.update(CardState)
        .where(CardState.card_id == cards[2])
        .values(due=NOW + timedelta(hours=2))
    )
    db.session.commit()
    assert hot_path.first_due(learner.id, deck, NOW).card.id == cards[1]  # earliest review

    # "Study now" cards come first, and a new one (no state yet) is one of them.
    db.session.add(
        StudyFocus(
            user_id=learner.id,
            deck_id=deck.id,
            card_id=cards[4],
            position=0,
            created_at=NOW - timedelta(minutes=5),
        )
    )
    db.session.commit()
    first = hot_path.first_due(learner.id, deck, NOW)
    assert first.card.id == cards[4] and first.kind == "new"


def test_nothing_due_is_none_and_the_queue_falls_back_to_new_cards(learner, deck):
    assert hot_path.first_due(learner.id, deck, NOW) is None
    assert study.next_card(learner.id, deck, NOW).kind == "new"


def test_the_due_branches_walk_the_learner_due_index(learner, deck, factory):
    cards = _cards(deck)
    others = [factory.user() for _ in range(3)]
    db.session.execute(
        sa.insert(CardState),
        [
            {
                "user_id": u.id,
                "card_id": c,
                "deck_id": deck.id,
                "state": 2,
                "stability": 5.0,
                "difficulty": 5.0,
                "due": NOW - timedelta(days=n % 40),
                "reps": 3,
                "version": 1,
            }
            for n, (u, c) in enumerate((u, c) for u in [*others, learner] for c in cards)
        ],
    )
    db.session.commit()
    query = hot_path._due_branches(learner.id, deck.id, NOW)
    compiled = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        if db.engine.dialect.name == "sqlite":
            plan = " ".join(
                str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
            )
            assert "SCAN card_states" not in plan, plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: ask for the plan
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
            conn.rollback()
            assert "Seq Scan on card_states" not in plan, plan
    assert "ix_card_states_user_deck_due" in plan or "ix_card_states_user_due" in plan, plan
    assert "reviews" not in compiled


def test_an_answer_brings_the_next_card_and_reads_nothing_after_its_commit(learner, deck):
    first = study.next_card(learner.id, deck, NOW)
    question, card = first.question, first.card
    committed: list[int] = []
    after: list[str] = []

    def on_commit(conn):
        committed.append(1)

    def record(conn, cursor, statement, *args):
        if committed:
            after.append(statement)

    sa.event.listen(db.engine, "commit", on_commit)
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        step = hot_path.answer(
            learner.id,
            deck,
            card.id,
            wrong_answer(question.type, question.fields, card.ordinal),
            idempotency_key=new_key(),
            duration_ms=1000,
            now=NOW,
            seen_version=0,
            with_counts=True,
        )
        # What a view reads of the outcome after the commit costs no statement.
        step.result.to_dict()
        _ = step.answered.question.fields, step.answered.card.ordinal, deck.slug
    finally:
        sa.event.remove(db.engine, "commit", on_commit)
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert committed == [1] and after == []
    assert step.next is not None and step.next["card_id"] != card.id
    assert step.counts is not None and step.undo_id == step.result.review_id
    # The same card GET next would give, presented the same way.
    upcoming = study.next_card(learner.id, deck, NOW)
    assert study.present(learner.id, upcoming) == step.next


def _answer(learner, deck, loaded, now, **kwargs):
    question, card = loaded.question, loaded.card
    return hot_path.answer(
        learner.id,
        deck,
        card.id,
        wrong_answer(question.type, question.fields, card.ordinal),
        idempotency_key=new_key(),
        duration_ms=1000,
        now=now,
        loaded=loaded,
        **kwargs,
    )


def test_the_answer_writes_version_and_review_as_the_orm_did(learner, deck):
    first = study.next_card(learner.id, deck, NOW)
    step = _answer(learner, deck, first, NOW, seen_version=0)
    review = db.session.get(Review, step.result.review_id)
    # A new card: the review's previous state is SQL NULL (not a JSON null), the state version 1.
    assert review.previous_state is None
    assert db.session.scalar(
        sa.select(sa.func.count(Review.id)).where(
            Review.id == review.id, Review.previous_state.is_(None)
        )
    )
    assert review.overridden is False and review.undone_at is None
    later = NOW + timedelta(days=1)
    again = study.get_card(learner.id, deck, first.card.id)
    assert again.version == 1
    step = _answer(learner, deck, again, later, seen_version=1)
    # The session's copy holds what was written, without a statement to read it back.
    assert again.state.version == 2 and again.state.reps == 2 and again.state.due == step.result.due
    db.session.expire_all()
    stored = study.get_card(learner.id, deck, first.card.id)
    assert stored.version == 2 and stored.state.due == step.result.due
    assert db.session.get(Review, step.result.review_id).previous_state["reps"] == 1


def test_a_state_changed_since_it_was_loaded_is_refused_and_nothing_is_written(learner, deck):
    first = study.next_card(learner.id, deck, NOW)
    _answer(learner, deck, first, NOW, seen_version=0)
    later = NOW + timedelta(days=1)
    loaded = study.get_card(learner.id, deck, first.card.id)
    # Another request answers the card meanwhile: the row's version moves on under this session.
    with db.engine.begin() as other:
        other.execute(
            sa.update(CardState)
            .where(CardState.id == loaded.state.id)
            .values(version=CardState.version + 1)
        )
    reviews = db.session.scalar(sa.select(sa.func.count(Review.id)))
    with pytest.raises(study.Conflict):
        _answer(learner, deck, loaded, later)  # no seen_version: the update's check refuses it
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == reviews
    stored = db.session.scalar(sa.select(CardState).where(CardState.id == loaded.state.id))
    assert stored.version == 2 and stored.reps == 1
