"""Class 3, wrong sentence: sentences a teacher would never ask about."""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from ..text import straighten
from ..views import QuestionView
from .base import DROP, EDIT, Context, Defect
from .context import asked_text
from .lexicon import (
    BYLINE_RE,
    GERUND_VERBS,
    HOOK_RE,
    I_US_RE,
    IMPERATIVE_NEXT,
    NOT_IMPERATIVE,
    PERSON_RE,
    PLUG_RE,
    WE_RE,
    tokens,
)


def wrong_sentence(v: QuestionView, ctx: Context) -> list[Defect]:
    """Sentences a teacher never asks about: questions, exclamations, first or second person,
    instructions, product plugs and calls to action, captions and bylines."""
    texts: list[str] = []
    if v.type in ("cloze", "true_false"):
        texts.append(v.sentence)
    elif v.is_next:
        texts.append(asked_text(v))
    if v.type == "basic":
        texts.extend(v.answers)
    if v.type == "multiple_choice":
        texts.extend(v.answers + v.wrong)
    if v.type == "ordering":
        texts.extend(v.steps)
    found: list[Defect] = []
    for text in texts:
        plain = straighten(text).strip()
        reason = ""
        if v.type in ("cloze", "true_false") and plain.rstrip("\"')").endswith("?"):
            reason = "a question (rhetorical or a heading)"
        elif "!" in plain:
            reason = "an exclamation"
        elif PLUG_RE.search(plain):
            reason = "a product plug or call to action"
        elif BYLINE_RE.search(plain):
            reason = "a caption or byline"
        elif PERSON_RE.search(plain) or I_US_RE.search(plain):
            reason = "first or second person"
        elif v.type in ("cloze", "true_false") and _imperative(plain):
            reason = "an instruction"
        elif v.type in ("cloze", "true_false") and HOOK_RE.search(plain):
            reason = "a hook"
        if reason:
            found.append(Defect("wrong_sentence", DROP, reason))
            break
        if v.type in ("cloze", "true_false") and WE_RE.search(plain):
            found.append(Defect("wrong_sentence", EDIT, 'first person plural (generic "we")'))
            break
    return found


def _imperative(text: str) -> bool:
    toks = tokens(text)
    if len(toks) < 2 or not toks[0][:1].isupper() or toks[0].isupper():
        return False
    word, nxt = toks[0].lower(), toks[1]
    if word in NOT_IMPERATIVE:
        return False
    if re.match(r"^\W*\w+\s*[:(\u2014-]", text):
        return False
    lemmas = getAllLemmas(word)
    if word not in lemmas.get("VERB", ()):
        return False
    if "NOUN" not in lemmas and "ADJ" not in lemmas:
        return nxt.islower() or nxt.isdigit()
    return (
        nxt.lower() in IMPERATIVE_NEXT
        or nxt.isdigit()
        or (word in GERUND_VERBS and nxt.islower() and nxt.endswith("ing"))
    )
