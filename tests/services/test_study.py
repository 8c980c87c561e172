"""Studying through the service: queue order, grading, idempotency, conflicts, undo, settings."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import fsrs
import pytest
import sqlalchemy as sa

from quizapp.domain import scheduling
from quizapp.domain.scheduling import CardSchedule, Rating
from quizapp.extensions import db
from quizapp.models import Card, CardState, Review
from quizapp.services import reschedule, study
from quizapp.services.decks import import_deck

from ..factories import sample_deck
from .study_helpers import new_key, right_answer, wrong_answer

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ORDER = [
    ("takeaway-liver", 1),
    ("takeaway-liver", 2),
    ("misconception-workout", 1),
    ("mechanism-order", 1),
    ("signs-choice", 1),
    ("definition", 1),
]


def answer(user, deck, study_card, *, right=True, now=NOW, rating=None, key=None, **kwargs):
    question, card = study_card.question, study_card.card
    make = right_answer if right else wrong_answer
    response = make(question.type, question.fields, card.ordinal)
    if question.type == "basic" and rating is None:
        rating = 3 if right else 1
    return study.submit_answer(
        user.id,
        deck,
        card.id,
        response,
        idempotency_key=key or new_key(),
        duration_ms=kwargs.pop("duration_ms", 1500),
        now=now,
        rating=rating,
        **kwargs,
    )


def state_of(user, card_id) -> CardState | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(CardState).where(CardState.user_id == user.id, CardState.card_id == card_id)
    )


def reviews_of(user) -> list[Review]:
    return list(
        db.session.scalars(sa.select(Review).where(Review.user_id == user.id).order_by(Review.id))
    )


def test_a_new_learner_meets_the_new_cards_in_deck_order(learner, deck):
    seen = []
    now = NOW
    while (card := study.next_card(learner.id, deck, now)) is not None and card.state is None:
        seen.append((card.question.key, card.card.ordinal))
        answer(learner, deck, card, rating=4 if card.question.type == "basic" else 4, now=now)
        now += timedelta(seconds=30)
    assert seen == ORDER


def test_a_right_answer_is_good_and_scheduled_by_fsrs(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    result = answer(learner, deck, card)
    assert result.correct is True and result.rating == Rating.GOOD
    assert result.due == NOW + timedelta(minutes=10)
    assert result.explanation == "The liver makes most circulating IGF-1."
    assert result.quote == "IGF-1 is produced by the liver."
    assert [(o.rating, o.interval_text) for o in result.ratings] == [
        (Rating.HARD, "6m"),
        (Rating.GOOD, "10m"),
        (Rating.EASY, result.ratings[2].interval_text),
    ]
    assert result.ratings[1].chosen and result.can_adjust
    state = state_of(learner, card.card.id)
    assert state.due == NOW + timedelta(minutes=10) and state.reps == 1 and state.version == 1
    review = reviews_of(learner)[0]
    assert review.rating == 3 and review.correct is True and review.duration_ms == 1500
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Review).where(Review.previous_state.is_(None))
        )
        == 1
    )


def test_a_wrong_answer_is_again_and_shows_what_was_expected(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    result = answer(learner, deck, card, right=False)
    assert result.correct is False and result.rating == Rating.AGAIN
    assert result.given == ["certainly not this"] and result.expected == ["liver"]
    assert result.due == NOW + timedelta(minutes=1)
    assert [o.rating for o in result.ratings] == [Rating.AGAIN] and not result.can_adjust


def test_a_typo_is_forgiven(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    result = study.submit_answer(
        learner.id,
        deck,
        card.card.id,
        {"text": "The Livr"},
        idempotency_key=new_key(),
        duration_ms=100,
        now=NOW,
    )
    assert result.correct is True


def test_self_rated_cards_need_a_rating(learner, deck):
    basic = _card(learner, deck, "definition")
    with pytest.raises(study.BadAnswer, match="Rate your recall"):
        study.submit_answer(
            learner.id, deck, basic.card.id, {}, idempotency_key=new_key(), duration_ms=0, now=NOW
        )
    result = study.submit_answer(
        learner.id,
        deck,
        basic.card.id,
        {},
        idempotency_key=new_key(),
        duration_ms=0,
        now=NOW,
        rating=2,
    )
    assert result.correct is None and result.rating == Rating.HARD
    cloze = study.next_card(learner.id, deck, NOW)
    result = study.submit_answer(
        learner.id,
        deck,
        cloze.card.id,
        {"revealed": True},
        idempotency_key=new_key(),
        duration_ms=0,
        now=NOW,
        rating=1,
    )
    assert result.correct is None and result.rating == Rating.AGAIN


def test_a_right_answer_is_never_easy_unless_chosen_and_never_again(learner, deck):
    card = _card(learner, deck, "signs-choice")
    with pytest.raises(study.BadAnswer, match="Hard, Good or Easy"):
        answer(learner, deck, card, rating=1)
    result = answer(learner, deck, card, rating=4)
    assert result.rating == Rating.EASY
    other = study.next_card(learner.id, deck, NOW)
    with pytest.raises(study.BadAnswer, match="wrong answer is rated Again"):
        answer(learner, deck, other, right=False, rating=3)


def _card(learner, deck, key: str, ordinal: int = 1) -> study.StudyCard:
    card_id = next(
        c.id
        for c in db.session.scalars(sa.select(Card).where(Card.deck_id == deck.id))
        if c.question.key == key and c.ordinal == ordinal
    )
    return study.get_card(learner.id, deck, card_id)


def test_a_replayed_answer_records_one_review(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    first = answer(learner, deck, card, key="same-key")
    again = answer(learner, deck, card, key="same-key", now=NOW + timedelta(seconds=3))
    assert again.replayed and again.review_id == first.review_id and again.due == first.due
    assert len(reviews_of(learner)) == 1
    assert state_of(learner, card.card.id).reps == 1
    other = study.next_card(learner.id, deck, NOW)
    with pytest.raises(study.Conflict, match="already used"):
        answer(learner, deck, other, key="same-key")


def test_a_second_tab_answering_the_same_card_gets_a_conflict(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card, seen_version=0)
    with pytest.raises(study.Conflict, match="already answered in another tab"):
        answer(learner, deck, card, seen_version=0, now=NOW + timedelta(minutes=30))
    # Without a version: the card is not due any more, which says the same.
    with pytest.raises(study.Conflict):
        answer(
            learner,
            deck,
            study.get_card(learner.id, deck, card.card.id),
            right=False,
            now=NOW + timedelta(seconds=5),
            rating=None,
        )
    assert len(reviews_of(learner)) == 1


def test_bad_requests_are_refused_with_reasons(learner, deck, factory):
    card = study.next_card(learner.id, deck, NOW)
    with pytest.raises(study.BadAnswer, match="does not fit"):
        study.submit_answer(
            learner.id,
            deck,
            card.card.id,
            {"choices": ["x"]},
            idempotency_key=new_key(),
            duration_ms=0,
            now=NOW,
        )
    with pytest.raises(study.StudyError, match="idempotency_key is required"):
        study.submit_answer(
            learner.id,
            deck,
            card.card.id,
            {"text": "liver"},
            idempotency_key="",
            duration_ms=0,
            now=NOW,
        )
    with pytest.raises(study.StudyError, match="at most 64"):
        study.submit_answer(
            learner.id,
            deck,
            card.card.id,
            {"text": "liver"},
            idempotency_key="k" * 65,
            duration_ms=0,
            now=NOW,
        )
    other = factory.deck("other-deck")
    with pytest.raises(study.NotFound):
        study.submit_answer(
            learner.id,
            other,
            card.card.id,
            {"text": "liver"},
            idempotency_key=new_key(),
            duration_ms=0,
            now=NOW,
        )
    for junk in (None, True, "abc", -3, 2**40, "１"):
        with pytest.raises(study.NotFound):
            study.get_card(learner.id, deck, junk)
    with pytest.raises(study.BadAnswer, match="too long"):
        study.submit_answer(
            learner.id,
            deck,
            card.card.id,
            {"text": "x" * 20_000},
            idempotency_key=new_key(),
            duration_ms=0,
            now=NOW,
        )
    assert reviews_of(learner) == []


def test_retired_cards_leave_the_queue(learner, deck):
    smaller = sample_deck("sample-deck")
    smaller.questions = [q for q in smaller.questions if q.id != "takeaway-liver"]
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card)
    import_deck(smaller, now=NOW)
    assert study.next_card(learner.id, deck, NOW).question.key == "misconception-workout"
    with pytest.raises(study.NotFound, match="removed"):
        answer(learner, deck, card, now=NOW + timedelta(minutes=11))
    counts = study.queue_counts(learner.id, deck, NOW + timedelta(days=400))
    assert counts.due == 0 and counts.new == 4


def test_response_time_is_capped_at_a_minute(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card, duration_ms=3_600_000)
    assert reviews_of(learner)[0].duration_ms == 60_000


def test_queue_order_learning_then_reviews_then_new(learner, deck):
    cards = {}
    now = NOW
    for key, ordinal in ORDER[:3]:
        cards[(key, ordinal)] = _card(learner, deck, key, ordinal)
    # c1: learnt into review (Easy), c2: in learning (Again), true/false: review too.
    answer(learner, deck, cards[ORDER[0]], rating=4, now=now)
    answer(learner, deck, cards[ORDER[2]], rating=4, now=now)
    answer(learner, deck, cards[ORDER[1]], right=False, now=now)
    later = now + timedelta(days=60)  # everything seen is due
    first = study.next_card(learner.id, deck, later)
    assert (first.question.key, first.card.ordinal, first.kind) == (*ORDER[1], "learning")
    answer(learner, deck, first, rating=4, now=later)
    second = study.next_card(learner.id, deck, later)
    assert second.kind == "review"
    counts = study.queue_counts(learner.id, deck, later)
    assert (counts.learning, counts.review, counts.new) == (0, 2, 3)


def test_learning_cards_come_back_early_when_nothing_else_is_left(learner, deck):
    study.set_own_settings(learner.id, deck, desired_retention=None, new_cards_per_day=1)
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card)  # due in 10 minutes
    soon = study.next_card(learner.id, deck, NOW + timedelta(minutes=1))
    assert soon is not None and soon.card.id == card.card.id
    assert study.queue_counts(learner.id, deck, NOW + timedelta(minutes=1)).learning == 1
    assert study.next_card(learner.id, deck, NOW - timedelta(minutes=30)) is None


def test_new_cards_per_day_and_when_to_come_back(learner, deck):
    study.set_own_settings(learner.id, deck, desired_retention=None, new_cards_per_day=2)
    for _ in range(2):
        answer(learner, deck, study.next_card(learner.id, deck, NOW), rating=4)
    assert study.next_card(learner.id, deck, NOW) is None
    counts = study.queue_counts(learner.id, deck, NOW)
    assert (counts.total, counts.new, counts.new_waiting) == (0, 0, 4)
    # The learner's day starts at 4 a.m. in their time zone (UTC unless they chose one).
    assert counts.new_resume == datetime(2026, 3, 3, 4, tzinfo=UTC)
    assert counts.come_back_at == counts.new_resume  # before the Easy cards are due
    assert study.queue_counts(learner.id, deck, datetime(2026, 3, 3, 3, 55, tzinfo=UTC)).new == 0
    tomorrow = datetime(2026, 3, 3, 4, 5, tzinfo=UTC)
    assert study.queue_counts(learner.id, deck, tomorrow).new == 2
    assert study.next_card(learner.id, deck, tomorrow).kind == "new"


def test_an_undone_new_card_does_not_use_up_the_allowance(learner, deck):
    study.set_own_settings(learner.id, deck, desired_retention=None, new_cards_per_day=1)
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card, rating=4)
    assert study.queue_counts(learner.id, deck, NOW).new == 0
    study.undo_last(learner.id, deck, NOW)
    assert study.queue_counts(learner.id, deck, NOW).new == 1


def test_undo_restores_the_previous_state_exactly(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card)
    at = NOW + timedelta(minutes=10)
    answer(learner, deck, study.get_card(learner.id, deck, card.card.id), now=at)
    before = study.schedule_of(state_of(learner, card.card.id))
    version = state_of(learner, card.card.id).version
    third = at + timedelta(days=5)
    answer(learner, deck, study.get_card(learner.id, deck, card.card.id), right=False, now=third)
    assert study.schedule_of(state_of(learner, card.card.id)) != before

    undone = study.undo_last(learner.id, deck, third + timedelta(seconds=5))
    assert undone.card_id == card.card.id
    state = state_of(learner, card.card.id)
    assert study.schedule_of(state) == before
    assert state.version > version  # a tab that saw the undone answer's card still conflicts
    assert reviews_of(learner)[-1].undone_at == third + timedelta(seconds=5)
    # The undone card comes back first.
    assert (
        study.next_card(learner.id, deck, third, prefer_card_id=card.card.id).card.id
        == card.card.id
    )


def test_undo_of_a_new_card_makes_it_new_again_and_nothing_twice(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card)
    study.undo_last(learner.id, deck, NOW)
    assert state_of(learner, card.card.id) is None
    assert study.next_card(learner.id, deck, NOW).card.id == card.card.id
    with pytest.raises(study.NotFound, match="no recent answer"):
        study.undo_last(learner.id, deck, NOW)
    # A replay of the undone answer's key reports it, and records nothing.
    assert len(reviews_of(learner)) == 1


def test_adjusting_a_right_answer_recomputes_it_from_the_stored_state(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    first = answer(learner, deck, card)
    later = NOW + timedelta(minutes=12)
    result = answer(learner, deck, study.get_card(learner.id, deck, card.card.id), now=later)
    before = CardSchedule.from_dict(reviews_of(learner)[-1].previous_state)
    easy = scheduling.review(
        before,
        Rating.EASY,
        later,
        study.effective_settings(learner.id, deck),
        card_id=card.card.id,
        seed=reschedule.fuzz_seed(learner.id, card.card.id, before),
    )
    shown_easy = next(o for o in result.ratings if o.rating == Rating.EASY)
    adjusted = study.adjust_rating(learner.id, deck, result.review_id, 4, later)
    assert adjusted.rating == Rating.EASY
    assert adjusted.due == easy.due == later + shown_easy.interval
    assert study.schedule_of(state_of(learner, card.card.id)) == easy
    assert reviews_of(learner)[-1].rating == 4
    # Once the card has been answered again, the older review cannot change.
    with pytest.raises(study.Conflict):
        study.adjust_rating(learner.id, deck, first.review_id, 2, later)


def test_adjusting_is_only_for_right_auto_graded_answers(learner, deck, factory):
    card = study.next_card(learner.id, deck, NOW)
    wrong = answer(learner, deck, card, right=False)
    with pytest.raises(study.BadAnswer, match="wrong answer is rated Again"):
        study.adjust_rating(learner.id, deck, wrong.review_id, 3, NOW)
    basic = _card(learner, deck, "definition")
    rated = answer(learner, deck, basic, rating=2)
    with pytest.raises(study.BadAnswer, match="self-rated"):
        study.adjust_rating(learner.id, deck, rated.review_id, 3, NOW)
    right = answer(learner, deck, _card(learner, deck, "misconception-workout"))
    with pytest.raises(study.BadAnswer):
        study.adjust_rating(learner.id, deck, right.review_id, 1, NOW)
    someone = factory.user()
    with pytest.raises(study.NotFound):
        study.adjust_rating(someone.id, deck, right.review_id, 4, NOW)


def test_a_leech_is_flagged_after_eight_lapses(learner, deck):
    card = study.next_card(learner.id, deck, NOW)
    now = NOW
    for _ in range(3):
        answer(learner, deck, study.get_card(learner.id, deck, card.card.id), rating=4, now=now)
        now = state_of(learner, card.card.id).due
    for _ in range(8):
        answer(learner, deck, study.get_card(learner.id, deck, card.card.id), right=False, now=now)
        now = state_of(learner, card.card.id).due
        answer(learner, deck, study.get_card(learner.id, deck, card.card.id), now=now)
        now = state_of(learner, card.card.id).due
    state = state_of(learner, card.card.id)
    assert state.lapses == 8 and state.leech
    assert study.present(learner.id, study.get_card(learner.id, deck, card.card.id))["leech"]


def test_a_sequence_of_answers_is_scheduled_as_fsrs_schedules_it(learner, deck):
    """The stored schedule equals fsrs's for the same ratings and times (fuzz from our seed)."""
    card = _card(learner, deck, "misconception-workout")
    fsrs_card = fsrs.Card(card_id=card.card.id, due=NOW)
    scheduler = fsrs.Scheduler()
    now, reps = NOW, 0
    saved = random.getstate()
    try:
        for right, rating, late in [
            (True, None, 0),
            (True, None, 0),
            (True, 4, 30),
            (False, None, 50),
            (True, None, 0),
            (True, 2, 6),
            (True, None, 1),
        ]:
            answer(
                learner,
                deck,
                study.get_card(learner.id, deck, card.card.id),
                right=right,
                rating=rating,
                now=now,
            )
            random.seed(scheduling.fuzz_seed("fuzz", learner.id, card.card.id, reps))
            expected = fsrs.Rating(rating or (3 if right else 1))
            fsrs_card, _ = scheduler.review_card(fsrs_card, expected, now)
            state = state_of(learner, card.card.id)
            assert (
                state.state,
                state.step,
                state.stability,
                state.difficulty,
                state.due,
                state.last_review,
            ) == (
                int(fsrs_card.state),
                fsrs_card.step,
                fsrs_card.stability,
                fsrs_card.difficulty,
                fsrs_card.due,
                fsrs_card.last_review,
            )
            assert state.due.tzinfo is scheduling.UTC
            reps += 1
            now = state.due + timedelta(hours=late)
    finally:
        random.setstate(saved)


