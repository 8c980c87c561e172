"""Automatic defect detectors, one per defect class of the question rubric
(/work/shared/QUESTION-QUALITY.md, summarised in docs/deck-builder.md, "Evaluation").

Each detector reads one :class:`~.views.QuestionView` (and the article's :class:`Context`) and
returns the :class:`Defect` s it finds, each with the grade it costs the question:

- EDIT: a teacher keeps the question after a light fix: a better deletion (``deletion``), a
  pronoun resolved or an opener or attribution trimmed (``not_self_contained``), a heading glued
  to the front of a sentence trimmed (``garbled_frame``), a function word restored or a
  capital fixed (``cut``).
- DROP: wrong, misleading or not worth learning: a hook, question, exclamation, first or second
  person, instruction, plug, caption or byline (``wrong_sentence``); a title or heading pasted
  into a template prompt (``garbled_frame``); a card that drills a myth (``teaches_myth``); an
  order, a "next" step, a distractor or an answer the article does not support
  (``invented_relation``); content words dropped or changed (``cut``); a second question asking
  what an earlier one asks (``duplicate``).

The detectors are deliberately plain (word lists, word frequencies from wordfreq, possible parts
of speech from lemminflect, fuzzy matching from rapidfuzz) so that every verdict can be explained
in one line; their agreement with a teacher's grades is measured and recorded in the docs.

Modules: :mod:`.base` (the defect record and the context), :mod:`.lexicon` (shared word lists,
patterns and word facts), then one module per class: :mod:`.deletion`, :mod:`.context`,
:mod:`.sentence`, :mod:`.frame`, :mod:`.myth`, :mod:`.relation`, :mod:`.cut`, :mod:`.duplicate`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..views import QuestionView
from .base import CLASSES, DROP, EDIT, Context, Defect
from .context import not_self_contained
from .cut import cut
from .deletion import deletion
from .duplicate import duplicates
from .frame import garbled_frame
from .myth import teaches_myth
from .relation import invented_relation, next_consistent, ordering_consistent
from .sentence import wrong_sentence

__all__ = [
    "CLASSES",
    "DETECTORS",
    "DROP",
    "EDIT",
    "Context",
    "Defect",
    "detect",
    "duplicates",
    "grade",
    "next_consistent",
    "ordering_consistent",
]

#: The per-question detectors in rubric order (duplicates need the whole deck: :func:`duplicates`).
DETECTORS: tuple[Callable[[QuestionView, Context], list[Defect]], ...] = (
    deletion,
    not_self_contained,
    wrong_sentence,
    garbled_frame,
    teaches_myth,
    invented_relation,
    cut,
)


def detect(ctx: Context) -> list[list[Defect]]:
    """Every defect of every question of the deck in ``ctx.questions``, in deck order."""
    out = [[d for detector in DETECTORS for d in detector(v, ctx)] for v in ctx.questions]
    for j, defect in duplicates(ctx.questions).items():
        out[j].append(defect)
    return out


def grade(defects: list[Defect]) -> str:
    """KEEP without defects, DROP when any defect costs a drop, EDIT otherwise."""
    if any(d.grade == DROP for d in defects):
        return DROP
    return EDIT if defects else "KEEP"
