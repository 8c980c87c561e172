"""The working copy (draft) of a deck: new decks and their slugs, reading the copy, editing
its questions and details, and deck files uploaded into it or downloaded from it."""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from quizapp.domain import deck as domain
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
from quizapp.models import Deck, Question, User, Visibility
from quizapp.services import decks as deck_service
from quizapp.services.decks import to_domain
from quizapp.services.errors import NotFound, ServiceError


class DraftError(ServiceError, ValueError):
    """An authoring request that cannot be carried out.

    ``problems`` lists every ``file:line:`` problem of a deck (file); ``fields`` the problems of
    one question, each naming its field.
    """

    def __init__(
        self,
        message: str,
        problems: list[FileProblem] | None = None,
        fields: list[Problem] | None = None,
    ):
        super().__init__(message, problems=[*(problems or []), *(fields or [])])
        self.problems: list[FileProblem] = problems or []
        self.fields = fields or []


def slugify(title: str) -> str:
    """A deck id from a title: ASCII lower-case words joined by dashes (``deck`` when empty)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return slug or "deck"


def unique_slug(title: str) -> str:
    """:func:`slugify` of ``title``, with ``-2``, ``-3``… added when a deck already uses it."""
    base = slugify(title)
    taken = set(
        db.session.scalars(
            sa.select(Deck.slug).where(sa.or_(Deck.slug == base, Deck.slug.like(f"{base}-%")))
        )
    )
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
        row = Deck(
            slug=chosen,
            title=title,
            description=str(draft.get("description") or ""),
            owner_id=owner.id,
            visibility=Visibility.PRIVATE,
            draft=draft,
            source_file=(draft.get("source") or {}).get("file", "")[:255],
            source_sha256=(draft.get("source") or {}).get("sha256", "")[:64],
        )
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
    return create_deck(
        owner, {"title": title.strip(), "description": description.strip(), "questions": []}
    )


def create_from_domain(owner: User, deck: domain.Deck) -> Deck:
    """A new deck whose draft is ``deck`` (e.g. the deck builder's output), under a fresh slug."""
    return create_deck(owner, deck.to_dict())


def owned_decks(user: User) -> list[Deck]:
    return list(
        db.session.scalars(
            sa.select(Deck).where(Deck.owner_id == user.id).order_by(Deck.updated_at.desc())
        )
    )


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
        parsed = (
            domain.Question.from_dict(raw)
            if isinstance(raw, dict) and "id" in raw and ("type" in raw)
            else None
        )
        if parsed is None:
            continue
        out.append(
            DraftQuestion(
                key=parsed.id,
                type=parsed.type,
                fields=parsed.fields,
                explanation=parsed.explanation,
                origin_section=parsed.origin.section,
                origin_quote=parsed.origin.quote,
                tags=parsed.tags,
                problems=[p.message for p in question_problems(raw)],
            )
        )
    valid = [q for q in out if not q.problems]
    found = lint_deck(
        domain.Question(id=q.key, type=q.type, fields=q.fields, explanation=q.explanation)
        for q in valid
    )
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
        raise DraftError(
            f"The description is {len(description.strip())} characters long; at "
            f"most {MAX_DESCRIPTION_CHARS}."
        )
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
        raise DraftError(
            "A published deck cannot be deleted: learners' progress depends on it. "
            "Make it private instead."
        )
    db.session.delete(deck)
    db.session.commit()


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
        raise DraftError(
            f"This file is the deck “{uploaded.id}”, not “{deck.slug}”: change its "
            f"'id' to {deck.slug} or upload it as a new deck."
        )
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
        raise DraftError(
            f"Another deck already has the id “{uploaded.id}”: change the file's "
            "'id' to upload it as your own deck."
        )
    replace_draft(existing, uploaded)
    return existing, False
