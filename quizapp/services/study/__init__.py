"""Studying a deck: the learner's queue, answering, rating, undo and the scheduling settings.

One module per job, and this package re-exports the names callers use (``study.next_card``):

- :mod:`.settings`: the deck's and the learner's scheduling settings, and what applies.
- :mod:`.cards`: one card with the learner's state, and what the learner is shown of it.
- :mod:`.queue`: what is due, how much, and which card comes next; :mod:`.focus` the cards a
  learner chose to "study now", which the queue offers first.
- :mod:`.ratings`: the rating buttons and the intervals they lead to.
- :mod:`.reveal`: turning a self-rated card over.
- :mod:`.answers`: grading, scheduling and logging an answer; changing a right answer's rating.
- :mod:`.hot_path`: an answer with the next card in one transaction, and the due queue's first
  card in one statement (what a learner answering card after card costs).
- :mod:`.undo`: taking back the latest answer.

Every answer is graded here, on the server, and scheduled by :mod:`quizapp.domain.scheduling`.
An auto-graded answer is recorded at once (wrong: Again, right: Good); the learner may then change
a right answer's rating to Hard or Easy, which recomputes that review from the state stored with
it. A self-rated card (basic, revealed cloze) is recorded when the learner rates it.

Correctness under concurrent use:

- Idempotency: each answer carries a client-made key, unique per learner in ``reviews``; a replay
  returns the first outcome and records nothing.
- Two tabs on one card: the card's state row has a version (``version_id_col``); the page sends
  the version it showed, and an answer to a card whose state changed since gets :class:`Conflict`.
  Two answers at the same instant collide on the row (or on its unique key for a new card) and
  the loser gets :class:`Conflict` too.
- The queue query walks the ``(user_id, deck_id, due)`` index with a LIMIT: its cost follows the
  number of due cards, never the learner's history.

Days are UTC days (the new-card allowance resets at 00:00 UTC).
"""

from __future__ import annotations

from quizapp.domain.scheduling import Settings

from ..errors import Conflict, NotFound
from ..errors import Invalid as BadAnswer
from ..errors import ServiceError as StudyError
from . import focus
from .answers import (
    MAX_ANSWER_BYTES,
    MAX_KEY_LENGTH,
    AnswerResult,
    adjust_rating,
    get_review,
    is_latest,
    review_result,
    submit_answer,
)
from .cards import ALREADY_ANSWERED, StudyCard, get_card, present, schedule_of
from .hot_path import AnswerStep, first_due
from .hot_path import answer as answer_with_next
from .queue import (
    LEARN_AHEAD,
    QueueCounts,
    _states,
    deck_summaries,
    learner_day,
    new_introduced_today,
    next_card,
    queue_counts,
)
from .ratings import RatingOption, day_load
from .reveal import Reveal, reveal
from .settings import (
    SettingsView,
    effective_settings,
    set_deck_settings,
    set_own_settings,
    settings_view,
)
from .undo import UNDO_WINDOW, Undone, last_undoable, undo_last

__all__ = [
    "ALREADY_ANSWERED",
    "LEARN_AHEAD",
    "MAX_ANSWER_BYTES",
    "MAX_KEY_LENGTH",
    "UNDO_WINDOW",
    "AnswerResult",
    "AnswerStep",
    "BadAnswer",
    "Conflict",
    "NotFound",
    "QueueCounts",
    "RatingOption",
    "Reveal",
    "Settings",
    "SettingsView",
    "StudyCard",
    "StudyError",
    "Undone",
    "_states",
    "adjust_rating",
    "answer_with_next",
    "day_load",
    "deck_summaries",
    "effective_settings",
    "first_due",
    "focus",
    "get_card",
    "get_review",
    "is_latest",
    "last_undoable",
    "learner_day",
    "new_introduced_today",
    "next_card",
    "present",
    "queue_counts",
    "reveal",
    "review_result",
    "schedule_of",
    "set_deck_settings",
    "set_own_settings",
    "settings_view",
    "submit_answer",
    "undo_last",
]