def test_present_never_contains_the_answer(learner, deck):
    import json

    for key, ordinal in ORDER:
        card = _card(learner, deck, key, ordinal)
        shown = json.dumps(study.present(learner.id, card))
        fields = card.question.fields
        if key == "takeaway-liver":
            hidden = "liver" if ordinal == 1 else "growth hormone"
            other = "growth hormone" if ordinal == 1 else "liver"
            assert hidden not in shown.split('"parts"')[1] and other in shown
            assert "{{c" not in shown
        elif key == "definition":
            assert fields["back"] not in shown
        elif key == "misconception-workout":
            assert '"answer"' not in shown
        elif key == "signs-choice":
            assert "correct" not in shown
        for word in ("explanation", "expected", "origin", "quote"):
            assert word not in shown


def test_choices_are_shuffled_per_review(learner, deck):
    card = _card(learner, deck, "signs-choice")
    orders = set()
    now = NOW
    for _ in range(6):
        card = study.get_card(learner.id, deck, card.card.id)
        orders.add(tuple(c["id"] for c in study.present(learner.id, card)["question"]["choices"]))
        answer(learner, deck, card, right=False, now=now)
        now += timedelta(minutes=2)
    assert len(orders) > 1


def test_settings_resolve_learner_then_owner_then_default(learner, deck):
    assert study.effective_settings(learner.id, deck).desired_retention == 0.9
    study.set_deck_settings(deck, desired_retention=0.85, new_cards_per_day=5)
    assert study.effective_settings(learner.id, deck).new_cards_per_day == 5
    study.set_own_settings(learner.id, deck, desired_retention=0.95, new_cards_per_day=None)
    settings = study.effective_settings(learner.id, deck)
    assert (settings.desired_retention, settings.new_cards_per_day) == (0.95, 5)
    study.set_own_settings(learner.id, deck, desired_retention=None, new_cards_per_day=None)
    assert study.effective_settings(learner.id, deck).desired_retention == 0.85
    with pytest.raises(study.BadAnswer, match="between 0.70 and 0.99"):
        study.set_own_settings(learner.id, deck, desired_retention=1.5, new_cards_per_day=None)
    with pytest.raises(study.BadAnswer, match="whole number"):
        study.set_deck_settings(deck, desired_retention=None, new_cards_per_day=-1)


