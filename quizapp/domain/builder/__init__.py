"""The deck builder: articles in, deck files out.

Pure domain code (no Flask, no database). One module per job: :mod:`.generate` runs the
generators per section role (:mod:`.facts` clozes, :mod:`.misconceptions` true/false,
:mod:`.mechanism` ordering and "what happens next", :mod:`.choices` multiple choice,
:mod:`.definitions` basic cards) over words and clauses (:mod:`.terms`, :mod:`.clauses`);
:mod:`.quality` checks and de-duplicates; :mod:`.ids` keeps ids stable; :mod:`.merge` and
:mod:`.yamlio` keep hand edits and write atomically; :mod:`.build` ties it together.
"""

from __future__ import annotations

from .build import (
    BuildReport,
    FileResult,
    build_deck,
    build_decks,
    deck_slug,
    expand_sources,
    no_questions_message,
)

__all__ = [
    "BuildReport",
    "FileResult",
    "build_deck",
    "build_decks",
    "deck_slug",
    "expand_sources",
    "no_questions_message",
]
