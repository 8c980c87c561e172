"""First-hour bugs of issue 19 seen in the page markup: a hint said twice, a quote that repeats
the answer, the account link's accessible name, the skip link."""

from __future__ import annotations

from quizapp.domain import deck as domain
from quizapp.models import Role, Visibility


def _deck(factory, owner, questions):
    return factory.deck(
        "first-hour", owner=owner, visibility=Visibility.PUBLIC, questions=questions
    )


def test_select_all_that_apply_is_said_once(client, factory, auth):
    owner = factory.user(Role.INSTRUCTOR)
    _deck(
        factory,
        owner,
        [
            domain.Question(
                "said",
                "multiple_choice",
                {
                    "prompt": "Which are signs? Select all that apply.",
                    "choices": ["A", "B", "C"],
                    "correct": [0, 1],
                },
            ),
            domain.Question(
                "unsaid",
                "multiple_choice",
                {"prompt": "Which are causes?", "choices": ["D", "E", "F"], "correct": [0, 2]},
            ),
        ],
    )
    auth.login(owner)
    html = client.get("/decks/first-hour").get_data(as_text=True)
    assert html.lower().count("select all that apply") == 2  # once per question
    assert 'Which are causes? <span class="muted small">(select all that apply)' in html


def test_a_source_quote_equal_to_the_answer_is_not_repeated(client, factory, auth):
    owner = factory.user(Role.INSTRUCTOR)
    _deck(
        factory,
        owner,
        [
            domain.Question(
                "same",
                "basic",
                {"front": "What is IGF-1?", "back": "A growth factor made by the liver."},
                origin=domain.Origin("definition", "A growth factor made by the liver"),
            ),
            domain.Question(
                "more",
                "basic",
                {"front": "Where is IGF-1 made?", "back": "The liver"},
                origin=domain.Origin("takeaway", "IGF-1 is made mostly by the liver."),
            ),
        ],
    )
    auth.login(owner)
    html = client.get("/decks/first-hour").get_data(as_text=True)
    assert html.count('<blockquote class="origin">') == 1
    assert "IGF-1 is made mostly by the liver." in html


def test_every_page_has_a_skip_link_and_the_account_link_says_its_name(client, factory, auth):
    user = factory.user(email="ada@example.com")
    for path in ("/", "/auth/login"):
        html = client.get(path).get_data(as_text=True)
        assert '<a class="skip-link" href="#content">Skip to content</a>' in html
        assert '<main id="content"' in html
    auth.login(user)
    html = client.get("/").get_data(as_text=True)
    assert f'>{user.name}<span class="visually-hidden">, your account (ada@example.com)' in html
    assert 'aria-label="Your account' not in html
