"""Publishing a working copy: checked like a deck file, applied with the import's update rules,
and (when asked) assigned to a class in the same transaction; a published deck's visibility."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from quizapp.domain import deck as domain
from quizapp.domain.deckfile import (
    FileProblem,
    check_deck_data,
)
from quizapp.extensions import db
from quizapp.models import Classroom, Deck, User, Visibility
from quizapp.services import classes as class_service
from quizapp.services import decks as deck_service
from quizapp.services.decks import ImportSummary, import_deck
from quizapp.services.errors import NotFound

from .working import DraftError, _editable_copy, working_copy


def check_problems(deck: Deck, mapping: dict[str, Any] | None = None) -> list[FileProblem]:
    """Everything that keeps the working copy from being published (empty: ready)."""
    mapping = working_copy(deck) if mapping is None else mapping
    mapping = {**mapping, "id": deck.slug}
    problems = check_deck_data(mapping, deck.slug)
    if not mapping.get("questions"):
        problems.append(FileProblem(deck.slug, None, "add at least one question first"))
    return problems


def publish(
    deck: Deck,
    visibility: str,
    *,
    now: datetime | None = None,
    then: Callable[[Deck], None] | None = None,
) -> ImportSummary:
    """Check the working copy like a deck file and make it what learners study; commits.

    :class:`DraftError` lists every problem and changes nothing. The draft is cleared in the same
    transaction as the import, and ``then`` (the deck's row) runs in it too. The caller has
    checked that the deck is the user's (:func:`publish_deck` does).
    """
    if visibility not in {v.value for v in Visibility}:
        raise DraftError(f"Unknown visibility {visibility!r}.")
    mapping = _editable_copy(deck)
    mapping["id"] = deck.slug
    problems = check_problems(deck, mapping)
    if problems:
        db.session.rollback()
        raise DraftError("The deck cannot be published yet.", problems)
    deck.draft = None
    return import_deck(
        domain.Deck.from_dict(mapping),
        owner_id=deck.owner_id,
        visibility=visibility,
        now=now,
        then=then,
    )


@dataclass
class Published:
    """What :func:`publish_deck` did: the import's summary, and the class the deck went to."""

    summary: ImportSummary
    classroom: Classroom | None = None


def publish_deck(
    user: User,
    deck: Deck,
    visibility: str,
    *,
    class_id: int | None = None,
    new_class: str = "",
    target_date: date | None = None,
    now: datetime | None = None,
) -> Published:
    """``user`` (the deck's owner, or an admin) publishes ``deck`` and, when asked, assigns it to
    one of their classes (``class_id``) or to a new class (``new_class``, its name).

    One transaction: the publication, the new class and the assignment are made together or
    not at all. :class:`NotFound` for a deck or class that is not the user's; :class:`DraftError`
    (with every problem) when the deck cannot be published or assigned.
    """
    if not deck_service.can_edit(user, deck):
        raise NotFound(f"You have no deck called “{deck.slug}”.")
    classroom = None
    if class_id is not None:
        classroom = class_service.get_class(class_id)
        if classroom is None or not class_service.can_manage(user, classroom):
            raise NotFound(f"You have no class {class_id}.")
    new_class = new_class.strip()
    if (classroom is not None or new_class) and visibility == Visibility.PRIVATE:
        raise DraftError(
            "A private deck cannot be assigned to a class: choose class-only or public."
        )
    assigned: list[Classroom | None] = [classroom]

    def assign(row: Deck) -> None:
        target = class_service.add_class(user, new_class) if new_class else classroom
        if target is not None:
            class_service.add_assignment(target, row, target_date, by=user)
        assigned[0] = target

    try:
        summary = publish(deck, visibility, now=now, then=assign)
    except class_service.ClassError as exc:
        raise DraftError(f"Not published: {exc.message}") from None
    return Published(summary, assigned[0])


def set_visibility(deck: Deck, visibility: str) -> None:
    if visibility not in {v.value for v in Visibility}:
        raise DraftError(f"Unknown visibility {visibility!r}.")
    deck.visibility = visibility
    db.session.commit()
