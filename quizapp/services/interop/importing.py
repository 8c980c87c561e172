"""Files in other quiz formats imported into the database: from the command line (a file, each
deck on its own) and uploaded from the web (an instructor's drafts, a learner's private decks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from quizapp.domain.deckfile import check_deck_data
from quizapp.domain.interop import (
    InteropError,
    Parsed,
    ParsedPackage,
    Skipped,
    read_file,
)
from quizapp.domain.interop.common import MAX_FILE_BYTES
from quizapp.models import Deck, User, Visibility
from quizapp.services.decks import ImportSummary, existing_deck, get_deck, import_deck
from quizapp.services.errors import Invalid

from .history import _keep_existing_ids, apply_reviews


@dataclass
class FileReport:
    """What importing one file did: a summary per deck imported, rows skipped, problems."""

    name: str
    summaries: list[ImportSummary] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Anki reviews: imported, left out (no learner named), skipped (see :func:`apply_reviews`).
    history: int = 0
    history_left: int = 0
    history_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def import_file(
    path: Path,
    *,
    separator: str | None = None,
    user: User | None = None,
    now: datetime | None = None,
) -> FileReport:
    """Import a CSV/TSV/TXT, GIFT or Moodle XML file into the database, each deck on its own.

    A deck of the file imports completely or not at all, with the update rules of deck files
    (schedules kept, changed answers restarted, missing questions retired). Rows or questions
    that cannot become questions are skipped and listed; a file that cannot be read at all
    imports nothing and says why. An Anki package's review log becomes ``user``'s reviews
    (without a user it is counted in ``history_left``).
    """
    report = FileReport(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InteropError(
                f"{path}: {size / 1e6:.1f} MB; files are limited to "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB"
            )
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
    reviews = _keep_existing_ids(parsed)
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
                f"{getattr(exc, 'orig', exc)}"
            )
            continue
        own = [r for r in reviews if r.deck_key == deck.id]
        if user is None:
            report.history_left += len(own)
        elif own:
            report.history += apply_reviews(user.id, existing_deck(deck.id), own)
    report.history_skipped = getattr(parsed, "reviews_skipped", 0)
    return report


@dataclass
class Upload:
    """What an upload made: the decks (row, created?) and the rows it skipped."""

    decks: list[tuple[Deck, bool]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: Anki reviews recorded as the uploader's history.
    reviews: int = 0


def _parse_upload(
    data: bytes, name: str, separator: str | None, columns: Sequence[str] | None = None
) -> Parsed:
    try:
        parsed = read_file(data, name, separator=separator, columns=columns)
    except InteropError as exc:
        raise Invalid(str(exc)) from None
    if not parsed.decks:
        reasons = "; ".join(str(s) for s in parsed.skipped[:5])
        raise Invalid(
            f"{name}: no question could be imported" + (f" ({reasons})" if reasons else "")
        )
    return parsed


def _own_slug(user: User, slug: str, *, private: bool = False) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... : the first that is free or already the user's.

    An uploaded file names its deck; another user's deck of that name is never touched, and the
    same file uploaded again finds the user's own copy (and keeps its schedules). With
    ``private``, only the user's private decks count as theirs to update.
    """
    candidate, n = slug, 2
    while True:
        row = get_deck(candidate)
        if row is None or (
            row.owner_id == user.id and (not private or row.visibility == Visibility.PRIVATE)
        ):
            return candidate
        candidate, n = f"{slug[:100]}-{n}", n + 1


def upload_drafts(
    user: User,
    data: bytes,
    name: str,
    *,
    separator: str | None = None,
    columns: Sequence[str] | None = None,
) -> Upload:
    """An instructor's uploaded file as drafts: one per deck in it, to check and publish."""
    from quizapp.services import drafts

    parsed = _parse_upload(data, name, separator, columns)
    out = Upload(skipped=parsed.skipped)
    for deck in parsed.decks:
        deck.id = _own_slug(user, deck.id)
        out.decks.append(drafts.import_uploaded(user, deck))
    return out


def upload_private(
    user: User,
    data: bytes,
    name: str,
    *,
    separator: str | None = None,
    columns: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Upload:
    """A learner's own cards ("bring your own deck"): private decks, ready to study at once.

    Uploading the same file again updates the decks it made, keeping the learner's schedules.
    """
    parsed = _parse_upload(data, name, separator, columns)
    out = Upload(skipped=parsed.skipped)
    renamed = {}
    for deck in parsed.decks:
        slug = _own_slug(user, deck.id, private=True)
        renamed[deck.id], deck.id = slug, slug
    if isinstance(parsed, ParsedPackage):
        parsed.reviews = [
            replace(r, deck_key=renamed.get(r.deck_key, r.deck_key)) for r in parsed.reviews
        ]
    reviews = _keep_existing_ids(parsed)
    for deck in parsed.decks:
        existing = get_deck(deck.id)
        import_deck(deck, owner_id=user.id, visibility=Visibility.PRIVATE, now=now)
        row = existing_deck(deck.id)
        out.decks.append((row, existing is None))
        out.reviews += apply_reviews(user.id, row, [r for r in reviews if r.deck_key == deck.id])
    return out
