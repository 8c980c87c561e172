"""Nothing a learner sees before answering gives the answer away (issue 13, finding 1).

An attacker here knows everything the client is shown (card ids, question keys, versions, their
own user id) and the code. The shuffles they see are keyed with the server's secret, so the old
seed formulas no longer predict them, the order changes with the secret, and the pages and JSON
carry no answer of any question type before it is answered. Grading still maps what the learner
sends back to the right answer.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain import quiz as rules
from quizapp.domain.questions import item_id
from quizapp.domain.questions.cloze import deletions
from quizapp.domain.scheduling import fuzz_seed
from quizapp.extensions import db
from quizapp.models import Card, Question
from quizapp.services import quiz as quiz_service
from quizapp.services import study, tokens
from quizapp.services.decks import get_deck, import_deck

from ..factories import Clock

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CHAINS = 20
STEPS = 6
CHOICES = 5


@pytest.fixture
def clock(app) -> Clock:
    app.config["QUIZAPP_NOW"] = clock = Clock(NOW)
    return clock


def _chains_deck() -> None:
    """20 ordering questions of 6 steps and 20 multiple choices of 5 (the first one right)."""
    questions = []
    for q in range(CHAINS):
        questions.append(
            domain.Question(
                f"chain-{q}",
                "ordering",
                {
                    "prompt": f"Order chain {q}.",
                    "steps": [f"Chain {q} stage {chr(65 + k)} happens" for k in range(STEPS)],
                },
                origin=domain.Origin("mechanism", ""),
            )
        )
        questions.append(
            domain.Question(
                f"pick-{q}",
                "multiple_choice",
                {
                    "prompt": f"Which is right about item {q}?",
                    "choices": [f"Item {q} option {chr(80 + k)}" for k in range(CHOICES)],
                    "correct": [0],
                },
                origin=domain.Origin("signs", ""),
            )
        )
    import_deck(domain.Deck(id="chains", title="Chains", description="", questions=questions))
    deck = get_deck("chains")
    study.set_deck_settings(deck, desired_retention=None, new_cards_per_day=1000)


def _old_shuffle(seed, texts: list[str], ordering: bool) -> list[str]:
    """The shuffle as it was: a generator seeded with values the client sees."""
    rng = random.Random(seed)
    items = [{"id": item_id(t), "text": t} for t in texts]
    if ordering:
        for _ in range(10):
            rng.shuffle(items)
            if [i["text"] for i in items] != texts:
                break
    else:
        rng.shuffle(items)
    return [i["text"] for i in items]


def _texts(question: Question) -> list[str]:
    return list(question.fields["steps" if question.type == "ordering" else "choices"])


def _questions() -> list[Question]:
    return list(db.session.scalars(sa.select(Question).order_by(Question.position)))


def _deck_page_orders(html: str) -> dict[str, list[str]]:
    """Each question's items in the order the deck page lists them."""
    out = {}
    for key, body in re.findall(r'id="q-([\w-]+)">(.*?)</article>', html, re.S):
        out[int(key)] = [t.strip() for t in re.findall(r"<li>(.*?)</li>", body, re.S)]
    return out


def _study_page_order(html: str) -> list[str]:
    """The ids of the steps or choices on a study page, in the order shown."""
    return re.findall(r'<li class="step" data-id="([0-9a-f]+)"', html) or re.findall(
        r'name="choice"\s+value="([0-9a-f]+)"', html
    )


def test_the_deck_page_order_is_not_the_question_keys_shuffle(client, app):
    _chains_deck()
    html = client.get("/decks/chains").get_data(as_text=True)
    shown = _deck_page_orders(html)
    predicted = 0
    for question in _questions():
        texts = _texts(question)
        assert sorted(shown[question.id]) == sorted(texts)
        predicted += shown[question.id] == _old_shuffle(
            question.key, texts, question.type == "ordering"
        )
    # Before the fix the question key predicted all 40; by chance about 40/720 + 20/120.
    assert predicted <= 3

    app.config["SECRET_KEY"] = "another-secret"
    again = _deck_page_orders(client.get("/decks/chains").get_data(as_text=True))
    changed = sum(again[q.id] != shown[q.id] for q in _questions() if q.type == "ordering")
    assert changed >= CHAINS - 2  # the order depends on the server's secret


