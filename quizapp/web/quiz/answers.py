"""A learner's answers read from a posted quiz page: one reader for the one-question page, the
all-questions page and autosave."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from quizapp.domain.questions import AnswerShapeError, type_for_quiz_kind
from quizapp.services import quiz as service


def response_from_form(item: service.ItemView, form: MultiDict) -> tuple[bool, Any]:
    """``(on_form, response)``: the answer to ``item`` in ``form`` (``None``: left blank).

    Each item on a page posts a ``i<index>-shown`` marker, so an item that is not on the page
    keeps its saved answer while an item whose boxes were all unticked loses it.
    """
    p = f"i{item.index}-"
    if p + "shown" not in form:
        return False, None
    return True, type_for_quiz_kind(item.kind).quiz_response(item.kind, item.shown, form, p)


def answers_from_form(view: service.AttemptView, form: MultiDict) -> dict[str, Any]:
    """Every answer on the posted page; :class:`service.Invalid` names the question."""
    answers = {}
    for item in view.items:
        try:
            on_form, response = response_from_form(item, form)
        except AnswerShapeError as exc:
            raise service.Invalid(f"Question {item.number}: {exc}.") from None
        if on_form:
            answers[str(item.index)] = response
    return answers


def posted_answers(view: service.AttemptView, posted: MultiDict | None) -> dict[int, Any]:
    """What the learner had filled in when a page comes back with an error (best effort)."""
    if posted is None:
        return {}
    out = {}
    for item in view.items:
        try:
            on_form, response = response_from_form(item, posted)
        except AnswerShapeError:
            continue
        if on_form:
            out[item.index] = response
    return out
