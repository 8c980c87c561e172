"""Class 7, ungrammatical or cut: question text not recoverable from its quote."""

from __future__ import annotations

import difflib
import re

from ..text import straighten
from ..views import QuestionView
from .base import DROP, EDIT, Context, Defect
from .context import asked_text
from .lexicon import NEGATIONS, OPENER_RE, PERSONAL, PRONOUNS, tokens

#: Words a myth's framing brings that its plain statement leaves out ("Many people think that you
#: can ..." -> "People can ..."); the builder generalises "you"/"I"/"my" to "people"/"a".
_MYTH_FRAMING = PERSONAL | {
    "think",
    "thinks",
    "thought",
    "believe",
    "believes",
    "believed",
    "assume",
    "assumes",
    "that",
    "as",
    "many",
    "some",
    "often",
    "people",
}
_MYTH_GENERAL = frozenset(
    {"people", "a", "an", "the", "one", "someone", "everyone", "their", "them", "themselves"}
)

#: Quotes whose myth the builder restates in its own frame, and the frame's words.
_RESTATED = re.compile(
    r"\?|\b(?:confused|mixed up|conflated|equated) with\b|"
    r"\bdescribed\b.*\bas\b|\b(?:will|would) (?:say|tell you|answer|guess)\b",
    re.IGNORECASE,
)
_RESTATE_WORDS = _MYTH_GENERAL | {
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "same",
    "as",
    "have",
    "has",
}

_FRAGMENT_RE = re.compile(
    r"^(?:if|when|once|after|before|because|although|though|while|"
    r"as soon as|unless|until|whereas|since)\b",
    re.IGNORECASE,
)


def cut(v: QuestionView, ctx: Context) -> list[Defect]:
    """Question text that is not recoverable from its origin quote: words dropped or changed in
    the middle (a negation dropped from a myth's true/false statement is expected), a pronoun
    rewritten to another person, a sentence starting mid-phrase, a capital article mid-prompt, a
    choice or step that is only a subordinate clause ("If nothing is cached")."""
    if v.type == "basic":
        m = re.search(
            r"^\s*(?:what|who|where|when)\s+(?:is|are|was|were|does|do)\s+(A|An|The)\s",
            v.prompt,
            re.IGNORECASE,
        )
        if m and m.group(1)[0].isupper():
            return [Defect("cut", EDIT, f'capital "{m.group(1)}" inside the prompt')]
        return []
    if v.type in ("multiple_choice", "ordering"):
        parts = [*v.answers, *v.wrong, *v.steps]
        if v.is_next:
            parts.append(asked_text(v))
        for part in parts:
            bare = OPENER_RE.sub("", straighten(part).strip())
            if _FRAGMENT_RE.match(bare) and "," not in bare:
                return [Defect("cut", DROP, f'a fragment: "{part}"')]
        for part in parts:
            m = re.search(r"[a-z,;] (The|A|An) ", part)
            if m:
                return [Defect("cut", EDIT, f'capital "{m.group(1)}" inside "{part}"')]
        return []
    if v.type not in ("cloze", "true_false") or not v.quote or not v.sentence:
        return []
    first = tokens(v.sentence)[:1]
    if first and first[0].isalpha() and first[0].islower():
        return [Defect("cut", DROP, f'starts mid-phrase ("{first[0]}")')]
    m = re.search(r"[,;]\s(A|An|The)\s", v.sentence)
    if m and m.group(0) not in v.quote:
        return [Defect("cut", EDIT, f'capital "{m.group(1)}" inside the sentence')]
    q = [w.lower() for w in tokens(v.sentence)]
    s = [w.lower() for w in tokens(v.quote)]
    if v.type == "true_false" and _RESTATED.search(v.quote) and set(q) - _RESTATE_WORDS <= set(s):
        # A myth restated from its frame: a question turned into a statement ("..., is my use
        # fair?" -> "..., a use is fair"), "X is often confused with Y" -> "X is the same as Y",
        # "historians described X as Y" -> "X was Y". Every word comes from the quote.
        return []
    sm = difflib.SequenceMatcher(a=s, b=q, autojunk=False)
    ops = sm.get_opcodes()
    equal = [op for op in ops if op[0] == "equal"]
    if not equal:
        return [Defect("cut", DROP, "not recoverable from its quote")]
    if sum(op[2] - op[1] for op in equal) < 0.6 * len(q):
        return [Defect("cut", DROP, "mostly not from its quote")]
    start, end = equal[0][1], equal[-1][2]
    is_tf = v.type == "true_false"
    worst = ""
    for tag, i1, i2, j1, j2 in ops:
        removed, added = s[i1:i2], q[j1:j2]
        if (
            is_tf
            and tag in ("delete", "replace")
            and set(removed) <= _MYTH_FRAMING
            and set(added) <= _MYTH_GENERAL
        ):
            continue  # a myth stated plainly, its framing and person generalised
        if tag in ("replace", "insert") and set(added) & PERSONAL and not set(removed) & PERSONAL:
            return [
                Defect("cut", DROP, f"pronoun rewritten: {' '.join(removed)} -> {' '.join(added)}")
            ]
        if tag == "equal" or i1 < start or i1 >= end:
            continue
        if is_tf and (
            set(removed) & NEGATIONS
            or any(w.endswith("n't") for w in removed)
            or set(removed) <= {"do", "does", "did", "not", "no", "never"}
        ):
            continue
        if tag == "replace" and set(removed) <= PRONOUNS | {"the", "a", "an"}:
            continue
        if tag in ("delete", "replace") and removed:
            content = [w for w in removed if w not in {"a", "an", "the"}]
            if content:
                return [Defect("cut", DROP, f'words dropped: "{" ".join(removed)}"')]
            worst = f'article dropped: "{" ".join(removed)}"'
        if tag == "insert" and not is_tf:
            worst = worst or f'words added: "{" ".join(added)}"'
    return [Defect("cut", EDIT, worst)] if worst else []
