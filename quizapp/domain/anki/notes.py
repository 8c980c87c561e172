"""One quizapp question as one Anki note: its GUID, field values, tags and card count.

Everything typed by an author is plain text, so every value is HTML-escaped here (``&``, ``<`` and
``>``; line breaks become ``<br>``) and the only markup in a field is the markup written below.
Choices and steps are shuffled with a generator seeded from the note's GUID, so the same question
always shows the same order and a re-export changes nothing the learner has already seen.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import genanki

from quizapp.domain.deck import Question
from quizapp.domain.questions import QUESTION_TYPES, get_type
from quizapp.domain.questions.ankihtml import LETTERS, anki_text

from .models import NOTE_TYPES, NoteType

__all__ = ["LETTERS", "ExportError", "NoteData", "build_note", "note_guid", "tag", "text"]


class ExportError(ValueError):
    """A question cannot be written to Anki; the message names the deck, question and field."""


@dataclass(slots=True)
class NoteData:
    """What the package writer needs to know about one note."""

    guid: str
    note_type: NoteType
    fields: list[str]
    tags: list[str]
    ordinals: list[int]


#: Question ids that carry an Anki GUID: the prefix, then the GUID's UTF-8 bytes in hex.
GUID_ID_PREFIX = "ankiguid-"


def guid_question_id(guid: str) -> str | None:
    """The question id for a note imported from Anki: its GUID, readable back (or None if long).

    An imported question keeps its note's GUID this way (no extra column), so exporting it back
    to Anki updates the learner's own note rather than adding a copy.
    """
    encoded = GUID_ID_PREFIX + guid.encode("utf-8").hex()
    return encoded if guid and len(encoded) <= 120 else None


def question_guid(question_id: str) -> str | None:
    """The GUID a question id made by :func:`guid_question_id` carries; None for other ids."""
    if not question_id.startswith(GUID_ID_PREFIX):
        return None
    try:
        return bytes.fromhex(question_id.removeprefix(GUID_ID_PREFIX)).decode("utf-8") or None
    except ValueError:
        return None


def note_guid(deck_id: str, question: Question) -> str:
    """The note's GUID: the same deck, question id and type always give the same note.

    A question imported from Anki keeps the GUID of the note it came from.
    """
    return question_guid(question.id) or genanki.guid_for(deck_id, question.id, question.type)


def text(value: object) -> str:
    """Plain text as safe HTML: escaped, with line breaks kept."""
    return anki_text(value)


@functools.lru_cache(maxsize=4096)
def tag(value: str) -> str:
    """A tag Anki accepts: runs of whitespace become one ``_`` (genanki raises on spaces)."""
    return "_".join(value.split())


def build_note(deck_id: str, question: Question) -> NoteData:
    """The note for ``question``; raises :class:`ExportError` when it is not a valid question.

    Questions normally arrive validated (deck import and the editor check them), so the full
    check runs only when laying out the fields fails; what Anki itself needs is checked always.
    """
    qtype = QUESTION_TYPES.get(question.type)
    if qtype is None or qtype.anki_note is None:
        raise ExportError(
            f"deck {deck_id!r}, question {question.id!r}: no Anki note type for "
            f"question type {question.type!r} (known: {', '.join(NOTE_TYPES)})"
        )
    guid = note_guid(deck_id, question)
    try:
        own, ordinals = qtype.anki_fields(question.fields, guid)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise _invalid(deck_id, question, exc) from None
    if not ordinals or ordinals[0] < 1:
        raise _invalid(deck_id, question, None)
    tags = [f"quizapp::{tag(deck_id)}", f"section::{tag(question.origin.section)}"]
    if question.tags:
        tags += [t for t in dict.fromkeys(tag(t) for t in question.tags) if t and t not in tags]
    return NoteData(
        guid=guid,
        note_type=NOTE_TYPES[question.type],
        fields=[*own, text(question.explanation), text(question.origin.quote)],
        tags=tags,
        ordinals=ordinals,
    )


def _invalid(deck_id: str, question: Question, cause: Exception | None) -> ExportError:
    """The error for a question that cannot become a note, naming the field when possible."""
    where = f"deck {deck_id!r}, question {question.id!r}"
    problems = get_type(question.type).problems(question.fields)
    if problems:
        return ExportError(f"{where}, field {problems[0].field!r}: {problems[0].message}")
    return ExportError(f"{where}: cannot be exported ({cause!r})")
