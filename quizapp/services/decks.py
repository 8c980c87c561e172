"""Decks into the database: importing deck files and reading decks back out.

Import follows the update rules of the deck library: an unchanged question stays untouched; a
wording change keeps learners' schedules; a changed answer restarts that card (its learner states
are dropped, its review history kept); a question that left the file is retired, not deleted; new
questions and new cloze deletions become new cards. Each deck is one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import cast

import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain.deckfile import DeckFileError, FileProblem, load_deck_file
from quizapp.domain.questions import card_answer_key, get_type
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question, Visibility, utcnow

# The visibility rule lives in .visibility; callers ask it through this module (decks.can_see).
from .visibility import can_edit as can_edit
from .visibility import can_see as can_see
from .visibility import reachable_through_class as reachable_through_class
from .visibility import require_visible as require_visible
from .visibility import visible_deck as visible_deck
from .visibility import visible_decks as visible_decks


@dataclass
class ImportSummary:
    slug: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    restarted: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    created: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.added or self.updated or self.restarted or self.retired)

    def line(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, k))} {k}"
            for k in ("added", "updated", "restarted", "retired", "unchanged")
        )
        return f"{self.slug}: {counts}"


@dataclass
class FileImport:
    """The outcome for one file: a summary, or the problems that kept it out."""

    path: Path
    summary: ImportSummary | None = None
    problems: list[FileProblem] = field(default_factory=list)


def _fingerprint(type_name: str, fields: dict, ordinal: int) -> str:
    key = f"{type_name}\x1f{card_answer_key(type_name, fields, ordinal)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def import_deck(
    deck: domain.Deck,
    *,
    owner_id: int | None = None,
    visibility: str | None = None,
    now: datetime | None = None,
    then: Callable[[Deck], None] | None = None,
) -> ImportSummary:
    """Bring the database's copy of ``deck`` up to date and commit; roll back on any error.

    ``then`` runs in the same transaction, after the import, with the deck's row (publishing
    assigns the deck to a class there): its error undoes the import too.
    """
    now = now or utcnow()
    for attempt in range(2):
        try:
            summary = _apply(deck, owner_id=owner_id, visibility=visibility, now=now)
            if then is not None:
                then(existing_deck(deck.id))
            db.session.commit()
        except _CreatedMeanwhile:
            # Two first imports of a new deck: the other created the row first. Once more, now
            # that the row exists to be locked (the lock then makes this one wait its turn).
            db.session.rollback()
            if attempt:
                raise
        except BaseException:
            db.session.rollback()
            raise
        else:
            return summary
    raise AssertionError("unreachable")


class _CreatedMeanwhile(sa.exc.IntegrityError):
    """The deck row could not be inserted: another transaction inserted the same slug."""


def _lock_deck(slug: str) -> Deck | None:
    """The deck row ``slug``, read fresh and locked for this transaction (None: no such deck).

    PostgreSQL: ``SELECT ... FOR UPDATE`` (another import or a publish of the deck waits for
    this transaction). SQLite locks whole files: the transaction is begun as a write
    transaction (``BEGIN IMMEDIATE``) before the read, so two importers cannot both read the old
    questions and then both write; the second waits (busy_timeout) for the first to commit.
    """
    db.session.flush()  # pending changes first, so no implicit BEGIN follows ours
    if db.session.get_bind().dialect.name == "sqlite":
        raw = db.session.connection().connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            db.session.execute(sa.text("BEGIN IMMEDIATE"))
    return db.session.scalar(
        sa.select(Deck)
        .where(Deck.slug == slug)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _apply(
    deck: domain.Deck, *, owner_id: int | None, visibility: str | None, now: datetime
) -> ImportSummary:
    summary = ImportSummary(slug=deck.id)
    row = _lock_deck(deck.id)
    if row is None:
        row = Deck(
            slug=deck.id,
            title=deck.title,
            owner_id=owner_id,
            visibility=visibility or Visibility.PUBLIC,
        )
        db.session.add(row)
        try:
            db.session.flush()
        except sa.exc.IntegrityError as exc:
            raise _CreatedMeanwhile(
                exc.statement, exc.params, cast(BaseException, exc.orig)
            ) from None
        summary.created = True
    elif visibility:
        row.visibility = visibility
    row.title, row.description = deck.title, deck.description
    row.source_file = deck.source.file if deck.source else ""
    row.source_sha256 = deck.source.sha256 if deck.source else ""
    row.published_at = row.published_at or now
    db.session.flush()
    existing = {
        q.key: q
        for q in db.session.scalars(
            sa.select(Question)
            .where(Question.deck_id == row.id)
            .options(sa.orm.selectinload(Question.cards))
            .execution_options(populate_existing=True)
        )
    }
    new: list[tuple[int, domain.Question]] = []
    for position, question in enumerate(deck.questions):
        current = existing.pop(question.id, None)
        if current is None:
            new.append((position, question))
            summary.added.append(question.id)
        else:
            outcome = _update_question(current, question, position, now)
            getattr(summary, outcome).append(question.id)
    _add_questions(row, new)
    for gone in existing.values():
        if gone.retired_at is None:
            gone.retired_at = now
            for card in gone.cards:
                card.retired_at = card.retired_at or now
            summary.retired.append(gone.key)
    if summary.changed:
        row.version += 1
    return summary


def _add_questions(deck: Deck, new: list[tuple[int, domain.Question]]) -> None:
    """Insert new questions and their cards in batches (two multi-row INSERTs per batch, not
    one statement per row), so even the largest deck holds SQLite's write lock briefly."""
    for start in range(0, len(new), _BATCH):
        batch = new[start : start + _BATCH]
        ids = dict(
            db.session.execute(
                sa.insert(Question).returning(Question.key, Question.id),
                [
                    {
                        "deck_id": deck.id,
                        "key": q.id,
                        "position": position,
                        "type": q.type,
                        "fields": q.fields,
                        "explanation": q.explanation,
                        "origin_section": q.origin.section,
                        "origin_quote": q.origin.quote,
                        "tags": list(q.tags),
                    }
                    for position, q in batch
                ],
            ).all()
        )
        cards = [
            {
                "question_id": ids[q.id],
                "deck_id": deck.id,
                "ordinal": n,
                "answer_key": _fingerprint(q.type, q.fields, n),
            }
            for _position, q in batch
            for n in get_type(q.type).ordinals(q.fields)
        ]
        if cards:
            db.session.execute(sa.insert(Card), cards)


