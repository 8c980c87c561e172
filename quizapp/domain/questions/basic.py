"""``basic``: a front to recall and a back to check, rated by the learner.

In a quiz (self-rating is not possible there) a basic card is a multiple choice between its back
and the backs of other basic questions in the quizzed decks (Quizlet's Test mode does the same
with definitions). When the decks have fewer than two other backs to offer, the learner types the
answer instead, graded with cloze's fuzzy :func:`~quizapp.domain.questions.cloze.matches`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizapp.domain.articles.words import words

from .ankihtml import AnkiNote, anki_nonempty
from .base import AnswerShapeError, FormData, Grade, Problem, QuestionType, is_text, item_id
from .cloze import matches, normalise
from .lint import LintWarning, contains
from .portable import RECALL, Portable

#: A basic card becomes a choice between its back and up to three other backs, given at least two.
BASIC_CHOICES = 4
MIN_BASIC_CHOICES = 3
#: The two ways a basic card is asked in a quiz.
CHOICE_KIND, TYPED_KIND = "basic_choice", "basic_typed"


def quote_repeats(quote: Any, answer: Any) -> bool:
    """Whether a source quote says no more than the answer shown above it (a basic card whose
    back is its source sentence): the page then leaves the quote out."""
    if not isinstance(quote, str) or not isinstance(answer, str):
        return False
    return normalise(quote) == normalise(answer)


class Basic(QuestionType):
    name = "basic"
    label = "Basic"
    required = ("front", "back")
    self_rated = True
    portable_kind = RECALL
    quiz_order = 50
    main_field = "front"
    quiz_label = "Basic (recall a definition)"
    quiz_kinds = (CHOICE_KIND, TYPED_KIND)
    #: Its Anki note type: ids generated once, never to change (docs/anki.md).
    anki_note = AnkiNote(
        model_id=1727527890,
        name="quizapp Basic",
        version=1,
        fields=(
            ("Front", 1081466068677984789),
            ("Back", 760320466258259243),
            ("Explanation", 3829176609083410419),
            ("Source", 3870459333071094909),
        ),
        template=("Card 1", 388641905621755448),
        kind="Recall",
        front=('<div class="qa-prompt">{{Front}}</div>'),
        back=(
            '<div class="qa-prompt">{{Front}}</div><hr id="answer">'
            '<div class="qa-answer">{{Back}}</div>'
        ),
    )

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        return [
            Problem(k, f"'{k}' must be non-empty text")
            for k in self.required
            if not is_text(fields[k])
        ]

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return fields["back"]

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        return {"front": fields["front"]}

    def prompt_text(self, fields: dict[str, Any]) -> str:
        return fields["front"]

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return fields["back"]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        if response is not None and not isinstance(response, dict):
            raise AnswerShapeError("a basic card takes {} (reveal) as its answer")
        return Grade(correct=None, expected=fields["back"])

    # --- quizzes: a choice between backs, or typed ---------------------------------------------

    def quiz_pool_text(self, fields: dict[str, Any]) -> str | None:
        return fields["back"]

    def quiz_item(
        self, question_id: int, pool: dict[int, str], rng: random.Random
    ) -> dict[str, Any]:
        own = normalise(pool.get(question_id, ""))
        seen = {own}
        others = []
        for qid, back in pool.items():
            key = normalise(back)
            if qid != question_id and key not in seen:
                seen.add(key)
                others.append(qid)
        if len(others) + 1 < MIN_BASIC_CHOICES:
            return {"mode": "typed"}
        return {
            "mode": "choice",
            "distractors": rng.sample(others, k=min(BASIC_CHOICES - 1, len(others))),
        }

    def quiz_kind(self, item: Any) -> str:
        return CHOICE_KIND if item.get("mode") == "choice" else TYPED_KIND

    def quiz_present(
        self, item: Any, fields: dict[str, Any], pool: list[str], rng: random.Random
    ) -> tuple[str, dict[str, Any]]:
        if self.quiz_kind(item) == CHOICE_KIND:
            choices = [{"id": item_id(t), "text": t} for t in [fields["back"], *pool]]
            rng.shuffle(choices)
            return "Which is right?", {
                "prompt": fields["front"],
                "choices": choices,
                "multiple": False,
            }
        return "Type the answer", {"prompt": fields["front"]}

    def quiz_grade(
        self, item: Any, fields: dict[str, Any], response: Any, pool: list[str]
    ) -> Grade:
        right = fields["back"]
        if self.quiz_kind(item) == CHOICE_KIND:
            texts = [right, *pool]
            chosen = response.get("choices") if isinstance(response, dict) else None
            if not isinstance(chosen, list) or len(chosen) != 1 or not isinstance(chosen[0], str):
                raise AnswerShapeError('this question takes one choice: {"choices": [choice id]}')
            by_id = {item_id(t): t for t in texts}
            if chosen[0] not in by_id:
                raise AnswerShapeError(f"unknown choice id {chosen[0]!r}")
            return Grade(
                correct=chosen[0] == item_id(right),
                expected=right,
                given=by_id[chosen[0]],
                feedback={
                    "choices": [
                        {
                            "id": item_id(t),
                            "text": t,
                            "correct": t == right,
                            "chosen": item_id(t) == chosen[0],
                        }
                        for t in texts
                    ]
                },
            )
        typed = response.get("text") if isinstance(response, dict) else None
        if not isinstance(typed, str):
            raise AnswerShapeError('type the answer: {"text": "..."}')
        return Grade(correct=matches(typed, right), expected=right, given=typed)

    def quiz_response(self, kind: str, shown: dict[str, Any], form: FormData, prefix: str) -> Any:
        if kind == CHOICE_KIND:
            return {"choices": form.getlist(prefix + "choice")}
        return {"text": form.get(prefix + "text", "")}

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(RECALL, fields["front"], answer=fields["back"])

    def from_portable(self, item: Portable) -> dict[str, Any]:
        return {"front": item.prompt, "back": item.answer}

    def anki_fields(self, fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
        return [anki_nonempty(fields["front"]), anki_nonempty(fields["back"])], [1]

    # --- the question linter (:mod:`.lint`) ----------------------------------------

    def lint(self, qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
        front, back = str(fields["front"]), str(fields["back"])
        found = []
        core = back.strip().rstrip(".!").strip()
        if core and len(words(core)) <= 8 and contains(front, core):
            found.append(
                LintWarning(
                    qid,
                    "front",
                    "the answer on the back is written on the front: ask without it",
                    serious=True,
                    code="answer-given",
                )
            )
        return found

    def asked_text(self, fields: Mapping[str, Any]) -> str:
        return f"{fields.get('front', '')} {fields.get('back', '')}"
