"""Taking a quiz: the list of one's quizzes, starting one (or a retake), the question pages (one
question per page, or all on one), submitting, autosave and the result.

Both question pages post to one handler (:func:`_save_posted`): save the page's answers, then
submit, go to the question asked for, or stay.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from quizapp.domain import quiz as rules
from quizapp.domain.numbers import parse_count
from quizapp.services import decks as deck_service
from quizapp.services import quiz as service

from ..clock import current_time
from ..errors import error_response
from . import bp
from .answers import answers_from_form, posted_answers
from .display import quiz_seconds_left
from .forms import StartForm, type_choices

# --- starting -----------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    at = current_time()
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
    form.types.choices = type_choices()  # the registry as it is now (a type may be added later)
    form.deck_choices(deck_service.visible_decks(current_user))
    if request.method == "GET":
        form.decks.data = request.args.getlist("deck")
    error = None
    if form.validate_on_submit():
        try:
            options = rules.make_options(
                count=form.count.data,
                types=form.types.data,
                only_missed=bool(form.only_missed.data),
                time_limit_s=form.time_limit.data * 60 if form.time_limit.data else None,
                layout=form.layout.data,
            )
            attempt = service.start_quiz(
                current_user, form.decks.data or [], options, now=current_time()
            )
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
    attempt = service.retake_missed(current_user, attempt_id, now=current_time())
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


# --- taking -------------------------------------------------------------------------------------


def _open_view(attempt_id: int) -> service.AttemptView:
    return service.attempt_view(service.get_attempt(current_user, attempt_id, now=current_time()))


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
    return _save_posted(view, here=number)


@bp.route("/<int:attempt_id>/all", methods=["GET", "POST"])
@login_required
def all_questions(attempt_id: int):
    view = _open_view(attempt_id)
    if view.attempt.submitted_at is not None:
        return _finished(view)
    if request.method == "GET":
        return _all_page(view)
    return _save_posted(view, here=None)


def _question_page(
    view: service.AttemptView,
    number: int,
    *,
    error: str | None = None,
    status: int = 200,
    posted: MultiDict | None = None,
):
    item = view.items[number - 1]
    return render_template(
        "quiz/question.html",
        view=view,
        item=item,
        number=number,
        total=len(view.items),
        error=error,
        now=current_time(),
        posted=posted_answers(view, posted),
    ), status


def _all_page(
    view: service.AttemptView,
    *,
    error: str | None = None,
    status: int = 200,
    posted: MultiDict | None = None,
):
    return render_template(
        "quiz/all.html",
        view=view,
        error=error,
        now=current_time(),
        posted=posted_answers(view, posted),
    ), status


def _save_posted(view: service.AttemptView, *, here: int | None):
    """A posted question page (``here``: its number; None: the all-questions page): save its
    answers, then submit (``submit``), go to the question ``go`` names (or the all-questions
    page, ``go=all``), or stay. A refused answer re-renders the page with the message and what
    the learner had filled in; after the deadline the result page says why."""
    attempt_id = view.attempt.id
    try:
        answers = answers_from_form(view, request.form)
        service.save_answers(current_user, attempt_id, answers, now=current_time())
    except service.TimeUp as exc:
        flash(exc.message, "error")
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    except service.QuizServiceError as exc:
        if here is None:
            return _all_page(view, error=exc.message, status=exc.status, posted=request.form)
        return _question_page(view, here, error=exc.message, status=exc.status, posted=request.form)
    if "submit" in request.form:
        return _submit_or_review(attempt_id)
    go = request.form.get("go", "")
    if here is not None and go == "all":
        return redirect(url_for("quiz.all_questions", attempt_id=attempt_id))
    target = parse_count(go, most=len(view.items), least=1) or here
    if target is not None:
        return redirect(url_for("quiz.question", attempt_id=attempt_id, number=target))
    flash("Your answers are saved.", "success")
    return redirect(url_for("quiz.all_questions", attempt_id=attempt_id))


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
    return render_template("quiz/review.html", view=view, now=current_time())


@bp.post("/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    return _submit(attempt_id)


def _submit(attempt_id: int):
    try:
        outcome = service.submit(current_user, attempt_id, now=current_time())
    except service.TimeUp as exc:
        flash(exc.message, "error")
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    if outcome.already:
        flash(
            "This quiz was already submitted: the first submission is the one that counts.", "info"
        )
    return redirect(url_for("quiz.result", attempt_id=attempt_id))


@bp.post("/<int:attempt_id>/autosave")
@login_required
def autosave(attempt_id: int):
    """quiz.js posts the page's form here on every change; answers JSON, never a page."""
    try:
        view = _open_view(attempt_id)
        if view.attempt.submitted_at is not None:
            raise service.Conflict(
                service.ended_message(view.attempt) or "This quiz was already submitted."
            )
        attempt = service.save_answers(
            current_user, attempt_id, answers_from_form(view, request.form), now=current_time()
        )
    except service.QuizServiceError as exc:
        return jsonify(error={"status": exc.status, "message": exc.message}), exc.status
    return jsonify(
        saved=True,
        answered=len(attempt.answers or {}),
        seconds_left=quiz_seconds_left(attempt, current_time()),
    )


# --- results ------------------------------------------------------------------------------------


@bp.get("/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = service.attempt_for_reviewer(current_user, attempt_id, now=current_time())
    if attempt.submitted_at is None:
        return redirect(url_for("quiz.take", attempt_id=attempt_id))
    own = attempt.user_id == current_user.id
    return render_template(
        "quiz/result.html",
        attempt=attempt,
        own=own,
        titles=service.deck_titles(attempt),
        missed=[r for r in attempt.results or [] if not r["correct"]],
        ended=service.ended_message(attempt),
        learner=service.attempt_learner(attempt),
    )
