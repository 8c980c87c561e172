"""A question type added from outside the app works end to end: the registry is the one place.

``Numeric`` (a number to type, right within a tolerance) is defined here, in the test, with its
templates in ``tests/fixtures/toy_type/templates/questions/numeric/`` and its editor form below.
The fixture registers the three (type, form, template folder) and nothing else: study, quizzes,
the draft editor, the deck file and the Anki package then work for it with no module of the app
touched. It is unregistered after each test.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from anki.collection import Collection
from jinja2 import ChoiceLoader, FileSystemLoader
from wtforms import StringField, TextAreaField

from quizapp.domain import deck as domain
from quizapp.domain.questions import (
    AnswerShapeError,
    Grade,
    Problem,
    QuestionType,
    register,
    unregister,
)
from quizapp.domain.questions.ankihtml import AnkiNote, anki_nonempty, anki_text
from quizapp.extensions import db
from quizapp.models import QuizAttempt, Review, Role
from quizapp.services import drafts
from quizapp.web.question_forms import QuestionForm, register_form, unregister_form

from ..domain.test_anki import import_package
from ..factories import Clock
from .forms import form_to

TEMPLATES = Path(__file__).resolve().parents[1] / "fixtures" / "toy_type" / "templates"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _number(value: Any) -> float | None:
    """A typed number ("3.5", "100", "1,5"), or None when it is not one."""
    text = str(value or "").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Numeric(QuestionType):
    name = "numeric"
    label = "Number"
    required = ("question", "value")
    optional = ("tolerance",)
    anki_note = AnkiNote(
        model_id=1093418847,
        name="quizapp test Numeric",
        version=1,
        fields=(("Question", 1001), ("Value", 1002), ("Explanation", 1003), ("Source", 1004)),
        template=("Card 1", 1005),
        kind="Number",
        front='<div class="qa-prompt">{{Question}}</div>',
        back='<div class="qa-prompt">{{Question}}</div><hr id="answer">'
        '<div class="qa-answer">{{Value}}</div>',
    )

    def check(self, fields: dict[str, Any]) -> list[Problem]:
        found = []
        if not isinstance(fields["question"], str) or not fields["question"].strip():
            found.append(Problem("question", "'question' must be non-empty text"))
        if not _is_number(fields["value"]):
            found.append(Problem("value", "'value' must be a number, e.g. 100 or 3.5"))
        tolerance = fields.get("tolerance", 0)
        if not _is_number(tolerance) or tolerance < 0:
            found.append(Problem("tolerance", "'tolerance' must be a number, 0 or more"))
        return found

    def answer_fields(self, fields: dict[str, Any]) -> Any:
        return [fields["value"], fields.get("tolerance", 0)]

    def present(self, fields: dict[str, Any], ordinal: int, rng: Any) -> dict[str, Any]:
        return {"prompt": fields["question"]}

    def grade_expected(self, fields: dict[str, Any], ordinal: int) -> Any:
        return fields["value"]

    def grade(self, fields: dict[str, Any], ordinal: int, response: Any) -> Grade:
        given = response.get("number") if isinstance(response, dict) else None
        if not _is_number(given):
            raise AnswerShapeError('a numeric answer is {"number": 42}')
        right = abs(given - fields["value"]) <= fields.get("tolerance", 0)
        return Grade(correct=right, expected=fields["value"], given=given)

    def study_response(self, form) -> Any:
        number = _number(form.get("number"))
        if number is None:
            raise AnswerShapeError("Type a number, e.g. 42 or 3.5.")
        return {"number": number}

    def quiz_response(self, kind: str, shown: dict[str, Any], form, prefix: str) -> Any:
        text = form.get(prefix + "number")
        if text is None or not text.strip():
            return None
        number = _number(text)
        if number is None:
            raise AnswerShapeError("type a number, e.g. 42 or 3.5")
        return {"number": number}

    def anki_fields(self, fields: dict[str, Any], guid: str) -> tuple[list[str], list[int]]:
        return [anki_nonempty(fields["question"]), anki_text(fields["value"])], [1]


class NumericForm(QuestionForm):
    type_name = Numeric.name
    question = TextAreaField("Question")
    value = StringField("The right number")
    tolerance = StringField("Also right within (empty: exactly)")

    def type_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"question": (self.question.data or "").strip()}
        for name in ("value", "tolerance"):
            text = (getattr(self, name).data or "").strip()
            if text or name == "value":
                number = _number(text)
                fields[name] = (
                    text if number is None else (int(number) if number.is_integer() else number)
                )
        return fields

    def load_type_fields(self, fields: dict[str, Any]) -> None:
        self.question.data = fields.get("question") or ""
        self.value.data = str(fields.get("value", ""))
        self.tolerance.data = str(fields.get("tolerance", ""))


@pytest.fixture
def numeric(app):
    register(Numeric())
    register_form(NumericForm)
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(TEMPLATES), loader])
    yield
    app.jinja_env.loader = loader
    unregister_form(Numeric.name)
    unregister(Numeric.name)


def numbers_deck(slug: str = "numbers") -> domain.Deck:
    return domain.Deck(
        id=slug,
        title="Numbers",
        description="How much, how many.",
        questions=[
            domain.Question(
                "boiling",
                "numeric",
                {
                    "question": "At how many °C does water boil at sea level?",
                    "value": 100,
                    "tolerance": 0.5,
                },
                explanation="At 1 atm, water boils at 100 °C.",
                origin=domain.Origin("definition", "Water boils at 100 °C."),
            )
        ],
    )


@pytest.fixture
def clock(app) -> Clock:
    app.config["QUIZAPP_NOW"] = clock = Clock(NOW)
    return clock


@pytest.fixture
def learner(factory, auth, clock):
    user = factory.user()
    auth.login(user)
    return user


@pytest.fixture
def deck(numeric, factory):
    return factory.deck(
        "numbers", **{k: getattr(numbers_deck(), k) for k in ("title", "description", "questions")}
    )


def test_study_a_card_of_a_new_type(client, learner, deck):
    html = client.get("/study/numbers").get_data(as_text=True)
    assert "At how many °C does water boil at sea level?" in html
    assert 'name="number"' in html and "100" not in html
    form = form_to(html, "/answer")
    refused = client.post(form.action, data=form.data(number="boiling hot"))
    assert refused.status_code == 422
    assert "Type a number, e.g. 42 or 3.5." in refused.get_data(as_text=True)
    response = client.post(form.action, data=form.data(number="100,2"))
    assert response.status_code == 302 and "/reviews/" in response.headers["Location"]
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "✓ Right" in result
    assert '<strong class="numeric-expected">100</strong>' in result
    assert '<span class="numeric-given">100.2</span>' in result
    assert "At 1 atm, water boils at 100 °C." in result
    review = db.session.scalar(sa.select(Review))
    assert (review.correct, review.answer) == (True, {"number": 100.2})


def test_take_a_quiz_with_a_new_type(client, learner, deck):
    start = client.get("/quiz/new").get_data(as_text=True)
    assert 'value="numeric"' in start and "Number" in start
    response = client.post(
        "/quiz/new",
        data={"decks": ["numbers"], "count": "5", "types": ["numeric"], "layout": "paged"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(re.search(r"/quiz/(\d+)", response.headers["Location"])[1])
    page = client.get(f"/quiz/{attempt_id}/q/1").get_data(as_text=True)
    assert "At how many °C does water boil at sea level?" in page and 'name="i0-number"' in page
    bad = client.post(f"/quiz/{attempt_id}/q/1", data={"i0-shown": "1", "i0-number": "hot"})
    assert "Question 1: type a number, e.g. 42 or 3.5." in bad.get_data(as_text=True)
    response = client.post(
        f"/quiz/{attempt_id}/q/1", data={"i0-shown": "1", "i0-number": "99", "submit": "1"}
    )
    assert response.headers["Location"].endswith(f"/quiz/{attempt_id}/result")
    html = client.get(f"/quiz/{attempt_id}/result").get_data(as_text=True)
    assert "0 / 1 (0%)" in html and 'data-result="wrong"' in html
    assert "At how many °C does water boil at sea level?" in html  # the question as asked
    assert re.search(r'class="quiz-given">\s*99', html)
    assert re.search(r'class="quiz-expected">\s*100', html)
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.results[0]["kind"] == "numeric" and attempt.results[0]["given"] == 99


def test_edit_a_new_type_in_the_draft_editor(client, factory, auth, numeric):
    teacher = factory.user(Role.INSTRUCTOR)
    auth.login(teacher)
    draft = drafts.create_from_domain(teacher, numbers_deck("numbers-draft"))
    base = f"/instructor/decks/{draft.slug}"
    assert "Number" in client.get(f"{base}/questions/new").get_data(as_text=True)
    editor = client.get(base).get_data(as_text=True)
    assert "At how many °C does water boil at sea level?" in editor  # the type's preview
    filled = client.get(f"{base}/questions/boiling").get_data(as_text=True)
    assert 'name="value"' in filled and 'value="100"' in filled and 'value="0.5"' in filled
    url = f"{base}/questions/new?type=numeric"
    assert client.get(url).status_code == 200
    wrong = client.post(
        url, data={"question": "Body temperature in °C?", "value": "warm", "section": "other"}
    )
    assert wrong.status_code == 400
    assert "&#39;value&#39; must be a number, e.g. 100 or 3.5" in wrong.get_data(as_text=True)
    saved = client.post(
        url,
        data={
            "question": "Body temperature in °C?",
            "value": "37",
            "tolerance": "0.5",
            "section": "other",
        },
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)
    key = saved.location.rsplit("#q-", 1)[1]
    question = drafts.find_question(drafts.working_copy(draft), key)
    assert question["type"] == "numeric"
    assert (question["question"], question["value"], question["tolerance"]) == (
        "Body temperature in °C?",
        37,
        0.5,
    )


def test_export_a_new_type_as_a_deck_file_and_to_anki(client, factory, auth, deck, tmp_path):
    teacher = factory.user(Role.INSTRUCTOR)
    auth.login(teacher)
    draft = drafts.create_from_domain(teacher, numbers_deck("numbers-draft"))
    response = client.get(f"/instructor/decks/{draft.slug}/download")
    assert response.status_code == 200
    data = yaml.safe_load(response.get_data(as_text=True))
    assert data["questions"][0]["type"] == "numeric"
    assert (data["questions"][0]["value"], data["questions"][0]["tolerance"]) == (100, 0.5)

    package = client.get("/decks/numbers/anki")
    assert package.status_code == 200, package.get_data(as_text=True)[:300]
    path = tmp_path / "numbers.apkg"
    path.write_bytes(package.data)
    folder = tmp_path / "anki"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        log = import_package(col, path)
        assert len(log["new"]) == 1
        note = col.get_note(log["new"][0])
        assert note.note_type()["name"] == "quizapp test Numeric"
        assert note["Question"] == "At how many °C does water boil at sea level?"
        assert note["Value"] == "100"
        assert note["Explanation"] == "At 1 atm, water boils at 100 °C."
        card = note.cards()[0]
        assert "At how many °C" in card.question() and "100" in card.answer()
    finally:
        col.close()


def test_the_type_is_gone_after_the_test():
    from quizapp.domain.questions import QUESTION_TYPES
    from quizapp.web.question_forms import FORMS

    assert "numeric" not in QUESTION_TYPES and "numeric" not in FORMS
