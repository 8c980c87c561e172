from __future__ import annotations

from quizapp.models import Role, Visibility


def test_home_lists_public_decks(client, factory):
    factory.deck("sample-deck")
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sample Deck" in response.data
    assert b'href="/decks/sample-deck"' in response.data


def test_deck_page_shows_questions_without_answers_to_learners(client, factory, auth):
    factory.deck("sample-deck")
    auth.login(factory.user())
    html = client.get("/decks/sample-deck").get_data(as_text=True)
    assert "Muscle is built during the workout." in html
    assert "Put the steps in order." in html
    assert "IGF-1 is produced by the" in html
    assert "liver" not in html.split("IGF-1 is produced by the", 1)[1][:80]
    assert "Answer:" not in html


def test_deck_page_shows_answers_to_its_owner(client, factory, auth):
    owner = factory.user(Role.INSTRUCTOR)
    factory.deck("own-deck", owner=owner, visibility=Visibility.PRIVATE)
    auth.login(owner)
    html = client.get("/decks/own-deck").get_data(as_text=True)
    assert "Answer:" in html
    assert "growth hormone" in html
    assert "The workout is the stimulus" in html


def test_private_deck_is_hidden_from_others(client, factory, auth):
    factory.deck("own-deck", owner=factory.user(Role.INSTRUCTOR), visibility=Visibility.PRIVATE)
    assert client.get("/decks/own-deck").status_code == 404
    assert b"own-deck" not in client.get("/").data
    auth.login(factory.user())
    assert client.get("/decks/own-deck").status_code == 404


def test_unknown_deck_is_a_404_page_and_json_for_api_clients(client):
    response = client.get("/decks/nope")
    assert response.status_code == 404
    assert b"nope" in response.data
    response = client.get("/decks/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_question_text_is_escaped(client, factory):
    from .. import factories

    deck = factories.sample_deck("xss")
    deck.questions[1].fields["statement"] = "<script>alert(1)</script> is <b>bold</b>"
    from quizapp.services.decks import import_deck

    import_deck(deck)
    html = client.get("/decks/xss").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_big_deck_page_shows_its_questions_a_hundred_at_a_time(client, factory, auth):
    from quizapp.domain import deck as domain
    from quizapp.services.decks import import_deck

    questions = [
        domain.Question(
            f"tf-{n}",
            "true_false",
            {"statement": f"Statement number {n:03d} holds.", "answer": True},
            origin=domain.Origin("other", ""),
        )
        for n in range(250)
    ]
    import_deck(domain.Deck(id="big-deck", title="Big Deck", description="", questions=questions))
    auth.login(factory.user())
    first = client.get("/decks/big-deck").get_data(as_text=True)
    assert "250 questions" in first and "Questions 1–100 of 250" in first
    assert "Statement number 099 holds." in first and "Statement number 100" not in first
    assert 'href="/decks/big-deck?page=2"' in first and 'rel="prev"' not in first
    last = client.get("/decks/big-deck?page=3").get_data(as_text=True)
    assert "Questions 201–250 of 250" in last and "Statement number 249 holds." in last
    assert 'href="/decks/big-deck?page=2"' in last and 'rel="next"' not in last
    # A page beyond the last (or below the first) shows the nearest one, never an error.
    assert "Statement number 249 holds." in client.get("/decks/big-deck?page=99").get_data(
        as_text=True
    )
    assert "Statement number 000 holds." in client.get("/decks/big-deck?page=-4").get_data(
        as_text=True
    )
    small = client.get("/decks/sample-deck").get_data(as_text=True) if factory.deck() else ""
    assert "Question pages" not in small
