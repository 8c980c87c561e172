"""Studying in the real browser: a new learner goes through every question type with the keyboard
and with the mouse, answers some wrong, undoes one, and comes back a (simulated) day later to see
the right cards due. Also: the same page with JavaScript off.

The deck is a bundled deck (``decks/*.yaml``) that has every question type, or the test
factory's deck when no bundled deck has them all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from quizapp.domain.questions import item_id
from quizapp.domain.questions.cloze import deletions
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question, Review
from quizapp.services.decks import import_paths, live_questions

from ..factories import Clock

pytestmark = pytest.mark.browser

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TYPES = {"cloze", "true_false", "multiple_choice", "ordering", "basic"}
EMAIL, PASSWORD = "newcomer@example.com", "a long enough passphrase"


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock(NOW)
    app.config["QUIZAPP_NOW"] = clock
    return clock


def study_deck(app, factory) -> Deck:
    """A bundled deck with every question type, else the factory's sample deck."""
    folder = Path(app.config["QUIZAPP_BUNDLED_DECKS"])
    if any(folder.glob("*.yaml")):
        import_paths([folder])
        for deck in db.session.scalars(sa.select(Deck).order_by(Deck.slug)):
            if {q.type for q in live_questions(deck)} >= TYPES:
                return deck
    return factory.deck("sample-deck")


def register(page) -> None:
    page.goto("/auth/register")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/auth/login**")  # registering does not sign in (finding 18)
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base_url + "/")


def current(page) -> tuple[str, str, Card]:
    """The step shown (question, result, reveal, empty), its question type and card."""
    step = page.locator("#study .study-step")
    kind = step.get_attribute("data-step")
    card_id = step.get_attribute("data-card")
    card = db.session.get(Card, int(card_id)) if card_id else None
    return kind, step.get_attribute("data-type") or "", card


def wait_for_step(page, kind: str) -> None:
    page.wait_for_selector(f"#study .study-step[data-step='{kind}']")


def cloze_answer(card: Card) -> str:
    return next(a for n, a, _ in deletions(card.question.fields["text"]) if n == card.ordinal)


def answer_with_keyboard(page, qtype: str, card: Card, *, right: bool) -> None:
    fields = card.question.fields
    if qtype == "cloze":
        page.keyboard.type(cloze_answer(card) if right else "not the answer at all")
        page.keyboard.press("Enter")
    elif qtype == "true_false":
        page.keyboard.press("t" if fields["answer"] == right else "f")
    elif qtype == "multiple_choice":
        wanted = (
            fields["correct"]
            if right
            else [i for i in range(len(fields["choices"])) if i not in fields["correct"]][:1]
        )
        for i in wanted:
            choice = page.locator(f"input[name=choice][value='{item_id(fields['choices'][i])}']")
            page.keyboard.press(choice.get_attribute("data-choice"))
        page.keyboard.press("Enter")
    elif qtype == "ordering":
        ids = [item_id(s) for s in fields["steps"]]
        if not right:
            ids.reverse()
        for target, step_id in enumerate(ids):
            item = page.locator(f"li.step[data-id='{step_id}']")
            now_at = page.locator("li.step").evaluate_all(
                "(items, id) => items.findIndex(li => li.dataset.id === id)", step_id
            )
            item.focus()
            for _ in range(now_at - target):
                page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
    elif qtype == "basic":
        page.keyboard.press(" ")  # the focused "Show answer"
        wait_for_step(page, "reveal")
        assert fields["back"] in page.locator("#study").inner_text()
        page.keyboard.press("3" if right else "1")


