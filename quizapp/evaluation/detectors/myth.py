"""Class 5, teaches the myth: cards that drill a gold myth as if it were true."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..text import matches_all, words
from ..views import QuestionView
from .base import DROP, Context, Defect
from .lexicon import NEGATIONS, STOP, tokens


def teaches_myth(v: QuestionView, ctx: Context) -> list[Defect]:
    """A cloze, a true statement or a basic answer that states a gold myth as fact (or a
    true/false item that marks the myth's correction false)."""
    if not ctx.gold or not ctx.gold.myths:
        return []
    if v.type == "cloze":
        candidates = [(v.sentence, True)]
    elif v.type == "true_false":
        candidates = [(v.sentence, str(v.raw.get("answer")).lower() == "true")]
    elif v.type == "basic":
        candidates = [(f"{v.prompt} {a}", True) for a in v.answers]
    else:
        return []
    for text, asserted in candidates:
        for myth in ctx.gold.myths:
            if _states(text, myth.claim, myth.match):
                negated = _negated(text) != _negated(myth.claim)
                if asserted != negated:  # asserts the claim, or denies its denial
                    return [Defect("teaches_myth", DROP, f'drills the myth "{myth.claim}"')]
    return []


def _states(text: str, claim: str, match: tuple[str, ...]) -> bool:
    tw = words(text)
    if not matches_all(tw, match):
        return False
    content = [w for w in words(claim) if w not in STOP and w not in NEGATIONS]
    if not content:
        return False
    present = set(tw)
    if sum(w in present for w in content) / len(content) < 0.7:
        return False
    claim_words = [w for w in words(claim) if w not in NEGATIONS]
    return fuzz.partial_ratio(" ".join(claim_words), " ".join(tw)) >= 80


def _negated(text: str) -> bool:
    toks = [t.lower() for t in tokens(text)]
    return any(t in NEGATIONS or t.endswith("n't") for t in toks)
