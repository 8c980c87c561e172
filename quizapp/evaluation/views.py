"""A generated question seen as the texts that matter for grading it.

``prompt`` is what the learner reads before answering (a cloze with its blanks as ``___``, a
true/false statement, a basic card's front, a multiple-choice or ordering prompt); ``sentence``
is the declarative sentence a cloze or true/false item asks about (cloze filled in), the one the
sentence-level detectors read; ``answers`` are the right answers; ``wrong`` the distractors;
``all_words`` every word of the question (prompt, answers, choices, steps, explanation), what
covering a gold fact is decided on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .text import blank_cloze, cloze_answers, strip_cloze, words


@dataclass
class QuestionView:
    index: int
    id: str
    type: str
    prompt: str
    sentence: str = ""
    answers: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    explanation: str = ""
    quote: str = ""
    section: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    all_words: list[str] = field(default_factory=list)

    @property
    def is_next(self) -> bool:
        """A "what happens next" multiple-choice item (an ordering relation)."""
        return self.type == "multiple_choice" and "happens next" in self.prompt.lower()

    def display(self) -> str:
        """One line a reader can grade: the question and its answer."""
        if self.type == "cloze":
            return f"[cloze] {self.raw.get('text', '')}"
        if self.type == "true_false":
            return f"[true_false] {self.prompt} -> {self.raw.get('answer')}"
        if self.type == "basic":
            return f"[basic] {self.prompt} -> {' / '.join(self.answers)}"
        if self.type == "ordering":
            return f"[ordering] {self.prompt} :: " + " -> ".join(self.steps)
        if self.type == "multiple_choice":
            marked = [f"{'*' if c in self.answers else ''}{c}" for c in self.raw.get("choices", [])]
            return f"[multiple_choice] {self.prompt} :: " + " | ".join(marked)
        return f"[{self.type}] {self.prompt}"


def view(index: int, data: dict[str, Any]) -> QuestionView:
    """The view of one question as written in a deck file (type fields flat beside ``type``)."""
    kind = str(data.get("type", ""))
    origin = data.get("origin") or {}
    v = QuestionView(
        index=index,
        id=str(data.get("id", "")),
        type=kind,
        prompt="",
        explanation=str(data.get("explanation") or ""),
        quote=str(origin.get("quote") or ""),
        section=str(origin.get("section") or ""),
        raw=data,
    )
    if kind == "cloze":
        text = str(data.get("text", ""))
        v.prompt = blank_cloze(text)
        v.sentence = strip_cloze(text)
        v.answers = cloze_answers(text)
    elif kind == "true_false":
        v.prompt = v.sentence = str(data.get("statement", ""))
        v.answers = [str(data.get("answer"))]
    elif kind == "basic":
        v.prompt = str(data.get("front", ""))
        v.answers = [str(data.get("back", ""))]
    elif kind == "multiple_choice":
        v.prompt = str(data.get("prompt", ""))
        choices = [str(c) for c in data.get("choices") or []]
        correct = {int(i) for i in data.get("correct") or [] if isinstance(i, int)}
        v.answers = [c for i, c in enumerate(choices) if i in correct]
        v.wrong = [c for i, c in enumerate(choices) if i not in correct]
    elif kind == "ordering":
        v.prompt = str(data.get("prompt", ""))
        v.steps = [str(s) for s in data.get("steps") or []]
    else:
        v.prompt = str(data.get("prompt") or data.get("text") or data.get("front") or "")
    parts = [v.prompt, v.sentence, *v.answers, *v.wrong, *v.steps, v.explanation]
    v.all_words = words(" \n ".join(parts))
    return v
