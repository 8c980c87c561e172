"""Decks in other quiz formats: exported from the database, imported into it.

The formats themselves are :mod:`quizapp.domain.interop` (pure). Export picks the live questions
(as the Anki export does, through :func:`quizapp.services.export.load_decks`) and hands back
bytes, or writes a file atomically. Import reads a file into decks and brings each into the
database through :func:`quizapp.services.decks.import_deck`, the path deck files take.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from quizapp.domain import deck as domain
from quizapp.domain import scheduling
from quizapp.domain.anki.notes import note_guid, question_guid
from quizapp.domain.deckfile import check_deck_data
from quizapp.domain.interop import (
    AnkiReview,
    InteropError,
    Parsed,
    ParsedPackage,
    Skipped,
    TextPreview,
    export_format,
    is_text_file,
    preview_text,
    read_file,
)
from quizapp.domain.interop.common import MAX_FILE_BYTES
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question, Review, User, Visibility
from quizapp.services.decks import ImportSummary, existing_deck, get_deck, import_deck
from quizapp.services.errors import Invalid
from quizapp.services.export import load_decks
from quizapp.services.study import effective_settings, schedule_of


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
    #: Anki reviews: imported, left out (no learner named), skipped (see :func:`apply_reviews`).
    history: int = 0
    history_left: int = 0
    history_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def import_file(path: Path, *, separator: str | None = None, user: User | None = None,
                now: datetime | None = None) -> FileReport:
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
                f"{getattr(exc, 'orig', exc)}")
            continue
        own = [r for r in reviews if r.deck_key == deck.id]
        if user is None:
            report.history_left += len(own)
        elif own:
            report.history += apply_reviews(user.id, existing_deck(deck.id), own)
    report.history_skipped = getattr(parsed, "reviews_skipped", 0)
    return report


# --- uploads from the web -----------------------------------------------------------------------


@dataclass
class Upload:
    """What an upload made: the decks (row, created?) and the rows it skipped."""

    decks: list[tuple[Deck, bool]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: Anki reviews recorded as the uploader's history.
    reviews: int = 0


def _parse_upload(data: bytes, name: str, separator: str | None,
                  columns: Sequence[str] | None = None) -> Parsed:
    try:
        parsed = read_file(data, name, separator=separator, columns=columns)
    except InteropError as exc:
        raise Invalid(str(exc)) from None
    if not parsed.decks:
        reasons = "; ".join(str(s) for s in parsed.skipped[:5])
        raise Invalid(f"{name}: no question could be imported" + (f" ({reasons})"
                                                                  if reasons else ""))
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
        if row is None or (row.owner_id == user.id
                           and (not private or row.visibility == Visibility.PRIVATE)):
            return candidate
        candidate, n = f"{slug[:100]}-{n}", n + 1


def upload_drafts(user: User, data: bytes, name: str, *, separator: str | None = None,
                  columns: Sequence[str] | None = None) -> Upload:
    """An instructor's uploaded file as drafts: one per deck in it, to check and publish."""
    from quizapp.services import drafts

    parsed = _parse_upload(data, name, separator, columns)
    out = Upload(skipped=parsed.skipped)
    for deck in parsed.decks:
        deck.id = _own_slug(user, deck.id)
        out.decks.append(drafts.import_uploaded(user, deck))
    return out


def upload_private(user: User, data: bytes, name: str, *, separator: str | None = None,
                   columns: Sequence[str] | None = None, now: datetime | None = None) -> Upload:
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
        parsed.reviews = [replace(r, deck_key=renamed.get(r.deck_key, r.deck_key))
                          for r in parsed.reviews]
    reviews = _keep_existing_ids(parsed)
    for deck in parsed.decks:
        existing = get_deck(deck.id)
        import_deck(deck, owner_id=user.id, visibility=Visibility.PRIVATE, now=now)
        row = existing_deck(deck.id)
        out.decks.append((row, existing is None))
        out.reviews += apply_reviews(user.id, row, [r for r in reviews if r.deck_key == deck.id])
    return out


