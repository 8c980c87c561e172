"""Class 8, duplicate: questions that ask what an earlier one asks."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..text import norm
from ..views import QuestionView
from .base import DROP, Defect


def duplicates(views: list[QuestionView]) -> dict[int, Defect]:
    """Questions that ask what an earlier question already asks: the same type and nearly the
    same text (rapidfuzz), two clozes of one quote with a shared answer, two basic cards with
    one front."""
    found: dict[int, Defect] = {}
    keys = [norm(_dup_key(v)) for v in views]
    for j, b in enumerate(views):
        for i in range(j):
            a = views[i]
            if a.type != b.type or i in found:
                continue
            reason = ""
            if keys[i] and keys[j] and fuzz.token_sort_ratio(keys[i], keys[j]) >= 90:
                reason = f"near-duplicate of question {i + 1}"
            elif (
                a.type == "cloze"
                and a.quote
                and a.quote == b.quote
                and {norm(x) for x in a.answers} & {norm(x) for x in b.answers}
            ):
                reason = f"same quote and answer as question {i + 1}"
            elif (
                a.type == "cloze"
                and b.answers
                and {norm(x) for x in b.answers} <= {norm(x) for x in a.answers}
                and all(len(norm(x)) >= 5 and not any(c.isdigit() for c in x) for x in b.answers)
                and fuzz.token_set_ratio(keys[i], keys[j]) >= 65
            ):
                reason = f"asks only what question {i + 1} already asks"
            elif a.type == "basic" and norm(a.prompt) == norm(b.prompt):
                reason = f"same front as question {i + 1}"
            if reason:
                found[j] = Defect("duplicate", DROP, reason)
                break
    return found


def _dup_key(v: QuestionView) -> str:
    if v.type in ("cloze", "true_false"):
        return v.sentence
    if v.type == "basic":
        return f"{v.prompt} {' '.join(v.answers)}"
    if v.type == "ordering":
        return " ".join(v.steps)
    return f"{v.prompt} {' '.join(v.answers)}"
