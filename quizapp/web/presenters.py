"""Turning question rows into what templates render: the learner's view and the revealed answer."""

from __future__ import annotations

from typing import Any

from flask import current_app

from quizapp.domain.questions import get_type, presentation_rng
from quizapp.models import Question


def question_view(question: Question) -> dict[str, Any]:
    """A whole question as a preview: every cloze deletion blanked, choices in a stable shuffle.

    The shuffle is keyed with the app's secret: the question's key and id alone would let anyone
    recompute it and so recover the original order (the answer of an ordering question).
    """
    qtype = get_type(question.type)
    fields = question.fields
    rng = presentation_rng(current_app.config["SECRET_KEY"], "preview", question.key)
    return {"label": qtype.label, **qtype.preview(fields, rng)}