#: Rows per multi-row INSERT (well under SQLite's 32,766 bound parameters at 11 per question).
_BATCH = 500


def _copy_content(row: Question, question: domain.Question) -> None:
    row.type = question.type
    row.fields = question.fields
    row.explanation = question.explanation
    row.origin_section = question.origin.section
    row.origin_quote = question.origin.quote
    row.tags = list(question.tags)


def _update_question(row: Question, question: domain.Question, position: int, now: datetime) -> str:
    """Apply ``question`` to ``row``; say whether it was added back, restarted, updated or not."""
    revived = row.retired_at is not None
    content_same = (
        row.type == question.type
        and row.fields == question.fields
        and row.explanation == question.explanation
        and row.origin_section == question.origin.section
        and row.origin_quote == question.origin.quote
        and list(row.tags) == list(question.tags)
    )
    if content_same and row.position == position and not revived:
        return "unchanged"
    row.retired_at = None
    row.position = position
    _copy_content(row, question)

    restarted = False
    wanted = {
        n: _fingerprint(question.type, question.fields, n)
        for n in get_type(question.type).ordinals(question.fields)
    }
    by_ordinal = {card.ordinal: card for card in row.cards}
    for n, fingerprint in wanted.items():
        card = by_ordinal.get(n)
        if card is None:
            row.cards.append(Card(deck_id=row.deck_id, ordinal=n, answer_key=fingerprint))
            continue
        if card.answer_key != fingerprint:
            # The right answer changed: what the learner remembered is no longer right.
            db.session.execute(sa.delete(CardState).where(CardState.card_id == card.id))
            card.answer_key = fingerprint
            restarted = restarted or card.retired_at is None
        card.retired_at = None
    for n, card in by_ordinal.items():
        if n not in wanted and card.retired_at is None:
            card.retired_at = now
    if revived:
        return "added"
    return "restarted" if restarted else "updated"


