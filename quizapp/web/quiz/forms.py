"""The quiz forms: starting a quiz, and an assignment's quiz settings (times in the class's zone)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    SubmitField,
    widgets,
)
from wtforms.validators import NumberRange, Optional

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # wtforms < 3.3 takes (value, label) tuples

    def SelectChoice(value: str, label: str) -> tuple[str, str]:  # type: ignore[no-redef]
        return value, label


from quizapp.domain import quiz as rules
from quizapp.domain.questions import get_type


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _type_label(name: str) -> str:
    qtype = get_type(name)
    return qtype.quiz_label or qtype.label


def type_choices() -> list[SelectChoice]:
    return [SelectChoice(t, _type_label(t)) for t in rules.quiz_types()]


class StartForm(FlaskForm):
    decks = MultiCheckboxField("Decks", choices=[])
    count = IntegerField(
        "Number of questions",
        default=rules.DEFAULT_QUESTIONS,
        validators=[NumberRange(1, rules.MAX_QUESTIONS)],
    )
    types = MultiCheckboxField("Question types", choices=type_choices(), default=rules.quiz_types)
    only_missed = BooleanField("Only questions I got wrong before")
    time_limit = IntegerField(
        "Time limit in minutes (empty: none)", validators=[Optional(), NumberRange(1, 600)]
    )
    layout = RadioField(
        "Show",
        default="paged",
        choices=[
            SelectChoice("paged", "One question per page"),
            SelectChoice("all", "All questions on one page"),
        ],
    )
    submit = SubmitField("Start the quiz")

    def deck_choices(self, decks) -> None:
        """Offer ``decks`` (the ones the learner may see) by slug, with their titles."""
        self.decks.choices = [SelectChoice(d.slug, d.title) for d in decks]


class AssignmentQuizForm(FlaskForm):
    question_count = IntegerField(
        "Number of questions (empty: no quiz)",
        validators=[Optional(), NumberRange(1, rules.MAX_QUESTIONS)],
    )
    time_limit = IntegerField(
        "Time limit in minutes (empty: none)", validators=[Optional(), NumberRange(1, 600)]
    )
    opens_at = DateTimeLocalField(
        "Opens at (empty: now)", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    closes_at = DateTimeLocalField(
        "Closes at (empty: never)", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    max_attempts = IntegerField(
        "Attempts allowed (empty: no limit)", validators=[Optional(), NumberRange(1, 100)]
    )
    submit = SubmitField("Save the quiz settings")

    def in_zone(self, timezone: str) -> None:
        """Name the class's zone in the labels of the opening and closing times."""
        self.opens_at.label.text = f"Opens at ({timezone} time; empty: now)"
        self.closes_at.label.text = f"Closes at ({timezone} time; empty: never)"
