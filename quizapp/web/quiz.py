"""Quiz pages: start a quiz, take it (one question per page or all on one), submit, see the result
and the history, and the quiz of a class assignment (its learners' page and its instructor's).

Every page works without JavaScript: answers travel in ordinary forms and are saved on every
move between questions. ``static/quiz.js`` adds autosave, a live countdown and up/down buttons
for ordering questions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
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
from quizapp.domain.numbers import parse_count
from quizapp.domain.questions import AnswerShapeError, get_type, type_for_quiz_kind
from quizapp.models import utcnow
from quizapp.services import decks as deck_service
from quizapp.services import quiz as service

from .errors import error_response

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


def now() -> datetime:
    """The current time, aware UTC, from the app's injectable clock ``QUIZAPP_NOW`` (a callable;
    the same one the study pages use, so tests move one clock) or the real one."""
    clock: Callable[[], datetime] | None = current_app.config.get("QUIZAPP_NOW")
    return clock().astimezone(UTC) if callable(clock) else utcnow()


@bp.app_template_global("quiz_percent")
def quiz_percent(attempt) -> int | None:
    return service.percent(attempt)


@bp.app_template_filter("quiz_time")
def quiz_time(at: datetime | None) -> str:
    return rules.format_time(at) if at else ""


@bp.app_template_filter("quiz_duration")
def quiz_duration(seconds: float | None) -> str:
    return "" if seconds is None else rules.format_duration(seconds)


@bp.app_template_global("quiz_time_taken")
def quiz_time_taken(attempt) -> float | None:
    return service.time_taken_s(attempt)


@bp.app_template_global("quiz_seconds_left")
def quiz_seconds_left(attempt, at: datetime) -> int:
    return max(0, int((attempt.expires_at - at).total_seconds()))


@bp.app_template_global("quiz_is_timed")
def quiz_is_timed(attempt) -> bool:
    """True when the attempt ends sooner than the resume window: a limit or a closing time."""
    return bool(attempt.settings.get("time_limit_s")) or (
        attempt.expires_at - attempt.started_at < rules.RESUME_WINDOW)


@bp.app_template_global("quiz_chosen")
def quiz_chosen(saved: Any) -> list[str]:
    chosen = saved.get("choices") if isinstance(saved, dict) else None
    return [c for c in chosen if isinstance(c, str)] if isinstance(chosen, list) else []


@bp.app_template_global("quiz_typed")
def quiz_typed(saved: Any) -> list[str]:
    text = saved.get("text") if isinstance(saved, dict) else None
    if isinstance(text, str):
        return [text]
    return [t for t in text if isinstance(t, str)] if isinstance(text, list) else []


@bp.app_template_global("quiz_steps")
def quiz_steps(item: service.ItemView, saved: Any) -> list[dict[str, Any]]:
    """An ordering item's steps in the learner's saved order, else in the shuffled order."""
    steps = item.shown["steps"]
    order = saved.get("order") if isinstance(saved, dict) else None
    by_id = {step["id"]: step for step in steps}
    if isinstance(order, list) and sorted(map(str, order)) == sorted(by_id):
        return [by_id[i] for i in order]
    return steps


def _failed(exc: service.QuizServiceError):
    return error_response(exc.status, exc.message, "Quiz")


# --- forms --------------------------------------------------------------------------------------

class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _type_label(name: str) -> str:
    qtype = get_type(name)
    return qtype.quiz_label or qtype.label


def _type_choices() -> list[SelectChoice]:
    return [SelectChoice(t, _type_label(t)) for t in rules.quiz_types()]


class StartForm(FlaskForm):
    decks = MultiCheckboxField("Decks", choices=[])
    count = IntegerField("Number of questions", default=rules.DEFAULT_QUESTIONS,
                         validators=[NumberRange(1, rules.MAX_QUESTIONS)])
    types = MultiCheckboxField("Question types",
                               choices=_type_choices(), default=rules.quiz_types)
    only_missed = BooleanField("Only questions I got wrong before")
    time_limit = IntegerField("Time limit in minutes (empty: none)",
                              validators=[Optional(), NumberRange(1, 600)])
    layout = RadioField("Show", default="paged", choices=[
        SelectChoice("paged", "One question per page"),
        SelectChoice("all", "All questions on one page")])
    submit = SubmitField("Start the quiz")


class AssignmentQuizForm(FlaskForm):
    question_count = IntegerField("Number of questions (empty: no quiz)",
                                  validators=[Optional(), NumberRange(1, rules.MAX_QUESTIONS)])
    time_limit = IntegerField("Time limit in minutes (empty: none)",
                              validators=[Optional(), NumberRange(1, 600)])
    opens_at = DateTimeLocalField("Opens at (UTC, empty: now)", format="%Y-%m-%dT%H:%M",
                                  validators=[Optional()])
    closes_at = DateTimeLocalField("Closes at (UTC, empty: never)", format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])
    max_attempts = IntegerField("Attempts allowed (empty: no limit)",
                                validators=[Optional(), NumberRange(1, 100)])
    submit = SubmitField("Save the quiz settings")


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None else None


# --- answers from forms ---------------------------------------------------------------------------

def response_from_form(item: service.ItemView, form: MultiDict) -> tuple[bool, Any]:
    """``(on_form, response)``: the answer to ``item`` in ``form`` (``None``: left blank).

    Each item on a page posts a ``i<index>-shown`` marker, so an item that is not on the page
    keeps its saved answer while an item whose boxes were all unticked loses it.
    """
    p = f"i{item.index}-"
    if p + "shown" not in form:
        return False, None
    return True, type_for_quiz_kind(item.kind).quiz_response(item.kind, item.shown, form, p)


def _answers_from_form(view: service.AttemptView, form: MultiDict) -> dict[str, Any]:
    """Every answer on the posted page; :class:`service.Invalid` names the question."""
    answers = {}
    for item in view.items:
        try:
            on_form, response = response_from_form(item, form)
        except AnswerShapeError as exc:
            raise service.Invalid(f"Question {item.number}: {exc}.") from None
        if on_form:
            answers[str(item.index)] = response
    return answers


# --- starting -----------------------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    at = now()
    deck_slug = request.args.get("deck") or None
    return render_template(
        "quiz/index.html",
        unfinished=service.unfinished(current_user, now=at),
        groups=service.history(current_user, now=at, deck_slug=deck_slug),
        assigned=service.assigned_quizzes(current_user),
        deck_slug=deck_slug,
        deck=deck_service.visible_deck(current_user, deck_slug) if deck_slug else None,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = StartForm()
    form.types.choices = _type_choices()  # the registry as it is now (a type may be added later)
    visible = deck_service.visible_decks(current_user)
    form.decks.choices = [SelectChoice(d.slug, d.title) for d in visible]
    if request.method == "GET":
        form.decks.data = request.args.getlist("deck")
    error = None
    if form.validate_on_submit():
        try:
            options = rules.make_options(
                count=form.count.data, types=form.types.data,
                only_missed=bool(form.only_missed.data),
                time_limit_s=form.time_limit.data * 60 if form.time_limit.data else None,
                layout=form.layout.data)
            attempt = service.start_quiz(current_user, form.decks.data or [], options, now=now())
        except rules.QuizError as exc:
            error = str(exc)
        except service.QuizServiceError as exc:
            error = exc.message
        else:
            return redirect(url_for("quiz.take", attempt_id=attempt.id))
    status = 422 if (error or form.errors) else 200
    return render_template("quiz/new.html", form=form, error=error), status


@bp.post("/<int:attempt_id>/retake")
@login_required
def retake(attempt_id: int):
    attempt = service.retake_missed(current_user, attempt_id, now=now())
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


# --- taking -------------------------------------------------------------------------------------

def _open_view(attempt_id: int) -> service.AttemptView:
    return service.attempt_view(service.get_attempt(current_user, attempt_id, now=now()))


@bp.get("/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    """Resume where the learner was: the first unanswered question (or the result)."""
    view = _open_view(attempt_id)
    if view.attempt.submitted_at is not None:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    if view.attempt.settings.get("layout") == "all":
        return redirect(url_for("quiz.all_questions", attempt_id=attempt_id))
    first = next((item.number for item in view.items if not item.answered), 1)
    return redirect(url_for("quiz.question", attempt_id=attempt_id, number=first))


def _finished(view: service.AttemptView):
    """Where an attempt that can no longer be answered sends the learner, with why."""
    message = service.ended_message(view.attempt)
    flash(message or "This quiz was already submitted.", "error" if message else "info")
    return redirect(url_for("quiz.result", attempt_id=view.attempt.id))


@bp.route("/<int:attempt_id>/q/<int:number>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, number: int):
    view = _open_view(attempt_id)
    if view.attempt.submitted_at is not None:
        return _finished(view)
    if not 1 <= number <= len(view.items):
        return error_response(404, f"This quiz has questions 1 to {len(view.items)}.", "Quiz")
    if request.method == "GET":
        return _question_page(view, number)
    try:
        answers = _answers_from_form(view, request.form)
        service.save_answers(current_user, attempt_id, answers, now=now())
    except service.TimeUp as exc:
        flash(exc.message, "error")
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    except service.QuizServiceError as exc:
        return _question_page(view, number, error=exc.message, status=exc.status,
                              posted=request.form)
    if "submit" in request.form:
        return _submit_or_review(attempt_id)
    go = request.form.get("go", "")
    if go == "all":
        return redirect(url_for("quiz.all_questions", attempt_id=attempt_id))
    target = parse_count(go, most=len(view.items), least=1) or number
    return redirect(url_for("quiz.question", attempt_id=attempt_id, number=target))


def _question_page(view: service.AttemptView, number: int, *, error: str | None = None,
                   status: int = 200, posted: MultiDict | None = None):
    item = view.items[number - 1]
    return render_template("quiz/question.html", view=view, item=item, number=number,
                           total=len(view.items), error=error, now=now(),
                           posted=_posted_answers(view, posted)), status


def _posted_answers(view: service.AttemptView, posted: MultiDict | None) -> dict[int, Any]:
    """What the learner had filled in when a page comes back with an error (best effort)."""
    if posted is None:
        return {}
    out = {}
    for item in view.items:
        try:
            on_form, response = response_from_form(item, posted)
        except AnswerShapeError:
            continue
        if on_form:
            out[item.index] = response
    return out


@bp.route("/<int:attempt_id>/all", methods=["GET", "POST"])
@login_required
def all_questions(attempt_id: int):
    view = _open_view(attempt_id)
    if view.attempt.submitted_at is not None:
        return _finished(view)
    error, status, posted = None, 200, None
    if request.method == "POST":
        try:
            answers = _answers_from_form(view, request.form)
            service.save_answers(current_user, attempt_id, answers, now=now())
        except service.TimeUp as exc:
            flash(exc.message, "error")
            return redirect(url_for("quiz.result", attempt_id=attempt_id))
        except service.QuizServiceError as exc:
            error, status, posted = exc.message, exc.status, request.form
        else:
            if "submit" in request.form:
                return _submit_or_review(attempt_id)
            go = parse_count(request.form.get("go", ""), most=len(view.items), least=1)
            if go is not None:
                return redirect(url_for("quiz.question", attempt_id=attempt_id, number=go))
            flash("Your answers are saved.", "success")
            return redirect(url_for("quiz.all_questions", attempt_id=attempt_id))
    return render_template("quiz/all.html", view=view, error=error, now=now(),
                           posted=_posted_answers(view, posted)), status


def _submit_or_review(attempt_id: int):
    """Submit at once when every question is answered; otherwise list the unanswered first."""
    view = _open_view(attempt_id)
    if view.unanswered and "confirm" not in request.form:
        return redirect(url_for("quiz.review", attempt_id=attempt_id))
    return _submit(attempt_id)


@bp.get("/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    view = _open_view(attempt_id)
    if view.attempt.submitted_at is not None:
        return _finished(view)
    return render_template("quiz/review.html", view=view, now=now())


@bp.post("/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    return _submit(attempt_id)


def _submit(attempt_id: int):
    try:
        outcome = service.submit(current_user, attempt_id, now=now())
    except service.TimeUp as exc:
        flash(exc.message, "error")
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    if outcome.already:
        flash("This quiz was already submitted: the first submission is the one that counts.",
              "info")
    return redirect(url_for("quiz.result", attempt_id=attempt_id))


@bp.post("/<int:attempt_id>/autosave")
@login_required
def autosave(attempt_id: int):
    """quiz.js posts the page's form here on every change; answers JSON, never a page."""
    try:
        view = _open_view(attempt_id)
        if view.attempt.submitted_at is not None:
            raise service.Conflict(service.ended_message(view.attempt)
                                   or "This quiz was already submitted.")
        attempt = service.save_answers(current_user, attempt_id,
                                       _answers_from_form(view, request.form), now=now())
    except service.QuizServiceError as exc:
        return jsonify(error={"status": exc.status, "message": exc.message}), exc.status
    return jsonify(saved=True, answered=len(attempt.answers or {}),
                   seconds_left=quiz_seconds_left(attempt, now()))


