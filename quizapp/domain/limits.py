"""How big a deck may be: the one place that sets the caps every way into the database obeys.

``quizapp import`` and ``quizapp validate`` (deck files), the web upload, the editor and the
deck builder all read these numbers, so a deck that one path accepts no other path refuses, and
nothing can put a deck into the database that would make a page or a publish unbounded.
Column sizes (``decks.title``, ``decks.source_file``) are mirrored here so a long value is a
located problem in the file, never a database error.
"""

from __future__ import annotations

#: Largest deck file, in bytes (CLI and web upload alike).
MAX_DECK_FILE_BYTES = 5 * 1024 * 1024
#: Questions in one deck (file, upload, editor, builder).
MAX_QUESTIONS = 500
#: ``decks.title`` is VARCHAR(200).
MAX_TITLE_CHARS = 200
MAX_DESCRIPTION_CHARS = 2_000
#: ``decks.source_file`` is VARCHAR(255); ``decks.source_sha256`` VARCHAR(64).
MAX_SOURCE_FILE_CHARS = 255
MAX_SHA256_CHARS = 64
#: Any one text of a question: prompt, front, back, a choice, a step, explanation, quote.
MAX_TEXT_CHARS = 5_000
#: Items of any one list in a question (choices, steps, tags, correct).
MAX_LIST_ITEMS = 50
#: One tag.
MAX_TAG_CHARS = 100
#: Nesting of a deck file; a real one is four levels deep (deck, questions, question, list).
MAX_DEPTH = 8
