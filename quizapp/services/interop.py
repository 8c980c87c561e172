"""Decks in other quiz formats: exported from the database, imported into it.

The formats themselves are :mod:`quizapp.domain.interop` (pure). Export picks the live questions
(as the Anki export does, through :func:`quizapp.services.export.load_decks`) and hands back
bytes, or writes a file atomically. Import reads a file into decks and brings each into the
database through :func:`quizapp.services.decks.import_deck`, the path deck files take.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain.deckfile import check_deck_data
from quizapp.domain.interop import InteropError, Skipped, export_format, read_file
from quizapp.domain.interop.common import MAX_FILE_BYTES
from quizapp.models import Deck, User, Visibility
from quizapp.services.decks import ImportSummary, get_deck, import_deck
from quizapp.services.errors import Invalid
from quizapp.services.export import load_decks


@dataclass(frozen=True)
class Exported:
    """A finished export in memory: bytes, a file name, and what the format could not hold."""

    filename: str
    data: bytes
    mimetype: str
    questions: int
    skipped: list[Skipped] = field(default_factory=list)


def export_decks(decks: Sequence[Deck], fmt: str, *, filename: str | None = None) -> Exported:
    """The live questions of ``decks`` in format ``fmt`` (``csv``, ``tsv``, ``gift``, ...).

    Raises :class:`~quizapp.domain.interop.InteropError` for an unknown format or a question the
    format cannot take at all; questions a format has no form for are listed in ``skipped``.
    """
    spec = export_format(fmt)
    if not decks:
        raise InteropError("nothing to export: no decks given")
    loaded = load_decks(decks)
    data, skipped = spec.write(loaded)
    stem = decks[0].slug if len(decks) == 1 else "quizapp-decks"
    return Exported(
        filename=filename or f"{stem}.{spec.extension}",
        data=data,
        mimetype=spec.mimetype,
        questions=sum(len(d.questions) for d in loaded) - len(skipped),
        skipped=skipped,
    )


def write_file(exported: Exported, path: Path) -> None:
    """Write ``exported`` to ``path``: complete or absent (written beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(exported.data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- importing ----------------------------------------------------------------------------------


@dataclass
class FileReport:
    """What importing one file did: a summary per deck imported, rows skipped, problems."""

    name: str
    summaries: list[ImportSummary] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def import_file(path: Path, *, separator: str | None = None,
                now: datetime | None = None) -> FileReport:
    """Import a CSV/TSV/TXT, GIFT or Moodle XML file into the database, each deck on its own.

    A deck of the file imports completely or not at all, with the update rules of deck files
    (schedules kept, changed answers restarted, missing questions retired). Rows or questions
    that cannot become questions are skipped and listed; a file that cannot be read at all
    imports nothing and says why.
    """
    report = FileReport(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InteropError(f"{path}: {size / 1e6:.1f} MB; files are limited to "
                               f"{MAX_FILE_BYTES // 1024 // 1024} MB")
        parsed = read_file(path.read_bytes(), str(path), separator=separator)
    except OSError as exc:
        report.problems.append(f"{path}: cannot read file: {exc.strerror}")
        return report
    except InteropError as exc:
        report.problems.append(str(exc))
        return report
    report.skipped = parsed.skipped
    if not parsed.decks:
        report.problems.append(f"{path}: no question could be imported")
    for deck in parsed.decks:
        problems = check_deck_data(deck.to_dict(), str(path))
        if problems:
            report.problems += [str(p) for p in problems]
            continue
        try:
            report.summaries.append(import_deck(deck, now=now))
        except sa.exc.SQLAlchemyError as exc:
            report.problems.append(
                f"{path}: deck {deck.id}: database error, deck rolled back: "
                f"{getattr(exc, 'orig', exc)}")
    return report


# --- uploads from the web -----------------------------------------------------------------------


@dataclass
class Upload:
    """What an upload made: the decks (row, created?) and the rows it skipped."""

    decks: list[tuple[Deck, bool]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _parse_upload(
    data: bytes, name: str, separator: str | None
) -> tuple[list[domain.Deck], list[Skipped]]:
    try:
        parsed = read_file(data, name, separator=separator)
    except InteropError as exc:
        raise Invalid(str(exc)) from None
    if not parsed.decks:
        reasons = "; ".join(str(s) for s in parsed.skipped[:5])
        raise Invalid(f"{name}: no question could be imported" + (f" ({reasons})"
                                                                  if reasons else ""))
    return parsed.decks, parsed.skipped


def _own_slug(user: User, slug: str, *, private: bool = False) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... : the first that is free or already the user's.

    An uploaded file names its deck; another user's deck of that name is never touched, and the
    same file uploaded again finds the user's own copy (and keeps its schedules). With
    ``private``, only the user's private decks count as theirs to update.
    """
    candidate, n = slug, 2
    while True:
        row = get_deck(candidate)
        if row is None or (row.owner_id == user.id
                           and (not private or row.visibility == Visibility.PRIVATE)):
            return candidate
        candidate, n = f"{slug[:100]}-{n}", n + 1


def upload_drafts(user: User, data: bytes, name: str, *,
                  separator: str | None = None) -> Upload:
    """An instructor's uploaded file as drafts: one per deck in it, to check and publish."""
    from quizapp.services import drafts

    decks, skipped = _parse_upload(data, name, separator)
    out = Upload(skipped=skipped)
    for deck in decks:
        deck.id = _own_slug(user, deck.id)
        out.decks.append(drafts.import_uploaded(user, deck))
    return out


def upload_private(user: User, data: bytes, name: str, *, separator: str | None = None,
                   now: datetime | None = None) -> Upload:
    """A learner's own cards ("bring your own deck"): private decks, ready to study at once.

    Uploading the same file again updates the decks it made, keeping the learner's schedules.
    """
    decks, skipped = _parse_upload(data, name, separator)
    out = Upload(skipped=skipped)
    for deck in decks:
        deck.id = _own_slug(user, deck.id, private=True)
        existing = get_deck(deck.id)
        import_deck(deck, owner_id=user.id, visibility=Visibility.PRIVATE, now=now)
        out.decks.append((get_deck(deck.id), existing is None))
    return out