def test_the_due_query_walks_a_learner_due_index_whatever_the_history(learner, deck, factory):
    """With a long review history and many other learners, the next-card query is an index
    range scan on (learner, [deck,] due) stopped by LIMIT 1: no sort, no scan of history."""
    cards = list(db.session.scalars(sa.select(Card.id).where(Card.deck_id == deck.id)))
    others = [factory.user() for _ in range(2)]
    users = [u.id for u in others] + [learner.id]
    db.session.execute(
        sa.insert(CardState),
        [
            {
                "user_id": u,
                "card_id": c,
                "deck_id": deck.id,
                "state": 2,
                "stability": 5.0,
                "difficulty": 5.0,
                "due": NOW - timedelta(days=n % 40),
                "reps": 3,
                "version": 1,
            }
            for n, (u, c) in enumerate((u, c) for u in users for c in cards)
        ],
    )
    db.session.execute(
        sa.insert(Review),
        [
            {
                "user_id": learner.id,
                "card_id": cards[n % len(cards)],
                "deck_id": deck.id,
                "rating": 3,
                "reviewed_at": NOW - timedelta(hours=n),
                "duration_ms": 1000,
                "idempotency_key": f"h{n}",
            }
            for n in range(3000)
        ],
    )
    db.session.commit()
    query = (
        study._states(learner.id, deck.id)
        .where(CardState.state == 2, CardState.due <= NOW)
        .order_by(CardState.due)
        .limit(1)
    )
    compiled = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
            plan = " ".join(
                str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
            )
            assert "TEMP B-TREE" not in plan
        else:
            conn.exec_driver_sql("ANALYZE")
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
            assert "Sort" not in plan and plan.startswith("Limit")
    assert "ix_card_states_user_deck_due" in plan or "ix_card_states_user_due" in plan, plan
    assert "reviews" not in compiled
    assert study.next_card(learner.id, deck, NOW).kind == "review"


