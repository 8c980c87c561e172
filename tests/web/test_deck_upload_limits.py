"""Deck files uploaded through the workspace obey the same limits as ``quizapp import`` (issue 13,
findings 5, 9, 12, 13): refused with located problems (400), nothing stored, never a 500."""

from __future__ import annotations

import io
import re

import pytest

from quizapp.domain import deck as domain
from quizapp.domain import limits
from quizapp.domain.deckfile import dump_deck_text
from quizapp.models import Role
from quizapp.services import drafts

from ..factories import sample_deck


@pytest.fixture
def teacher(factory, auth):
    user = factory.user(Role.INSTRUCTOR)
    auth.login(user)
    return user


def _upload(client, text: str, name: str = "upload.yaml", url: str = "/instructor/decks/upload"):
    return client.post(
        url,
        data={"file-deck_file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def _problems(response) -> list[str]:
    return re.findall(r"<code>([^<]+)</code>", response.text)


def test_an_alias_bomb_upload_is_refused_and_stores_nothing(client, teacher):
    lines = [
        "id: bomb",
        "title: Bomb",
        "description: &d0 lol",
        "questions:",
        "  - id: q",
        "    type: basic",
        "    front: F",
        "    back: B",
    ]
    for n in range(1, 8):
        lines.append(f"    explanation{n}: &d{n} [{', '.join([f'*d{n - 1}'] * 9)}]")
    response = _upload(client, "\n".join(lines) + "\n", "bomb.yaml")
    assert response.status_code == 400
    problems = _problems(response)
    assert problems[0] == (
        "bomb.yaml:3: anchor &#39;&amp;d0&#39;: deck files may not use YAML "
        "anchors or aliases (write the value out in full)"
    )
    assert drafts.owned_decks(teacher) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id: deep\ntitle: T\nquestions: " + "[" * 50_000 + "]" * 50_000 + "\n",
            "deep.yaml:3: nested more than",
        ),
        (
            "id: deep\ntitle: T\nquestions: []\nn: " + "9" * 5000 + "\n",
            "deep.yaml:4: a number of 5000 digits is too large",
        ),
        (
            "id: deep\ntitle: " + "t" * 201 + "\nquestions: []\n",
            "deep.yaml:2: &#39;title&#39; is 201 characters long; at most 200",
        ),
    ],
)
def test_hostile_deck_files_are_400_with_the_line(client, teacher, text, expected):
    response = _upload(client, text, "deep.yaml")
    assert response.status_code == 400
    assert any(p.startswith(expected) for p in _problems(response)), _problems(response)
    assert drafts.owned_decks(teacher) == []


def _many(count: int, slug: str = "many") -> domain.Deck:
    return domain.Deck(
        id=slug,
        title="Many",
        questions=[
            domain.Question(f"q{n}", "basic", {"front": f"Front {n}", "back": f"Back {n}"})
            for n in range(count)
        ],
    )


def test_an_upload_over_the_question_cap_is_refused(client, teacher):
    response = _upload(client, dump_deck_text(_many(limits.MAX_QUESTIONS + 1)), "many.yaml")
    assert response.status_code == 400
    assert "many.yaml:3: the deck has 501 questions; a deck holds at most 500" in (response.text)
    assert drafts.owned_decks(teacher) == []


def test_a_full_deck_uploads_publishes_and_takes_no_more_questions(client, teacher):
    response = _upload(client, dump_deck_text(_many(limits.MAX_QUESTIONS)), "many.yaml")
    assert response.status_code == 303
    response = client.post(
        "/instructor/decks/many/questions/new?type=basic", data={"front": "One more", "back": "B"}
    )
    assert response.status_code in (400, 422)
    assert "at most 500 questions" in response.text
    response = client.post("/instructor/decks/many/publish", data={"publish-visibility": "public"})
    assert response.status_code == 303
    assert drafts.get_deck("many").is_published


def test_long_source_file_in_an_upload_is_a_problem_not_a_database_error(client, teacher):
    deck = sample_deck("long-source")
    deck.source = domain.Source("f" * 256 + ".md", "0" * 64)
    response = _upload(client, dump_deck_text(deck), "long-source.yaml")
    assert response.status_code == 400
    assert any(
        "&#39;source.file&#39; is 259 characters long; at most 255" in p
        for p in _problems(response)
    )
    assert drafts.get_deck("long-source") is None


def test_a_long_title_in_the_editor_is_refused(client, teacher):
    slug = drafts.create_from_domain(teacher, sample_deck("titled")).slug
    response = client.post(
        f"/instructor/decks/{slug}/details",
        data={"details-title": "t" * 201, "details-description": ""},
    )
    assert response.status_code == 400
    assert drafts.working_copy(drafts.get_deck(slug))["title"] == "Sample Deck"
    with pytest.raises(drafts.DraftError, match="at most 200"):
        drafts.update_details(drafts.get_deck(slug), "t" * 201, "")
