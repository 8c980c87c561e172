"""GIFT, Moodle's plain-text question format: written here (read in :mod:`.gift_read`).

One question per paragraph, ``::id::[html]text{answers}``. Every deck starts with a comment naming
its slug and a ``$CATEGORY:`` line, so a file of several decks imports into one category each.
Text is written as escaped HTML (``[html]``), and GIFT's special characters ``~ = # { } :`` and
the backslash are escaped with a backslash in every text.

Kinds (``docs/interop.md`` has the table): recall → short answer, gaps → missing word (one gap per
question: a cloze with several deletion numbers becomes one question per number), true/false →
true/false, choice → multiple choice (all that apply: weighted ``%50%`` answers), sequence →
matching whose right-hand sides are the positions ``1``, ``2``, ...
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from quizapp.domain.deck import Deck, Question
from quizapp.domain.questions.cloze import DELETION, deletions
from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import InteropError, Skipped, check_decks, portable_questions

SPECIAL = re.compile(r"([\\~=#{}:])")

#: Moodle accepts only these grade fractions; ``100 / k`` is one of them for k up to 10.
MAX_RIGHT_CHOICES = 10


def escape(value: str) -> str:
    """Text as GIFT ``[html]`` text: HTML-escaped, line breaks as ``<br>``, specials escaped."""
    out = html.escape(value, quote=False).replace("\r\n", "\n").replace("\n", "<br>")
    return SPECIAL.sub(r"\\\1", out)


def category(title: str) -> str:
    """A category path part: one line, with ``/`` doubled (Moodle reads a single one as nesting)."""
    return " ".join(title.split()).replace("/", "//")


def fraction(right: int) -> str:
    """The share of the grade for each of ``right`` right choices, as Moodle writes it."""
    value = round(100 / right, 5)
    return f"{value:.5f}".rstrip("0").rstrip(".")


def write_gift(decks: Sequence[Deck]) -> tuple[bytes, list[Skipped]]:
    """The decks as one GIFT file (UTF-8) and what could not be written."""
    check_decks(decks)
    parts: list[str] = []
    skipped: list[Skipped] = []
    for deck in decks:
        parts.append(f"// quizapp deck: {deck.id}\n$CATEGORY: $course$/{category(deck.title)}\n")
        for question, item in portable_questions(deck):
            try:
                parts += _questions(question, item)
            except InteropError as exc:
                skipped.append(Skipped(f"{deck.id}/{question.id}", str(exc)))
    return "\n".join(parts).encode("utf-8"), skipped


def _head(qid: str, text: str) -> str:
    return "::" + SPECIAL.sub(r"\\\1", qid) + "::[html]" + text


def _feedback(question: Question) -> str:
    return f"\n####{escape(question.explanation)}" if question.explanation else ""


def _questions(question: Question, item: Portable) -> list[str]:
    fb = _feedback(question)
    head = _head(question.id, escape(item.prompt))
    if item.kind == RECALL:
        return [f"{head}{{\n={escape(item.answer)}{fb}\n}}\n"]
    if item.kind == TRUE_FALSE:
        return [f"{head}{{{'TRUE' if item.truth else 'FALSE'}{fb}}}\n"]
    if item.kind == CHOICE:
        right = set(item.correct)
        if item.multiple:
            if len(right) > MAX_RIGHT_CHOICES:
                raise InteropError(f"more than {MAX_RIGHT_CHOICES} right choices")
            share = fraction(len(right))
            lines = [
                f"~%{share if i in right else '-100'}%{escape(c)}"
                for i, c in enumerate(item.options)
            ]
        else:
            lines = [f"{'=' if i in right else '~'}{escape(c)}" for i, c in enumerate(item.options)]
        return [f"{head}{{\n" + "\n".join(lines) + f"{fb}\n}}\n"]
    if item.kind == SEQUENCE:
        lines = [f"={escape(s)} -> {n}" for n, s in enumerate(item.options, 1)]
        return [f"{head}{{\n" + "\n".join(lines) + f"{fb}\n}}\n"]
    if item.kind == GAPS:
        return _gaps(question, item.prompt, fb)
    raise InteropError(f"no GIFT form for portable kind {item.kind!r}")


def _gaps(question: Question, text: str, fb: str) -> list[str]:
    """One missing-word question per deletion number (GIFT has one gap per question)."""
    numbers = sorted({n for n, _, _ in deletions(text)})
    out = []
    for number in numbers:
        if sum(1 for n, _, _ in deletions(text) if n == number) > 1:
            raise InteropError(f"deletion c{number} appears twice; GIFT has one gap per question")
        parts, last = [], 0
        for m in DELETION.finditer(text):
            parts.append(escape(text[last : m.start()]))
            if int(m[1]) == number:
                parts.append(f"{{={escape(m[2])}{fb}}}")
            else:
                parts.append(escape(m[2]))
            last = m.end()
        parts.append(escape(text[last:]))
        qid = question.id if len(numbers) == 1 else f"{question.id}.c{number}"
        out.append(_head(qid, "".join(parts)) + "\n")
    return out
