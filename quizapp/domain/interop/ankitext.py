"""CSV and TSV files in Anki's text-import layout, written and read.

Written files start with Anki's headers, so *File → Import* in Anki needs no settings:

    #separator:tab
    #html:true
    #notetype column:1
    #guid column:2
    #deck column:3
    #tags column:4
    #columns:Notetype	GUID	Deck	Tags	Front	Back	quizapp

Every row is one note of Anki's stock ``Basic`` or ``Cloze`` note type (present in every
collection), with the GUID the ``.apkg`` export gives the same question, so importing a newer file
updates the notes of the older one. The last column, ``quizapp``, holds the question as deck-file
JSON: Anki ignores it (a note type takes only its own fields), and quizapp reads it back without
loss. The notetype column comes first because a line starting with ``#`` is a comment to Anki, and
a GUID may start with one.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence

from quizapp.domain.anki.notes import note_guid, tag
from quizapp.domain.anki.package import deck_name
from quizapp.domain.deck import Deck, Question
from quizapp.domain.questions.cloze import DELETION
from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import InteropError, Skipped, check_decks, portable_questions, to_html

SEPARATORS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe", ":": "colon", " ": "space"}
COLUMNS = ("Notetype", "GUID", "Deck", "Tags", "Front", "Back", "quizapp")
BASIC, CLOZE = "Basic", "Cloze"


def write_text(decks: Sequence[Deck], *, separator: str = "\t") -> tuple[bytes, list[Skipped]]:
    """The decks as one Anki text file (UTF-8, ``\\n`` line ends); nothing is left out."""
    check_decks(decks)
    out = io.StringIO()
    for line in (
        f"#separator:{SEPARATORS[separator]}",
        "#html:true",
        "#notetype column:1",
        "#guid column:2",
        "#deck column:3",
        "#tags column:4",
        "#columns:" + separator.join(COLUMNS),
    ):
        out.write(line + "\n")
    writer = csv.writer(out, delimiter=separator, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    names: list[str] = []
    for deck in decks:
        name = deck_name(deck.title or deck.id)
        if name in names:  # Two decks with one title would merge into one Anki deck.
            name = deck_name(f"{deck.title} ({deck.id})")
        names.append(name)
        for question, item in portable_questions(deck):
            guid = note_guid(deck.id, question)
            notetype, front, back = _note(item, question, guid)
            writer.writerow([notetype, guid, name, " ".join(_tags(deck, question)), front, back,
                             json.dumps(question.to_dict(), ensure_ascii=False,
                                        separators=(",", ":"))])
    return out.getvalue().encode("utf-8"), []


def _tags(deck: Deck, question: Question) -> list[str]:
    """The tags the ``.apkg`` export gives the note: deck, section, then the question's own."""
    tags = [f"quizapp::{tag(deck.id)}", f"section::{tag(question.origin.section)}"]
    return tags + [t for t in dict.fromkeys(tag(t) for t in question.tags) if t and t not in tags]


def _list(items: Sequence[str], ordered: str = "A") -> str:
    return f'<ol type="{ordered}">' + "".join(f"<li>{to_html(i)}</li>" for i in items) + "</ol>"


def _shuffled(options: Sequence[str], guid: str) -> list[int]:
    """A fixed shuffle per note (seeded by its GUID), never the right order for a sequence."""
    order = list(range(len(options)))
    rng = random.Random(guid)
    for _ in range(10):
        rng.shuffle(order)
        if order != sorted(order):
            break
    return order


def cloze_html(text: str) -> str:
    """A cloze text as HTML: escaped inside and outside the ``{{cN::...}}`` markers."""
    out, last = [], 0
    for m in DELETION.finditer(text):
        hint = f"::{to_html(m[3])}" if m[3] is not None else ""
        out.append(f"{to_html(text[last:m.start()])}{{{{c{m[1]}::{to_html(m[2])}{hint}}}}}")
        last = m.end()
    out.append(to_html(text[last:]))
    return "".join(out)


def _note(item: Portable, question: Question, guid: str) -> tuple[str, str, str]:
    """Notetype, front (or cloze text) and back (or back extra) of one note."""
    extra = f"<br><br>{to_html(question.explanation)}" if question.explanation else ""
    if item.kind == GAPS:
        return CLOZE, cloze_html(item.prompt), to_html(question.explanation)
    if item.kind == TRUE_FALSE:
        front = f"{to_html(item.prompt)}<br><br>True or false?"
        return BASIC, front, ("True" if item.truth else "False") + extra
    if item.kind == CHOICE:
        order = _shuffled(item.options, guid)
        hint = "Select all that apply." if item.multiple else "Select one."
        front = f"{to_html(item.prompt)}{_list([item.options[i] for i in order])}{hint}"
        return BASIC, front, _list([item.options[i] for i in item.correct], "1") + extra
    if item.kind == SEQUENCE:
        order = _shuffled(item.options, guid)
        front = f"{to_html(item.prompt)}{_list([item.options[i] for i in order])}"
        return BASIC, front, _list(item.options, "1") + extra
    if item.kind == RECALL:
        return BASIC, to_html(item.prompt), to_html(item.answer) + extra
    raise InteropError(f"question {question.id!r}: unknown portable kind {item.kind!r}")
