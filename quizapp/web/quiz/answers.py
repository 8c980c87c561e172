"""A learner's answers read from a posted quiz page: one reader for the one-question page, the
all-questions page and autosave."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from quizapp.domain.numbers import parse_count
from quizapp.domain.questions import AnswerShapeError
from quizapp.services import quiz as service


def response_from_form(item: service.ItemView, form: MultiDict) -> tuple[bool, Any]:
    """``(on_form, response)``: the answer to ``item`` in ``form`` (``None``: left blank).

    Each item on a page posts a ``i<index>-shown`` marker, so an item that is not on the page
    keeps its saved answer while an item whose boxes were all unticked loses it.
    """
    p = f"i{item.index}-"
    if p + "shown" not in form:
        return False, None
    if item.kind == "true_false":
        value = form.get(p + "answer")
        if value is None:
            return True, None
        if value not in ("true", "false"):
            raise AnswerShapeError("choose True or False")
        return True, {"answer": value == "true"}
    if item.kind in ("multiple_choice", "basic_choice"):
        return True, {"choices": form.getlist(p + "choice")}
    if item.kind == "ordering":
        positions = {}
        for step in item.shown["steps"]:
            position = parse_count(form.get(p + "pos-" + step["id"], ""),
                                   most=len(item.shown["steps"]), least=1)
            if position is None:
                raise AnswerShapeError(f"give every step a position, 1 to "
                                       f"{len(item.shown['steps'])}")
            positions[step["id"]] = position
        if sorted(positions.values()) != list(range(1, len(positions) + 1)):
            raise AnswerShapeError(f"give each step a different position, 1 to {len(positions)}")
        return True, {"order": sorted(positions, key=positions.__getitem__)}
    if item.kind == "cloze":
        return True, {"text": form.getlist(p + "blank")}
    if item.kind == "basic_typed":
        return True, {"text": form.get(p + "text", "")}
    return False, None


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