def test_deck_summaries_match_queue_counts_with_a_fixed_number_of_queries(learner, factory):
    decks = [factory.deck(f"deck-{n}") for n in range(4)]
    study.set_own_settings(learner.id, decks[1], desired_retention=None, new_cards_per_day=2)
    # Deck 0: two answered (one wrong: learning, one right: review); deck 1: one answered;
    # deck 2: everything answered right; deck 3: untouched.
    for deck, plan in ((decks[0], [True, False]), (decks[1], [True]), (decks[2], [True] * 6)):
        for right in plan:
            answer(learner, deck, study.next_card(learner.id, deck, NOW), right=right)
    later = NOW + timedelta(minutes=3)
    expected = {deck.id: study.queue_counts(learner.id, deck, later) for deck in decks}

    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        summaries = study.deck_summaries(learner, decks, later)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert {k: v.to_dict() for k, v in summaries.items()} == {
        k: v.to_dict() for k, v in expected.items()
    }
    assert summaries[decks[1].id].new == 1 and summaries[decks[3].id].new == 6
    # Both answered cards are in learning steps due within the learn-ahead limit (the wrong one in
    # 1 minute, the right one in 10): as in Anki, both count as learning at once.
    assert summaries[decks[0].id].learning == 2
    assert len(statements) <= 6


