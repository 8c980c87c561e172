"""Class 6, invented relation: orders, next steps and choices the article does not support."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..gold import Sequence
from ..text import norm, same_item
from ..views import QuestionView
from .base import DROP, Context, Defect
from .context import asked_text


def invented_relation(v: QuestionView, ctx: Context) -> list[Defect]:
    """Orderings and "what happens next" items the gold steps do not support; multiple-choice
    items whose wrong choice is a gold item of the same list or whose right answer is not."""
    if v.type == "ordering":
        ok, reason = ordering_consistent(v.steps, ctx.gold.steps if ctx.gold else [])
        return [] if ok else [Defect("invented_relation", DROP, reason)]
    if v.is_next:
        stem = asked_text(v)
        ok, reason = next_consistent(stem, v.answers, ctx.gold.steps if ctx.gold else [])
        return [] if ok else [Defect("invented_relation", DROP, reason)]
    if v.type == "multiple_choice" and ctx.gold and ctx.gold.lists:
        best, best_hits = None, 0
        for lst in ctx.gold.lists:
            hits = sum(any(same_item(a, item) for item in lst.items) for a in v.answers)
            if hits > best_hits:
                best, best_hits = lst, hits
        if best is None:
            return []
        matching = (
            not v.raw.get("multiple")
            and len(v.answers) == 1
            and (norm(best.about) not in norm(v.prompt) or "description" in v.prompt.lower())
        )
        for w in [] if matching else v.wrong:
            # A single-answer item asking which member of a list fits a description ("Which of
            # these is a broad volcano with gentle slopes?") has the list's other members as
            # its wrong choices by design; only a select-all item claims they are not members.
            if any(same_item(w, item) for item in best.items):
                return [
                    Defect(
                        "invented_relation", DROP, f'wrong choice "{w}" is true (in "{best.about}")'
                    )
                ]
        for a in v.answers:
            if not any(same_item(a, item) for item in best.items):
                return [
                    Defect(
                        "invented_relation", DROP, f'right answer "{a}" is not in "{best.about}"'
                    )
                ]
    return []


_STEP_MATCH = 65.0


def _step_scores(steps: list[str], seq: Sequence) -> list[list[float]]:
    """How well each step states each gold item (0-100; mean of two rapidfuzz token ratios)."""
    items = [norm(item) for item in seq.items]
    out = []
    for step in steps:
        s = norm(step)
        row = []
        for item in items:
            score = (fuzz.token_set_ratio(s, item) + fuzz.token_sort_ratio(s, item)) / 2 if s else 0
            if s and item and (f" {s} " in f" {item} " or f" {item} " in f" {s} "):
                score = max(score, 90.0)
            row.append(score)
        out.append(row)
    return out


def _in_order(scores: list[list[float]]) -> bool:
    """True when the steps can be matched to gold items at strictly increasing positions."""
    last = -1
    for row in scores:
        nxt = next((j for j in range(last + 1, len(row)) if row[j] >= _STEP_MATCH), None)
        if nxt is None:
            return False
        last = nxt
    return True


def ordering_consistent(steps: list[str], gold_steps: list[Sequence]) -> tuple[bool, str]:
    """An ordering is consistent when its steps are gold steps of one explicit sequence, in the
    gold order (an in-order subsequence)."""
    if not gold_steps:
        return False, "no explicit sequence in the article"
    best: tuple[int, Sequence, list[list[float]]] | None = None
    for seq in gold_steps:
        scores = _step_scores(steps, seq)
        if _in_order(scores):
            return True, ""
        hits = sum(max(row, default=0) >= _STEP_MATCH for row in scores)
        if best is None or hits > best[0]:
            best = (hits, seq, scores)
    assert best is not None
    hits, seq, scores = best
    if hits < len(steps):
        missing = [
            s for s, row in zip(steps, scores, strict=True) if max(row, default=0) < _STEP_MATCH
        ]
        return False, f'step "{missing[0]}" is not in an explicit sequence'
    return False, f'steps out of the order of "{seq.about}"'


def next_consistent(stem: str, answers: list[str], gold_steps: list[Sequence]) -> tuple[bool, str]:
    """A "what happens next" item is consistent when its stem and its answer are gold steps of
    one sequence with the answer later than the stem."""
    if not gold_steps or not answers:
        return False, "no explicit sequence in the article"
    found = False
    for seq in gold_steps:
        scores = _step_scores([stem, answers[0]], seq)
        if _in_order(scores):
            return True, ""
        found = found or all(max(row, default=0) >= _STEP_MATCH for row in scores)
    if found:
        return False, "the answer does not follow the stem in the article's sequence"
    return False, "stem or answer is not in an explicit sequence"