def answer_with_mouse(page, qtype: str, card: Card, *, right: bool) -> None:
    fields = card.question.fields
    if qtype == "cloze":  # the mouse path reveals instead of typing, then self-rates
        page.get_by_role("button", name="Show the answer instead").click()
        wait_for_step(page, "reveal")
        assert cloze_answer(card) in page.locator("#study mark").first.inner_text()
        page.locator(f"#study button[data-rating='{3 if right else 1}']").click()
    elif qtype == "true_false":
        page.get_by_role("button", name="True" if fields["answer"] == right else "False").click()
    elif qtype == "multiple_choice":
        wanted = (
            fields["correct"]
            if right
            else [i for i in range(len(fields["choices"])) if i not in fields["correct"]][:1]
        )
        for i in wanted:
            page.locator(f"input[name=choice][value='{item_id(fields['choices'][i])}']").click()
        page.get_by_role("button", name="Check").click()
    elif qtype == "ordering":
        ids = [item_id(s) for s in fields["steps"]]
        for target, step_id in enumerate(ids):
            items = page.locator("li.step")
            if items.nth(target).get_attribute("data-id") != step_id:
                page.locator(f"li.step[data-id='{step_id}']").drag_to(
                    items.nth(target), target_position={"x": 10, "y": 3}
                )
        order = page.locator("li.step").evaluate_all("items => items.map(li => li.dataset.id)")
        assert order == ids, "drag and drop put the steps in order"
        page.get_by_role("button", name="Check").click()
    elif qtype == "basic":
        page.get_by_role("button", name="Show answer").click()
        wait_for_step(page, "reveal")
        page.locator(f"#study button[data-rating='{3 if right else 1}']").click()


def test_a_new_learner_studies_every_type_with_keyboard_and_mouse(page, app, factory, clock):
    deck = study_deck(app, factory)
    register(page)
    home = page.locator("li", has=page.locator(f"a[href='/study/{deck.slug}']"))
    new_cards = db.session.scalar(
        sa.select(sa.func.count(Card.id))
        .join(Question)
        .where(Card.deck_id == deck.id, Card.retired_at.is_(None), Question.retired_at.is_(None))
    )
    assert f"{min(new_cards, 20)} new" in home.inner_text()
    home.get_by_role("link", name="Study").click()
    wait_for_step(page, "question")
    page.evaluate("window.__sameDocument = 'yes'")

    done = {"keyboard": set(), "mouse": set()}
    wrong_given = set()
    undone = False
    eased = None
    for _turn in range(80):
        kind, qtype, card = current(page)
        if kind == "empty" or (done["keyboard"] >= TYPES and done["mouse"] >= TYPES and undone):
            break
        assert kind == "question", kind
        html = page.locator("#study").inner_html()
        if qtype == "basic":
            assert card.question.fields["back"] not in html  # the answer is not in the page
        assert not card.question.explanation or card.question.explanation not in html
        way = "keyboard" if qtype not in done["keyboard"] else "mouse"
        # Some answers wrong: the first cloze typed and the first true/false.
        right = not (
            qtype in ("cloze", "true_false") and way == "keyboard" and qtype not in wrong_given
        )
        if not right:
            wrong_given.add(qtype)
        (answer_with_keyboard if way == "keyboard" else answer_with_mouse)(
            page, qtype, card, right=right
        )
        done[way].add(qtype)
        if card.question.type != "basic" and not (qtype == "cloze" and way == "mouse"):
            wait_for_step(page, "result")
            text = page.locator("#study").inner_text()
            assert ("✓ Right" in text) == right and ("✗ Not quite" in text) != right
            if card.question.explanation:
                assert card.question.explanation in text
            if card.question.origin_quote:
                assert card.question.origin_quote in text
            if qtype == "cloze" and not right:
                assert "not the answer at all" in text and cloze_answer(card) in text
            if qtype == "true_false" and not right and not undone:
                # Undo this wrong answer with the keyboard: the card comes back as it was.
                page.keyboard.press("u")
                wait_for_step(page, "question")
                assert "Undone" in page.locator("#study").inner_text()
                assert current(page)[2].id == card.id
                undone = True
                continue
            if way == "keyboard":
                page.keyboard.press(" " if not right else "3")  # Space goes on after a miss
            elif right and eased is None:
                # Adjust a right answer with the mouse: Easy instead of Good.
                page.locator("#study button[data-rating='4']").click()
                eased = card.id
            else:
                page.locator("#study [data-primary]").click()
        page.wait_for_selector(
            "#study .study-step[data-step='question'], #study .study-step[data-step='empty']"
        )
    assert done["keyboard"] >= TYPES and done["mouse"] >= TYPES and undone and eased
    assert page.evaluate("window.__sameDocument") == "yes", "no full page reload"

    db.session.expire_all()
    logged = list(db.session.scalars(sa.select(Review).order_by(Review.id)))
    assert sum(1 for r in logged if r.undone_at is not None) == 1
    assert any(r.correct is False and r.rating == 1 for r in logged)
    assert [r.rating for r in logged if r.card_id == eased and r.undone_at is None][-1] == 4
    assert all(0 <= r.duration_ms <= 60_000 for r in logged)
    # A day later: due are exactly the cards whose schedule says so.
    clock.now += timedelta(days=1)
    user_states = list(db.session.scalars(sa.select(CardState)))
    due = {s.card_id for s in user_states if s.due <= clock.now}
    not_due = {s.card_id for s in user_states if s.due > clock.now}
    assert due and not_due, "some cards were learnt for longer than a day, some were not"
    page.goto("/")
    counts = page.locator(f"li:has(a[href='/study/{deck.slug}']) .counts")
    assert counts.get_attribute("data-due") == str(len(due))
    page.goto(f"/study/{deck.slug}")
    kind, _qtype, card = current(page)
    assert kind == "question" and card.id in due