def test_a_learners_own_retention_shapes_the_answer_they_give(factory, deck):
    strict, relaxed = factory.user(), factory.user()
    study.set_own_settings(strict.id, deck, desired_retention=0.97, new_cards_per_day=None)
    card = db.session.scalar(sa.select(Card).where(Card.deck_id == deck.id).order_by(Card.id))
    for user in (strict, relaxed):
        db.session.add(
            CardState(
                user_id=user.id,
                card_id=card.id,
                deck_id=deck.id,
                state=2,
                stability=10.0,
                difficulty=5.0,
                due=NOW,
                last_review=NOW - timedelta(days=10),
                reps=3,
                lapses=0,
            )
        )
    db.session.commit()
    dues = {}
    for user in (strict, relaxed):
        study_card = study.get_card(user.id, deck, card.id)
        dues[user.id] = answer(user, deck, study_card).due
    # 0.97 asks for a review about 6 days on, 0.9 about a month: far beyond fuzz (a few days).
    assert dues[strict.id] - NOW < timedelta(days=12)
    assert dues[relaxed.id] - NOW > timedelta(days=20)


def test_a_failed_card_counts_as_learning_the_moment_it_fails(learner, factory):
    deck = factory.deck("fail-deck")
    card = study.next_card(learner.id, deck, NOW)
    answer(learner, deck, card, right=False)
    counts = study.queue_counts(learner.id, deck, NOW)
    # Other new cards are still waiting, yet the failed card (due in a minute) is counted.
    assert counts.learning == 1 and counts.new > 0
    # A learning card due beyond the learn-ahead limit is not counted yet.
    state = db.session.scalar(sa.select(CardState).where(CardState.card_id == card.card.id))
    state.due = NOW + study.LEARN_AHEAD + timedelta(minutes=1)
    db.session.commit()
    assert study.queue_counts(learner.id, deck, NOW).learning == 0


