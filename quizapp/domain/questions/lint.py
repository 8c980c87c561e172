"""The question linter: what a teacher would flag in a question that is valid but weak.

Deck-file checks (:meth:`QuestionType.problems`) say whether a question *can* be used; the linter
says whether it *should* be published as it is. It reads hand-written and generated questions
alike and never changes them. Each :class:`LintWarning` names the question, the field and what to
do. ``serious`` warnings mark a question that misleads or cannot be answered fairly (its answer
is printed in the question, a wrong choice equals a right one, a blank on a stop word, a false
statement with no correction): the deck builder drops its own questions that have one; a person
sees them like the others.

The checks of each type are its ``lint`` method (in its module), built from the helpers here.
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

from .text import normalise

#: Words at least this rare (Zipf scale) count as a giveaway when prompt and answer share them.
RARE_ZIPF = 3.5
#: token_sort_ratio at or above which two questions of one deck ask the same thing.
NEAR_DUPLICATE = 90
#: Two choices at least this similar (ratio after normalising) are the same answer.
SAME_CHOICE = 92

ABSOLUTE = re.compile(r"\b(always|never|all|none|every|everyone|everything|nobody|nothing)\b", re.I)
NEGATION = re.compile(r"\b(not|no|never|cannot)\b|n[’']t\b", re.I)
NEGATIVE_PROMPT = re.compile(
    r"\b(NOT|EXCEPT)\b|\bwhich\b[^?]*\b(?:not|n[’']t)\b|\bexcept\b|"
    r"\bleast likely\b",
    re.I,
)
OF_THE_ABOVE = re.compile(r"\b(?:all|none|both|neither) of the (?:above|others|these)\b", re.I)


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


def lint_question(
    qid: str, qtype: str, fields: Mapping[str, Any], explanation: str = ""
) -> list[LintWarning]:
    """Every warning for one question (its fields as in a deck file, without id/type)."""
    from . import QUESTION_TYPES  # the registry imports the types, which import this module

    found_type = QUESTION_TYPES.get(qtype)
    if found_type is None:
        return []
    try:
        found = found_type.lint(qid, fields, explanation or "")
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
    from . import QUESTION_TYPES  # the registry imports the types, which import this module

    found = QUESTION_TYPES.get(qtype)
    return found.asked_text(fields) if found is not None else ""


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
                found.append(
                    LintWarning(
                        qid,
                        _main_field(qtype),
                        f"asks the same as '{other_id}': delete one or make them ask different "
                        "things",
                        code="duplicate",
                    )
                )
                break
        seen.append((qid, qtype, text))
    return found


# --- helpers -----------------------------------------------------------------------------------


def contains(text: str, phrase: str) -> bool:
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


def rare_words(text: str) -> set[str]:
    return {
        _stem(w)
        for w in words(text)
        if not is_stop(w) and not is_number(w) and len(w) > 3 and zipf(w) < RARE_ZIPF
    }


def _main_field(qtype: str) -> str:
    from . import QUESTION_TYPES

    found = QUESTION_TYPES.get(qtype)
    return found.main_field if found is not None else "prompt"


def _as_tuple(q: Any) -> tuple[str, str, Mapping[str, Any], str] | None:
    if isinstance(q, Mapping):
        if "id" not in q or "type" not in q:
            return None
        fields = {
            k: v for k, v in q.items() if k not in ("id", "type", "explanation", "origin", "tags")
        }
        return str(q["id"]), str(q["type"]), fields, str(q.get("explanation") or "")
    return str(q.id), str(q.type), q.fields, str(q.explanation or "")


__all__ = [
    "LintWarning",
    "asked_text",
    "contains",
    "lint_deck",
    "lint_question",
    "near_duplicates",
    "rare_words",
]
