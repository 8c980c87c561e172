"""``cloze``: text with ``{{c1::deletions}}``; one card per deletion number.

Typed answers are compared after normalising case, accents, punctuation and leading articles,
with a small typo tolerance for words (never for numbers). A revealed cloze is self-rated.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from rapidfuzz.distance import Levenshtein

from quizapp.domain.articles.words import is_stop, words

from .ankihtml import AnkiNote, anki_text
from .base import AnswerShapeError, FormData, Grade, Problem, QuestionType, is_text
from .lint import LintWarning, contains
from .portable import GAPS, Portable
from .text import normalise

DELETION = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
BLANK = "[...]"


def deletions(text: str) -> list[tuple[int, str, str | None]]:
    """``(number, answer, hint)`` for every deletion in ``text``, in reading order."""
    return [(int(m[1]), m[2], m[3]) for m in DELETION.finditer(text)]


def render(text: str, ordinal: int | None, *, blank: str = BLANK) -> str:
    """The text with deletion ``ordinal`` blanked (or its hint shown) and the others filled in."""

    def swap(m: re.Match[str]) -> str:
        if ordinal is not None and int(m[1]) == ordinal:
            return f"[{m[3]}]" if m[3] else blank
        return m[2]

    return DELETION.sub(swap, text)


def segments(text: str, blanked: set[int] | None) -> list[dict[str, Any]]:
    """The text as parts to render safely: plain text, and blanks for the deletions ``blanked``.

    ``blanked=None`` blanks every deletion (a preview of the whole note).
    """
    parts: list[dict[str, Any]] = []
    last = 0
    for m in DELETION.finditer(text):
        if m.start() > last:
            parts.append({"text": text[last : m.start()], "blank": False})
        if blanked is None or int(m[1]) in blanked:
            parts.append({"text": "", "blank": True, "hint": m[3]})
        else:
            parts.append({"text": m[2], "blank": False})
        last = m.end()
    if last < len(text):
        parts.append({"text": text[last:], "blank": False})
    return parts


def matches(given: str, expected: str) -> bool:
    """True when ``given`` is ``expected`` up to normalisation and a small typo."""
    g, e = normalise(given), normalise(expected)
    if g == e:
        return True
    if re.findall(r"\d+(?:\.\d+)?", g) != re.findall(r"\d+(?:\.\d+)?", e):
        return False
    allowed = 0 if len(e) <= 3 else 1 if len(e) <= 7 else 2
    return Levenshtein.distance(g, e) <= allowed


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


class Cloze(QuestionType):
    name = "cloze"
    label = "Fill in the blank"
    required = ("text",)
    portable_kind = GAPS
    revealable = True
    main_field = "text"
    quiz_order = 40
    #: Its Anki note type: ids generated once, never to change (docs/anki.md).
    anki_note = AnkiNote(
        model_id=1539307976,
        name="quizapp Cloze",
        version=1,
        fields=(
            ("Text", 3962153708295262057),
            ("Explanation", 3794692171055910651),
            ("Source", 4321678550947516980),
        ),
        template=("Cloze", 3677023462074257889),
        kind="Fill in the blank",
        front=('<div class="qa-text">{{cloze:Text}}</div>'),
        back=('<div class="qa-text">{{cloze:Text}}</div><hr id="answer">'),
        cloze=True,
    )

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        text = fields["text"]
        if not is_text(text):
            return [Problem("text", "'text' must be non-empty text")]
        found = deletions(text)
        if not found:
            return [
                Problem("text", "cloze has no deletions: mark at least one term as {{c1::term}}")
            ]
        if any(n < 1 for n, _, _ in found):
            return [
                Problem("text", "deletion numbers start at 1: write {{c1::term}}, not {{c0::term}}")
            ]
        if any(not answer.strip() for _, answer, _ in found):
            return [
                Problem("text", "a deletion is empty: write the term between '{{c1::' and '}}'")
            ]
        if "{{" in DELETION.sub("", text) or "}}" in DELETION.sub("", text):
            return [
                Problem(
                    "text",
                    "unbalanced braces: a deletion is written {{c1::term}} or {{c1::term::hint}}",
                )
            ]
        return []

    def ordinals(self, fields: dict[str, Any]) -> list[int]:
        return sorted({n for n, _, _ in deletions(fields["text"])})

    def answers(self, fields: dict[str, Any], ordinal: int) -> list[str]:
        return [answer for n, answer, _ in deletions(fields["text"]) if n == ordinal]

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return [[n, a] for n, a, _ in deletions(fields["text"])]

    def card_answer_key(self, fields: dict[str, Any], ordinal: int) -> str:
        """Per card: only a change to this deletion's own answer restarts this card."""
        return "\x1f".join(normalise(a) for a in self.answers(fields, ordinal))

    answer_key_for = card_answer_key

    def prompt_text(self, fields: dict[str, Any]) -> str:
        return render(fields["text"], None)

    def reveal_response(self) -> Any:
        return {"revealed": True}

    def study_view(
        self, fields: dict[str, Any], ordinal: int, shown: dict[str, Any]
    ) -> dict[str, Any]:
        shown["parts"] = [
            {"text": p["text"], "blank": True, "hint": p.get("hint")}
            if p["blank"]
            else {"text": p["text"], "blank": False}
            for p in segments(fields["text"], {ordinal})
        ]
        return shown

    def result_parts(self, fields: dict[str, Any], ordinal: int) -> list[dict[str, Any]]:
        return segments(fields["text"], {ordinal})

    def preview(self, fields: dict[str, Any], rng: random.Random) -> dict[str, Any]:
        return {
            "parts": segments(fields["text"], None),
            "answer": [answer for _, answer, _ in deletions(fields["text"])],
        }

    def study_response(self, form: FormData) -> Any:
        texts = form.getlist("text")
        return {"text": texts[0] if len(texts) == 1 else texts}

    def quiz_present(
        self, item: Any, fields: dict[str, Any], pool: list[str], rng: random.Random
    ) -> tuple[str, dict[str, Any]]:
        shown = self.present(fields, item["ordinal"], rng)
        shown["parts"] = segments(fields["text"], {item["ordinal"]})
        return self.label, shown

    def quiz_grade(
        self, item: Any, fields: dict[str, Any], response: Any, pool: list[str]
    ) -> Grade:
        if isinstance(response, dict) and "revealed" in response:
            raise AnswerShapeError('in a quiz a blank is typed: {"text": ["..."]}')
        return self.grade(fields, item["ordinal"], response)

    def quiz_response(self, kind: str, shown: dict[str, Any], form: FormData, prefix: str) -> Any:
        return {"text": form.getlist(prefix + "blank")}

    def wrong_given(self, fields: dict[str, Any], given: Any) -> list[str]:
        typed = given if isinstance(given, list) else [given]
        answers = [a for _, a, _ in deletions(fields["text"])]
        # A right blank of a cloze answered wrong elsewhere is not a wrong answer.
        return [
            normalise(text)
            for text in typed
            if isinstance(text, str)
            and normalise(text)
            and not any(matches(text, a) for a in answers)
        ]

    def given_from_response(self, fields: dict[str, Any], response: Any) -> Any:
        text = response.get("text")
        if isinstance(text, str):
            text = [t.strip() for t in text.split(";")] if ";" in text else [text]
        return text

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        return {
            "text": render(fields["text"], ordinal),
            "blanks": len(self.answers(fields, ordinal)),
        }

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return self.answers(fields, ordinal)

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        expected = self.answers(fields, ordinal)
        if isinstance(response, dict) and response.get("revealed") is True:
            return Grade(
                correct=None, expected=expected, feedback={"text": render(fields["text"], None)}
            )
        typed = response.get("text") if isinstance(response, dict) else None
        if isinstance(typed, str):
            typed = [typed] if len(expected) == 1 else [t.strip() for t in typed.split(";")]
        if not isinstance(typed, list) or not all(isinstance(t, str) for t in typed):
            raise AnswerShapeError('a cloze answer is {"text": "..."} or {"revealed": true}')
        if len(typed) != len(expected):
            raise AnswerShapeError(
                f"this cloze has {len(expected)} blanks; answer {len(typed)} were given"
            )
        per_blank = [matches(g, e) for g, e in zip(typed, expected, strict=True)]
        return Grade(
            correct=all(per_blank),
            expected=expected,
            given=typed,
            feedback={"blanks": per_blank, "text": render(fields["text"], None)},
        )

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(GAPS, fields["text"])

    def from_portable(self, item: Portable) -> dict[str, Any]:
        return {"text": item.prompt}

    def anki_fields(self, fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
        """Escape the text outside and inside the deletions, keeping the ``{{cN::...}}`` markers."""
        source = fields["text"]
        out: list[str] = []
        numbers: set[int] = set()
        last = 0
        for match in DELETION.finditer(source):
            number, answer, hint = int(match[1]), match[2], match[3]
            between = source[last : match.start()]
            if not answer.strip() or "{{" in between or "}}" in between:
                raise ValueError("empty deletion or unbalanced braces")
            numbers.add(number)
            hint_part = f"::{anki_text(hint)}" if hint is not None else ""
            out.append(f"{anki_text(between)}{{{{c{number}::{anki_text(answer)}{hint_part}}}}}")
            last = match.end()
        rest = source[last:]
        if "{{" in rest or "}}" in rest:
            raise ValueError("unbalanced braces")
        out.append(anki_text(rest))
        return ["".join(out)], sorted(numbers)

    # --- the question linter (:mod:`.lint`) ----------------------------------------

    def lint(self, qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
        text = str(fields["text"])
        found = []
        for number, answer, _hint in deletions(text):
            if not [w for w in words(answer) if not is_stop(w)]:
                found.append(
                    LintWarning(
                        qid,
                        "text",
                        f"blank c{number} ('{answer}') deletes only stop words: blank a "
                        "term, name or number instead",
                        serious=True,
                        code="stop-word-blank",
                        deletion=number,
                    )
                )
                continue
            rest = _without_deletion(text, number)
            if contains(rest, answer):
                found.append(
                    LintWarning(
                        qid,
                        "text",
                        f"the answer of c{number} ('{answer}') also stands in the text: "
                        "reword the sentence or blank that occurrence too",
                        serious=True,
                        code="answer-given",
                        deletion=number,
                    )
                )
        return found

    def asked_text(self, fields: Mapping[str, Any]) -> str:
        return DELETION.sub(lambda m: m[2], str(fields.get("text", "")))
