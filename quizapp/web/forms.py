"""The flask-wtf forms of accounts, administration, classes and the instructor workspace.

Every form carries a CSRF token (flask-wtf). Fields only check shape here; the rules that need the
database or the question-type registry (a taken email, a weak password, a question's fields) are
the services' and the registry's, and their messages are attached to the fields by the views.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from quizapp.domain.interop import MAX_COLUMNS
from quizapp.models import Role, Visibility

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as _SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    _SelectChoice = None


def choice(value: str, label: str):
    """One option of a select field, in the form the installed WTForms prefers."""
    return _SelectChoice(value, label) if _SelectChoice else (value, label)


class LoginForm(FlaskForm):
    email = StringField(
        "Email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"type": "email", "autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()
    submit = SubmitField("Sign in")


class NewAccountForm(FlaskForm):
    """A new account's password (twice) and time zone; registering with an invite is only this
    (the email is the invite's)."""

    password = PasswordField(
        "Password",
        validators=[DataRequired()],
        description="At least 10 characters.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", "The two passwords are not the same.")],
        render_kw={"autocomplete": "new-password"},
    )
    #: Filled in by static/app.js from the browser's time zone (the learner can change it later).
    timezone = HiddenField(render_kw={"data-browser-timezone": ""})
    submit = SubmitField("Create account")


class RegisterForm(NewAccountForm):
    email = StringField(
        "Email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"type": "email", "autocomplete": "username"},
    )
    next = HiddenField()


class _NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        "New password",
        validators=[DataRequired()],
        description="At least 10 characters.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", "The two passwords are not the same.")],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(_NewPasswordForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Change password")


class ForgotForm(FlaskForm):
    email = StringField(
        "Email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"type": "email", "autocomplete": "username"},
    )
    submit = SubmitField("Email me a reset link")


class ResetForm(_NewPasswordForm):
    submit = SubmitField("Set password")


class EmailForm(FlaskForm):
    email = StringField(
        "New email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"type": "email", "autocomplete": "email"},
    )
    current = PasswordField(
        "Current password",
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Change email")


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=80)],
        description="What it is for, e.g. “laptop script”.",
        render_kw={"autocomplete": "off"},
    )
    submit = SubmitField("Create token")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[choice(r.value, r.value.capitalize()) for r in Role])
    submit = SubmitField("Save")


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: for buttons that post (sign out, delete, move)."""


VISIBILITY_CHOICES = [
    choice(Visibility.PRIVATE.value, "Private: only me"),
    choice(Visibility.CLASS.value, "Class: members of your classes it is assigned to"),
    choice(Visibility.PUBLIC.value, "Public: everyone"),
]


class ArticleForm(FlaskForm):
    """New deck from an article: a file, or pasted text."""

    article = FileField("Article file (.txt, .md or .html)")
    text = TextAreaField("…or paste the article text", validators=[Optional()])
    title = StringField(
        "Title (optional; taken from the article when empty)",
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField("Build draft deck")


class NewDeckForm(FlaskForm):
    """New empty deck, to be filled in the editor."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Create deck")


class DeckDetailsForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save details")


class DeckFileForm(FlaskForm):
    """Upload a deck file back into an existing deck (its draft)."""

    deck_file = FileField("Deck file (.yaml)")
    submit = SubmitField("Upload deck file")


class ImportQuestionsForm(FlaskForm):
    """Upload questions made elsewhere: Anki or Quizlet text, GIFT, Moodle XML (docs/interop.md)."""

    questions_file = FileField("File (.csv, .tsv, .txt, .gift, .xml)")
    separator = StringField(
        "Separator (optional)",
        validators=[Optional(), Length(max=10)],
        description="Only for text files whose separator is not a tab, "
        "comma, semicolon or |, e.g. “ - ” from Quizlet.",
    )
    choose_columns = BooleanField("Let me choose what each column is (CSV, TSV, TXT)")
    submit = SubmitField("Import")


#: What a column of a text file can be (quizapp.domain.interop.ankitext.ROLES).
COLUMN_CHOICES = [
    choice(value, label)
    for value, label in (
        ("front", "Front"),
        ("back", "Back"),
        ("tags", "Tags"),
        ("ignore", "Ignore"),
        ("text", "Cloze text"),
        ("extra", "Cloze extra"),
    )
]


class ColumnsForm(FlaskForm):
    """Step two of importing a text file without headers: what each column is."""

    token = HiddenField()
    columns = FieldList(SelectField(choices=COLUMN_CHOICES), max_entries=MAX_COLUMNS)
    submit = SubmitField("Import with these columns")


class PublishForm(FlaskForm):
    visibility = SelectField(
        "Who can study it", choices=VISIBILITY_CHOICES, default=Visibility.CLASS.value
    )
    classroom = SelectField("Assign to one of your classes", choices=[], validate_choice=False)
    new_class = StringField("…or to a new class named", validators=[Optional(), Length(max=120)])
    target_date = DateField(
        "Due date (optional; ends at 23:59 in the class's time zone)", validators=[Optional()]
    )
    submit = SubmitField("Publish")


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired(), Length(max=120)])
    submit = SubmitField("Create class")


class JoinForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[InputRequired(), Length(max=32)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    submit = SubmitField("Join class")


class AssignForm(FlaskForm):
    """A deck to assign and its due date and time, in the class's time zone (the view names it)."""

    deck = SelectField("Deck", choices=[], validate_choice=False)
    target_date = DateField("Due date (optional)", validators=[Optional()])
    due_time = TimeField(
        "Due time (empty: the end of the day)", format="%H:%M", validators=[Optional()]
    )
    submit = SubmitField("Assign deck")

    def in_zone(self, timezone: str) -> None:
        """Name the class's zone in the labels of the date and the time."""
        self.target_date.label.text = f"Due date ({timezone}, optional)"
        self.due_time.label.text = f"Due time ({timezone}; empty: the end of the day)"


class ClassTimeZoneForm(FlaskForm):
    """The class's time zone (choices: every zone the machine knows, set by the view)."""

    timezone = SelectField("Time zone", choices=[])
    submit = SubmitField("Save the time zone")


class InviteForm(FlaskForm):
    """An invite: the email it is for, the role and maybe a class (choices set by the view)."""

    email = StringField(
        "Email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    role = SelectField("Role", choices=[], validate_choice=False)
    classroom = SelectField("Join this class (optional)", choices=[], validate_choice=False)
    submit = SubmitField("Create invite")


class UsersCsvForm(FlaskForm):
    """Bulk creation of accounts: a CSV of ``email,role[,password]``."""

    users_file = FileField("CSV file: email,role[,password] per line")
    submit = SubmitField("Create accounts")
