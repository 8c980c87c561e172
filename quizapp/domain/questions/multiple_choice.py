"""``multiple_choice``: pick one (or all that apply) from shuffled choices."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from rapidfuzz import fuzz

from .ankihtml import AnkiNote, anki_nonempty, anki_text
from .base import AnswerShapeError, FormData, Grade, Problem, QuestionType, is_text, item_id
from .lint import NEGATIVE_PROMPT, OF_THE_ABOVE, SAME_CHOICE, LintWarning, rare_words
from .portable import CHOICE, Portable
from .text import normalise


def says_select_all(prompt: str) -> bool:
    """Whether the prompt already tells the learner to select all that apply (imported Anki and
    Moodle questions often do): the app then adds no second hint."""
    return "select all that apply" in " ".join(str(prompt).split()).casefold()


class MultipleChoice(QuestionType):
    name = "multiple_choice"
    label = "Multiple choice"
    required = ("prompt", "choices", "correct")
    #: ``multiple: true`` asks "select all that apply" even when one choice is right.
    optional = ("multiple",)
    portable_kind = CHOICE
    quiz_order = 10
    counts_choices = True
    #: Its Anki note type: ids generated once, never to change (docs/anki.md).
    anki_note = AnkiNote(
        model_id=1947133828,
        name="quizapp Multiple Choice",
        version=1,
        fields=(
            ("Prompt", 935728283671057848),
            ("Choices", 94222668728255832),
            ("Answer", 3850718857622583053),
            ("Explanation", 496575487156627034),
            ("Source", 151161517542466010),
        ),
        template=("Card 1", 2158708909028401754),
        kind="Multiple choice",
        front=('<div class="qa-prompt">{{Prompt}}</div>{{Choices}}'),
        back=('<div class="qa-prompt">{{Prompt}}</div><hr id="answer">{{Answer}}'),
    )

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        found = []
        if not is_text(fields["prompt"]):
            found.append(Problem("prompt", "'prompt' must be non-empty text"))
        choices = fields["choices"]
        if not isinstance(choices, list) or not all(is_text(c) for c in choices):
            return found + [Problem("choices", "'choices' must be a list of non-empty texts")]
        if len(choices) < 2:
            found.append(Problem("choices", f"needs at least 2 choices, has {len(choices)}"))
        if len({c.strip().casefold() for c in choices}) != len(choices):
            found.append(Problem("choices", "two choices have the same text"))
        correct = fields["correct"]
        if (
            not isinstance(correct, list)
            or not correct
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in correct)
        ):
            return found + [
                Problem(
                    "correct",
                    "'correct' must be a non-empty list of choice "
                    "indices, counting from 0, e.g. [0] or [0, 2]",
                )
            ]
        for i in correct:
            if not 0 <= i < len(choices):
                found.append(
                    Problem(
                        "correct",
                        f"index {i} is out of range: choices are numbered 0 to {len(choices) - 1}",
                    )
                )
        if len(set(correct)) != len(correct):
            found.append(Problem("correct", "an index is listed twice"))
        if "multiple" in fields and not isinstance(fields["multiple"], bool):
            found.append(Problem("multiple", "'multiple' must be true or false"))
        return found

    def is_multiple(self, fields: dict[str, Any]) -> bool:
        return bool(fields.get("multiple")) or len(fields["correct"]) > 1

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return sorted(fields["choices"][i] for i in fields["correct"])

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        choices = [{"id": item_id(c), "text": c} for c in fields["choices"]]
        rng.shuffle(choices)
        return {
            "prompt": fields["prompt"],
            "choices": choices,
            "multiple": self.is_multiple(fields),
        }

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return [fields["choices"][i] for i in sorted(fields["correct"])]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        chosen = response.get("choices") if isinstance(response, dict) else None
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise AnswerShapeError('a multiple-choice answer is {"choices": [choice ids]}')
        by_id = {item_id(c): i for i, c in enumerate(fields["choices"])}
        unknown = [c for c in chosen if c not in by_id]
        if unknown:
            raise AnswerShapeError(f"unknown choice id {unknown[0]!r}")
        picked = {by_id[c] for c in chosen}
        if not self.is_multiple(fields) and len(picked) > 1:
            raise AnswerShapeError("this question takes exactly one choice")
        right = set(fields["correct"])
        return Grade(
            correct=picked == right,
            expected=self.grade_expected(fields, ordinal),
            given=[fields["choices"][i] for i in sorted(picked)],
            feedback={
                "choices": [
                    {"id": item_id(c), "text": c, "correct": i in right, "chosen": i in picked}
                    for i, c in enumerate(fields["choices"])
                ]
            },
        )

    def study_response(self, form: FormData) -> Any:
        if not form.getlist("choice"):
            raise AnswerShapeError("Pick an answer first.")
        return {"choices": form.getlist("choice")}

    def quiz_response(self, kind: str, shown: dict[str, Any], form: FormData, prefix: str) -> Any:
        return {"choices": form.getlist(prefix + "choice")}

    def wrong_given(self, fields: dict[str, Any], given: Any) -> list[str]:
        if not isinstance(given, list):
            return []
        right = {fields["choices"][i] for i in fields.get("correct", [])}
        return [choice for choice in given if isinstance(choice, str) and choice not in right]

    def given_from_response(self, fields: dict[str, Any], response: Any) -> Any:
        by_id = {item_id(c): c for c in fields["choices"]}
        return [by_id.get(c) for c in response.get("choices") or [] if isinstance(c, str)]

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(
            CHOICE,
            fields["prompt"],
            options=tuple(fields["choices"]),
            correct=tuple(sorted(fields["correct"])),
            multiple=self.is_multiple(fields),
        )

    def from_portable(self, item: Portable) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "prompt": item.prompt,
            "choices": list(item.options),
            "correct": sorted(item.correct),
        }
        if item.multiple and len(item.correct) == 1:
            fields["multiple"] = True
        return fields

    def anki_fields(self, fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
        choices = list(enumerate(fields["choices"]))
        correct = set(fields["correct"])
        if len(choices) < 2 or not correct or not correct <= set(range(len(choices))):
            raise ValueError("choices or correct indices out of shape")
        random.Random(guid).shuffle(choices)
        hint = (
            "Select all that apply."
            if fields.get("multiple") or len(correct) > 1
            else "Select one."
        )
        front = "".join(f"<li>{anki_nonempty(c)}</li>" for _, c in choices)
        back = "".join(
            f'<li class="qa-correct">{anki_text(c)} ✓</li>'
            if i in correct
            else f'<li class="qa-wrong">{anki_text(c)}</li>'
            for i, c in choices
        )
        return [
            anki_nonempty(fields["prompt"]),
            f'<ol class="qa-choices" type="A">{front}</ol><div class="qa-hint">{hint}</div>',
            f'<ol class="qa-choices" type="A">{back}</ol>',
        ], [1]

    # --- the question linter (:mod:`.lint`) ----------------------------------------

    def lint(self, qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
        prompt = str(fields["prompt"])
        choices = [str(c) for c in fields["choices"]]
        right = {i for i in fields["correct"] if isinstance(i, int) and 0 <= i < len(choices)}
        found = []
        for n, choice in enumerate(choices):
            if OF_THE_ABOVE.search(choice):
                found.append(
                    LintWarning(
                        qid,
                        "choices",
                        f"choice {n + 1} ('{choice}') is an 'of the above' choice: "
                        "list real alternatives (select all that apply, if several are right)",
                        serious=True,
                        code="of-the-above",
                    )
                )
        if NEGATIVE_PROMPT.search(prompt):
            found.append(
                LintWarning(
                    qid,
                    "prompt",
                    "negative wording ('not', 'except'): ask which choices ARE right "
                    "(select all that apply) instead",
                    code="negative",
                )
            )
        wrong = [n for n in range(len(choices)) if n not in right]
        for n in wrong:
            for r in right:
                a, b = normalise(choices[n]), normalise(choices[r])
                if a == b or fuzz.ratio(a, b) >= SAME_CHOICE:
                    found.append(
                        LintWarning(
                            qid,
                            "choices",
                            f"wrong choice {n + 1} ('{choices[n]}') says the same "
                            f"as the right choice {r + 1}: replace the distractor",
                            serious=True,
                            code="distractor-is-answer",
                        )
                    )
                    break
        prompt_rare = rare_words(prompt)
        wrong_words = set().union(*(rare_words(choices[n]) for n in wrong)) if wrong else set()
        for r in sorted(right):
            shared = (rare_words(choices[r]) & prompt_rare) - wrong_words
            if shared and wrong:
                word = sorted(shared)[0]
                found.append(
                    LintWarning(
                        qid,
                        "choices",
                        f"the right choice {r + 1} repeats '{word}' from the prompt "
                        "and no wrong choice does: reword it or use distractors that share the word",
                        code="answer-given",
                    )
                )
                break
        return found

    def asked_text(self, fields: Mapping[str, Any]) -> str:
        choices = fields.get("choices") or []
        right = [
            choices[i]
            for i in fields.get("correct") or []
            if isinstance(i, int) and 0 <= i < len(choices)
        ]
        return f"{fields.get('prompt', '')} {' '.join(map(str, right))}"
