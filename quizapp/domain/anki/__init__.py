"""Anki export: quizapp decks written as one ``.apkg`` package with genanki.

:func:`write_package` is the entry point. The note types (one per question type) live in
:mod:`.models`, their stylesheet in :mod:`.stylesheet`, the question-to-note mapping in
:mod:`.notes` and the file writing in :mod:`.package`. ``docs/anki.md`` describes the contract
with Anki: field lists, ids, GUIDs and what updates on re-import.
"""

from __future__ import annotations

from .models import NOTE_TYPES, NoteType, note_type
from .notes import ExportError, note_guid
from .package import PackageStats, anki_deck_id, deck_name, next_timestamp, write_package

__all__ = [
    "NOTE_TYPES",
    "ExportError",
    "NoteType",
    "PackageStats",
    "anki_deck_id",
    "deck_name",
    "next_timestamp",
    "note_guid",
    "note_type",
    "write_package",
]
