"""The question linter: what a teacher would flag in a question that is valid but weak.

Deck-file checks (:meth:`QuestionType.problems`) say whether a question *can* be used; the linter
says whether it *should* be published as it is. It reads hand-written and generated questions
alike and never changes them. Each :class:`LintWarning` names the question, the field and what to
do. ``serious`` warnings mark a question that misleads or cannot be answered fairly (its answer
is printed in the question, a wrong choice equals a right one, a blank on a stop word, a false
statement with no correction): the deck builder drops its own questions that have one; a person
sees them like the others.

Checks, per question: the answer given away by the question; "always/never/all/none" absolutes
and negations in true/false statements; "all/none of the above" choices and negative prompts
("Which is NOT ..."); blanks on stop words; a distractor equal to a right answer; a missing
correction for a false statement. Per deck: near-duplicate questions (rapidfuzz).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from quizapp.domain.articles.words import is_number, is_stop, words, zipf

from .cloze import DELETION, deletions, normalise

#: Words at least this rare (Zipf scale) count as a giveaway when prompt and answer share them.
RARE_ZIPF = 3.5
#: token_sort_ratio at or above which two questions of one deck ask the same thing.
NEAR_DUPLICATE = 90
#: Two choices at least this similar (ratio after normalising) are the same answer.
SAME_CHOICE = 92

_ABSOLUTE = re.compile(r"\b(always|never|all|none|every|everyone|everything|nobody|nothing)\b",
                       re.I)
_NEGATION = re.compile(r"\b(not|no|never|cannot)\b|n[’']t\b", re.I)
_NEGATIVE_PROMPT = re.compile(r"\b(NOT|EXCEPT)\b|\bwhich\b[^?]*\b(?:not|n[’']t)\b|\bexcept\b|"
                              r"\bleast likely\b", re.I)
_OF_THE_ABOVE = re.compile(r"\b(?:all|none|both|neither) of the (?:above|others|these)\b", re.I)


@dataclass(frozen=True)
class LintWarning:
    """One thing a teacher would change in a question: ``field`` names the deck-file key."""

    question_id: str
    field: str
    message: str
    serious: bool = False
    code: str = ""
    #: The cloze deletion the warning is about (its number), when it is about one.
    deletion: int | None = None

    def __str__(self) -> str:
        return f"{self.question_id}: {self.field}: {self.message}"


def lint_question(qid: str, qtype: str, fields: Mapping[str, Any],
                  explanation: str = "") -> list[LintWarning]:
    """Every warning for one question (its fields as in a deck file, without id/type)."""
    check = _CHECKS.get(qtype)
    if check is None:
        return []
    try:
        found = check(qid, fields, explanation or "")
    except (KeyError, TypeError, IndexError, AttributeError):
        return []  # an invalid question: its problems are reported by the deck-file checks
    return found


def lint_deck(questions: Iterable[Any]) -> list[LintWarning]:
    """Every warning for a deck's questions (``deck.Question`` objects or deck-file mappings),
    question by question, then near-duplicates (named on the later question)."""
    items = [i for i in (_as_tuple(q) for q in questions) if i is not None]
    found: list[LintWarning] = []
    for qid, qtype, fields, explanation in items:
        found += lint_question(qid, qtype, fields, explanation)
    found += near_duplicates(items)
    order = {qid: n for n, (qid, *_rest) in enumerate(items)}
    return sorted(found, key=lambda w: order.get(w.question_id, len(order)))


def asked_text(qtype: str, fields: Mapping[str, Any]) -> str:
    """What a question asks, as one plain text (clozes filled in): for duplicate detection."""
    if qtype == "cloze":
        return DELETION.sub(lambda m: m[2], str(fields.get("text", "")))
    if qtype == "basic":
        return f"{fields.get('front', '')} {fields.get('back', '')}"
    if qtype == "true_false":
        return str(fields.get("statement", ""))
    if qtype == "multiple_choice":
        choices = fields.get("choices") or []
        right = [choices[i] for i in fields.get("correct") or []
                 if isinstance(i, int) and 0 <= i < len(choices)]
        return f"{fields.get('prompt', '')} {' '.join(map(str, right))}"
    if qtype == "ordering":
        return f"{fields.get('prompt', '')} {' '.join(map(str, fields.get('steps') or []))}"
    return ""


def near_duplicates(items: list[tuple[str, str, Mapping[str, Any], str]]) -> list[LintWarning]:
    found = []
    seen: list[tuple[str, str, str]] = []  # (id, type, normalised asked text)
    for qid, qtype, fields, _ in items:
        try:
            text = normalise(asked_text(qtype, fields))
        except (TypeError, AttributeError):
            continue
        if len(text.split()) < 3:
            continue
        for other_id, other_type, other in seen:
            if other_type == qtype and fuzz.token_sort_ratio(text, other) >= NEAR_DUPLICATE:
                found.append(LintWarning(
                    qid, _main_field(qtype),
                    f"asks the same as '{other_id}': delete one or make them ask different "
                    "things", code="duplicate"))
                break
        seen.append((qid, qtype, text))
    return found


# --- per type ----------------------------------------------------------------------------------

def _cloze(qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
    text = str(fields["text"])
    found = []
    for number, answer, _hint in deletions(text):
        if not [w for w in words(answer) if not is_stop(w)]:
            found.append(LintWarning(
                qid, "text", f"blank c{number} ('{answer}') deletes only stop words: blank a "
                "term, name or number instead", serious=True, code="stop-word-blank",
                deletion=number))
            continue
        rest = _without_deletion(text, number)
        if _contains(rest, answer):
            found.append(LintWarning(
                qid, "text", f"the answer of c{number} ('{answer}') also stands in the text: "
                "reword the sentence or blank that occurrence too", serious=True,
                code="answer-given", deletion=number))
    return found


def without_deletions(text: str, numbers: set[int]) -> str:
    """The cloze text with deletions ``numbers`` turned back into plain text and the others
    renumbered c1, c2... in reading order (a fix for a blank that gives itself away)."""
    kept: dict[int, int] = {}

    def swap(m: re.Match[str]) -> str:
        number = int(m[1])
        if number in numbers:
            return m[2]
        new = kept.setdefault(number, len(kept) + 1)
        hint = f"::{m[3]}" if m[3] else ""
        return f"{{{{c{new}::{m[2]}{hint}}}}}"

    return DELETION.sub(swap, text)


def _without_deletion(text: str, number: int) -> str:
    """The text as a learner sees card ``number``: that deletion removed, the others shown."""
    return DELETION.sub(lambda m: " " if int(m[1]) == number else m[2], text)


def _basic(qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
    front, back = str(fields["front"]), str(fields["back"])
    found = []
    core = back.strip().rstrip(".!").strip()
    if core and len(words(core)) <= 8 and _contains(front, core):
        found.append(LintWarning(
            qid, "front", "the answer on the back is written on the front: ask without it",
            serious=True, code="answer-given"))
    return found


def _true_false(qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
    statement = str(fields["statement"])
    found = []
    m = _ABSOLUTE.search(statement)
    if m:
        found.append(LintWarning(
            qid, "statement", f"'{m.group(1)}' makes the statement easy to guess: state the "
            "claim without the absolute, or ask it another way", code="absolute"))
    m = _NEGATION.search(statement)
    if m:
        found.append(LintWarning(
            qid, "statement", f"negative wording ('{m.group(0)}'): state the claim positively "
            "so that true means the claim holds", code="negative"))
    if fields.get("answer") is False and len(words(explanation)) <= 1:
        found.append(LintWarning(
            qid, "explanation", "a false statement needs its correction: say what is true in "
            "the explanation", serious=True, code="no-correction"))
    return found


def _multiple_choice(qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
    prompt = str(fields["prompt"])
    choices = [str(c) for c in fields["choices"]]
    right = {i for i in fields["correct"] if isinstance(i, int) and 0 <= i < len(choices)}
    found = []
    for n, choice in enumerate(choices):
        if _OF_THE_ABOVE.search(choice):
            found.append(LintWarning(
                qid, "choices", f"choice {n + 1} ('{choice}') is an 'of the above' choice: "
                "list real alternatives (select all that apply, if several are right)",
                serious=True, code="of-the-above"))
    if _NEGATIVE_PROMPT.search(prompt):
        found.append(LintWarning(
            qid, "prompt", "negative wording ('not', 'except'): ask which choices ARE right "
            "(select all that apply) instead", code="negative"))
    wrong = [n for n in range(len(choices)) if n not in right]
    for n in wrong:
        for r in right:
            a, b = normalise(choices[n]), normalise(choices[r])
            if a == b or fuzz.ratio(a, b) >= SAME_CHOICE:
                found.append(LintWarning(
                    qid, "choices", f"wrong choice {n + 1} ('{choices[n]}') says the same as the "
                    f"right choice {r + 1}: replace the distractor", serious=True,
                    code="distractor-is-answer"))
                break
    prompt_rare = _rare_words(prompt)
    wrong_words = set().union(*(_rare_words(choices[n]) for n in wrong)) if wrong else set()
    for r in sorted(right):
        shared = (_rare_words(choices[r]) & prompt_rare) - wrong_words
        if shared and wrong:
            word = sorted(shared)[0]
            found.append(LintWarning(
                qid, "choices", f"the right choice {r + 1} repeats '{word}' from the prompt and "
                "no wrong choice does: reword it or use distractors that share the word",
                code="answer-given"))
            break
    return found


def _ordering(qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
    steps = [normalise(str(s)) for s in fields["steps"]]
    for n, step in enumerate(steps):
        for m in range(n):
            if fuzz.ratio(step, steps[m]) >= SAME_CHOICE:
                return [LintWarning(
                    qid, "steps", f"steps {m + 1} and {n + 1} say the same thing: merge or "
                    "reword them", serious=True, code="duplicate-step")]
    return []


_CHECKS = {"cloze": _cloze, "basic": _basic, "true_false": _true_false,
           "multiple_choice": _multiple_choice, "ordering": _ordering}


# --- helpers -----------------------------------------------------------------------------------

def _contains(text: str, phrase: str) -> bool:
    """``phrase`` occurs in ``text`` as whole words, after normalising both (case, accents,
    punctuation, a leading article)."""
    needle = normalise(phrase)
    if not needle:
        return False
    # normalise() leaves single-space-separated words: a padded search finds whole words
    # (no regex built per call, which would churn the re module's pattern cache).
    return f" {needle} " in f" {normalise(text)} "


def _stem(word: str) -> str:
    low = word.lower()
    for suffix in ("ies", "es", "s"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            return low[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return low


def _rare_words(text: str) -> set[str]:
    return {_stem(w) for w in words(text)
            if not is_stop(w) and not is_number(w) and len(w) > 3 and zipf(w) < RARE_ZIPF}


def _main_field(qtype: str) -> str:
    return {"cloze": "text", "basic": "front", "true_false": "statement"}.get(qtype, "prompt")


def _as_tuple(q: Any) -> tuple[str, str, Mapping[str, Any], str] | None:
    if isinstance(q, Mapping):
        if "id" not in q or "type" not in q:
            return None
        fields = {k: v for k, v in q.items()
                  if k not in ("id", "type", "explanation", "origin", "tags")}
        return str(q["id"]), str(q["type"]), fields, str(q.get("explanation") or "")
    return str(q.id), str(q.type), q.fields, str(q.explanation or "")


__all__ = ["LintWarning", "asked_text", "lint_deck", "lint_question", "near_duplicates",
           "without_deletions"]