def test_the_study_order_is_not_predictable_from_what_the_client_sees(
    client, auth, factory, clock, app
):
    _chains_deck()
    learner = factory.user()
    cards = {c.id: c for c in db.session.scalars(sa.select(Card))}

    def shown_orders() -> dict[int, list[str]]:
        auth.login(learner)
        out = {}
        for card_id, card in cards.items():
            html = client.get(f"/study/chains?card={card_id}").get_data(as_text=True)
            assert f'name="card_id" value="{card_id}"' in html
            ids = _study_page_order(html)
            by_id = {item_id(t): t for t in _texts(card.question)}
            assert sorted(ids) == sorted(by_id)
            out[card_id] = [by_id[i] for i in ids]
        return out

    shown = shown_orders()
    predicted = sum(
        shown[card_id]
        == _old_shuffle(
            fuzz_seed("present", learner.id, card_id, 0),
            _texts(card.question),
            card.question.type == "ordering",
        )
        for card_id, card in cards.items()
    )
    assert predicted <= 3  # before the fix: all 40

    app.config["SECRET_KEY"] = "another-secret"
    again = shown_orders()
    changed = sum(
        again[c] != shown[c] for c, card in cards.items() if card.question.type == "ordering"
    )
    assert changed >= CHAINS - 2


def test_the_api_order_is_unpredictable_and_answers_are_still_graded(client, factory, clock):
    _chains_deck()
    learner = factory.user()
    headers = {"Authorization": f"Bearer {tokens.issue_token(learner, now=NOW).token}"}
    predicted = answered = 0
    for _ in range(2 * CHAINS):  # every card once (a learning card would come back after)
        card = client.get("/api/v1/study/chains/next", headers=headers).get_json()["card"]
        row = db.session.get(Card, card["card_id"])
        question = row.question
        texts = _texts(question)
        items = card["question"]["steps" if question.type == "ordering" else "choices"]
        assert set(items[0]) == {"id", "text"}  # an opaque id and the text, nothing else
        assert all(i["id"] == item_id(i["text"]) for i in items)
        order = [i["text"] for i in items]
        predicted += order == _old_shuffle(
            fuzz_seed("present", learner.id, card["card_id"], card["version"]),
            texts,
            question.type == "ordering",
        )
        # The learner answers with the ids shown; the server maps them back.
        if question.type == "ordering":
            ranked = sorted(items, key=lambda i: texts.index(i["text"]))
            answer = {"order": [i["id"] for i in ranked]}
        else:
            answer = {"choices": [i["id"] for i in items if i["text"] == texts[0]]}
        result = client.post(
            "/api/v1/study/chains/answers",
            headers=headers,
            json={
                "card_id": card["card_id"],
                "answer": answer,
                "idempotency_key": f"k{answered}",
                "version": card["version"],
            },
        ).get_json()
        assert result["correct"] is True, result
        answered += 1
    assert answered == 2 * CHAINS
    assert predicted <= 3


def test_the_shuffle_is_uniform_and_may_show_the_steps_in_order():
    """Re-drawing until the order is wrong would mark one order as never right: shown often
    enough (a quiz can be restarted at will), the order never shown is the answer."""
    from quizapp.domain.questions import get_type, presentation_rng

    steps = ["one", "two", "three"]
    seen = {
        tuple(
            s["text"]
            for s in get_type("ordering").present(
                {"prompt": "p", "steps": steps}, 1, presentation_rng("s", n)
            )["steps"]
        )
        for n in range(200)
    }
    assert len(seen) == 6 and tuple(steps) in seen
    with pytest.raises(ValueError):
        presentation_rng("", 1)


