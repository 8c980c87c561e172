"""Right and wrong answers to any card, for the study tests (services, web, API, browser)."""

from __future__ import annotations

import itertools
from typing import Any

from quizapp.domain.questions import item_id
from quizapp.domain.questions.cloze import deletions

_keys = itertools.count(1)


def new_key() -> str:
    return f"key-{next(_keys)}"


def right_answer(question_type: str, fields: dict[str, Any], ordinal: int) -> Any:
    if question_type == "cloze":
        answers = [a for n, a, _ in deletions(fields["text"]) if n == ordinal]
        return {"text": answers[0] if len(answers) == 1 else answers}
    if question_type == "true_false":
        return {"answer": fields["answer"]}
    if question_type == "ordering":
        return {"order": [item_id(s) for s in fields["steps"]]}
    if question_type == "multiple_choice":
        return {"choices": [item_id(fields["choices"][i]) for i in fields["correct"]]}
    return {}


def wrong_answer(question_type: str, fields: dict[str, Any], ordinal: int) -> Any:
    if question_type == "cloze":
        return {"text": "certainly not this"}
    if question_type == "true_false":
        return {"answer": not fields["answer"]}
    if question_type == "ordering":
        return {"order": [item_id(s) for s in reversed(fields["steps"])]}
    if question_type == "multiple_choice":
        wrong = [i for i in range(len(fields["choices"])) if i not in fields["correct"]]
        return {"choices": [item_id(fields["choices"][wrong[0]])]}
    return {}
