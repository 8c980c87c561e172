"""Moodle XML (``<quiz>``): written here, read in :mod:`.moodle_read`.

Each deck is a ``category`` pseudo-question (its path ends in the deck's title; its ``idnumber`` is
the deck's slug), followed by its questions: ``<name>`` and ``<idnumber>`` are the question's id.
Texts are HTML (``format="html"``) made from quizapp's plain text by escaping, and the XML writer
escapes that HTML once more as element text, so every ``& < > "`` survives both layers.

Kinds: recall → ``shortanswer`` (the back is the accepted answer), gaps → ``cloze`` with one
``{1:SHORTANSWER:=answer}`` per deletion, true/false → ``truefalse``, choice → ``multichoice``
(``single`` false and weighted answers for all that apply), sequence → ``ordering`` (the
qtype_ordering plugin's format, answers in their right order).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from quizapp.domain.deck import Deck, Question
from quizapp.domain.questions.cloze import DELETION
from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import InteropError, Skipped, check_decks, portable_questions, to_html
from .gift import MAX_RIGHT_CHOICES, category, fraction

#: Characters a Moodle cloze answer escapes with a backslash.
CLOZE_SPECIAL = re.compile(r'([\\}#~/"])')


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = value
    return node


def _plain(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def write_moodle_xml(decks: Sequence[Deck]) -> tuple[bytes, list[Skipped]]:
    """The decks as one Moodle XML file (UTF-8) and what could not be written."""
    check_decks(decks)
    quiz = ET.Element("quiz")
    skipped: list[Skipped] = []
    for deck in decks:
        cat = ET.SubElement(quiz, "question", {"type": "category"})
        _text(cat, "category", f"$course$/top/{category(deck.title)}", None)
        _text(cat, "info", to_html(deck.description))
        _plain(cat, "idnumber", deck.id)
        for question, item in portable_questions(deck):
            try:
                quiz.append(_question(question, item))
            except InteropError as exc:
                skipped.append(Skipped(f"{deck.id}/{question.id}", str(exc)))
    ET.indent(quiz)
    body = ET.tostring(quiz, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8"), skipped


def _question(question: Question, item: Portable) -> ET.Element:
    kind = {
        RECALL: "shortanswer",
        GAPS: "cloze",
        TRUE_FALSE: "truefalse",
        CHOICE: "multichoice",
        SEQUENCE: "ordering",
    }.get(item.kind)
    if kind is None:
        raise InteropError(f"no Moodle form for portable kind {item.kind!r}")
    q = ET.Element("question", {"type": kind})
    _text(q, "name", question.id, None)
    prompt = _cloze_text(item.prompt) if item.kind == GAPS else to_html(item.prompt)
    _text(q, "questiontext", prompt)
    _text(q, "generalfeedback", to_html(question.explanation))
    _plain(q, "defaultgrade", "1")
    _plain(q, "penalty", "0.3333333")
    _plain(q, "hidden", "0")
    _plain(q, "idnumber", question.id)
    if item.kind == RECALL:
        _plain(q, "usecase", "0")
        _answer(q, "100", item.answer)
    elif item.kind == TRUE_FALSE:
        _answer(q, "100" if item.truth else "0", "true", "moodle_auto_format")
        _answer(q, "0" if item.truth else "100", "false", "moodle_auto_format")
    elif item.kind == CHOICE:
        _plain(q, "single", "false" if item.multiple else "true")
        _plain(q, "shuffleanswers", "true")
        _plain(q, "answernumbering", "abc")
        right = set(item.correct)
        if item.multiple and len(right) > MAX_RIGHT_CHOICES:
            raise InteropError(f"more than {MAX_RIGHT_CHOICES} right choices")
        share = fraction(len(right)) if item.multiple else "100"
        for i, choice in enumerate(item.options):
            wrong = "-100" if item.multiple else "0"
            _answer(q, share if i in right else wrong, choice)
    elif item.kind == SEQUENCE:
        for key, value in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", "0"),
            ("gradingtype", "ABSOLUTE_POSITION"),
            ("showgrading", "SHOW"),
            ("numberingstyle", "none"),
        ):
            _plain(q, key, value)
        for position, step in enumerate(item.options, 1):
            _answer(q, str(position), step)
    if question.tags:
        tags = ET.SubElement(q, "tags")
        for name in question.tags:
            _text(tags, "tag", name, None)
    return q


def _answer(q: ET.Element, share: str, value: str, fmt: str = "html") -> None:
    node = ET.SubElement(q, "answer", {"fraction": share, "format": fmt})
    ET.SubElement(node, "text").text = to_html(value) if fmt == "html" else value
    _text(node, "feedback", "")


def _cloze_text(text: str) -> str:
    """A cloze as Moodle's embedded answers: each deletion one short-answer gap, in order."""
    out, last = [], 0
    for m in DELETION.finditer(text):
        # Quotes stay unescaped here: an entity's '#' would be taken for a feedback marker.
        answer = CLOZE_SPECIAL.sub(r"\\\1", html.escape(m[2], quote=False))
        out.append(f"{to_html(text[last : m.start()])}{{1:SHORTANSWER:={answer}}}")
        last = m.end()
    out.append(to_html(text[last:]))
    return "".join(out)