# --- results ------------------------------------------------------------------------------------

@bp.get("/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = service.attempt_for_reviewer(current_user, attempt_id, now=now())
    if attempt.submitted_at is None:
        return redirect(url_for("quiz.take", attempt_id=attempt_id))
    own = attempt.user_id == current_user.id
    return render_template(
        "quiz/result.html", attempt=attempt, own=own, titles=service.deck_titles(attempt),
        missed=[r for r in attempt.results or [] if not r["correct"]],
        ended=service.ended_message(attempt), learner=service.attempt_learner(attempt))


# --- class assignments --------------------------------------------------------------------------

@bp.get("/classes/<int:class_id>")
@login_required
def class_quizzes(class_id: int):
    """The quizzes of a class: settings and results for its instructor, Start for members."""
    classroom, manage, rows = service.class_quizzes(current_user, class_id)
    return render_template("quiz/class.html", classroom=classroom, manage=manage, rows=rows)


@bp.get("/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int):
    view = service.assignment_quiz(current_user, assignment_id, now=now())
    return render_template("quiz/assignment.html", view=view, now=now(),
                           manage=service.can_manage(current_user, view.classroom))


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start_assignment(assignment_id: int):
    try:
        attempt = service.start_assignment_quiz(current_user, assignment_id, now=now())
    except service.QuizServiceError as exc:
        if exc.status == 404:
            return _failed(exc)
        flash(exc.message, "error")
        return redirect(url_for("quiz.assignment", assignment_id=assignment_id))
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


@bp.route("/assignments/<int:assignment_id>/settings", methods=["GET", "POST"])
@login_required
def assignment_settings(assignment_id: int):
    assignment, classroom, deck = service.managed_assignment(current_user, assignment_id)
    form = AssignmentQuizForm()
    if request.method == "GET":
        form.question_count.data = assignment.quiz_question_count
        form.time_limit.data = (assignment.quiz_time_limit_s // 60
                                if assignment.quiz_time_limit_s else None)
        form.opens_at.data = _naive(assignment.quiz_opens_at)
        form.closes_at.data = _naive(assignment.quiz_closes_at)
        form.max_attempts.data = assignment.quiz_max_attempts
    error = None
    if form.validate_on_submit():
        try:
            service.set_assignment_quiz(
                current_user, assignment_id, question_count=form.question_count.data,
                time_limit_s=form.time_limit.data * 60 if form.time_limit.data else None,
                opens_at=_utc(form.opens_at.data), closes_at=_utc(form.closes_at.data),
                max_attempts=form.max_attempts.data)
        except service.QuizServiceError as exc:
            error = exc.message
        else:
            flash("The quiz settings are saved." if form.question_count.data
                  else "This assignment has no quiz now.", "success")
            return redirect(url_for("quiz.assignment_settings", assignment_id=assignment_id))
    status = 422 if (error or form.errors) else 200
    return render_template("quiz/assignment_settings.html", form=form, error=error,
                           assignment=assignment, classroom=classroom, deck=deck), status


def _naive(at: datetime | None) -> datetime | None:
    return at.astimezone(UTC).replace(tzinfo=None) if at else None


@bp.get("/assignments/<int:assignment_id>/results")
@login_required
def assignment_results(assignment_id: int):
    assignment, classroom, deck = service.managed_assignment(current_user, assignment_id)
    rows = service.assignment_results(current_user, assignment_id, now=now())
    return render_template("quiz/assignment_results.html", assignment=assignment,
                           classroom=classroom, deck=deck, rows=rows)
