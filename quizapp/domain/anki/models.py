"""The Anki note types: one per question type, with fixed ids, fields and templates.

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

from dataclasses import dataclass

import genanki

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


BASIC_FRONT, BASIC_BACK = _card(
    "Recall",
    '<div class="qa-prompt">{{Front}}</div>',
    '<div class="qa-prompt">{{Front}}</div><hr id="answer"><div class="qa-answer">{{Back}}</div>',
)
CLOZE_FRONT, CLOZE_BACK = _card(
    "Fill in the blank",
    '<div class="qa-text">{{cloze:Text}}</div>',
    '<div class="qa-text">{{cloze:Text}}</div><hr id="answer">',
)
TRUE_FALSE_FRONT, TRUE_FALSE_BACK = _card(
    "True or false?",
    '<div class="qa-prompt">{{Statement}}</div>',
    '<div class="qa-prompt">{{Statement}}</div><hr id="answer">'
    '<div class="qa-verdict qa-verdict-{{Answer}}">{{Answer}}</div>',
)
MULTIPLE_CHOICE_FRONT, MULTIPLE_CHOICE_BACK = _card(
    "Multiple choice",
    '<div class="qa-prompt">{{Prompt}}</div>{{Choices}}',
    '<div class="qa-prompt">{{Prompt}}</div><hr id="answer">{{Answer}}',
)
ORDERING_FRONT, ORDERING_BACK = _card(
    "Put in order",
    '<div class="qa-prompt">{{Prompt}}</div>{{Steps}}',
    '<div class="qa-prompt">{{Prompt}}</div><hr id="answer">{{Order}}',
)

NOTE_TYPES: dict[str, NoteType] = {
    nt.question_type: nt
    for nt in (
        NoteType(
            question_type="basic",
            model_id=1727527890,
            name="quizapp Basic",
            version=1,
            fields=(
                Field("Front", 1081466068677984789),
                Field("Back", 760320466258259243),
                Field("Explanation", 3829176609083410419),
                Field("Source", 3870459333071094909),
            ),
            templates=(Template("Card 1", 388641905621755448, BASIC_FRONT, BASIC_BACK),),
        ),
        NoteType(
            question_type="cloze",
            model_id=1539307976,
            name="quizapp Cloze",
            version=1,
            fields=(
                Field("Text", 3962153708295262057),
                Field("Explanation", 3794692171055910651),
                Field("Source", 4321678550947516980),
            ),
            templates=(Template("Cloze", 3677023462074257889, CLOZE_FRONT, CLOZE_BACK),),
            cloze=True,
        ),
        NoteType(
            question_type="true_false",
            model_id=1330798976,
            name="quizapp True/False",
            version=1,
            fields=(
                Field("Statement", 2689488964829137172),
                Field("Answer", 1597180959241005906),
                Field("Explanation", 1988032370319379668),
                Field("Source", 2672384888859231855),
            ),
            templates=(Template("Card 1", 4526440529630544538, TRUE_FALSE_FRONT, TRUE_FALSE_BACK),),
        ),
        NoteType(
            question_type="multiple_choice",
            model_id=1947133828,
            name="quizapp Multiple Choice",
            version=1,
            fields=(
                Field("Prompt", 935728283671057848),
                Field("Choices", 94222668728255832),
                Field("Answer", 3850718857622583053),
                Field("Explanation", 496575487156627034),
                Field("Source", 151161517542466010),
            ),
            templates=(
                Template(
                    "Card 1", 2158708909028401754, MULTIPLE_CHOICE_FRONT, MULTIPLE_CHOICE_BACK
                ),
            ),
        ),
        NoteType(
            question_type="ordering",
            model_id=1641936782,
            name="quizapp Ordering",
            version=1,
            fields=(
                Field("Prompt", 3992163635879825825),
                Field("Steps", 2752689426679540195),
                Field("Order", 1251277107122238404),
                Field("Explanation", 3006858502367211688),
                Field("Source", 1733961405519318711),
            ),
            templates=(Template("Card 1", 2306123418437012399, ORDERING_FRONT, ORDERING_BACK),),
        ),
    )
}


def note_type(question_type: str) -> NoteType:
    """The note type for ``question_type``; KeyError names the types that have one."""
    try:
        return NOTE_TYPES[question_type]
    except KeyError:
        raise KeyError(
            f"no Anki note type for question type {question_type!r} "
            f"(known: {', '.join(NOTE_TYPES)})"
        ) from None
