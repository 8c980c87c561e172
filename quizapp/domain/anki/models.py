"""The Anki note types: one per question type, with fixed ids, fields and templates.

Each question type declares its own (``QuestionType.anki_note`` in its module); this module turns
the declarations into genanki models in the shared layout.

Each note type's field list is a versioned contract (``docs/anki.md``). Anki matches an imported
note type to the one already in a collection by its id, and an existing note to an imported one by
GUID *and* note type, so the ids below were generated once and must never change. Renaming,
reordering, adding or removing a field is a schema change: Anki then forks the note type on import
unless the learner ticks "Merge note types". Change a field list only by bumping ``version`` and
writing down the upgrade in ``docs/anki.md``.

Templates use Anki's own template language only (no JavaScript), so they work on AnkiDroid,
AnkiMobile and old desktop clients alike. Field values are HTML written by :mod:`.notes`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import genanki

from quizapp.domain.questions import QUESTION_TYPES, QuestionType

from .stylesheet import CSS

#: The fields every back side shows after the type's own answer.
EXTRAS = (
    '{{#Explanation}}<div class="qa-explanation">{{Explanation}}</div>{{/Explanation}}'
    '{{#Source}}<blockquote class="qa-source"><span class="qa-label">From the article</span>'
    "{{Source}}</blockquote>{{/Source}}"
)


@dataclass(frozen=True)
class Field:
    name: str
    id: int


@dataclass(frozen=True)
class Template:
    name: str
    id: int
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    """One Anki note type: what a quizapp question type looks like in Anki."""

    question_type: str
    model_id: int
    name: str
    version: int
    fields: tuple[Field, ...]
    templates: tuple[Template, ...]
    cloze: bool = False

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def to_genanki(self) -> genanki.Model:
        """A fresh genanki model (genanki mutates the dicts it is given, so never share them)."""
        return genanki.Model(
            model_id=self.model_id,
            name=self.name,
            fields=[{"name": f.name, "id": f.id} for f in self.fields],
            templates=[
                {"name": t.name, "id": t.id, "qfmt": t.front, "afmt": t.back}
                for t in self.templates
            ],
            css=CSS,
            model_type=genanki.Model.CLOZE if self.cloze else genanki.Model.FRONT_BACK,
            sort_field_index=0,
        )


def _card(kind: str, front: str, back: str) -> tuple[str, str]:
    """Wrap both sides in the shared layout; the back ends with the explanation and the source."""
    head = f'<div class="qa"><div class="qa-kind">{kind}</div>'
    return f"{head}{front}</div>", f"{head}{back}{EXTRAS}</div>"


@functools.cache
def _from_type(qtype: QuestionType) -> NoteType | None:
    """The note type ``qtype`` declares (``QuestionType.anki_note``), in the shared layout."""
    note = qtype.anki_note
    if note is None:
        return None
    front, back = _card(note.kind, note.front, note.back)
    return NoteType(
        question_type=qtype.name,
        model_id=note.model_id,
        name=note.name,
        version=note.version,
        fields=tuple(Field(name, field_id) for name, field_id in note.fields),
        templates=(Template(note.template[0], note.template[1], front, back),),
        cloze=note.cloze,
    )


class _NoteTypes(Mapping[str, NoteType]):
    """Question type name → note type, read from the question-type registry as it is now."""

    def _all(self) -> dict[str, NoteType]:
        found = {name: _from_type(qtype) for name, qtype in QUESTION_TYPES.items()}
        return {name: nt for name, nt in found.items() if nt is not None}

    def __getitem__(self, name: str) -> NoteType:
        found = _from_type(QUESTION_TYPES[name])
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


#: Every question type's note type (each type declares its own: ``QuestionType.anki_note``).
NOTE_TYPES: Mapping[str, NoteType] = _NoteTypes()


def note_type(question_type: str) -> NoteType:
    """The note type for ``question_type``; KeyError names the types that have one."""
    try:
        return NOTE_TYPES[question_type]
    except KeyError:
        raise KeyError(
            f"no Anki note type for question type {question_type!r} "
            f"(known: {', '.join(NOTE_TYPES)})"
        ) from None