# --- no answer before answering, for every type, on every page and in the JSON ----------------


def _answers_of(question: Question, ordinal: int) -> list[str]:
    """Texts that would give this card's answer away if shown before answering."""
    fields = question.fields
    found = [question.explanation, question.origin_quote]
    if question.type == "cloze":
        found += [a for n, a, _ in deletions(fields["text"]) if n == ordinal]
    elif question.type == "basic":
        found.append(fields["back"])
    return [t for t in found if t]


def _assert_nothing_given_away(text: str, question: Question, ordinal: int) -> None:
    for secret in _answers_of(question, ordinal):
        assert secret not in text, (question.type, secret)
    lowered = text.lower()
    for marker in (
        '"correct"',
        '"expected"',
        '"explanation"',
        '"answer":',
        "data-correct",
        "data-answer=",
        'class="answer',
        "right answer",
        '"source_quote"',
        "data-position",
        '"seed"',
    ):
        assert marker not in lowered, (question.type, marker)


def _item_question(attempt, index: int) -> tuple[Question, int]:
    item = attempt.items[index]
    return db.session.get(Question, item["question_id"]), item["ordinal"]


def test_no_page_or_json_holds_an_answer_before_it_is_answered(client, auth, factory, clock):
    deck = factory.deck("sample-deck")
    learner = factory.user()
    headers = {"Authorization": f"Bearer {tokens.issue_token(learner, now=NOW).token}"}
    cards = list(db.session.scalars(sa.select(Card).where(Card.deck_id == deck.id)))
    assert {c.question.type for c in cards} == set(rules.QUIZ_TYPES)

    # The deck page, for a visitor and for a signed-in learner who does not own it.
    for signed_in in (False, True):
        if signed_in:
            auth.login(learner)
        html = client.get("/decks/sample-deck").get_data(as_text=True)
        for question in _questions():
            block = re.search(rf'id="q-{question.id}">(.*?)</article>', html, re.S)[1]
            for ordinal in {c.ordinal for c in question.cards}:
                _assert_nothing_given_away(block, question, ordinal)

    # The study page (HTML, with and without fetch) and the API's next card, for every card.
    auth.login(learner)
    for card in cards:
        for headers_html in ({}, {"X-Requested-With": "fetch"}):
            html = client.get(f"/study/sample-deck?card={card.id}", headers=headers_html)
            text = html.get_data(as_text=True)
            assert f'data-card="{card.id}"' in text
            _assert_nothing_given_away(text, card.question, card.ordinal)
    for _ in cards:
        body = client.get("/api/v1/study/sample-deck/next", headers=headers).get_json()
        card = db.session.get(Card, body["card"]["card_id"])
        _assert_nothing_given_away(json.dumps(body), card.question, card.ordinal)
        if card.question.type == "true_false":
            assert set(body["card"]["question"]) == {"statement"}
        if card.question.type == "multiple_choice":
            assert set(body["card"]["question"]) == {"prompt", "choices", "multiple"}
        # Move on: answer it (revealing a self-rated card first, as a learner would).
        qtype = card.question.type
        answer = {"revealed": True} if qtype == "cloze" else {}
        if qtype in ("true_false", "ordering", "multiple_choice"):
            from ..services.study_helpers import wrong_answer

            answer = wrong_answer(qtype, card.question.fields, card.ordinal)
        response = client.post(
            "/api/v1/study/sample-deck/answers",
            headers=headers,
            json={
                "card_id": card.id,
                "answer": answer,
                "rating": 1,
                "idempotency_key": f"walk-{card.id}",
            }
            if qtype in ("cloze", "basic")
            else {"card_id": card.id, "answer": answer, "idempotency_key": f"walk-{card.id}"},
        )
        assert response.status_code == 201, response.get_json()
        # The next card that comes with the result carries no answer either.
        upcoming = response.get_json()["next"]
        if upcoming["card"] is not None:
            following = db.session.get(Card, upcoming["card"]["card_id"])
            _assert_nothing_given_away(json.dumps(upcoming), following.question, following.ordinal)

    # A quiz on every type: the JSON of the attempt and both page layouts.
    attempt = quiz_service.start_quiz(
        learner,
        ["sample-deck"],
        rules.QuizOptions(count=10, layout="all"),
        now=NOW,
        rng=random.Random(7),
    )
    body = client.get(f"/api/v1/quizzes/{attempt.id}", headers=headers).get_json()
    kinds = set()
    for question_json in body["questions"]:
        question, ordinal = _item_question(attempt, question_json["index"])
        kinds.add(question.type)
        _assert_nothing_given_away(json.dumps(question_json), question, ordinal)
    assert kinds == set(rules.QUIZ_TYPES)
    pages = [client.get(f"/quiz/{attempt.id}/all").get_data(as_text=True)]
    pages += [
        client.get(f"/quiz/{attempt.id}/q/{n + 1}").get_data(as_text=True)
        for n in range(len(attempt.items))
    ]
    blocks = dict(
        re.findall(
            r'<article class="card question quiz-item"[^>]*id="q-(\d+)">(.*?)'
            r"</article>",
            pages[0],
            re.S,
        )
    )
    assert len(blocks) == len(attempt.items)
    for index in range(len(attempt.items)):
        question, ordinal = _item_question(attempt, index)
        _assert_nothing_given_away(blocks[str(index + 1)], question, ordinal)
        _assert_nothing_given_away(pages[index + 1], question, ordinal)
    # Outside the items, the page says nothing about any answer either.
    outside = re.sub(
        r'<article class="card question quiz-item".*?</article>', "", pages[0], flags=re.S
    )
    for index in range(len(attempt.items)):
        question, ordinal = _item_question(attempt, index)
        _assert_nothing_given_away(outside, question, ordinal)


