"""A learner's scheduling settings for a deck: the owner's, the learner's overrides, and what
applies (with the learner's accepted fitted parameters)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from quizapp.domain import scheduling
from quizapp.domain.scheduling import Settings
from quizapp.extensions import db
from quizapp.models import Deck, LearnerDeckSettings, User

from .. import decks, optimize, reschedule
from ..errors import Forbidden
from ..errors import Invalid as BadAnswer


@dataclass
class SettingsView:
    """A deck's settings as its owner set them, the learner's overrides, and what applies."""

    deck_retention: float | None
    deck_new_per_day: int | None
    own_retention: float | None
    own_new_per_day: int | None
    effective: Settings


def _own_settings(user_id: int, deck: Deck) -> LearnerDeckSettings | None:
    return db.session.get(LearnerDeckSettings, (user_id, deck.id))


def effective_settings(user_id: int, deck: Deck) -> Settings:
    """Defaults, then the owner's deck settings, then the learner's own overrides and their
    accepted fitted parameters."""
    return _effective(deck, _own_settings(user_id, deck), optimize.parameters_for(user_id))


def _effective(
    deck: Deck, own: LearnerDeckSettings | None, parameters: tuple[float, ...] | None = None
) -> Settings:
    settings = scheduling.with_overrides(
        Settings(),
        desired_retention=deck.desired_retention,
        new_cards_per_day=deck.new_cards_per_day,
    )
    if parameters is not None:
        settings = replace(settings, parameters=parameters)
    if own is not None:
        settings = scheduling.with_overrides(
            settings,
            desired_retention=own.desired_retention,
            new_cards_per_day=own.new_cards_per_day,
        )
    return settings


def settings_view(user_id: int, deck: Deck) -> SettingsView:
    own = _own_settings(user_id, deck)
    return SettingsView(
        deck_retention=deck.desired_retention,
        deck_new_per_day=deck.new_cards_per_day,
        own_retention=own.desired_retention if own else None,
        own_new_per_day=own.new_cards_per_day if own else None,
        effective=effective_settings(user_id, deck),
    )


def set_deck_settings(
    deck: Deck,
    *,
    desired_retention: float | None,
    new_cards_per_day: int | None,
    by: User | None = None,
) -> None:
    """Set the deck's own settings (None: Anki's default) and commit.

    ``by``: the user asking, who must be able to edit the deck (:class:`Forbidden` otherwise);
    None only for trusted callers (the command line, tests). :class:`BadAnswer` for values out
    of range.
    """
    if by is not None and not decks.can_edit(by, deck):
        raise Forbidden("Only the deck's owner can change its settings for everyone.")
    problem = scheduling.settings_problem(desired_retention, new_cards_per_day)
    if problem:
        raise BadAnswer(problem)
    deck.desired_retention = desired_retention
    deck.new_cards_per_day = new_cards_per_day
    db.session.commit()


def set_own_settings(
    user_id: int,
    deck: Deck,
    *,
    desired_retention: float | None,
    new_cards_per_day: int | None,
    reschedule_cards: bool = False,
) -> int:
    """Set the learner's overrides for ``deck`` (None: follow the deck) and commit.

    With ``reschedule_cards``, the learner's cards in the deck are rescheduled under the new
    settings in the same transaction (:mod:`.reschedule`); returns how many were.
    """
    problem = scheduling.settings_problem(desired_retention, new_cards_per_day)
    if problem:
        raise BadAnswer(problem)
    own = _own_settings(user_id, deck)
    if desired_retention is None and new_cards_per_day is None:
        if own is not None:
            db.session.delete(own)
    else:
        if own is None:
            own = LearnerDeckSettings(user_id=user_id, deck_id=deck.id)
            db.session.add(own)
        own.desired_retention = desired_retention
        own.new_cards_per_day = new_cards_per_day
    count = 0
    if reschedule_cards:
        db.session.flush()
        count = reschedule.reschedule(user_id, [deck], lambda d: effective_settings(user_id, d))
    db.session.commit()
    return count
