"""Turning question rows into what templates render: the learner's view and the revealed answer."""

from __future__ import annotations

import random
from typing import Any

from quizapp.domain.questions import get_type
from quizapp.domain.questions.cloze import deletions, segments
from quizapp.models import Question


def question_view(question: Question) -> dict[str, Any]:
    """A whole question as a preview: every cloze deletion blanked, choices in a stable shuffle."""
    qtype = get_type(question.type)
    fields = question.fields
    view: dict[str, Any] = {"label": qtype.label}
    if question.type == "cloze":
        view["parts"] = segments(fields["text"], None)
        view["answer"] = [answer for _, answer, _ in deletions(fields["text"])]
    else:
        view["shown"] = qtype.present(fields, 1, random.Random(question.key))
        view["answer"] = qtype.reveal(fields, 1)
    return view