def test_the_next_step_embedded_in_a_result_holds_no_answer(client, auth, factory, clock):
    """A result fetched right after answering carries the next question pre-rendered (for a
    "Continue" without a request): that question gives nothing of its own answer away."""
    from ..services.study_helpers import wrong_answer
    from .forms import form_to

    factory.deck("sample-deck")
    auth.login(factory.user())
    fetch = {"X-Requested-With": "fetch"}
    html = client.get("/study/sample-deck", headers=fetch).get_data(as_text=True)
    seen = set()
    for _ in range(12):
        card = db.session.get(Card, int(re.search(r'data-card="(\d+)"', html)[1]))
        qtype = card.question.type
        if qtype in ("cloze", "basic"):  # turned over first, then rated Again
            turn = form_to(html, "/reveal/")
            turned = client.get(turn.action, query_string=turn.data(), headers=fetch)
            form = form_to(turned.get_data(as_text=True), "/answer")
            data = form.data(rating="1")
        else:
            form = form_to(html, "/answer")
            answer = wrong_answer(qtype, card.question.fields, card.ordinal)
            if qtype == "true_false":
                data = form.data(answer=str(answer["answer"]).lower())
            elif qtype == "multiple_choice":
                data = form.data(choice=answer["choices"])
            else:
                data = form.data(
                    **{f"pos-{step}": str(n + 1) for n, step in enumerate(answer["order"])}
                )
        response = client.post(form.action, data=data, headers=fetch)
        html = response.get_data(as_text=True)
        if 'data-step="result"' not in html:
            continue  # self-rated: the next question came at once
        embedded = re.search(r"<template data-next-step>(.*)</template>", html, re.S)[1]
        match = re.search(r'data-step="question"[^>]*data-card="(\d+)"', embedded)
        if match is None:
            break
        following = db.session.get(Card, int(match[1]))
        _assert_nothing_given_away(embedded, following.question, following.ordinal)
        seen.add(following.question.type)
        html = embedded
    assert len(seen) >= 3, seen