def test_studying_works_with_javascript_off(browser_instance, live_server, app, factory, clock):
    deck = factory.deck("sample-deck")
    context = browser_instance.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        register(page)
        page.goto(f"/study/{deck.slug}")
        card = current(page)[2]
        page.fill("input[name=text]", cloze_answer(card))
        page.get_by_role("button", name="Check").click()
        page.wait_for_url("**/reviews/*")
        assert "✓ Right" in page.content()
        page.get_by_role("button", name="Easy").click()
        page.wait_for_url(f"**/study/{deck.slug}")
        kind, qtype, second = current(page)
        assert kind == "question" and second.id != card.id
        page.get_by_role("button", name="Undo last answer").click()
        assert current(page)[2].id == card.id
        db.session.expire_all()
        assert db.session.scalar(sa.select(sa.func.count(CardState.id))) == 0
    finally:
        context.close()


def test_continuing_after_an_answer_makes_no_request(page, app, factory, clock):
    """One request per card: the result of an auto-graded answer carries the next question, so
    "Continue" (Space, or the rating already chosen) shows it without asking the server."""
    deck = factory.deck("sample-deck")
    register(page)
    page.goto(f"/study/{deck.slug}")
    wait_for_step(page, "question")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    for turn in range(2):
        kind, qtype, card = current(page)
        assert kind == "question" and qtype in (
            "cloze",
            "true_false",
            "multiple_choice",
            "ordering",
        ), qtype
        answer_with_keyboard(page, qtype, card, right=turn == 1)
        wait_for_step(page, "result")
        assert len(requests) == 1 and "/answer" in requests[0], requests
        requests.clear()
        # A miss: Space follows "Continue"; a right answer: Enter on the rating already chosen.
        page.keyboard.press(" " if turn == 0 else "Enter")
        wait_for_step(page, "question")
        assert current(page)[2].id != card.id
        assert requests == [], requests
    # The question swapped in works: answering it is one request, recorded once.
    kind, qtype, card = current(page)
    if qtype != "basic":
        answer_with_keyboard(page, qtype, card, right=False)
        wait_for_step(page, "result")
        assert len(requests) == 1, requests
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == (3 if qtype != "basic" else 2)
