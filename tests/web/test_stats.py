"""The statistics pages: the learner's own figures, charts with tables, no inline script or
style, linked from the navigation and the deck page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from quizapp.domain.scheduling import CardSchedule, Phase
from quizapp.extensions import db
from quizapp.models import Card, CardState, Review

#: A script written into the page (the site loads only its own files: <script src=...>).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def seed(user, deck, *, reviews: int, at: datetime = NOW) -> Card:
    """``reviews`` Good answers today to the deck's first card, which is then young."""
    card = db.session.scalar(sa.select(Card).where(Card.deck_id == deck.id).order_by(Card.id))
    before = CardSchedule(
        phase=Phase.REVIEW,
        step=None,
        stability=5.0,
        difficulty=5.0,
        due=at,
        last_review=at - timedelta(days=4),
    )
    for i in range(reviews):
        db.session.add(
            Review(
                user_id=user.id,
                card_id=card.id,
                deck_id=deck.id,
                rating=3,
                reviewed_at=at - timedelta(minutes=i),
                duration_ms=30_000,
                correct=True,
                previous_state=before.to_dict(),
            )
        )
    db.session.add(
        CardState(
            user_id=user.id,
            card_id=card.id,
            deck_id=deck.id,
            state=int(Phase.REVIEW),
            stability=9.0,
            difficulty=5.0,
            due=at + timedelta(days=9),
            last_review=at,
            reps=reviews,
        )
    )
    db.session.commit()
    return card


def test_learner_sees_own_figures(app, client, auth, factory):
    app.config["QUIZAPP_NOW"] = lambda: NOW
    ann, bob = factory.user(), factory.user()
    deck = factory.deck("sample-deck")
    seed(ann, deck, reviews=3)
    seed(bob, factory.deck("other-deck"), reviews=5)
    auth.login(ann)
    html = client.get("/stats/").get_data(as_text=True)
    assert re.search(r"<strong>1</strong> of <strong>6</strong> cards learnt", html)
    assert "3 reviews on 1 day in the past year" in html
    assert "<strong>1</strong> day in a row" in html
    assert "3 reviews · 1.5 minutes · 30.0 s per card" in html
    assert '100.0%</span> <span class="muted small">(3/3)</span>' in html  # young, today
    assert "<title" in html and "<desc" in html and "<details>" in html
    assert "3 reviews on 2026-06-15" in html
    # Only ann's deck is hers: bob's five reviews are nowhere.
    assert "5 reviews" not in html
    # A strict Content-Security-Policy can be served: no inline script, style or handlers.
    assert not INLINE_SCRIPT.search(html) and "style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    deck_html = client.get("/stats/decks/sample-deck").get_data(as_text=True)
    assert "Statistics: Sample Deck" in deck_html
    assert re.search(r"<strong>1</strong> of <strong>6</strong> cards learnt", deck_html)


def test_a_deck_not_started_shows_all_new(app, client, auth, factory):
    app.config["QUIZAPP_NOW"] = lambda: NOW
    ann = factory.user()
    factory.deck("sample-deck")
    auth.login(ann)
    html = client.get("/stats/decks/sample-deck").get_data(as_text=True)
    assert re.search(r"<strong>0</strong> of <strong>6</strong> cards learnt", html)
    assert "<strong>0</strong> days in a row" in html
    overall = client.get("/stats/").get_data(as_text=True)
    assert re.search(r"<strong>0</strong> of <strong>0</strong> cards learnt", overall)


def test_linked_from_nav_and_deck_page(client, auth, factory):
    factory.deck("sample-deck")
    auth.login(factory.user())
    html = client.get("/decks/sample-deck").get_data(as_text=True)
    assert 'href="/stats/"' in html
    assert 'href="/stats/decks/sample-deck"' in html


def test_a_private_deck_of_someone_else_is_hidden(client, auth, factory):
    owner = factory.user("instructor")
    factory.deck("secret", owner=owner, visibility="private")
    auth.login(factory.user())
    assert client.get("/stats/decks/secret").status_code == 404


def test_article_painted_by_memory_and_study_now(app, client, auth, factory):
    app.config["QUIZAPP_NOW"] = lambda: NOW
    ann = factory.user()
    deck = factory.deck("sample-deck")
    liver = db.session.scalar(sa.select(Card).where(Card.deck_id == deck.id).order_by(Card.id))
    db.session.add(
        CardState(
            user_id=ann.id,
            card_id=liver.id,
            deck_id=deck.id,
            state=int(Phase.REVIEW),
            stability=10.0,
            difficulty=5.0,
            due=NOW + timedelta(days=7),
            last_review=NOW - timedelta(days=1),
            reps=2,
        )
    )
    db.session.commit()
    auth.login(ann)
    assert 'href="/stats/decks/sample-deck/article"' in client.get("/decks/sample-deck").get_data(
        as_text=True
    )
    html = client.get("/stats/decks/sample-deck/article").get_data(as_text=True)
    tested = re.search(
        r'<details class="sentence recall-(\w+)" id="s1">\s*<summary>'
        r'<span class="sentence-text">IGF-1 is produced by the liver.</span>\s*'
        r'<span class="recall-value">(\d+)%',
        html,
    )
    assert tested and tested.groups() == ("r5", "99")
    assert re.search(r'<details class="sentence recall-untested" id="s2">', html)
    assert "1 of 2 can be studied now" in html
    assert not INLINE_SCRIPT.search(html) and "style=" not in html
    # "Study these now" on the liver sentence: its new card comes first.
    question_id = liver.question_id
    response = client.post(
        "/stats/decks/sample-deck/article/study", data={"question": [str(question_id)]}
    )
    assert response.status_code == 302 and response.location.endswith("/study/sample-deck")
    page = client.get("/study/sample-deck").get_data(as_text=True)
    assert "1 card from that sentence comes first." in page
    second = db.session.scalar(
        sa.select(Card.id).where(Card.question_id == question_id, Card.ordinal == 2)
    )
    assert f'name="card_id" value="{second}"' in page


def test_study_now_with_junk_ids_is_refused(client, auth, factory):
    factory.deck("sample-deck")
    auth.login(factory.user())
    for junk in (["99999999999999"], ["x"], []):
        response = client.post("/stats/decks/sample-deck/article/study", data={"question": junk})
        assert response.status_code == 422
