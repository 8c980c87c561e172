"""One quizapp question as one Anki note: its GUID, field values, tags and card count.

Everything typed by an author is plain text, so every value is HTML-escaped here (``&``, ``<`` and
``>``; line breaks become ``<br>``) and the only markup in a field is the markup written below.
Choices and steps are shuffled with a generator seeded from the note's GUID, so the same question
always shows the same order and a re-export changes nothing the learner has already seen.
"""

from __future__ import annotations

import functools
import html
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import genanki

from quizapp.domain.deck import Question
from quizapp.domain.questions import get_type
from quizapp.domain.questions.cloze import DELETION

from .models import NOTE_TYPES, NoteType

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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
    out = html.escape(str(value), quote=False)
    if "\n" in out:
        out = out.replace("\r\n", "\n").replace("\n", "<br>")
    return out


@functools.lru_cache(maxsize=4096)
def tag(value: str) -> str:
    """A tag Anki accepts: runs of whitespace become one ``_`` (genanki raises on spaces)."""
    return "_".join(value.split())


def build_note(deck_id: str, question: Question) -> NoteData:
    """The note for ``question``; raises :class:`ExportError` when it is not a valid question.

    Questions normally arrive validated (deck import and the editor check them), so the full
    check runs only when laying out the fields fails; what Anki itself needs is checked always.
    """
    builder = _FIELDS.get(question.type)
    if builder is None:
        raise ExportError(
            f"deck {deck_id!r}, question {question.id!r}: no Anki note type for "
            f"question type {question.type!r} (known: {', '.join(_FIELDS)})"
        )
    guid = note_guid(deck_id, question)
    try:
        own, ordinals = builder(question.fields, guid)
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


def _nonempty(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("empty text")
    return text(value)


def _basic(fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
    return [_nonempty(fields["front"]), _nonempty(fields["back"])], [1]


def _cloze(fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
    """Escape the text outside and inside the deletions, keeping the ``{{cN::...}}`` markers."""
    source = fields["text"]
    out: list[str] = []
    numbers: set[int] = set()
    last = 0
    for match in DELETION.finditer(source):
        number, answer, hint = int(match[1]), match[2], match[3]
        between = source[last : match.start()]
        if not answer.strip() or "{{" in between or "}}" in between:
            raise ValueError("empty deletion or unbalanced braces")
        numbers.add(number)
        hint_part = f"::{text(hint)}" if hint is not None else ""
        out.append(f"{text(between)}{{{{c{number}::{text(answer)}{hint_part}}}}}")
        last = match.end()
    rest = source[last:]
    if "{{" in rest or "}}" in rest:
        raise ValueError("unbalanced braces")
    out.append(text(rest))
    return ["".join(out)], sorted(numbers)


def _true_false(fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
    answer = fields["answer"]
    if not isinstance(answer, bool):
        raise TypeError("answer is not a boolean")
    return [_nonempty(fields["statement"]), "True" if answer else "False"], [1]


def _multiple_choice(fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
    choices = list(enumerate(fields["choices"]))
    correct = set(fields["correct"])
    if len(choices) < 2 or not correct or not correct <= set(range(len(choices))):
        raise ValueError("choices or correct indices out of shape")
    random.Random(guid).shuffle(choices)
    hint = "Select all that apply." if fields.get("multiple") or len(correct) > 1 else "Select one."
    front = "".join(f"<li>{_nonempty(c)}</li>" for _, c in choices)
    back = "".join(
        f'<li class="qa-correct">{text(c)} ✓</li>'
        if i in correct
        else f'<li class="qa-wrong">{text(c)}</li>'
        for i, c in choices
    )
    return [
        _nonempty(fields["prompt"]),
        f'<ol class="qa-choices" type="A">{front}</ol><div class="qa-hint">{hint}</div>',
        f'<ol class="qa-choices" type="A">{back}</ol>',
    ], [1]


def _ordering(fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
    steps = [_nonempty(s) for s in fields["steps"]]
    if len(steps) < 2:
        raise ValueError("too few steps")
    order = list(range(len(steps)))
    rng = random.Random(guid)
    # A shuffle that leaves the steps in order would give the answer away; rotate as a last resort.
    for _ in range(10):
        rng.shuffle(order)
        if order != sorted(order):
            break
    else:
        order = order[1:] + order[:1]
    letter = {step: LETTERS[pos] for pos, step in enumerate(order)}
    front = "".join(f"<li>{steps[i]}</li>" for i in order)
    back = "".join(
        f'<li>{s} <span class="qa-letter">({letter[i]})</span></li>' for i, s in enumerate(steps)
    )
    return [
        _nonempty(fields["prompt"]),
        f'<ol class="qa-steps" type="A">{front}</ol>',
        f'<ol class="qa-order">{back}</ol>',
    ], [1]


#: How each question type's own fields become the note type's leading fields (the rest are
#: Explanation and Source), and which cards the note yields.
_FIELDS: dict[str, Callable[[dict[str, Any], str], tuple[list[str], list[int]]]] = {
    "basic": _basic,
    "cloze": _cloze,
    "true_false": _true_false,
    "multiple_choice": _multiple_choice,
    "ordering": _ordering,
}
