"""Decks into the database: importing deck files and reading decks back out.

Import follows the update rules of the deck library: an unchanged question stays untouched; a
wording change keeps learners' schedules; a changed answer restarts that card (its learner states
are dropped, its review history kept); a question that left the file is retired, not deleted; new
questions and new cloze deletions become new cards. Each deck is one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain.deckfile import DeckFileError, FileProblem, load_deck_file
from quizapp.domain.questions import card_answer_key, get_type
from quizapp.extensions import db
from quizapp.models import Card, CardState, Deck, Question, Visibility, utcnow


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
) -> ImportSummary:
    """Bring the database's copy of ``deck`` up to date and commit; roll back on any error."""
    now = now or utcnow()
    try:
        summary = _apply(deck, owner_id=owner_id, visibility=visibility, now=now)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return summary


def _apply(
    deck: domain.Deck, *, owner_id: int | None, visibility: str | None, now: datetime
) -> ImportSummary:
    summary = ImportSummary(slug=deck.id)
    row = db.session.scalar(sa.select(Deck).where(Deck.slug == deck.id))
    if row is None:
        row = Deck(
            slug=deck.id,
            title=deck.title,
            owner_id=owner_id,
            visibility=visibility or Visibility.PUBLIC,
        )
        db.session.add(row)
        summary.created = True
    elif visibility:
        row.visibility = visibility
    row.title, row.description = deck.title, deck.description
    row.source_file = deck.source.file if deck.source else ""
    row.source_sha256 = deck.source.sha256 if deck.source else ""
    row.published_at = row.published_at or now
    db.session.flush()
    if summary.created and len(deck.questions) >= BULK_INSERT_FROM:
        # A large new deck (an Anki package, say): nothing to compare, every question is new.
        _add_all(row, deck.questions)
        summary.added = [q.id for q in deck.questions]
        row.version += 1
        return summary

    existing = {
        q.key: q
        for q in db.session.scalars(
            sa.select(Question)
            .where(Question.deck_id == row.id)
            .options(sa.orm.selectinload(Question.cards))
        )
    }
    for position, question in enumerate(deck.questions):
        current = existing.pop(question.id, None)
        if current is None:
            _add_question(row, question, position)
            summary.added.append(question.id)
        else:
            outcome = _update_question(current, question, position, now)
            getattr(summary, outcome).append(question.id)
    for gone in existing.values():
        if gone.retired_at is None:
            gone.retired_at = now
            for card in gone.cards:
                card.retired_at = card.retired_at or now
            summary.retired.append(gone.key)
    if summary.changed:
        row.version += 1
    return summary


def _add_question(deck: Deck, question: domain.Question, position: int) -> Question:
    row = Question(deck=deck, key=question.id, position=position)
    _copy_content(row, question)
    row.cards = [
        Card(deck_id=deck.id, ordinal=n, answer_key=_fingerprint(question.type, question.fields, n))
        for n in get_type(question.type).ordinals(question.fields)
    ]
    db.session.add(row)
    return row


#: A new deck with at least this many questions is inserted by :func:`_add_all`.
BULK_INSERT_FROM = 200


def _add_all(deck: Deck, questions: list[domain.Question]) -> None:
    """A new deck's questions and cards in a few multi-row INSERTs (large imports make 10,000s).

    The same rows :func:`_add_question` makes, without an ORM object per row.
    """
    ids: dict[str, int] = {}
    for start in range(0, len(questions), 1000):
        rows = [
            {"deck_id": deck.id, "key": q.id, "position": start + i, "type": q.type,
             "fields": q.fields, "explanation": q.explanation,
             "origin_section": q.origin.section, "origin_quote": q.origin.quote,
             "tags": list(q.tags)}
            for i, q in enumerate(questions[start : start + 1000])
        ]
        result = db.session.execute(sa.insert(Question).returning(Question.id, Question.key),
                                    rows)
        ids.update({key: qid for qid, key in result})
    cards = [
        {"question_id": ids[q.id], "deck_id": deck.id, "ordinal": n,
         "answer_key": _fingerprint(q.type, q.fields, n)}
        for q in questions for n in get_type(q.type).ordinals(q.fields)
    ]
    for start in range(0, len(cards), 2000):
        db.session.execute(sa.insert(Card), cards[start : start + 2000])


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
    return db.session.scalar(sa.select(sa.func.count(Deck.id))) > 0


def get_deck(slug: str) -> Deck | None:
    return db.session.scalar(sa.select(Deck).where(Deck.slug == slug))


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


def _visible_clause(user) -> sa.ColumnElement[bool]:
    from quizapp.models import Assignment, Membership

    public = sa.and_(Deck.visibility == Visibility.PUBLIC, Deck.published_at.is_not(None))
    if user is None or not user.is_authenticated:
        return public
    if user.is_admin:
        return sa.true()
    assigned = sa.and_(
        Deck.visibility != Visibility.PRIVATE,
        Deck.published_at.is_not(None),
        Deck.id.in_(
            sa.select(Assignment.deck_id)
            .join(Membership, Membership.classroom_id == Assignment.classroom_id)
            .where(Membership.user_id == user.id)
        ),
    )
    return sa.or_(public, assigned, Deck.owner_id == user.id)


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
    deck = db.session.scalar(sa.select(Deck).where(Deck.slug == slug))
    if deck is None:
        return None
    published = deck.published_at is not None
    if published and deck.visibility == Visibility.PUBLIC:
        return deck
    if user is None or not user.is_authenticated:
        return None
    if user.is_admin or deck.owner_id == user.id:
        return deck
    if not published or deck.visibility == Visibility.PRIVATE:
        return None
    return deck if _assigned_to_member(deck.id, user.id) else None


def _assigned_to_member(deck_id: int, user_id: int) -> bool:
    from quizapp.models import Assignment, Membership

    return (
        db.session.scalar(
            sa.select(Assignment.id)
            .join(Membership, Membership.classroom_id == Assignment.classroom_id)
            .where(Assignment.deck_id == deck_id, Membership.user_id == user_id)
            .limit(1)
        )
        is not None
    )


def can_edit(user, deck: Deck) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_admin or (user.is_instructor and deck.owner_id == user.id))
    )
