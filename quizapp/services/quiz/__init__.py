"""Quiz attempts in the database: starting, saving answers, submitting, results and history, and
the quiz settings and results of class assignments.

One module per job, and this package re-exports the names callers use (``quiz.submit``):

- :mod:`.start`: drawing a new attempt on chosen decks, or a retake of the questions missed.
- :mod:`.attempts`: one's own attempt, saving answers, submitting once, closing attempts that
  ran out, and the visibility check every path to a quiz's questions asks.
- :mod:`.views`: an attempt's items as presented, scores and deck titles.
- :mod:`.history`: past and unfinished attempts, and quiz outcomes for statistics.
- :mod:`.assignments`: the quizzes of class assignments, their settings and results.

Every function takes plain arguments (the user, ids, ``now``) and owns its transaction. The rules
themselves (drawing, grading, scoring, time) are :mod:`quizapp.domain.quiz`'s.

Errors are :class:`QuizServiceError` subclasses carrying an HTTP status and a message written for
the learner, so the web pages and the JSON API answer the same 4xx for the same mistake.
Quiz answers are kept in ``quiz_attempts`` only: they never touch card states (FSRS schedules);
see docs/quizzes.md for why.
"""

from __future__ import annotations

from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..errors import ServiceError as QuizServiceError
from .assignments import (
    AssignmentQuiz,
    MemberResults,
    assigned_quizzes,
    assignment_quiz,
    assignment_results,
    attempt_for_reviewer,
    can_manage,
    class_quizzes,
    has_quiz,
    managed_assignment,
    set_assignment_quiz,
    start_assignment_quiz,
)
from .attempts import (
    MAX_ANSWER_CHARS,
    Submitted,
    TimeUp,
    get_attempt,
    require_visible,
    save_answers,
    submit,
)
from .history import HistoryGroup, history, item_outcomes, unfinished
from .start import retake_missed, start_quiz
from .views import (
    AttemptView,
    ItemView,
    attempt_decks,
    attempt_learner,
    attempt_view,
    deck_titles,
    ended_message,
    percent,
    time_taken_s,
)

__all__ = [
    "MAX_ANSWER_CHARS",
    "AssignmentQuiz",
    "AttemptView",
    "Conflict",
    "Forbidden",
    "HistoryGroup",
    "Invalid",
    "ItemView",
    "MemberResults",
    "NotFound",
    "QuizServiceError",
    "Submitted",
    "TimeUp",
    "assigned_quizzes",
    "assignment_quiz",
    "assignment_results",
    "attempt_decks",
    "attempt_for_reviewer",
    "attempt_learner",
    "attempt_view",
    "can_manage",
    "class_quizzes",
    "deck_titles",
    "ended_message",
    "get_attempt",
    "has_quiz",
    "history",
    "item_outcomes",
    "managed_assignment",
    "percent",
    "require_visible",
    "retake_missed",
    "save_answers",
    "set_assignment_quiz",
    "start_assignment_quiz",
    "start_quiz",
    "submit",
    "time_taken_s",
    "unfinished",
]
