"""Authoring: an instructor's working copy (draft) of a deck, and publishing it.

A deck's ``draft`` column holds the instructor's working copy as a deck-file mapping (the shape of
:meth:`quizapp.domain.deck.Deck.to_dict`). Every edit here changes that copy only, so learners see
nothing until :func:`publish`, which checks the whole copy like a deck file and applies it with
:func:`quizapp.services.decks.import_deck` and its update rules: a wording fix keeps learners'
schedules, a changed answer restarts that card, a deleted question is retired with its history.
A published deck without a draft is edited by first copying its published questions.
"""

from __future__ import annotations

import copy
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain.articles import ArticleError, parse_article
from quizapp.domain.articles.source import article_format, decode
from quizapp.domain.builder import build_deck, deck_slug, no_questions_message
from quizapp.domain.deck import SECTIONS
from quizapp.domain.deckfile import (
    DeckFileError,
    FileProblem,
    check_deck_data,
    dump_deck_data,
    dump_deck_text,
    load_deck_text,
    question_size_problems,
)
from quizapp.domain.limits import MAX_DESCRIPTION_CHARS, MAX_QUESTIONS, MAX_TITLE_CHARS
from quizapp.domain.questions import QUESTION_TYPES, Problem, get_type
from quizapp.domain.questions.lint import lint_deck
from quizapp.extensions import db
from quizapp.models import Classroom, Deck, Question, User, Visibility
from quizapp.services import classes as class_service
from quizapp.services import decks as deck_service
from quizapp.services.decks import ImportSummary, import_deck, to_domain
from quizapp.services.errors import NotFound, ServiceError


class DraftError(ServiceError, ValueError):
    """An authoring request that cannot be carried out.

    ``problems`` lists every ``file:line:`` problem of a deck (file); ``fields`` the problems of
    one question, each naming its field.
    """

    def __init__(self, message: str, problems: list[FileProblem] | None = None,
                 fields: list[Problem] | None = None):
        super().__init__(message, problems=[*(problems or []), *(fields or [])])
        self.problems: list[FileProblem] = problems or []
        self.fields = fields or []


# --- slugs and new decks --------------------------------------------------------------------

