"""Importing other formats into the database: the CLI, schedules kept, nothing written if bad."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quizapp.domain.interop import EXPORT_FORMATS
from quizapp.extensions import db
from quizapp.models import CardState, Deck, Question
from quizapp.services.decks import get_deck

from ..factories import sample_deck
from .test_import import _cards, _study

FILES = {"csv": "deck.csv", "tsv": "deck.tsv", "gift": "deck.gift", "moodle": "deck.xml"}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_cli_imports_and_a_reimport_keeps_schedules(app, runner, factory, tmp_path, fmt):
    learner = factory.user()
    deck = sample_deck("shared-deck")
    path = tmp_path / FILES[fmt]
    path.write_bytes(EXPORT_FORMATS[fmt].write([deck])[0])
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "shared-deck: 5 added" in result.output or "shared-deck: 6 added" in result.output
    cards = _cards("shared-deck")
    kept, restarted = cards[("definition", 1)], cards[("misconception-workout", 1)]
    _study(learner, kept)
    _study(learner, restarted)

    by_id = {q.id: q for q in deck.questions}
    by_id["definition"].fields["front"] = "What is IGF-1 signalling, in one sentence?"
    by_id["misconception-workout"].fields["answer"] = True
    path.write_bytes(EXPORT_FORMATS[fmt].write([deck])[0])
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "restarted misconception-workout" in result.output
    states = {s.card_id for s in db.session.scalars(sa.select(CardState))}
    assert kept.id in states and restarted.id not in states
    assert _cards("shared-deck")[("definition", 1)].id == kept.id  # the same card, by id

    result = runner.invoke(args=["import", str(path)])
    assert "0 added, 0 updated, 0 restarted, 0 retired" in result.output


def test_skipped_rows_are_listed_and_the_rest_imports(app, runner, tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("apple\tpomme\nlonely\nhouse\tmaison\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:2: skipped: a Basic row needs a front and a back" in result.output
    assert "words: 2 added" in result.output
    assert get_deck("words").title == "words"


def test_an_unreadable_file_writes_nothing_and_fails(app, runner, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_bytes(b"::a:: fine {T}\n\n::b:: broken {=x\n")
    good = tmp_path / "good.csv"
    good.write_text("a,b\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(bad), str(good)])
    assert result.exit_code == 1
    assert f"{bad}:3: an answer block opened with '{{' is never closed" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Deck.id))) == 1  # only the good file
    assert get_deck("good") is not None and get_deck("bad") is None


def test_a_custom_separator_and_yaml_files_in_one_run(app, runner, tmp_path):
    from quizapp.domain.deckfile import dump_deck_text

    (tmp_path / "deck.yaml").write_text(dump_deck_text(sample_deck("yaml-deck")), "utf-8")
    words = tmp_path / "quizlet.txt"
    words.write_text("apple - pomme\nhouse - maison\n", encoding="utf-8")
    result = runner.invoke(
        args=["import", str(tmp_path / "deck.yaml"), str(words), "--separator", " - "]
    )
    assert result.exit_code == 0, result.output
    assert "yaml-deck: 5 added" in result.output and "quizlet: 2 added" in result.output
    fronts = db.session.scalars(sa.select(Question.fields).join(Deck).where(Deck.slug == "quizlet"))
    assert sorted(f["back"] for f in fronts) == ["maison", "pomme"]


# --- Anki packages -------------------------------------------------------------------------------


def test_an_anki_package_with_history_becomes_the_learner_s_schedule(
    app, runner, factory, tmp_path
):
    from quizapp.models import Review

    from ..domain.test_interop_apkg import anki_package

    learner = factory.user(email="anki-user@example.com")
    path, _ = anki_package(tmp_path)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "reviews not imported; pass --user EMAIL" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0

    result = runner.invoke(args=["import", str(path), "--user", learner.email])
    assert result.exit_code == 0, result.output
    reviews = list(db.session.scalars(sa.select(Review).order_by(Review.reviewed_at)))
    assert len(reviews) >= 4 and {r.user_id for r in reviews} == {learner.id}
    assert f"{len(reviews)} reviews recorded for {learner.email}" in result.output
    states = {s.card_id: s for s in db.session.scalars(sa.select(CardState))}
    per_card: dict[int, int] = {}
    for review in reviews:
        per_card[review.card_id] = per_card.get(review.card_id, 0) + 1
    assert {cid: s.reps for cid, s in states.items()} == per_card
    assert all(s.last_review is not None and s.stability for s in states.values())
    # Replayed in order: each review but a card's first starts from the state before it.
    firsts = {}
    for review in reviews:
        assert (review.previous_state is None) == (review.card_id not in firsts)
        firsts.setdefault(review.card_id, review)
    # SQL NULL (as the study service leaves it for a new card), not a JSON null.
    assert db.session.scalar(
        sa.select(sa.func.count(Review.id)).where(Review.previous_state.is_(sa.null()))
    ) == len(firsts)

    again = runner.invoke(args=["import", str(path), "--user", learner.email])
    assert again.exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == len(reviews)
    assert runner.invoke(args=["import", str(path), "--user", "nobody@example.com"]).exit_code == 1


def test_quizapp_s_own_package_reimported_keeps_ids_and_schedules(app, runner, factory, tmp_path):
    learner = factory.user()
    factory.deck("sample-deck")
    card = _cards("sample-deck")[("definition", 1)]
    _study(learner, card)
    out = tmp_path / "sample.apkg"
    assert runner.invoke(args=["export", "sample-deck", "--out", str(out)]).exit_code == 0
    result = runner.invoke(args=["import", str(out)])
    assert result.exit_code == 0, result.output
    assert "sample-deck: 0 added" in result.output and "0 retired" in result.output
    assert _cards("sample-deck")[("definition", 1)].id == card.id
    assert db.session.scalar(sa.select(CardState.card_id)) == card.id


def test_a_replayed_history_stores_each_review_state_interval(app, factory):
    """The history import's bulk insert sets ``prior_interval_days`` as the model does (the
    learner statistics read it), including for answers given in the review state."""
    from datetime import UTC, datetime, timedelta

    from quizapp.domain.interop.apkg import AnkiReview
    from quizapp.models import Card, Question, Review
    from quizapp.models.study import prior_interval_days
    from quizapp.services.interop.history import apply_reviews

    learner = factory.user(email="anki-user@example.com")
    deck = factory.deck("sample-deck")
    key, ordinal = db.session.execute(
        sa.select(Question.key, Card.ordinal)
        .join(Card.question)
        .where(Question.deck_id == deck.id)
        .order_by(Card.id)
    ).first()
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    days = [0, 1, 4, 12, 40, 120]
    apply_reviews(
        learner.id,
        deck,
        [
            AnkiReview("d", key, ordinal, start + timedelta(days=d), 3, 5000, f"r{i}")
            for i, d in enumerate(days)
        ],
    )
    reviews = list(db.session.scalars(sa.select(Review).order_by(Review.reviewed_at)))
    assert len(reviews) == len(days)
    assert any(r.prior_interval_days is not None for r in reviews)
    assert [r.prior_interval_days for r in reviews] == [
        prior_interval_days(r.previous_state) for r in reviews
    ]