def test_a_learner_in_utc_minus_7_studying_across_utc_midnight_keeps_one_day(factory):
    """Denver (UTC-7 in winter, UTC-6 from 8 March 2026), day starting at 4 a.m. local."""
    learner = factory.user()
    learner.timezone, learner.day_starts_at = "America/Denver", 4
    db.session.commit()
    deck = factory.deck("denver")
    study.set_own_settings(learner.id, deck, desired_retention=None, new_cards_per_day=2)
    evening = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 16:30 in Denver
    for _ in range(2):
        answer(learner, deck, study.next_card(learner.id, deck, evening), rating=4, now=evening)
    after_midnight_utc = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 19:00 in Denver, same day
    counts = study.queue_counts(learner.id, deck, after_midnight_utc)
    assert counts.new == 0 and counts.new_waiting == 4
    assert counts.new_resume == datetime(2026, 3, 3, 11, 0, tzinfo=UTC)  # 4:00 MST
    assert study.queue_counts(learner.id, deck, datetime(2026, 3, 3, 11, 5, tzinfo=UTC)).new == 2


def test_the_learners_day_follows_a_daylight_saving_change():
    from quizapp.domain.scheduling import LearnerDay, day_start, next_day_start

    denver = LearnerDay("America/Denver", 4)
    # 8 March 2026: clocks go forward at 2 a.m.; that day is 23 hours long.
    sunday = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    assert day_start(sunday, denver) == datetime(2026, 3, 8, 10, 0, tzinfo=UTC)  # 4:00 MDT
    assert day_start(datetime(2026, 3, 8, 10, 30, tzinfo=UTC), denver) == datetime(
        2026, 3, 8, 10, 0, tzinfo=UTC
    )
    assert day_start(datetime(2026, 3, 8, 9, 30, tzinfo=UTC), denver) == datetime(
        2026, 3, 7, 11, 0, tzinfo=UTC
    )  # 4:00 MST the day before
    assert next_day_start(datetime(2026, 3, 7, 12, 0, tzinfo=UTC), denver) - day_start(
        datetime(2026, 3, 7, 12, 0, tzinfo=UTC), denver
    ) == timedelta(hours=23)
    # 1 November 2026: clocks go back; that day is 25 hours long.
    assert next_day_start(datetime(2026, 10, 31, 12, 0, tzinfo=UTC), denver) == datetime(
        2026, 11, 1, 11, 0, tzinfo=UTC
    )
    assert next_day_start(datetime(2026, 11, 1, 12, 0, tzinfo=UTC), denver) - day_start(
        datetime(2026, 11, 1, 12, 0, tzinfo=UTC), denver
    ) == timedelta(hours=24)
    # An unknown zone falls back to UTC rather than failing.
    assert day_start(sunday, LearnerDay("Mars/Olympus", 0)) == datetime(2026, 3, 8, tzinfo=UTC)