def import_paths(paths: list[Path], *, now: datetime | None = None) -> list[FileImport]:
    """Import every deck file in ``paths`` (folders: their ``*.yaml``/``*.yml``), each alone.

    A file with problems imports nothing; the others still import.
    """
    results: list[FileImport] = []
    for path in expand_deck_paths(paths):
        try:
            deck = load_deck_file(path)
        except DeckFileError as exc:
            results.append(FileImport(path, problems=exc.problems))
            continue
        except Exception as exc:  # a reader bug must not cost the other files their import
            message = f"cannot be read ({type(exc).__name__}); nothing imported from it"
            results.append(FileImport(path, problems=[FileProblem(str(path), None, message)]))
            continue
        try:
            results.append(FileImport(path, summary=import_deck(deck, now=now)))
        except sa.exc.SQLAlchemyError as exc:
            message = f"database error, deck rolled back: {getattr(exc, 'orig', exc)}"
            results.append(FileImport(path, problems=[FileProblem(str(path), None, message)]))
    return results


def expand_deck_paths(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
            )
        else:
            files.append(path)
    return files


def has_decks() -> bool:
    return (db.session.scalar(sa.select(sa.func.count(Deck.id))) or 0) > 0


def get_deck(slug: str) -> Deck | None:
    return db.session.scalar(sa.select(Deck).where(Deck.slug == slug))


def existing_deck(slug: str) -> Deck:
    """The deck ``slug``, which the caller knows exists (it has just imported it)."""
    return db.session.execute(sa.select(Deck).where(Deck.slug == slug)).scalar_one()


def live_questions(deck: Deck) -> list[Question]:
    """The deck's questions that learners see, in deck order, with their cards loaded."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.deck_id == deck.id, Question.retired_at.is_(None))
            .order_by(Question.position, Question.id)
            .options(sa.orm.selectinload(Question.cards))
        )
    )


#: Questions per page of the deck page: a 500-question deck in one page cost ~100 ms of CPU.
QUESTIONS_PER_PAGE = 100


def question_page(
    deck: Deck, page: int, per_page: int = QUESTIONS_PER_PAGE
) -> tuple[list[Question], int, int]:
    """One page of the deck's live questions in deck order, with their cards loaded:
    (questions, the page shown: ``page`` clamped to 1..last, how many live questions in all)."""
    live = (Question.deck_id == deck.id, Question.retired_at.is_(None))
    total = db.session.scalar(sa.select(sa.func.count(Question.id)).where(*live)) or 0
    last = max(1, -(-total // per_page))
    page = min(max(1, page), last)
    questions = list(
        db.session.scalars(
            sa.select(Question)
            .where(*live)
            .order_by(Question.position, Question.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
            .options(sa.orm.selectinload(Question.cards))
        )
    )
    return questions, page, total


def to_domain(deck: Deck, questions: list[Question] | None = None) -> domain.Deck:
    """The deck (live questions only) as a domain :class:`~quizapp.domain.deck.Deck`."""
    questions = live_questions(deck) if questions is None else questions
    return domain.Deck(
        id=deck.slug,
        title=deck.title,
        description=deck.description,
        source=domain.Source(deck.source_file, deck.source_sha256) if deck.source_file else None,
        questions=[
            domain.Question(
                id=q.key,
                type=q.type,
                fields=dict(q.fields),
                explanation=q.explanation,
                origin=domain.Origin(q.origin_section, q.origin_quote),
                tags=list(q.tags),
            )
            for q in questions
        ],
    )
