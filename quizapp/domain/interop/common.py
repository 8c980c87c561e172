"""What every format shares: the error type, the import report, limits and text conversions.

quizapp's fields are plain text. Formats that carry HTML get it escaped on the way out
(:func:`to_html`); HTML coming in is cleaned by ``nh3`` (a maintained sanitiser) down to its text
(:func:`html_to_text`), so no markup from a file ever reaches a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import nh3

from quizapp.domain.deck import Deck, Question
from quizapp.domain.questions import get_type
from quizapp.domain.questions.portable import Portable

#: The largest file any importer reads (text formats and packages alike).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: The most questions one import may bring.
MAX_QUESTIONS = 20_000
#: The longest single field, in characters.
MAX_FIELD_CHARS = 20_000


class InteropError(ValueError):
    """A file that cannot be exported or imported; the message names the file, line or note."""


@dataclass(frozen=True)
class Skipped:
    """One row, question or note left out of an import, and why (``where`` is file:line or id)."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: skipped: {self.reason}"


@dataclass
class Parsed:
    """What a parser read: decks ready to import, and what it left out."""

    decks: list[Deck] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def portable_questions(deck: Deck) -> Iterator[tuple[Question, Portable]]:
    """Each question of ``deck`` with its portable form; InteropError names a broken one."""
    for question in deck.questions:
        try:
            yield question, get_type(question.type).to_portable(question.fields)
        except (KeyError, TypeError, NotImplementedError) as exc:
            raise InteropError(
                f"deck {deck.id!r}, question {question.id!r}: cannot be exported ({exc})"
            ) from None


def check_decks(decks: Sequence[Deck]) -> None:
    if not decks:
        raise InteropError("nothing to export: no decks given")
    seen: set[str] = set()
    for deck in decks:
        if deck.id in seen:
            raise InteropError(f"deck {deck.id!r} is given twice")
        seen.add(deck.id)


def to_html(value: str) -> str:
    """Plain text as HTML: ``& < >`` (and quotes) escaped, line breaks as ``<br>``."""
    out = html.escape(value, quote=False)
    return out.replace("\r\n", "\n").replace("\n", "<br>")


_BREAKS = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*(p|div|li|h[1-6])\s*>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """The text of an HTML fragment from an untrusted file: tags dropped, entities decoded.

    ``nh3`` removes every tag (and the content of ``script`` and ``style``); line-ending tags
    become line breaks first.
    """
    marked = _BREAKS.sub("\n", value)
    cleaned = nh3.clean(marked, tags=set(), attributes={}, strip_comments=True)
    text = html.unescape(cleaned).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def plain(value: str) -> str:
    """Untrusted plain text: control characters dropped, runs of spaces kept as typed."""
    return "".join(c for c in value if c in "\n\t" or c.isprintable()).strip()