def test_i_was_right_turns_a_wrong_answer_into_good_once(learner, deck):
    from quizapp.services import overrides

    card = study.next_card(learner.id, deck, NOW)
    while card.question.type == "basic":  # an auto-graded card
        answer(learner, deck, card)
        card = study.next_card(learner.id, deck, NOW)
    wrong = answer(learner, deck, card, right=False)
    assert wrong.rating == Rating.AGAIN and wrong.can_claim_right
    claimed = overrides.claim_right(learner.id, deck, wrong.review_id, NOW)
    assert claimed.rating == Rating.GOOD and claimed.overridden and not claimed.can_claim_right
    assert claimed.correct is False  # what the grader said stays on record
    state = state_of(learner, card.card.id)
    good = scheduling.review(
        None,
        Rating.GOOD,
        NOW,
        study.effective_settings(learner.id, deck),
        card_id=card.card.id,
        seed=reschedule.fuzz_seed(learner.id, card.card.id, None),
    )
    assert (state.due, state.stability) == (good.due, good.stability)
    with pytest.raises(study.Conflict, match="already"):
        overrides.claim_right(learner.id, deck, wrong.review_id, NOW)
    right = answer(learner, deck, study.next_card(learner.id, deck, NOW))
    with pytest.raises(study.BadAnswer, match="graded wrong"):
        overrides.claim_right(learner.id, deck, right.review_id, NOW)