def slugify(title: str) -> str:
    """A deck id from a title: ASCII lower-case words joined by dashes (``deck`` when empty)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return slug or "deck"


def unique_slug(title: str) -> str:
    """:func:`slugify` of ``title``, with ``-2``, ``-3``… added when a deck already uses it."""
    base = slugify(title)
    taken = set(db.session.scalars(
        sa.select(Deck.slug).where(sa.or_(Deck.slug == base, Deck.slug.like(f"{base}-%")))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_deck(owner: User, mapping: dict[str, Any], *, slug: str | None = None) -> Deck:
    """A new private, unpublished deck owned by ``owner`` whose draft is ``mapping``; commits.

    The slug is ``slug`` when given (it must be free), else derived from the title and made unique.
    """
    title = str(mapping.get("title") or "").strip()[:MAX_TITLE_CHARS] or "Untitled deck"
    for _ in range(5):
        chosen = slug or unique_slug(title)
        if slug and db.session.scalar(sa.select(Deck.id).where(Deck.slug == slug)):
            raise DraftError(f"A deck with the id “{slug}” already exists.")
        draft = {**copy.deepcopy(mapping), "id": chosen, "title": title}
        draft.setdefault("questions", [])
        row = Deck(slug=chosen, title=title, description=str(draft.get("description") or ""),
                   owner_id=owner.id, visibility=Visibility.PRIVATE, draft=draft,
                   source_file=(draft.get("source") or {}).get("file", "")[:255],
                   source_sha256=(draft.get("source") or {}).get("sha256", "")[:64])
        db.session.add(row)
        try:
            db.session.commit()
            return row
        except sa.exc.IntegrityError:  # someone took the slug in between: choose again
            db.session.rollback()
            if slug:
                raise DraftError(f"A deck with the id “{slug}” already exists.") from None
    raise DraftError("Could not choose a deck id; try again.")


def create_empty_deck(owner: User, title: str, description: str = "") -> Deck:
    return create_deck(owner, {"title": title.strip(), "description": description.strip(),
                               "questions": []})


def create_from_domain(owner: User, deck: domain.Deck) -> Deck:
    """A new deck whose draft is ``deck`` (e.g. the deck builder's output), under a fresh slug."""
    return create_deck(owner, deck.to_dict())


# --- reading ---------------------------------------------------------------------------------

def owned_decks(user: User) -> list[Deck]:
    return list(db.session.scalars(
        sa.select(Deck).where(Deck.owner_id == user.id).order_by(Deck.updated_at.desc())))


def get_deck(slug: str) -> Deck | None:
    return db.session.scalar(sa.select(Deck).where(Deck.slug == slug))


def editable_deck(user: User, slug: str) -> Deck:
    """The deck ``slug`` if ``user`` may author it (its owner, or an admin): every editor page
    asks this first. :class:`NotFound` otherwise, in the same words whether the deck is missing
    or someone else's."""
    deck = get_deck(slug)
    if deck is None or not deck_service.can_edit(user, deck):
        raise NotFound(f"You have no deck called “{slug}”.")
    return deck


def working_copy(deck: Deck) -> dict[str, Any]:
    """The mapping the editor shows: the draft, or the published deck when there is none."""
    if deck.draft is not None:
        return copy.deepcopy(deck.draft)
    return to_domain(deck).to_dict()


def has_changes(deck: Deck) -> bool:
    """True when the deck has a draft learners do not see yet."""
    return deck.draft is not None


@dataclass
class DraftQuestion:
    """A question of a working copy, shaped like the ORM row the question partials render."""

    key: str
    type: str
    fields: dict[str, Any]
    explanation: str = ""
    origin_section: str = "other"
    origin_quote: str = ""
    tags: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: The question linter's advice ("field: what to do"); the question still publishes.
    warnings: list[str] = field(default_factory=list)

    @property
    def previewable(self) -> bool:
        return not self.problems

    @property
    def label(self) -> str:
        qtype = QUESTION_TYPES.get(self.type)
        return qtype.label if qtype else self.type


def draft_questions(mapping: dict[str, Any]) -> list[DraftQuestion]:
    """The working copy's questions, each with its problems (empty when valid) and the
    question linter's warnings for the valid ones (near-duplicates across the deck included)."""
    out = []
    for raw in mapping.get("questions") or []:
        parsed = domain.Question.from_dict(raw) if isinstance(raw, dict) and "id" in raw and (
            "type" in raw) else None
        if parsed is None:
            continue
        out.append(DraftQuestion(
            key=parsed.id, type=parsed.type, fields=parsed.fields,
            explanation=parsed.explanation, origin_section=parsed.origin.section,
            origin_quote=parsed.origin.quote, tags=parsed.tags,
            problems=[p.message for p in question_problems(raw)]))
    valid = [q for q in out if not q.problems]
    found = lint_deck(domain.Question(id=q.key, type=q.type, fields=q.fields,
                                      explanation=q.explanation) for q in valid)
    for q in valid:
        q.warnings = [f"{w.field}: {w.message}" for w in found if w.question_id == q.key]
    return out


def find_question(mapping: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((q for q in mapping.get("questions") or [] if q.get("id") == key), None)


def question_problems(question: dict[str, Any]) -> list[Problem]:
    """Every problem of one deck-file question mapping, each naming its field."""
    qtype = question.get("type")
    if not isinstance(qtype, str) or qtype not in QUESTION_TYPES:
        return [Problem("type", f"unknown question type {qtype!r}")]
    sizes = question_size_problems(question)
    if sizes:
        return sizes
    fields = {k: v for k, v in question.items() if k not in domain.COMMON_KEYS}
    found = list(get_type(qtype).problems(fields))
    origin = question.get("origin") or {}
    if origin.get("section", "other") not in SECTIONS:
        found.append(Problem("section", f"section must be one of: {', '.join(SECTIONS)}"))
    tags = question.get("tags") or []
    if any(not t or any(c.isspace() for c in t) for t in tags):
        found.append(Problem("tags", "tags are words without spaces (use '_' or '::')"))
    return found


# --- editing ---------------------------------------------------------------------------------

def _editable_copy(deck: Deck) -> dict[str, Any]:
    """The working copy, read under a row lock (PostgreSQL) so two saves cannot interleave and
    lose one another's edit; SQLite serialises writers anyway."""
    db.session.refresh(deck, with_for_update=True)
    return working_copy(deck)


def _save(deck: Deck, mapping: dict[str, Any]) -> None:
    mapping["id"] = deck.slug
    deck.draft = copy.deepcopy(mapping)  # a new object, so the JSON column sees the change
    db.session.commit()


def update_details(deck: Deck, title: str, description: str) -> None:
    title = title.strip()
    if not title:
        raise DraftError("The deck needs a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise DraftError(f"The title is {len(title)} characters long; at most {MAX_TITLE_CHARS}.")
    if len(description.strip()) > MAX_DESCRIPTION_CHARS:
        raise DraftError(f"The description is {len(description.strip())} characters long; at "
                         f"most {MAX_DESCRIPTION_CHARS}.")
    mapping = _editable_copy(deck)
    mapping["title"] = title
    if description.strip():
        mapping["description"] = description.strip()
    else:
        mapping.pop("description", None)
    _save(deck, mapping)


def new_question_key(deck: Deck, mapping: dict[str, Any], type_name: str) -> str:
    """An id not used by the working copy nor by any question the deck ever had (retired too),
    so a new question never inherits an old one's schedules."""
    used = {q.get("id") for q in mapping.get("questions") or []}
    used |= set(db.session.scalars(sa.select(Question.key).where(Question.deck_id == deck.id)))
    prefix = type_name.replace("_", "-")
    n = len(mapping.get("questions") or []) + 1
    while f"{prefix}-{n}" in used:
        n += 1
    return f"{prefix}-{n}"


def save_question(deck: Deck, question: dict[str, Any], *, key: str | None = None) -> str:
    """Replace question ``key`` by ``question`` (or add it when ``key`` is None); commits.

    ``question`` is a deck-file mapping without ``id``; it must be valid
    (:class:`DraftError` lists its problems otherwise). Returns the question's id.
    """
    problems = question_problems(question)
    if problems:
        raise DraftError("The question has problems.", fields=problems)
    mapping = _editable_copy(deck)
    questions = mapping.setdefault("questions", [])
    if key is None:
        if len(questions) >= MAX_QUESTIONS:
            db.session.rollback()
            raise DraftError(f"A deck holds at most {MAX_QUESTIONS} questions.")
        key = new_question_key(deck, mapping, str(question["type"]))
        questions.append({"id": key, **question})
    else:
        index = next((i for i, q in enumerate(questions) if q.get("id") == key), None)
        if index is None:
            db.session.rollback()
            raise DraftError(f"The deck has no question “{key}”.")
        questions[index] = {"id": key, **question}
    _save(deck, mapping)
    return key


def delete_question(deck: Deck, key: str) -> bool:
    mapping = _editable_copy(deck)
    before = len(mapping.get("questions") or [])
    mapping["questions"] = [q for q in mapping.get("questions") or [] if q.get("id") != key]
    if len(mapping["questions"]) == before:
        return False
    _save(deck, mapping)
    return True


def move_question(deck: Deck, key: str, offset: int) -> bool:
    """Move question ``key`` by ``offset`` places (-1 up, 1 down); False when it cannot move."""
    mapping = _editable_copy(deck)
    questions = mapping.get("questions") or []
    index = next((i for i, q in enumerate(questions) if q.get("id") == key), None)
    if index is None or not 0 <= index + offset < len(questions):
        return False
    questions.insert(index + offset, questions.pop(index))
    _save(deck, mapping)
    return True


def discard_changes(deck: Deck) -> None:
    """Forget the draft of a published deck (back to what learners see)."""
    if not deck.is_published:
        raise DraftError("This deck was never published: there is nothing to go back to.")
    deck.draft = None
    db.session.commit()


def delete_unpublished(deck: Deck) -> None:
    """Delete a deck that was never published (nobody can have studied it)."""
    if deck.is_published:
        raise DraftError("A published deck cannot be deleted: learners' progress depends on it. "
                         "Make it private instead.")
    db.session.delete(deck)
    db.session.commit()


# --- deck files ------------------------------------------------------------------------------

def deck_file_text(deck: Deck) -> str:
    """The working copy as deck-file YAML (what the editor shows)."""
    mapping = working_copy(deck)
    problems = check_deck_data(mapping, deck.slug)
    if problems:
        # An invalid draft is still downloadable as it is, so it can be fixed in a text editor.
        return dump_deck_data(mapping)
    return dump_deck_text(domain.Deck.from_dict(mapping))


def load_uploaded_deck(text: str, name: str) -> domain.Deck:
    """Parse an uploaded deck file; :class:`DraftError` carries every ``file:line:`` problem."""
    try:
        return load_deck_text(text, name)
    except DeckFileError as exc:
        raise DraftError("The deck file has problems.", exc.problems) from None


def replace_draft(deck: Deck, uploaded: domain.Deck) -> None:
    """Make ``uploaded`` the deck's draft (the file's id must be this deck's); commits."""
    if uploaded.id != deck.slug:
        raise DraftError(f"This file is the deck “{uploaded.id}”, not “{deck.slug}”: change its "
                         f"'id' to {deck.slug} or upload it as a new deck.")
    _save(deck, uploaded.to_dict())


def import_uploaded(owner: User, uploaded: domain.Deck) -> tuple[Deck, bool]:
    """An uploaded deck file as a draft: of the owner's deck with that id, else of a new deck.

    Returns the deck and whether it was created. :class:`DraftError` when another instructor's
    deck has that id.
    """
    existing = get_deck(uploaded.id)
    if existing is None:
        return create_deck(owner, uploaded.to_dict(), slug=uploaded.id), True
    if not (owner.is_admin or existing.owner_id == owner.id):
        raise DraftError(f"Another deck already has the id “{uploaded.id}”: change the file's "
                         "'id' to upload it as your own deck.")
    replace_draft(existing, uploaded)
    return existing, False


# --- publishing ------------------------------------------------------------------------------

def check_problems(deck: Deck, mapping: dict[str, Any] | None = None) -> list[FileProblem]:
    """Everything that keeps the working copy from being published (empty: ready)."""
    mapping = working_copy(deck) if mapping is None else mapping
    mapping = {**mapping, "id": deck.slug}
    problems = check_deck_data(mapping, deck.slug)
    if not mapping.get("questions"):
        problems.append(FileProblem(deck.slug, None, "add at least one question first"))
    return problems


def publish(deck: Deck, visibility: str, *, now: datetime | None = None,
            then: Callable[[Deck], None] | None = None) -> ImportSummary:
    """Check the working copy like a deck file and make it what learners study; commits.

    :class:`DraftError` lists every problem and changes nothing. The draft is cleared in the same
    transaction as the import, and ``then`` (the deck's row) runs in it too. The caller has
    checked that the deck is the user's (:func:`publish_deck` does).
    """
    if visibility not in {v.value for v in Visibility}:
        raise DraftError(f"Unknown visibility {visibility!r}.")
    mapping = _editable_copy(deck)
    mapping["id"] = deck.slug
    problems = check_problems(deck, mapping)
    if problems:
        db.session.rollback()
        raise DraftError("The deck cannot be published yet.", problems)
    deck.draft = None
    return import_deck(domain.Deck.from_dict(mapping), owner_id=deck.owner_id,
                       visibility=visibility, now=now, then=then)


@dataclass
class Published:
    """What :func:`publish_deck` did: the import's summary, and the class the deck went to."""

    summary: ImportSummary
    classroom: Classroom | None = None


def publish_deck(user: User, deck: Deck, visibility: str, *, class_id: int | None = None,
                 new_class: str = "", target_date: date | None = None,
                 now: datetime | None = None) -> Published:
    """``user`` (the deck's owner, or an admin) publishes ``deck`` and, when asked, assigns it to
    one of their classes (``class_id``) or to a new class (``new_class``, its name).

    One transaction: the publication, the new class and the assignment are made together or
    not at all. :class:`NotFound` for a deck or class that is not the user's; :class:`DraftError`
    (with every problem) when the deck cannot be published or assigned.
    """
    if not deck_service.can_edit(user, deck):
        raise NotFound(f"You have no deck called “{deck.slug}”.")
    classroom = None
    if class_id is not None:
        classroom = class_service.get_class(class_id)
        if classroom is None or not class_service.can_manage(user, classroom):
            raise NotFound(f"You have no class {class_id}.")
    new_class = new_class.strip()
    if (classroom is not None or new_class) and visibility == Visibility.PRIVATE:
        raise DraftError("A private deck cannot be assigned to a class: choose class-only or "
                         "public.")
    assigned: list[Classroom | None] = [classroom]

    def assign(row: Deck) -> None:
        target = class_service.add_class(user, new_class) if new_class else classroom
        if target is not None:
            class_service.add_assignment(target, row, target_date, by=user)
        assigned[0] = target

    try:
        summary = publish(deck, visibility, now=now, then=assign)
    except class_service.ClassError as exc:
        raise DraftError(f"Not published: {exc.message}") from None
    return Published(summary, assigned[0])


def set_visibility(deck: Deck, visibility: str) -> None:
    if visibility not in {v.value for v in Visibility}:
        raise DraftError(f"Unknown visibility {visibility!r}.")
    deck.visibility = visibility
    db.session.commit()



# --- articles -------------------------------------------------------------------------------

def build_article_deck(name: str, data: bytes) -> domain.Deck:
    """The deck builder's draft deck from an article file's bytes (``name`` gives the format).

    :class:`DraftError` says why the article cannot be used (type, encoding, no content).
    """
    try:
        fmt = article_format(PurePath(name))
        article = parse_article(decode(data, fmt), fmt)
        source = domain.Source(file=name, sha256=hashlib.sha256(data).hexdigest())
        deck = build_deck(article, deck_slug(PurePath(name)), source)
    except ArticleError as exc:
        raise DraftError(f"“{name}”: {exc}") from None
    if not deck.questions:
        raise DraftError(f"“{name}”: {no_questions_message(article)}. Check that it is the "
                         "article's text.")
    return deck


def create_from_article(owner: User, name: str, data: bytes, *, title: str = "") -> Deck:
    """A new draft deck built from an article (file name and bytes); commits.

    :class:`DraftError` says why an article cannot be used (format, encoding, no content).
    """
    built = build_article_deck(name, data)
    if title:
        built.title = title
    return create_from_domain(owner, built)
