"""The study page without JavaScript (plain forms and redirects), its fragments, settings and
the deck lists' study counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.domain.questions import item_id
from quizapp.extensions import db
from quizapp.models import CardState, Review, Role, Visibility

from ..factories import Clock
from .forms import form_to, forms

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock(NOW)
    app.config["QUIZAPP_NOW"] = clock
    return clock


@pytest.fixture
def learner(factory, auth, clock):
    user = factory.user()
    auth.login(user)
    return user


@pytest.fixture
def deck(factory):
    return factory.deck("sample-deck")


def reviews() -> list[Review]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Review).order_by(Review.id)))


def page(client, url="/study/sample-deck") -> str:
    response = client.get(url)
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def post(client, form, data, **kwargs):
    return client.post(form.action, data=data, **kwargs)


def test_study_needs_a_signed_in_user(client, deck):
    response = client.get("/study/sample-deck")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_hidden_or_unknown_deck_is_404(client, factory, learner):
    factory.deck("secret", owner=factory.user(Role.INSTRUCTOR), visibility=Visibility.PRIVATE)
    assert client.get("/study/secret").status_code == 404
    assert client.get("/study/nope").status_code == 404


def test_typed_cloze_right_then_result_then_rating(client, learner, deck, clock):
    html = page(client)
    assert "IGF-1 is produced by the" in html and 'name="text"' in html
    assert "liver" not in html.split("IGF-1 is produced by the", 1)[1][:400]
    form = form_to(html, "/answer")
    response = post(client, form, form.data(text="Liver"))
    assert response.status_code == 302 and "/reviews/" in response.headers["Location"]
    result = page(client, response.headers["Location"])
    assert "✓ Right" in result
    assert "The liver makes most circulating IGF-1." in result  # explanation
    assert "IGF-1 is produced by the liver." in result  # source quote
    assert "Liver" in result and "liver" in result  # your answer against the right one
    rating_forms = [f for f in forms(result) if f.action.endswith("/rating")]
    labels = [" ".join(f.text.split()) for f in rating_forms]
    assert labels == ["2 Hard 6m", "3 Good 10m", "4 Easy " + labels[2].split()[-1]]
    # Easy replaces Good and goes on to the next card.
    response = post(client, rating_forms[2], rating_forms[2].data())
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/study/sample-deck"
    )
    assert [r.rating for r in reviews()] == [4]
    assert "growth hormone" not in page(client).split("IGF-1 is produced by the", 1)[1][:60]


def test_a_wrong_answer_shows_the_right_one_and_continues(client, learner, deck):
    form = form_to(page(client), "/answer")
    response = post(client, form, form.data(text="kidney"), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "✗ Not quite" in html and "kidney" in html and "liver" in html
    assert "Continue" in html and "Again: 1m" in html
    assert [(r.rating, r.correct) for r in reviews()] == [(1, False)]


def test_double_submit_records_one_review(client, learner, deck):
    form = form_to(page(client), "/answer")
    first = post(client, form, form.data(text="liver"))
    second = post(client, form, form.data(text="liver"))
    assert first.headers["Location"] == second.headers["Location"]
    assert len(reviews()) == 1


def test_a_second_tab_gets_a_clear_message(client, learner, deck):
    html = page(client)
    tab_one, tab_two = form_to(html, "/answer"), form_to(page(client), "/answer")
    post(client, tab_one, tab_one.data(text="liver"))
    response = post(client, tab_two, tab_two.data(text="liver"), follow_redirects=True)
    assert "already answered in another tab" in response.get_data(as_text=True)
    assert len(reviews()) == 1


def _answer_current(client, **kwargs):
    html = page(client)
    form = form_to(html, "/answer") if "/answer" in html else None
    return html, form


def test_every_question_type_through_plain_forms(client, learner, deck, clock):
    # cloze c1 typed, right
    html, form = _answer_current(client)
    post(client, form, form.data(text="liver"))
    # cloze c2: revealed instead of typed, then self-rated Hard
    html = page(client)
    reveal = form_to(html, "/reveal/")
    shown = client.get(reveal.action, query_string=reveal.data())
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "growth hormone" in text
    hard = next(f for f in forms(text) if "Hard" in f.text)
    assert post(client, hard, hard.data()).status_code == 302
    # true/false: the False button
    html, form = _answer_current(client)
    assert "Muscle is built during the workout." in html
    post(client, form, form.data(form.button("False")))
    # ordering: positions from the menus, all right
    html, form = _answer_current(client)
    steps = [
        "Growth hormone is released",
        "The liver makes IGF-1",
        "IGF-1 activates mTOR",
        "New muscle protein is made",
    ]
    positions = {f"pos-{item_id(s)}": str(n) for n, s in enumerate(steps, 1)}
    response = post(client, form, form.data(**positions), follow_redirects=True)
    assert "✓ Right" in response.get_data(as_text=True)
    # multiple choice: one of two right answers only -> wrong
    html, form = _answer_current(client)
    assert 'type="checkbox"' in html and "select all that apply" in html
    response = post(
        client, form, form.data(choice=[item_id("Progress stalls")]), follow_redirects=True
    )
    result = response.get_data(as_text=True)
    assert "✗ Not quite" in result and "your pick" in result and "Slow recovery" in result
    # basic: reveal, then Good
    html = page(client)
    assert "What is IGF-1 signaling?" in html and "instructs muscle cells" not in html
    shown = client.get(
        form_to(html, "/reveal/").action, query_string=form_to(html, "/reveal/").data()
    )
    good = next(f for f in forms(shown.get_data(as_text=True)) if "Good" in f.text)
    post(client, good, good.data())
    assert [(r.rating, r.correct) for r in reviews()] == [
        (3, True),
        (2, None),
        (3, True),
        (3, True),
        (1, False),
        (3, None),
    ]
    assert all(0 <= r.duration_ms <= 60_000 for r in reviews())


def test_ordering_positions_must_differ(client, learner, deck):
    for _ in range(3):  # reach the ordering card
        _html, form = _answer_current(client)
        post(client, form, form.data(text="x", answer="true"))
    html, form = _answer_current(client)
    assert "Put the steps in order." in html
    data = form.data(**{name: "1" for name, _ in form.fields if name.startswith("pos-")})
    response = post(client, form, data)
    assert response.status_code == 422
    assert "different position" in response.get_data(as_text=True)


def test_nothing_picked_is_not_an_answer(client, learner, deck, factory):
    from quizapp.services import study

    for _ in range(4):
        card = study.next_card(learner.id, deck, NOW)
        from tests.services.study_helpers import new_key, wrong_answer

        study.submit_answer(
            learner.id,
            deck,
            card.card.id,
            wrong_answer(card.question.type, card.question.fields, 1),
            idempotency_key=new_key(),
            duration_ms=0,
            now=NOW,
        )
    html, form = _answer_current(client)
    response = post(client, form, form.data())
    assert response.status_code == 422 and "Pick an answer first" in response.get_data(as_text=True)


def test_undo_brings_the_card_back_as_it_was(client, learner, deck):
    html, form = _answer_current(client)
    post(client, form, form.data(text="liver"))
    html = page(client)
    undo = form_to(html, "/undo")
    response = post(client, undo, undo.data())
    assert response.status_code == 302 and "card=" in response.headers["Location"]
    html = page(client, response.headers["Location"])
    assert "Undone" in html and 'name="version" value="0"' in html
    assert "IGF-1 is produced by the" in html
    assert db.session.scalar(sa.select(sa.func.count(CardState.id))) == 0
    assert reviews()[0].undone_at is not None


def test_fetch_requests_get_fragments(client, learner, deck):
    response = client.get("/study/sample-deck", headers=FETCH)
    html = response.get_data(as_text=True)
    assert response.headers["X-Study-Fragment"] == "1"
    assert "<html" not in html and 'data-step="question"' in html
    form = form_to(html, "/answer")
    response = client.post(form.action, data=form.data(text="liver"), headers=FETCH)
    assert response.status_code == 200 and 'data-step="result"' in response.get_data(as_text=True)
    stale = client.post(
        form.action, data=form.data(text="liver") | {"idempotency_key": ["new"]}, headers=FETCH
    )
    assert stale.status_code == 409
    assert "already answered" in stale.get_data(as_text=True)
    assert 'data-step="question"' in stale.get_data(as_text=True)


def test_the_empty_queue_says_when_to_come_back(client, learner, deck, clock):
    from quizapp.services import study
    from tests.services.study_helpers import new_key, right_answer

    while (card := study.next_card(learner.id, deck, clock.now)) is not None:
        study.submit_answer(
            learner.id,
            deck,
            card.card.id,
            right_answer(card.question.type, card.question.fields, card.card.ordinal),
            idempotency_key=new_key(),
            duration_ms=0,
            now=clock.now,
            rating=4,
        )
    html = page(client)
    assert "Nothing more to study now" in html and "Come back in" in html
    home = page(client, "/")
    assert 'data-due="0" data-new="0"' in home and "next in" in home
    clock.now += timedelta(days=30)
    home = page(client, "/")
    assert 'data-due="6"' in home


def test_home_and_deck_pages_show_counts_and_the_study_button(client, learner, deck):
    html = page(client, "/")
    assert 'data-due="0" data-new="6"' in html and 'href="/study/sample-deck"' in html
    html = page(client, "/decks/sample-deck")
    assert 'data-due="0" data-new="6"' in html and 'href="/study/sample-deck"' in html


def test_question_text_is_escaped_on_the_study_page(client, learner):
    from quizapp.services.decks import import_deck
    from tests.factories import sample_deck

    evil = sample_deck("evil")
    evil.questions[0].fields["text"] = "<script>alert(1)</script> is made by the {{c1::liver}}."
    import_deck(evil)
    html = page(client, "/study/evil")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_learner_and_owner_settings(client, factory, auth, clock):
    owner = factory.user(Role.INSTRUCTOR)
    factory.deck("owned", owner=owner)
    learner = factory.user()
    auth.login(learner)
    html = page(client, "/study/owned/settings")
    assert "Your settings for this deck" in html and "Deck settings" not in html
    response = client.post(
        "/study/owned/settings",
        data={"scope": "own", "desired_retention": "0.95", "new_cards_per_day": "5"},
    )
    assert response.status_code == 302
    assert "<strong>0.95</strong>" in page(client, "/study/owned/settings")
    response = client.post(
        "/study/owned/settings",
        data={"scope": "deck", "desired_retention": "0.8", "new_cards_per_day": "5"},
    )
    assert response.status_code == 403
    response = client.post(
        "/study/owned/settings",
        data={"scope": "own", "desired_retention": "1.5", "new_cards_per_day": ""},
    )
    assert response.status_code == 422 and "between 0.70 and 0.99" in response.get_data(
        as_text=True
    )
    auth.login(owner)
    assert "Deck settings (for every learner)" in page(client, "/study/owned/settings")
    response = client.post(
        "/study/owned/settings",
        data={"scope": "deck", "desired_retention": "85", "new_cards_per_day": "10"},
    )
    assert response.status_code == 302
    from quizapp.services.decks import get_deck

    db.session.expire_all()
    deck = get_deck("owned")
    assert (deck.desired_retention, deck.new_cards_per_day) == (0.85, 10)


def test_forms_need_the_csrf_token(app, client, learner, deck):
    app.config["WTF_CSRF_ENABLED"] = True
    html = page(client)
    form = form_to(html, "/answer")
    data = form.data(text="liver")
    del data["csrf_token"]
    assert client.post(form.action, data=data).status_code == 400
    assert client.post(form.action, data=form.data(text="liver")).status_code == 302


def test_the_empty_queue_says_when_to_come_back_in_the_learners_own_time(client, learner, deck):
    learner.timezone, learner.day_starts_at = "Asia/Tokyo", 4
    db.session.commit()
    from quizapp.services import study

    study.set_own_settings(learner.id, deck, desired_retention=None, new_cards_per_day=0)
    text = page(client)
    # NOW is 2 March 2026, 10:00 UTC (19:00 in Tokyo): the next day starts 3 March, 4:00 JST.
    assert "03 Mar 2026, 04:00 JST" in text
    assert 'datetime="2026-03-02T19:00:00+00:00"' in text


def test_i_was_right_button_after_a_wrong_answer_in_the_browser_and_api(client, learner, deck):
    from quizapp.services import study

    card = study.next_card(learner.id, deck, NOW)
    assert card.question.type != "basic"
    wrong = study.submit_answer(
        learner.id,
        deck,
        card.card.id,
        _wrong(card),
        idempotency_key="w1",
        duration_ms=1000,
        now=NOW,
    )
    text = client.get(f"/study/sample-deck/reviews/{wrong.review_id}").get_data(as_text=True)
    assert "I was right" in text
    response = client.post(f"/study/sample-deck/reviews/{wrong.review_id}/right")
    assert response.status_code in (200, 302)
    db.session.expire_all()
    review = db.session.get(Review, wrong.review_id)
    assert review.overridden and review.rating == 3
    again = client.post(f"/api/v1/study/sample-deck/reviews/{wrong.review_id}/right")
    assert again.status_code == 409 and "already" in again.get_json()["error"]["message"]


def _wrong(card):
    from tests.services.study_helpers import wrong_answer

    return wrong_answer(card.question.type, card.question.fields, card.card.ordinal)


def _next_step(html: str) -> str:
    """The next step a fetched result carries in its ``<template data-next-step>``."""
    import re

    found = re.search(r"<template data-next-step>(.*)</template>", html, re.S)
    assert found, html[-800:]
    return found[1]


def test_a_fetched_result_carries_the_next_question(client, learner, deck):
    """After an answer sent with fetch the result holds the next step, the question that the
    study page gives right after, answerable as it is: "Continue" needs no request."""
    import re

    form = form_to(
        client.get("/study/sample-deck", headers=FETCH).get_data(as_text=True), "/answer"
    )
    response = client.post(form.action, data=form.data(text="kidney"), headers=FETCH)
    html = response.get_data(as_text=True)
    assert 'data-step="result"' in html and "data-continue" in html
    embedded = _next_step(html)
    assert 'data-step="question"' in embedded
    card = re.search(r'data-step="question"[^>]*data-card="(\d+)"', embedded)[1]
    fetched = client.get("/study/sample-deck", headers=FETCH).get_data(as_text=True)
    assert re.search(r'data-step="question"[^>]*data-card="(\d+)"', fetched)[1] == card
    # The embedded form is a working one: its answer is recorded, once.
    embedded_form = form_to(embedded, "/answer")
    assert embedded_form.data()["card_id"] == [card]
    answered = client.post(embedded_form.action, data=embedded_form.data(text="x"), headers=FETCH)
    assert answered.status_code == 200
    assert [r.card_id for r in reviews()][-1] == int(card) and len(reviews()) == 2


def test_the_no_script_result_page_has_no_embedded_step(client, learner, deck):
    form = form_to(page(client), "/answer")
    response = post(client, form, form.data(text="kidney"))
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-step="result"' in html and "<template" not in html


def test_a_fetched_answer_with_its_next_step_costs_a_bounded_number_of_statements(
    client, learner, deck
):
    """Result and next question in one request: 14 statements on SQLite and PostgreSQL (13 and
    one for the session's progress bar, read once for both steps; 23 before the hot path,
    16 + 15 in two requests before that), pinned: fails if it grows."""
    form = form_to(
        client.get("/study/sample-deck", headers=FETCH).get_data(as_text=True), "/answer"
    )
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post(form.action, data=form.data(text="kidney"), headers=FETCH)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert "<template data-next-step>" in response.get_data(as_text=True)
    assert len(statements) <= 14, statements


def test_the_session_shows_its_progress_and_ends_with_a_summary(client, learner, deck, clock):
    from quizapp.services import study
    from tests.services.study_helpers import new_key, right_answer

    html = page(client)
    assert '<progress max="6" value="0"' in html and "<span data-progress>0 of 6</span>" in html
    seconds = iter([4, 6, 3, 2, 5, 10])
    sections = []
    while (card := study.next_card(learner.id, deck, clock.now)) is not None:
        sections.append(card.question.origin_section)
        study.submit_answer(
            learner.id,
            deck,
            card.card.id,
            right_answer(card.question.type, card.question.fields, card.card.ordinal),
            idempotency_key=new_key(),
            duration_ms=1000 * next(seconds),
            now=clock.now,
            rating=4,
        )
        clock.advance(minutes=1)
        if len(sections) == 2:
            assert "<span data-progress>2 of 6</span>" in page(client)
    html = page(client)
    assert "<span data-progress>6 of 6</span>" in html
    assert '<dd data-figure="cards">6</dd>' in html and '<dd data-figure="answers">6</dd>' in html
    assert '<dd data-figure="recalled">100%' in html and "(6 of 6)" in html
    assert '<dd data-figure="time">30 s</dd>' in html
    assert "By section of the article" in html
    assert '<th scope="row">Takeaway</th><td>2</td><td>2</td><td>100%</td>' in html
    # Half an hour later the session is over: no summary, a new session starts at 0.
    clock.advance(minutes=31)
    assert "data-summary" not in page(client)
