"""The type-specific editor forms: one form per question type, all sharing the common fields.

This is the one per-type piece outside the question type's own module: a form is a WTForms class
(a web library the domain does not import). Each form names its type through the type class
(``Cloze.name``), its fields' markup is the type's ``templates/questions/<type>/edit.html``, and a
new type adds its form with :func:`register_form`.

A form turns itself into a deck-file question mapping (:meth:`QuestionForm.to_question`) and back
(:func:`form_for`); whether the question is valid is the question type's call
(``get_type(type).problems``), whose messages :meth:`QuestionForm.show_problems` puts under the
field they are about.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from quizapp.domain.deck import SECTIONS
from quizapp.domain.limits import MAX_TEXT_CHARS
from quizapp.domain.questions import Problem
from quizapp.domain.questions.basic import Basic
from quizapp.domain.questions.cloze import Cloze
from quizapp.domain.questions.multiple_choice import MultipleChoice
from quizapp.domain.questions.ordering import Ordering
from quizapp.domain.questions.true_false import TrueFalse

from .forms import choice

MAX_TEXT = MAX_TEXT_CHARS  # the deck-file limit, so the editor and files agree
SECTION_LABELS = {
    "definition": "Definition (Plain English)",
    "takeaway": "Takeaway (3 Things to Remember)",
    "misconception": "Common misconception",
    "mechanism": "The mechanism",
    "signs": "Signs",
    "why_it_matters": "Why it matters",
    "other": "Other",
}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(FlaskForm):
    """The fields every question has; subclasses add their type's own."""

    type_name: ClassVar[str]
    #: Type field (as named by the question type's problems) → form field that shows its errors.
    error_fields: ClassVar[dict[str, str]] = {}

    explanation = TextAreaField(
        "Explanation (shown after answering)", validators=[Optional(), Length(max=MAX_TEXT)]
    )
    section = SelectField(
        "Article section", choices=[choice(s, SECTION_LABELS[s]) for s in SECTIONS], default="other"
    )
    quote = TextAreaField(
        "Source quote (the sentence it comes from)", validators=[Optional(), Length(max=MAX_TEXT)]
    )
    tags = StringField("Tags (separated by spaces)", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Save question")

    general_errors: list[str]

    def type_fields(self) -> dict[str, Any]:
        raise NotImplementedError

    def load_type_fields(self, fields: dict[str, Any]) -> None:
        raise NotImplementedError

    def to_question(self) -> dict[str, Any]:
        """The deck-file mapping of the question (without ``id``)."""
        question: dict[str, Any] = {"type": self.type_name, **self.type_fields()}
        explanation = (self.explanation.data or "").strip()
        if explanation:
            question["explanation"] = explanation
        question["origin"] = {
            "section": self.section.data or "other",
            "quote": (self.quote.data or "").strip(),
        }
        tags = [t for t in re.split(r"[\s,]+", self.tags.data or "") if t]
        if tags:
            question["tags"] = tags
        return question

    def load(self, question: dict[str, Any]) -> None:
        """Fill the form from a deck-file mapping (for GET)."""
        origin = question.get("origin") or {}
        self.explanation.data = question.get("explanation") or ""
        self.section.data = origin.get("section") or "other"
        self.quote.data = origin.get("quote") or ""
        self.tags.data = " ".join(question.get("tags") or [])
        self.load_type_fields(
            {
                k: v
                for k, v in question.items()
                if k not in ("id", "type", "explanation", "origin", "tags")
            }
        )

    def show_problems(self, problems: list[Problem]) -> None:
        self.general_errors = []
        for problem in problems:
            name = self.error_fields.get(problem.field, problem.field)
            target = getattr(self, name, None)
            if target is None or not hasattr(target, "errors"):
                self.general_errors.append(problem.message)
                continue
            if not isinstance(target.errors, list):
                target.errors = list(target.errors)
            target.errors.append(problem.message)


class ClozeForm(QuestionForm):
    type_name = Cloze.name
    text = TextAreaField(
        "Text with deletions",
        validators=[Length(max=MAX_TEXT)],
        description="Mark each term to hide as {{c1::term}}; add a hint with {{c1::term::hint}}. "
        "{{c2::…}} makes a second card, and several {{c1::…}} are hidden together.",
    )

    def type_fields(self) -> dict[str, Any]:
        return {"text": (self.text.data or "").strip()}

    def load_type_fields(self, fields: dict[str, Any]) -> None:
        self.text.data = fields.get("text") or ""


class TrueFalseForm(QuestionForm):
    type_name = TrueFalse.name
    statement = TextAreaField("Statement", validators=[Length(max=MAX_TEXT)])
    answer = RadioField(
        "The statement is",
        validate_choice=False,
        choices=[choice("true", "True"), choice("false", "False")],
    )

    def show_problems(self, problems: list[Problem]) -> None:
        if any(p.field == "answer" for p in problems):
            problems = [p for p in problems if p.field != "answer"]
            problems.append(Problem("answer", "Choose whether the statement is true or false."))
        super().show_problems(problems)

    def type_fields(self) -> dict[str, Any]:
        answer = {"true": True, "false": False}.get(self.answer.data or "")
        return {"statement": (self.statement.data or "").strip(), "answer": answer}

    def load_type_fields(self, fields: dict[str, Any]) -> None:
        self.statement.data = fields.get("statement") or ""
        answer = fields.get("answer")
        self.answer.data = "true" if answer is True else "false" if answer is False else None


class OrderingForm(QuestionForm):
    type_name = Ordering.name
    prompt = TextAreaField(
        "Prompt", validators=[Length(max=MAX_TEXT)], default="Put the steps in order."
    )
    steps = TextAreaField(
        "Steps, one per line, in the correct order",
        validators=[Length(max=MAX_TEXT * 2)],
        description="3 to 8 steps. Learners see them shuffled.",
    )

    def type_fields(self) -> dict[str, Any]:
        return {"prompt": (self.prompt.data or "").strip(), "steps": _lines(self.steps.data)}

    def load_type_fields(self, fields: dict[str, Any]) -> None:
        self.prompt.data = fields.get("prompt") or ""
        self.steps.data = "\n".join(str(s) for s in fields.get("steps") or [])


class ChoiceRow(Form):
    """One line of a multiple-choice question: its text and whether it is right."""

    text = StringField("Choice", validators=[Optional(), Length(max=1000)])
    correct = BooleanField("Correct")


MIN_CHOICE_ROWS, MAX_CHOICE_ROWS = 4, 100


class MultipleChoiceForm(QuestionForm):
    type_name = MultipleChoice.name
    error_fields: ClassVar[dict[str, str]] = {"correct": "choices", "multiple": "multiple"}
    prompt = TextAreaField("Prompt", validators=[Length(max=MAX_TEXT)])
    choices = FieldList(
        FormField(ChoiceRow),
        "Choices, one per line; tick the right ones",
        min_entries=MIN_CHOICE_ROWS,
        max_entries=MAX_CHOICE_ROWS,
    )
    multiple = BooleanField("Say “select all that apply” even when only one is right")

    def show_problems(self, problems: list[Problem]) -> None:
        if not any(row.get("correct") for row in self.choices.data):
            problems = [p for p in problems if p.field != "correct"]
            problems.append(Problem("correct", "Tick the right choice (or choices)."))
        super().show_problems(problems)

    def type_fields(self) -> dict[str, Any]:
        rows = [row for row in self.choices.data if (row.get("text") or "").strip()]
        fields: dict[str, Any] = {
            "prompt": (self.prompt.data or "").strip(),
            "choices": [row["text"].strip() for row in rows],
            "correct": [i for i, row in enumerate(rows) if row.get("correct")],
        }
        if self.multiple.data:
            fields["multiple"] = True
        return fields

    def load_type_fields(self, fields: dict[str, Any]) -> None:
        self.prompt.data = fields.get("prompt") or ""
        choices = [str(c) for c in fields.get("choices") or []]
        correct = set(fields.get("correct") or [])
        while self.choices.entries:
            self.choices.pop_entry()
        rows = min(MAX_CHOICE_ROWS, max(MIN_CHOICE_ROWS, len(choices) + 2))
        for i in range(rows):
            self.choices.append_entry(
                {"text": choices[i] if i < len(choices) else "", "correct": i in correct}
            )
        self.multiple.data = bool(fields.get("multiple"))


class BasicForm(QuestionForm):
    type_name = Basic.name
    front = TextAreaField("Front (the question)", validators=[Length(max=MAX_TEXT)])
    back = TextAreaField("Back (the answer)", validators=[Length(max=MAX_TEXT)])

    def type_fields(self) -> dict[str, Any]:
        return {"front": (self.front.data or "").strip(), "back": (self.back.data or "").strip()}

    def load_type_fields(self, fields: dict[str, Any]) -> None:
        self.front.data = fields.get("front") or ""
        self.back.data = fields.get("back") or ""


#: Question type name → its editor form. A new type adds its form with :func:`register_form`.
FORMS: dict[str, type[QuestionForm]] = {}


def register_form(form: type[QuestionForm]) -> type[QuestionForm]:
    """Make ``form`` the editor form of the question type named by its ``type_name``."""
    FORMS[form.type_name] = form
    return form


def unregister_form(type_name: str) -> None:
    """Forget the editor form of ``type_name`` (tests that add a type of their own)."""
    FORMS.pop(type_name, None)


for _form in (ClozeForm, TrueFalseForm, OrderingForm, MultipleChoiceForm, BasicForm):
    register_form(_form)


def form_for(type_name: str, question: dict[str, Any] | None = None) -> QuestionForm:
    """The editor form of ``type_name``: from the request on POST, else from ``question``."""
    form = FORMS[type_name]()
    form.general_errors = []
    if not form.is_submitted():
        form.load(question or {"type": type_name})
    return form
