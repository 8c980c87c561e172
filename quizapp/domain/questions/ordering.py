"""``ordering``: put 3 to 8 steps of a causal chain in order; feedback per position."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from rapidfuzz import fuzz

from quizapp.domain.numbers import parse_count

from .ankihtml import LETTERS, AnkiNote, anki_nonempty
from .base import (
    AnswerShapeError,
    FormData,
    Grade,
    Problem,
    QuestionType,
    digits,
    is_text,
    item_id,
)
from .lint import SAME_CHOICE, LintWarning
from .portable import SEQUENCE, Portable
from .text import normalise

MIN_STEPS, MAX_STEPS = 3, 8


class Ordering(QuestionType):
    name = "ordering"
    label = "Put in order"
    required = ("prompt", "steps")
    portable_kind = SEQUENCE
    quiz_order = 30
    answer_joiner = " → "
    ordered_answer = True
    #: Its Anki note type: ids generated once, never to change (docs/anki.md).
    anki_note = AnkiNote(
        model_id=1641936782,
        name="quizapp Ordering",
        version=1,
        fields=(
            ("Prompt", 3992163635879825825),
            ("Steps", 2752689426679540195),
            ("Order", 1251277107122238404),
            ("Explanation", 3006858502367211688),
            ("Source", 1733961405519318711),
        ),
        template=("Card 1", 2306123418437012399),
        kind="Put in order",
        front=('<div class="qa-prompt">{{Prompt}}</div>{{Steps}}'),
        back=('<div class="qa-prompt">{{Prompt}}</div><hr id="answer">{{Order}}'),
    )

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        found = []
        if not is_text(fields["prompt"]):
            found.append(Problem("prompt", "'prompt' must be non-empty text"))
        steps = fields["steps"]
        if not isinstance(steps, list) or not all(is_text(s) for s in steps):
            return found + [
                Problem("steps", "'steps' must be a list of non-empty texts, in the correct order")
            ]
        if not MIN_STEPS <= len(steps) <= MAX_STEPS:
            found.append(
                Problem("steps", f"needs {MIN_STEPS} to {MAX_STEPS} steps, has {len(steps)}")
            )
        if len({s.strip().casefold() for s in steps}) != len(steps):
            found.append(Problem("steps", "two steps have the same text"))
        return found

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return list(fields["steps"])

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        steps = [{"id": item_id(s), "text": s} for s in fields["steps"]]
        # A plain uniform shuffle, which may leave the steps in order. Re-drawing until the order
        # is wrong would tell the learner one order that is never right, and a learner who sees
        # the question often (quizzes can be started at will) would find the right order as the
        # one never shown: 3 steps have 5 wrong orders. A uniform shuffle tells nothing.
        rng.shuffle(steps)
        return {"prompt": fields["prompt"], "steps": steps}

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return list(fields["steps"])

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        order = response.get("order") if isinstance(response, dict) else None
        ids = [item_id(s) for s in fields["steps"]]
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(ids):
            raise AnswerShapeError('an ordering answer is {"order": [every step id, once]}')
        text = dict(zip(ids, fields["steps"], strict=True))
        positions = [given == right for given, right in zip(order, ids, strict=True)]
        return Grade(
            correct=all(positions),
            expected=list(fields["steps"]),
            given=[text[i] for i in order],
            feedback={"positions": positions},
        )

    def study_response(self, form: FormData) -> Any:
        positions = {}
        for name, value in form.items():
            if name.startswith("pos-"):
                position = digits(value, 3)
                if position is None:
                    raise AnswerShapeError("Give every step a position number.")
                positions[name[4:]] = position
        if len(set(positions.values())) != len(positions):
            raise AnswerShapeError("Give each step a different position (1, 2, 3, ...).")
        return {"order": sorted(positions, key=positions.__getitem__)}

    def quiz_response(self, kind: str, shown: dict[str, Any], form: FormData, prefix: str) -> Any:
        steps = shown["steps"]
        positions = {}
        for step in steps:
            position = parse_count(
                form.get(prefix + "pos-" + step["id"], ""), most=len(steps), least=1
            )
            if position is None:
                raise AnswerShapeError(f"give every step a position, 1 to {len(steps)}")
            positions[step["id"]] = position
        if sorted(positions.values()) != list(range(1, len(positions) + 1)):
            raise AnswerShapeError(f"give each step a different position, 1 to {len(positions)}")
        return {"order": sorted(positions, key=positions.__getitem__)}

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(SEQUENCE, fields["prompt"], options=tuple(fields["steps"]))

    def from_portable(self, item: Portable) -> dict[str, Any]:
        return {"prompt": item.prompt, "steps": list(item.options)}

    def anki_fields(self, fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
        steps = [anki_nonempty(s) for s in fields["steps"]]
        if len(steps) < 2:
            raise ValueError("too few steps")
        order = list(range(len(steps)))
        rng = random.Random(guid)
        # A shuffle that leaves the steps in order would give the answer away; rotate as a last
        # resort.
        for _ in range(10):
            rng.shuffle(order)
            if order != sorted(order):
                break
        else:
            order = order[1:] + order[:1]
        letter = {step: LETTERS[pos] for pos, step in enumerate(order)}
        front = "".join(f"<li>{steps[i]}</li>" for i in order)
        back = "".join(
            f'<li>{s} <span class="qa-letter">({letter[i]})</span></li>'
            for i, s in enumerate(steps)
        )
        return [
            anki_nonempty(fields["prompt"]),
            f'<ol class="qa-steps" type="A">{front}</ol>',
            f'<ol class="qa-order">{back}</ol>',
        ], [1]

    # --- the question linter (:mod:`.lint`) ----------------------------------------

    def lint(self, qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
        steps = [normalise(str(s)) for s in fields["steps"]]
        for n, step in enumerate(steps):
            for m in range(n):
                if fuzz.ratio(step, steps[m]) >= SAME_CHOICE:
                    return [
                        LintWarning(
                            qid,
                            "steps",
                            f"steps {m + 1} and {n + 1} say the same thing: merge or reword them",
                            serious=True,
                            code="duplicate-step",
                        )
                    ]
        return []

    def asked_text(self, fields: Mapping[str, Any]) -> str:
        return f"{fields.get('prompt', '')} {' '.join(map(str, fields.get('steps') or []))}"
