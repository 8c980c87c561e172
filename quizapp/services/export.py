"""Exporting decks from the database to an Anki package.

This module owns two things: which questions leave the database (the live ones: ``retired_at`` is
None, in deck order) and the export clock. The package itself is written by
:func:`quizapp.domain.anki.write_package`.

The export clock: Anki updates an imported note only when the package's note is newer, in whole
seconds, so every export must be stamped later than the one before. The last stamp is kept in a
small file in the instance folder (``anki-export-clock``, or the path in the app's
``QUIZAPP_ANKI_CLOCK_FILE`` setting) and each export takes ``max(now, last + 1 s)`` under an
exclusive file lock, so the app processes of one machine never hand out the same second twice.
Processes on different machines each keep their own clock file; they can only collide when two of
them export different content within the same second (see docs/anki.md).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from quizapp.domain import deck as domain
from quizapp.domain.anki import ExportError, PackageStats, next_timestamp, write_package
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, Deck, Question, Visibility, utcnow
from quizapp.services.decks import to_domain

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process, no lock needed
    fcntl = None  # type: ignore[assignment]

CLOCK_FILE = "anki-export-clock"
APKG_MIMETYPE = "application/apkg"


class UnknownDecks(LookupError):
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


def clock_path() -> Path:
    configured = current_app.config.get("QUIZAPP_ANKI_CLOCK_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / CLOCK_FILE


def export_time(now: datetime | None = None, *, clock: Path | None = None) -> datetime:
    """Claim the stamp of the next export: ``now``, or a whole second past the last one.

    The stamp is remembered before it is returned, so two exports never share a second even if
    they run at the same moment in two processes of this machine.
    """
    now = now or utcnow()
    path = clock or clock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    with os.fdopen(fd, "r+", encoding="ascii") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        try:
            previous: float | None = float(handle.read().strip())
        except ValueError:  # new or unreadable: start from now
            previous = None
        stamp = next_timestamp(previous, now.timestamp())
        handle.seek(0)
        handle.truncate()
        handle.write(f"{stamp!r}\n")
        handle.flush()
        os.fsync(handle.fileno())
    return datetime.fromtimestamp(stamp, UTC)


# --- exporting ------------------------------------------------------------------------------


def export_decks(
    decks: Sequence[Deck],
    path: Path,
    *,
    parent: str | None = None,
    now: datetime | None = None,
    clock: Path | None = None,
) -> PackageStats:
    """Write the live questions of ``decks`` to the Anki package ``path``.

    Each deck becomes an Anki deck named after its title, nested under ``parent`` when given. The
    export is stamped by :func:`export_time`. Permission checks are the caller's. Raises
    :class:`~quizapp.domain.anki.ExportError` (a ValueError) naming a question that cannot be
    exported; nothing is written then.
    """
    loaded = load_decks(decks)
    return write_package(loaded, Path(path), now=export_time(now, clock=clock), parent=parent)


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
