"""Small factories for test data: users and decks made the way the app makes them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from quizapp.domain import deck as domain
from quizapp.models import Deck, Role, User
from quizapp.services.accounts import create_user
from quizapp.services.decks import get_deck, import_deck

PASSWORD = "correct horse battery"


class Clock:
    """The app's injectable clock (``app.config["QUIZAPP_NOW"]``), moved by the test."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


_counter = itertools.count(1)


def sample_deck(slug: str = "sample-deck", **overrides) -> domain.Deck:
    """A small deck with one question of every type (two cards for the cloze)."""
    questions = [
        domain.Question(
            "takeaway-liver",
            "cloze",
            {
                "text": "IGF-1 is produced by the {{c1::liver}} in response to "
                "{{c2::growth hormone}}."
            },
            explanation="The liver makes most circulating IGF-1.",
            origin=domain.Origin("takeaway", "IGF-1 is produced by the liver."),
        ),
        domain.Question(
            "misconception-workout",
            "true_false",
            {"statement": "Muscle is built during the workout.", "answer": False},
            explanation="The workout is the stimulus; muscle is built in the 24 to 72 hours after.",
            origin=domain.Origin(
                "misconception", "People often think muscle is built during the workout."
            ),
        ),
        domain.Question(
            "mechanism-order",
            "ordering",
            {
                "prompt": "Put the steps in order.",
                "steps": [
                    "Growth hormone is released",
                    "The liver makes IGF-1",
                    "IGF-1 activates mTOR",
                    "New muscle protein is made",
                ],
            },
            origin=domain.Origin("mechanism", ""),
        ),
        domain.Question(
            "signs-choice",
            "multiple_choice",
            {
                "prompt": "Which are signs of disrupted IGF-1 signaling?",
                "choices": ["Progress stalls", "Slow recovery", "Sharper eyesight", "Longer hair"],
                "correct": [0, 1],
            },
            origin=domain.Origin("signs", ""),
        ),
        domain.Question(
            "definition",
            "basic",
            {
                "front": "What is IGF-1 signaling?",
                "back": "The process by which IGF-1 instructs muscle cells to grow.",
            },
            origin=domain.Origin("definition", ""),
        ),
    ]
    values = {
        "id": slug,
        "title": "Sample Deck",
        "description": "A deck for tests.",
        "questions": questions,
    }
    values.update(overrides)
    return domain.Deck(**values)


class Factory:
    def user(
        self, role: str = Role.LEARNER, email: str | None = None, password: str = PASSWORD
    ) -> User:
        email = email or f"{role}{next(_counter)}@example.com"
        return create_user(email, password, role)

    def deck(
        self,
        slug: str = "sample-deck",
        *,
        owner: User | None = None,
        visibility: str | None = None,
        **overrides,
    ) -> Deck:
        import_deck(
            sample_deck(slug, **overrides),
            owner_id=owner.id if owner else None,
            visibility=visibility,
        )
        return get_deck(slug)
