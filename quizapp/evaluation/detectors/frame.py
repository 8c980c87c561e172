"""Class 4, garbled frame: titles, framing and headings pasted into prompts."""

from __future__ import annotations

import re

from ..text import norm, straighten
from ..views import QuestionView
from .base import DROP, EDIT, Context, Defect
from .lexicon import FRAMING_RE, MYTH_FRAME_RE


def garbled_frame(v: QuestionView, ctx: Context) -> list[Defect]:
    """The page title, framing ("X 101", "for beginners") or a heading pasted into a prompt."""
    if v.type in ("cloze", "true_false"):
        raw = straighten(v.sentence)
        if re.search(r":\s*[-*\u2022]\s|\s[-*\u2022]\s[\w ]{1,30}:", raw):
            return [Defect("garbled_frame", DROP, "list markup pasted into the sentence")]
        if re.match(r"^[A-Z][A-Z .]{3,}\s*[-:|]\s", raw):
            return [Defect("garbled_frame", EDIT, "dateline or label glued to the front")]
        if v.type == "true_false" and MYTH_FRAME_RE.search(raw):
            return [Defect("garbled_frame", EDIT, "the myth's framing kept in the statement")]
        sentence = norm(v.sentence)
        for heading in [ctx.title, *ctx.headings]:
            h = norm(heading)
            if (
                len(h.split()) >= 2
                and sentence.startswith(h + " ")
                and not (heading.rstrip().endswith((".", "!")))
            ):
                return [Defect("garbled_frame", EDIT, f'heading "{heading}" glued to the front')]
        return []
    prompt = straighten(v.prompt).strip()
    if not prompt:
        return []
    asked = re.sub(
        r"\s*(?:select|choose|tick) (?:all|every|the ones?) (?:that|which) "
        r"appl(?:y|ies)\.?$",
        "",
        prompt,
        flags=re.IGNORECASE,
    )
    if "?" in asked.rstrip("?").rstrip() and not v.is_next:
        return [Defect("garbled_frame", DROP, "a question inside the prompt")]
    if FRAMING_RE.search(prompt) and not FRAMING_RE.search(" ".join(v.answers)):
        return [Defect("garbled_frame", DROP, "title framing in the prompt")]
    p = norm(prompt)
    if v.type == "basic" and re.fullmatch(r"(?i)what (?:is|are|was|were) [^?]{1,80}\?", prompt):
        return []  # "What is a branch in Git?": naming the defined term is the card's point
    if v.type == "multiple_choice" and re.match(r"(?i)which of these ", asked):
        named = norm(re.sub(r"(?i)^which of these (?:are |is )?", "", asked).rstrip("?"))
        if any(named == norm(h) or named.startswith(norm(h) + " ") for h in ctx.headings):
            return []  # "Which of these are types of volcano?": a list named by its heading
    for heading in [ctx.title, *ctx.headings]:
        h = norm(heading)
        if len(h.split()) >= 3 and f" {h} " in f" {p} " and len(p.split()) >= len(h.split()) + 2:
            if ctx.topic and h == norm(ctx.topic):
                continue
            cost = EDIT if f"({heading.strip()})".lower() in prompt.lower() else DROP
            return [Defect("garbled_frame", cost, f'heading or title "{heading}" in the prompt')]
    return []
