"""The deck-library update rules: re-imports keep schedules unless an answer changed."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Card, CardState, Question, Review
from quizapp.services.decks import get_deck, import_deck, import_paths

from ..factories import sample_deck

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _cards(slug: str) -> dict[tuple[str, int], Card]:
    rows = db.session.execute(
        sa.select(Question.key, Card)
        .join(Card.question)
        .where(Question.deck_id == get_deck(slug).id)
    ).all()
    return {(key, card.ordinal): card for key, card in rows}


def _study(user, card: Card) -> CardState:
    """Give ``user`` a reviewed state and a review of ``card``."""
    state = CardState(
        user_id=user.id,
        card_id=card.id,
        deck_id=card.deck_id,
        state=2,
        stability=12.5,
        difficulty=4.2,
        due=NOW + timedelta(days=12),
        last_review=NOW,
        reps=3,
        lapses=0,
    )
    db.session.add_all(
        [
            state,
            Review(
                user_id=user.id,
                card_id=card.id,
                deck_id=card.deck_id,
                rating=3,
                reviewed_at=NOW,
                correct=True,
            ),
        ]
    )
    db.session.commit()
    return state


def test_first_import_adds_every_question_and_card(app):
    summary = import_deck(sample_deck(), now=NOW)
    assert summary.created
    assert len(summary.added) == 5
    cards = _cards("sample-deck")
    assert len(cards) == 6  # the cloze has two deletions, so two cards
    assert {("takeaway-liver", 1), ("takeaway-liver", 2)} <= set(cards)


def test_reimporting_the_same_deck_changes_nothing(app):
    import_deck(sample_deck(), now=NOW)
    before = {k: c.id for k, c in _cards("sample-deck").items()}
    summary = import_deck(sample_deck(), now=NOW + timedelta(hours=1))
    assert summary.line() == "sample-deck: 0 added, 0 updated, 0 restarted, 0 retired, 5 unchanged"
    assert {k: c.id for k, c in _cards("sample-deck").items()} == before
    assert get_deck("sample-deck").version == 1


def test_wording_fix_keeps_schedule_and_changed_answer_restarts(app, factory):
    import_deck(sample_deck(), now=NOW)
    learner = factory.user()
    cards = _cards("sample-deck")
    for key in (("misconception-workout", 1), ("signs-choice", 1), ("mechanism-order", 1)):
        _study(learner, cards[key])

    edited = sample_deck()
    by_id = {q.id: q for q in edited.questions}
    by_id["misconception-workout"].fields["statement"] = "Muscle grows during the workout itself."
    by_id["misconception-workout"].explanation = "Reworded explanation."
    by_id["signs-choice"].fields["correct"] = [0]  # the answer changed
    by_id["mechanism-order"].fields["steps"] = list(
        reversed(by_id["mechanism-order"].fields["steps"])
    )
    summary = import_deck(edited, now=NOW + timedelta(days=1))

    assert summary.updated == ["misconception-workout"]
    assert sorted(summary.restarted) == ["mechanism-order", "signs-choice"]
    states = {s.card_id: s for s in db.session.scalars(sa.select(CardState))}
    assert cards[("misconception-workout", 1)].id in states
    assert states[cards[("misconception-workout", 1)].id].stability == 12.5
    assert cards[("signs-choice", 1)].id not in states
    assert cards[("mechanism-order", 1)].id not in states
    # History stays for statistics, even for restarted cards.
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 3


def test_removed_question_is_retired_with_history_kept_and_comes_back(app, factory):
    import_deck(sample_deck(), now=NOW)
    learner = factory.user()
    _study(learner, _cards("sample-deck")[("definition", 1)])
    smaller = sample_deck()
    smaller.questions = [q for q in smaller.questions if q.id != "definition"]
    summary = import_deck(smaller, now=NOW + timedelta(days=1))
    assert summary.retired == ["definition"]
    card = _cards("sample-deck")[("definition", 1)]
    assert card.retired_at is not None and card.question.retired_at is not None
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 1

    summary = import_deck(sample_deck(), now=NOW + timedelta(days=2))
    assert summary.added == ["definition"]
    card = _cards("sample-deck")[("definition", 1)]
    assert card.retired_at is None
    assert db.session.scalar(sa.select(CardState).where(CardState.card_id == card.id)) is not None


def test_cloze_deletions_add_and_retire_cards_one_by_one(app, factory):
    import_deck(sample_deck(), now=NOW)
    learner = factory.user()
    first = _cards("sample-deck")
    _study(learner, first[("takeaway-liver", 1)])

    three = sample_deck()
    three.questions[0].fields["text"] = (
        "IGF-1 is produced by the {{c1::liver}} in response to {{c2::growth hormone}} "
        "and activates {{c3::mTOR}}."
    )
    summary = import_deck(three, now=NOW + timedelta(days=1))
    assert summary.updated == ["takeaway-liver"]
    cards = _cards("sample-deck")
    assert {o for (k, o) in cards if k == "takeaway-liver"} == {1, 2, 3}
    assert cards[("takeaway-liver", 1)].id == first[("takeaway-liver", 1)].id

    without_c2 = copy.deepcopy(three)
    without_c2.questions[0].fields["text"] = (
        "IGF-1 is produced by the {{c1::liver}} in response to growth hormone "
        "and activates {{c3::mTOR}}."
    )
    import_deck(without_c2, now=NOW + timedelta(days=2))
    cards = _cards("sample-deck")
    assert cards[("takeaway-liver", 2)].retired_at is not None
    assert cards[("takeaway-liver", 1)].retired_at is None
    assert (
        db.session.scalar(
            sa.select(CardState).where(CardState.card_id == cards[("takeaway-liver", 1)].id)
        ).stability
        == 12.5
    )


def test_invalid_file_imports_nothing_and_others_still_import(app, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(
        "id: good-deck\ntitle: Good\nquestions:\n  - id: q1\n    type: basic\n"
        "    front: Front\n    back: Back\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad-deck\ntitle: Bad\nquestions:\n  - id: q1\n    type: basic\n"
        "    front: Front\n  - id: q2\n    type: cloze\n    text: no deletions\n",
        encoding="utf-8",
    )
    results = {r.path.name: r for r in import_paths([tmp_path])}
    assert results["good.yaml"].summary is not None
    assert [str(p) for p in results["bad.yaml"].problems] == [
        f"{bad}:4: question 'q1': missing field 'back' (required for basic)",
        f"{bad}:9: question 'q2': cloze has no deletions: mark at least one term as "
        "{{c1::term}}",
    ]
    assert get_deck("good-deck") is not None
    assert get_deck("bad-deck") is None


def test_database_error_rolls_the_deck_back(app, monkeypatch):
    import quizapp.services.decks as decks_service

    original = decks_service._add_questions

    def failing(*args, **kwargs):
        original(*args, **kwargs)  # the questions and cards are written, then the import fails
        raise sa.exc.IntegrityError("INSERT", {}, Exception("simulated failure"))

    monkeypatch.setattr(decks_service, "_add_questions", failing)
    with pytest.raises(sa.exc.IntegrityError):
        import_deck(sample_deck(), now=NOW)
    assert get_deck("sample-deck") is None
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0
