"""Exporting decks from the database to an Anki package.

This module owns two things: which questions leave the database (the live ones: ``retired_at`` is
None, in deck order) and the export clock. The package itself is written by
:func:`quizapp.domain.anki.write_package`.

The export clock: Anki updates an imported note only when the package's note is newer, in whole
seconds, so every export must be stamped later than the one before. The last stamp lives in the
database (the ``clocks`` row ``anki-export``), and each export claims ``max(now, last + 1 s)`` in
one atomic UPDATE, so no two app processes, on one machine or many, hand out the same second.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain.anki import ExportError, PackageStats, write_package
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Clock, Deck, Question, Visibility, utcnow
from quizapp.services.decks import to_domain
from quizapp.services.errors import NotFound

APKG_MIMETYPE = "application/apkg"


class UnknownDecks(NotFound, LookupError):
    """Some of the requested deck slugs are not in the database."""

    def __init__(self, slugs: Sequence[str]) -> None:
        self.slugs = list(slugs)
        super().__init__(f"no deck called {', '.join(repr(s) for s in self.slugs)}")


@dataclass(frozen=True)
class Download:
    """A finished package in memory, ready for ``send_file``."""

    filename: str
    data: bytes
    stats: PackageStats
    mimetype: str = APKG_MIMETYPE


# --- which decks ----------------------------------------------------------------------------


def decks_by_slug(slugs: Sequence[str]) -> list[Deck]:
    """The decks named by ``slugs``, in the order given; :class:`UnknownDecks` lists any missing."""
    wanted = list(dict.fromkeys(slugs))
    found = {d.slug: d for d in db.session.scalars(sa.select(Deck).where(Deck.slug.in_(wanted)))}
    missing = [s for s in wanted if s not in found]
    if missing:
        raise UnknownDecks(missing)
    return [found[s] for s in wanted]


def all_decks() -> list[Deck]:
    """Every deck with at least one live question, by title."""
    live = sa.select(Question.id).where(Question.deck_id == Deck.id, Question.retired_at.is_(None))
    return list(db.session.scalars(sa.select(Deck).where(live.exists()).order_by(Deck.title)))


def class_decks(classroom: Classroom) -> list[Deck]:
    """The decks assigned to ``classroom`` that its learners can study (published, not private)."""
    return list(
        db.session.scalars(
            sa.select(Deck)
            .join(Assignment, Assignment.deck_id == Deck.id)
            .where(
                Assignment.classroom_id == classroom.id,
                Deck.published_at.is_not(None),
                Deck.visibility != Visibility.PRIVATE,
            )
            .order_by(Deck.title)
        )
    )


def load_decks(decks: Sequence[Deck]) -> list[domain.Deck]:
    """``decks`` as domain decks holding their live questions only, in deck order (one query)."""
    by_deck: dict[int, list[Question]] = {d.id: [] for d in decks}
    rows = db.session.scalars(
        sa.select(Question)
        .where(Question.deck_id.in_(list(by_deck)), Question.retired_at.is_(None))
        .order_by(Question.deck_id, Question.position, Question.id)
    )
    for question in rows:
        by_deck[question.deck_id].append(question)
    return [to_domain(d, by_deck[d.id]) for d in decks]


# --- the clock ------------------------------------------------------------------------------


CLOCK_NAME = "anki-export"


def export_time(now: datetime | None = None) -> datetime:
    """Claim the stamp of the next export: ``now``, or a whole second past the last one; commits.

    One UPDATE moves the shared clock and returns the new stamp, so concurrent exports in any
    number of app processes each get their own second.
    """
    now_s = float(math.floor((now or utcnow()).timestamp()))
    last_second = sa.cast(Clock.value, sa.Integer)  # whole seconds: a stamp is never negative
    claim = (
        sa.update(Clock)
        .where(Clock.name == CLOCK_NAME)
        .values(value=sa.case((last_second + 1 > now_s, last_second + 1), else_=now_s))
        .returning(Clock.value)
    )
    for _ in range(3):
        stamp = db.session.scalar(claim)
        if stamp is None:
            try:
                db.session.add(Clock(name=CLOCK_NAME, value=now_s))
                db.session.flush()
            except sa.exc.IntegrityError:  # another process made the row first: claim again
                db.session.rollback()
                continue
            stamp = now_s
        db.session.commit()
        return datetime.fromtimestamp(stamp, UTC)
    raise RuntimeError("could not claim an export time")


# --- exporting ------------------------------------------------------------------------------


def export_decks(
    decks: Sequence[Deck],
    path: Path,
    *,
    parent: str | None = None,
    now: datetime | None = None,
) -> PackageStats:
    """Write the live questions of ``decks`` to the Anki package ``path``.

    Each deck becomes an Anki deck named after its title, nested under ``parent`` when given. The
    export is stamped by :func:`export_time`. Permission checks are the caller's. Raises
    :class:`~quizapp.domain.anki.ExportError` (a ValueError) naming a question that cannot be
    exported; nothing is written then.
    """
    loaded = load_decks(decks)
    return write_package(loaded, Path(path), now=export_time(now), parent=parent)


def export_slugs(
    slugs: Sequence[str], path: Path, *, parent: str | None = None, now: datetime | None = None
) -> PackageStats:
    """Export the decks named by ``slugs``; :class:`UnknownDecks` when any is missing."""
    return export_decks(decks_by_slug(slugs), path, parent=parent, now=now)


def export_class(classroom: Classroom, path: Path, *, now: datetime | None = None) -> PackageStats:
    """Export a class's assigned decks as ``Class name::Deck title`` decks."""
    return export_decks(class_decks(classroom), path, parent=classroom.name, now=now)


def download(
    decks: Sequence[Deck],
    *,
    parent: str | None = None,
    filename: str | None = None,
    now: datetime | None = None,
) -> Download:
    """The package for ``decks`` as bytes, for a web download (written to a temporary folder).

    The filename is ``<slug>.apkg`` for one deck; pass one for several (e.g. the class's name).
    """
    if not decks:
        raise ExportError("nothing to export: no decks given")
    name = filename or (f"{decks[0].slug}.apkg" if len(decks) == 1 else "quizapp-decks.apkg")
    with tempfile.TemporaryDirectory(prefix="quizapp-export-") as tmp:
        stats = export_decks(decks, Path(tmp) / name, parent=parent, now=now)
        data = stats.path.read_bytes()
    # The temporary file is gone: keep only its name.
    return Download(filename=name, data=data, stats=replace(stats, path=Path(name)))


def class_download(classroom: Classroom, *, now: datetime | None = None) -> Download:
    """The class's package as bytes, named after the class."""
    slug = "-".join("".join(c if c.isalnum() else " " for c in classroom.name).lower().split())
    return download(
        class_decks(classroom),
        parent=classroom.name,
        filename=f"{slug or 'class'}.apkg",
        now=now,
    )
