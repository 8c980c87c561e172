"""What a question type says about itself in Anki: its note type, and its field values as HTML.

A type declares an :class:`AnkiNote` (ids generated once, never to change: ``docs/anki.md``) and
writes its fields with :func:`anki_text` / :func:`anki_nonempty`; :mod:`quizapp.domain.anki` turns
the declaration into a genanki model and writes the package. Nothing here imports genanki.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

#: Letters that label shuffled choices and steps on a card.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class AnkiNote:
    """One question type's Anki note type.

    ``fields`` are ``(name, id)`` in order, the type's own fields first, then Explanation and
    Source; ``template`` is the card template's ``(name, id)``; ``kind`` heads both sides, and
    ``front`` / ``back`` are the type's own part of each side in Anki's template language (the
    back's explanation and source are added by the Anki writer).
    """

    model_id: int
    name: str
    version: int
    fields: tuple[tuple[str, int], ...]
    template: tuple[str, int]
    kind: str
    front: str
    back: str
    cloze: bool = False


def anki_text(value: object) -> str:
    """Plain text as safe HTML: escaped, with line breaks kept."""
    out = html.escape(str(value), quote=False)
    if "\n" in out:
        out = out.replace("\r\n", "\n").replace("\n", "<br>")
    return out


def anki_nonempty(value: object) -> str:
    """Non-empty text as safe HTML; ValueError for anything else."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("empty text")
    return anki_text(value)
