"""Quiz pages: start a quiz, take it (one question per page or all on one), submit, see the result
and the history, and the quiz of a class assignment (its learners' page and its instructor's).

Every page works without JavaScript: answers travel in ordinary forms and are saved on every
move between questions. ``static/quiz.js`` adds autosave, a live countdown and up/down buttons
for ordering questions.

One blueprint, ``quiz``, in modules of one job each:

- :mod:`.forms`: the start form and an assignment's quiz settings form.
- :mod:`.answers`: a learner's answers read from a posted page (one reader for every page).
- :mod:`.display`: the template globals and filters the quiz templates use.
- :mod:`.taking`: starting, taking (the one handling of a posted page), submitting, results.
- :mod:`.assignments`: the quizzes of class assignments, for members and their instructor.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

from . import assignments, display, taking  # noqa: E402,F401  (routes register on bp)
from .answers import response_from_form  # noqa: E402

__all__ = ["bp", "response_from_form"]
