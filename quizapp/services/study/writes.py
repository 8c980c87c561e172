"""An answer's writes as Core statements built once: the learner's card state (updated under
its version, or inserted for a new card) and the review's row.

The ORM's unit of work cost as much CPU as running the answer's statements (docs/benchmarks.md,
"A card as cheap as the floor allows"); these statements keep what it guaranteed:

- The update names the version the answer was graded against (``WHERE version = :seen``) and
  bumps it, as ``version_id_col`` does: a state changed since (another tab, a second request at
  the same instant) updates no row, and :func:`update_state` says so (the caller refuses the
  answer). A new card's state is inserted with version 1, and the unique (user, card) key
  refuses a second insert.
- The review's unique (user, idempotency key) index refuses a replayed key (``IntegrityError``).
- The session's copy of the card state gets the written values as its committed state (no
  flush, no statement), so whatever this request reads of it afterwards is what it wrote.
- Reviews written here are counted for the ``quizapp_reviews_recorded_total`` metric as the ORM's
  are (:func:`note_recorded`).
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.domain.scheduling import CardSchedule
from quizapp.extensions import db
from quizapp.models import CardReveal, CardState, Review

from .. import reschedule

#: ``Session.info`` key: reviews written in the session's transaction, not committed yet.
RECORDED = "quizapp_new_reviews"


def note_recorded(session: Session, count: int = 1) -> None:
    """Count ``count`` reviews written in ``session``'s transaction (for the metrics, which add
    them up when it commits and forget them when it rolls back)."""
    session.info[RECORDED] = session.info.get(RECORDED, 0) + count


@functools.cache
def _update_state_statement() -> sa.Update:
    table = CardState.__table__
    # The SET columns are the parameters' other keys; the WHERE parameters are named apart.
    return sa.update(table).where(
        table.c.id == sa.bindparam("where_id"), table.c.version == sa.bindparam("where_version")
    )


@functools.cache
def _insert_statement(model: type) -> sa.Insert:
    return sa.insert(model.__table__)  # type: ignore[attr-defined]


@functools.cache
def _delete_reveal_statement() -> sa.Delete:
    return sa.delete(CardReveal).where(
        CardReveal.user_id == sa.bindparam("user_id"), CardReveal.card_id == sa.bindparam("card_id")
    )


def update_state(state: CardState, schedule: CardSchedule) -> bool:
    """Write ``schedule`` over the learner's stored ``state`` if its version is still the one
    loaded, bumping it; False (nothing written) when it changed since."""
    values = reschedule.schedule_values(schedule)
    values["version"] = state.version + 1
    written = db.session.execute(
        _update_state_statement(), values | {"where_id": state.id, "where_version": state.version}
    )
    if written.rowcount != 1:  # type: ignore[attr-defined]
        return False
    for key, value in values.items():
        set_committed_value(state, key, value)
    return True


def insert_state(user_id: int, card_id: int, deck_id: int, schedule: CardSchedule) -> None:
    """Store a new card's first state (version 1); ``IntegrityError`` when it exists already."""
    values = reschedule.schedule_values(schedule)
    db.session.execute(
        _insert_statement(CardState),
        values | {"user_id": user_id, "card_id": card_id, "deck_id": deck_id, "version": 1},
    )


def insert_review(**values: Any) -> int:
    """Insert a review row and return its id; ``IntegrityError`` for an idempotency key the
    learner used before. Leave ``previous_state`` out for a new card: the column is then SQL
    NULL (``None`` would store a JSON null)."""
    inserted = db.session.execute(_insert_statement(Review), values)
    note_recorded(db.session())
    return inserted.inserted_primary_key[0]  # type: ignore[attr-defined]


def forget_reveal(user_id: int, card_id: int) -> None:
    """The answer ends the presentation the card may have been revealed in."""
    db.session.execute(_delete_reveal_statement(), {"user_id": user_id, "card_id": card_id})
