"""Authoring: an instructor's working copy (draft) of a deck, and publishing it.

A deck's ``draft`` column holds the instructor's working copy as a deck-file mapping (the shape of
:meth:`quizapp.domain.deck.Deck.to_dict`). Every edit here changes that copy only, so learners see
nothing until :func:`publish`, which checks the whole copy like a deck file and applies it with
:func:`quizapp.services.decks.import_deck` and its update rules: a wording fix keeps learners'
schedules, a changed answer restarts that card, a deleted question is retired with its history.
A published deck without a draft is edited by first copying its published questions.

One module per job, re-exported here (``drafts.publish_deck``): :mod:`.working` (new decks, the
working copy, editing, deck files), :mod:`.publishing` (publishing, with a class assignment in
the same transaction) and :mod:`.articles` (drafts from articles).
"""

from __future__ import annotations

from .articles import (
    build_article_deck,
    create_from_article,
)
from .publishing import (
    Published,
    check_problems,
    publish,
    publish_deck,
    set_visibility,
)
from .working import (
    DraftError,
    DraftQuestion,
    create_deck,
    create_empty_deck,
    create_from_domain,
    deck_file_text,
    delete_question,
    delete_unpublished,
    discard_changes,
    draft_questions,
    editable_deck,
    find_question,
    get_deck,
    has_changes,
    import_uploaded,
    load_uploaded_deck,
    move_question,
    new_question_key,
    owned_decks,
    question_problems,
    replace_draft,
    save_question,
    slugify,
    unique_slug,
    update_details,
    working_copy,
)

__all__ = [
    "DraftError",
    "DraftQuestion",
    "Published",
    "build_article_deck",
    "check_problems",
    "create_deck",
    "create_empty_deck",
    "create_from_article",
    "create_from_domain",
    "deck_file_text",
    "delete_question",
    "delete_unpublished",
    "discard_changes",
    "draft_questions",
    "editable_deck",
    "find_question",
    "get_deck",
    "has_changes",
    "import_uploaded",
    "load_uploaded_deck",
    "move_question",
    "new_question_key",
    "owned_decks",
    "publish",
    "publish_deck",
    "question_problems",
    "replace_draft",
    "save_question",
    "set_visibility",
    "slugify",
    "unique_slug",
    "update_details",
    "working_copy",
]