def test_a_new_review_avoids_a_day_with_fifty_cards_due(factory):
    """Load balancing: with 50 cards due on the day the fuzz would pick, the answer goes to
    another day of the window, the rating buttons show that interval, and the learner's due
    counts are read with one GROUP BY query."""
    from quizapp.domain import deck as domain

    questions = [
        domain.Question(
            f"q{n}",
            "basic",
            {"front": f"Front {n}?", "back": f"Back {n}"},
            origin=domain.Origin("definition", ""),
        )
        for n in range(51)
    ]
    big = factory.deck("big-deck", questions=questions)
    learner = factory.user()
    card_ids = db.session.scalars(
        sa.select(Card.id).where(Card.deck_id == big.id).order_by(Card.id)
    ).all()
    card_id, others = card_ids[0], card_ids[1:]
    answer(learner, big, study.get_card(learner.id, big, card_id), rating=4, now=NOW)
    now = state_of(learner, card_id).due
    before = study.schedule_of(state_of(learner, card_id))
    settings = study.effective_settings(learner.id, big)
    unbalanced = scheduling.review(
        before,
        Rating.GOOD,
        now,
        settings,
        card_id=card_id,
        seed=reschedule.fuzz_seed(learner.id, card_id, before),
    )
    busy = (unbalanced.due - now).days
    low, high = scheduling.load_window(before, now, settings, (Rating.GOOD,))
    assert low <= busy <= high and high - low >= 2
    start = scheduling.day_start(now, study.learner_day(learner.id))
    for other in others:
        db.session.add(
            CardState(
                user_id=learner.id,
                card_id=other,
                deck_id=big.id,
                state=int(scheduling.Phase.REVIEW),
                stability=20.0,
                difficulty=5.0,
                due=start + timedelta(days=busy, hours=13),
                last_review=NOW,
                reps=1,
            )
        )
    db.session.commit()
    # The buttons shown before answering already avoid the busy day ...
    shown = study.reveal(learner.id, big, card_id, now).ratings
    good = next(o.interval for o in shown if o.rating == Rating.GOOD)

    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = answer(learner, big, study.get_card(learner.id, big, card_id), rating=3, now=now)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    due = state_of(learner, card_id).due
    # ... and the answer gets what they showed, on another day of the window.
    assert due == now + good == result.due
    assert (due - now).days != busy and low <= (due - now).days <= high
    assert sum("GROUP BY" in s.upper() for s in statements) == 1
