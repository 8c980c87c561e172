"""``true_false``: a statement the learner judges; the explanation is always shown after."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizapp.domain.articles.words import words

from .ankihtml import AnkiNote, anki_nonempty
from .base import AnswerShapeError, FormData, Grade, Problem, QuestionType, is_text
from .lint import ABSOLUTE, NEGATION, LintWarning
from .portable import TRUE_FALSE, Portable


class TrueFalse(QuestionType):
    name = "true_false"
    label = "True or false"
    required = ("statement", "answer")
    portable_kind = TRUE_FALSE
    quiz_order = 20
    main_field = "statement"
    #: Its Anki note type: ids generated once, never to change (docs/anki.md).
    anki_note = AnkiNote(
        model_id=1330798976,
        name="quizapp True/False",
        version=1,
        fields=(
            ("Statement", 2689488964829137172),
            ("Answer", 1597180959241005906),
            ("Explanation", 1988032370319379668),
            ("Source", 2672384888859231855),
        ),
        template=("Card 1", 4526440529630544538),
        kind="True or false?",
        front=('<div class="qa-prompt">{{Statement}}</div>'),
        back=(
            '<div class="qa-prompt">{{Statement}}</div><hr id="answer">'
            '<div class="qa-verdict qa-verdict-{{Answer}}">{{Answer}}</div>'
        ),
    )

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        found = []
        if not is_text(fields["statement"]):
            found.append(Problem("statement", "'statement' must be non-empty text"))
        if not isinstance(fields["answer"], bool):
            found.append(Problem("answer", "'answer' must be true or false"))
        return found

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return fields["answer"]

    def present(self, fields: dict[str, Any], ordinal: int, rng: random.Random) -> dict[str, Any]:
        return {"statement": fields["statement"]}

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return fields["answer"]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        given = response.get("answer") if isinstance(response, dict) else None
        if not isinstance(given, bool):
            raise AnswerShapeError('a true/false answer is {"answer": true} or {"answer": false}')
        return Grade(correct=given == fields["answer"], expected=fields["answer"], given=given)

    def prompt_text(self, fields: dict[str, Any]) -> str:
        return fields["statement"]

    def study_response(self, form: FormData) -> Any:
        value = form.get("answer", "")
        return {"answer": {"true": True, "false": False}.get(value, value)}

    def quiz_response(self, kind: str, shown: dict[str, Any], form: FormData, prefix: str) -> Any:
        value = form.get(prefix + "answer")
        if value is None:
            return None
        if value not in ("true", "false"):
            raise AnswerShapeError("choose True or False")
        return {"answer": value == "true"}

    def to_portable(self, fields: dict[str, Any]) -> Portable:
        return Portable(TRUE_FALSE, fields["statement"], truth=fields["answer"])

    def from_portable(self, item: Portable) -> dict[str, Any]:
        return {"statement": item.prompt, "answer": item.truth}

    def anki_fields(self, fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
        answer = fields["answer"]
        if not isinstance(answer, bool):
            raise TypeError("answer is not a boolean")
        return [anki_nonempty(fields["statement"]), "True" if answer else "False"], [1]

    # --- the question linter (:mod:`.lint`) ----------------------------------------

    def lint(self, qid: str, fields: Mapping[str, Any], explanation: str) -> list[LintWarning]:
        statement = str(fields["statement"])
        found = []
        m = ABSOLUTE.search(statement)
        if m:
            found.append(
                LintWarning(
                    qid,
                    "statement",
                    f"'{m.group(1)}' makes the statement easy to guess: state the "
                    "claim without the absolute, or ask it another way",
                    code="absolute",
                )
            )
        m = NEGATION.search(statement)
        if m:
            found.append(
                LintWarning(
                    qid,
                    "statement",
                    f"negative wording ('{m.group(0)}'): state the claim positively "
                    "so that true means the claim holds",
                    code="negative",
                )
            )
        if fields.get("answer") is False and len(words(explanation)) <= 1:
            found.append(
                LintWarning(
                    qid,
                    "explanation",
                    "a false statement needs its correction: say what is true in the explanation",
                    serious=True,
                    code="no-correction",
                )
            )
        return found

    def asked_text(self, fields: Mapping[str, Any]) -> str:
        return str(fields.get("statement", ""))
