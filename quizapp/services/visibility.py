"""Who may see and who may edit a deck: the one visibility rule, as a query clause for lists and
as a check on one row. Re-exported by :mod:`quizapp.services.decks` (``decks.can_see``).

A published public deck is everyone's; a published class-only deck is seen by the members of
its owner's classes; a private deck (or a draft never published) by its owner only; an admin
sees every deck. Missing and hidden decks answer the same 404 (:func:`require_visible`).
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Deck, Visibility

from .errors import NotFound


def _visible_clause(user) -> sa.ColumnElement[bool]:
    public = sa.and_(Deck.visibility == Visibility.PUBLIC, Deck.published_at.is_not(None))
    if user is None or not user.is_authenticated:
        return public
    if user.is_admin:
        return sa.true()
    assigned = sa.and_(
        Deck.visibility == Visibility.CLASS,
        Deck.published_at.is_not(None),
        _in_owners_class(user.id),
    )
    return sa.or_(public, assigned, Deck.owner_id == user.id)


def _in_owners_class(user_id: int) -> sa.ColumnElement[bool]:
    """``user_id`` is a member of a class of the deck's owner that the deck is assigned to.

    A class-only deck is seen through its owner's classes only: a class of another instructor
    that assigned it while it was public does not keep it (a deck made class-only or private
    leaves the classes it no longer belongs to, whatever old assignments say).
    """
    from quizapp.models import Assignment, Classroom, Membership

    return (
        sa.select(Assignment.id)
        .join(Membership, Membership.classroom_id == Assignment.classroom_id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(
            Assignment.deck_id == Deck.id,
            Membership.user_id == user_id,
            Classroom.owner_id == Deck.owner_id,
        )
        .exists()
    )


def reachable_through_class(
    classroom_owner_id: sa.ColumnElement[int] | sa.orm.InstrumentedAttribute[int] | int,
) -> sa.ColumnElement[bool]:
    """A deck assigned to a class (whose owner is ``classroom_owner_id``) that the class's members
    may see through it: published, and public or class-only in its owner's own class."""
    return sa.and_(
        Deck.published_at.is_not(None),
        sa.or_(
            Deck.visibility == Visibility.PUBLIC,
            sa.and_(Deck.visibility == Visibility.CLASS, Deck.owner_id == classroom_owner_id),
        ),
    )


def visible_decks(user) -> list[Deck]:
    """The decks ``user`` (None or anonymous: a visitor) may see, by title."""
    return list(
        db.session.scalars(sa.select(Deck).where(_visible_clause(user)).order_by(Deck.title))
    )


def visible_deck(user, slug: str) -> Deck | None:
    """The deck ``slug`` if ``user`` may see it; None when it is missing or hidden from them.

    The same rule as :func:`visible_decks`, checked on the one row: every API call of a study
    session asks this, so the common cases (public, own deck) cost one indexed read.
    """
    deck = db.session.scalar(_deck_by_slug(), {"slug": slug})
    return deck if deck is not None and can_see(user, deck) else None


@functools.cache
def _deck_by_slug() -> sa.Select:
    # Built once, with a bound parameter: every API call of a study session runs it.
    return sa.select(Deck).where(Deck.slug == sa.bindparam("slug"))


def require_visible(user, slug: str) -> Deck:
    """The deck ``slug`` if ``user`` may see it; :class:`NotFound` otherwise, in the same words
    whether it is missing or hidden (so hidden decks cannot be told from missing ones)."""
    deck = visible_deck(user, slug)
    if deck is None:
        raise NotFound(f"There is no deck called “{slug}”, or it is not shared with you.")
    return deck


def can_see(user, deck: Deck) -> bool:
    """True when ``user`` may see ``deck``: the one visibility rule (see :func:`visible_decks`).

    Every way to a deck's questions asks it: the deck page, studying, and every quiz path
    (chosen decks, an assignment, a retake, an attempt still open).
    """
    published = deck.published_at is not None
    if published and deck.visibility == Visibility.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin or deck.owner_id == user.id:
        return True
    if not published or deck.visibility != Visibility.CLASS:
        return False
    return (
        db.session.scalar(sa.select(Deck.id).where(Deck.id == deck.id, _in_owners_class(user.id)))
        is not None
    )


def can_edit(user, deck: Deck) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_admin or (user.is_instructor and deck.owner_id == user.id))
    )
