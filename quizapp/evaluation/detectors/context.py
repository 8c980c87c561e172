"""Class 2, not self-contained: questions that lean on text the learner cannot see."""

from __future__ import annotations

import re

from ..text import straighten
from ..views import QuestionView
from .base import EDIT, Context, Defect
from .lexicon import (
    ATTRIBUTION_RE,
    BARE_SUBJECT_RE,
    CONTEXT_RE,
    DEMONSTRATIVE_RE,
    OPENER_RE,
    PRONOUN_START,
    SAME_RE,
)


def not_self_contained(v: QuestionView, ctx: Context) -> list[Defect]:
    """Leading pronouns and demonstratives (straight or curly apostrophes), "this/these/those/
    such + noun", "does the same", discourse openers and attributions."""
    text = asked_text(v)
    if not text:
        return []
    plain = straighten(text).strip().lstrip("\"'([")
    found: list[Defect] = []
    first = plain.split(" ", 1)[0].lower().strip(",.;:")
    two = " ".join(plain.lower().split()[:2])
    lead = re.match(
        r"^[^,;:]{1,45},\s+(it|its|they|their|this|these|he|she)\b", plain, re.IGNORECASE
    )
    if first in PRONOUN_START or two in PRONOUN_START:
        found.append(Defect("not_self_contained", EDIT, f'starts with "{first}"'))
    elif lead:
        found.append(Defect("not_self_contained", EDIT, f'leans on "{lead.group(1)}"'))
    else:
        m = DEMONSTRATIVE_RE.search(" ".join(plain.split()[:6]))
        if m:
            found.append(Defect("not_self_contained", EDIT, f'leans on "{m.group(0)}"'))
    if SAME_RE.search(plain):
        found.append(Defect("not_self_contained", EDIT, 'leans on "the same"'))
    m = CONTEXT_RE.search(plain) or BARE_SUBJECT_RE.search(plain)
    if m:
        found.append(Defect("not_self_contained", EDIT, f'leans on "{m.group(0).strip()}"'))
    m = OPENER_RE.match(plain)
    if m:
        found.append(Defect("not_self_contained", EDIT, f'discourse opener "{m.group(0).strip()}"'))
    if ATTRIBUTION_RE.search(plain):
        found.append(Defect("not_self_contained", EDIT, "attribution"))
    return found


def asked_text(v: QuestionView) -> str:
    """The sentence a learner reads and must understand alone."""
    if v.type in ("cloze", "true_false"):
        return v.sentence
    if v.is_next:
        return re.sub(r"\s*what happens next\?\s*$", "", v.prompt, flags=re.IGNORECASE)
    if v.type == "basic":
        return v.prompt
    return ""