# --- choosing the columns of a text file (two steps on the web) --------------------------------

#: How long an uploaded file waits for its column mapping.
PENDING_SECONDS = 30 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def preview_upload(data: bytes, name: str, separator: str | None) -> TextPreview | None:
    """The first rows of an uploaded CSV/TSV/TXT file (None for other formats)."""
    if not is_text_file(name):
        return None
    try:
        return preview_text(data, name, separator=separator)
    except InteropError as exc:
        raise Invalid(str(exc)) from None


def _pending_folder() -> Path:
    """``QUIZAPP_PENDING_UPLOADS`` (tests set it), else ``pending-uploads`` in the instance."""
    configured = current_app.config.get("QUIZAPP_PENDING_UPLOADS")
    return Path(configured or Path(current_app.instance_path) / "pending-uploads")


def keep_pending(user: User, data: bytes, name: str, separator: str | None, *,
                 now: datetime | None = None) -> str:
    """Keep an upload in the instance folder until its columns are chosen; returns its token.

    The file is ``<user id>-<token>.json`` (the token random, 192 bits), so only the uploader
    can use it, for :data:`PENDING_SECONDS`. One upload waits per user: a newer one replaces it
    (the disk holds at most one file of 5 MB per user); expired files are removed whenever a new
    one is kept.
    """
    now = now or datetime.now(UTC)
    folder = _pending_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mine = set(folder.glob(f"{user.id}-*.json"))
    for old in folder.glob("*.json"):
        try:
            if old in mine or now.timestamp() - old.stat().st_mtime > PENDING_SECONDS:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    token = secrets.token_urlsafe(24)
    record = {"user": user.id, "name": name, "separator": separator,
              "created": now.timestamp(), "data": base64.b64encode(data).decode("ascii")}
    fd, tmp = tempfile.mkstemp(prefix=".pending.", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(record, out)
    os.replace(tmp, folder / f"{user.id}-{token}.json")
    return token


def pending_upload(user: User, token: str, *,
                   now: datetime | None = None) -> tuple[bytes, str, str | None]:
    """(data, name, separator) of the upload kept under ``token`` for ``user``; Invalid if none.

    Another user's token, an expired one and a made-up one all read as "no such upload".
    """
    now = now or datetime.now(UTC)
    gone = Invalid("That upload has expired or is not yours: choose the file again.")
    if not _TOKEN.match(token or ""):
        raise gone
    try:
        path = _pending_folder() / f"{user.id}-{token}.json"
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise gone from None
    if record.get("user") != user.id or now.timestamp() - record["created"] > PENDING_SECONDS:
        raise gone
    return base64.b64decode(record["data"]), record["name"], record["separator"]


def drop_pending(user: User, token: str) -> None:
    if _TOKEN.match(token or ""):
        (_pending_folder() / f"{user.id}-{token}.json").unlink(missing_ok=True)


# --- Anki review history ------------------------------------------------------------------------


def _keep_existing_ids(parsed) -> list[AnkiReview]:
    """Give notes that quizapp exported once their question's id back; the reviews follow.

    A note written by quizapp's Anki export has the GUID of (deck slug, question id, type); when
    that deck is in the database, the question whose GUID matches keeps its id (and with it its
    cards and every learner's schedule) instead of a new GUID-based id.
    """
    reviews = list(getattr(parsed, "reviews", []))
    for deck in parsed.decks:
        row = get_deck(deck.id)
        if row is None:
            continue
        rows = db.session.execute(
            sa.select(Question.key, Question.type).where(Question.deck_id == row.id)).all()
        existing = {note_guid(deck.id, domain.Question(key, kind, {})): key
                    for key, kind in rows}
        renamed: dict[str, str] = {}
        taken = {q.id for q in deck.questions}
        for question in deck.questions:
            guid = question_guid(question.id)
            key = existing.get(guid) if guid else None
            if key and key not in taken:
                renamed[question.id] = key
                taken.add(key)
                question.id = key
        reviews = [replace(r, question_id=renamed.get(r.question_id, r.question_id))
                   if r.deck_key == deck.id else r for r in reviews]
    return reviews


def apply_reviews(user_id: int, deck: Deck, reviews: Sequence[AnkiReview]) -> int:
    """Record Anki's reviews as the learner's and replay them into FSRS states; commits.

    Reviews already imported (same Anki review id) and reviews older than the learner's latest
    review of that card are left out, so importing the same package twice changes nothing. Each
    card's schedule is what FSRS makes of its reviews in order, with the learner's settings.
    Returns how many reviews were recorded.
    """
    cards = {(key, card.ordinal): card for key, card in db.session.execute(
        sa.select(Question.key, Card).join(Card.question)
        .where(Question.deck_id == deck.id, Question.retired_at.is_(None),
               Card.retired_at.is_(None)))}
    keys = [r.key for r in reviews]
    seen = set(db.session.scalars(sa.select(Review.idempotency_key).where(
        Review.user_id == user_id, Review.idempotency_key.in_(keys)))) if keys else set()
    by_card: dict[int, list[AnkiReview]] = {}
    for review in sorted(reviews, key=lambda r: r.reviewed_at):
        card = cards.get((review.question_id, review.ordinal))
        if card is not None and review.key not in seen:
            by_card.setdefault(card.id, []).append(review)
    if not by_card:
        return 0
    settings = effective_settings(user_id, deck)
    states = {s.card_id: s for s in db.session.scalars(sa.select(CardState).where(
        CardState.user_id == user_id, CardState.card_id.in_(list(by_card))))}
    latest = dict(db.session.execute(
        sa.select(Review.card_id, sa.func.max(Review.reviewed_at))
        .where(Review.user_id == user_id, Review.card_id.in_(list(by_card)),
               Review.undone_at.is_(None))
        .group_by(Review.card_id)).all())
    new_reviews: list[dict] = []
    new_states: list[dict] = []
    try:
        for card_id, own in by_card.items():
            state = states.get(card_id)
            schedule = schedule_of(state)
            last = latest.get(card_id)
            changed = False
            for review in own:
                if last is not None and scheduling.as_utc(review.reviewed_at) <= \
                        scheduling.as_utc(last):
                    continue
                after = scheduling.review(
                    schedule, scheduling.Rating(review.rating), review.reviewed_at, settings,
                    card_id=card_id,
                    # The study service's seed for this learner, card and repetition.
                    seed=scheduling.fuzz_seed("fuzz", user_id, card_id,
                                              schedule.reps if schedule else 0))
                row = {"user_id": user_id, "card_id": card_id, "deck_id": deck.id,
                       "rating": review.rating, "reviewed_at": review.reviewed_at,
                       "duration_ms": review.duration_ms, "correct": None, "answer": sa.null(),
                       "idempotency_key": review.key, "undone_at": None,
                       # SQL NULL for a new card's review, as the study service leaves it.
                       "previous_state": schedule.to_dict() if schedule else sa.null()}
                new_reviews.append(row)
                schedule, changed = after, True
            if not changed or schedule is None:  # (changed: schedule is the last review's)
                continue
            values = {"state": int(schedule.phase), "step": schedule.step,
                      "stability": schedule.stability, "difficulty": schedule.difficulty,
                      "due": schedule.due, "last_review": schedule.last_review,
                      "reps": schedule.reps, "lapses": schedule.lapses, "leech": schedule.leech}
            if state is None:
                new_states.append({"user_id": user_id, "card_id": card_id, "deck_id": deck.id,
                                   "version": 1, **values})
            else:
                for name, value in values.items():
                    setattr(state, name, value)
        # Bulk inserts: a package brings tens of thousands of reviews.
        for chunk in range(0, len(new_reviews), 5000):
            db.session.execute(sa.insert(Review), new_reviews[chunk:chunk + 5000])
        for chunk in range(0, len(new_states), 5000):
            db.session.execute(sa.insert(CardState), new_states[chunk:chunk + 5000])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    recorded = len(new_reviews)
    return recorded
