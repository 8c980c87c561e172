"""The quizzes of class assignments: a class's list, an assignment's page and start for its
members, and its settings and results for the class's instructor."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.domain import class_time
from quizapp.services import quiz as service

from ..clock import current_time
from ..errors import error_response
from . import bp
from .forms import AssignmentQuizForm


@bp.get("/classes/<int:class_id>")
@login_required
def class_quizzes(class_id: int):
    """The quizzes of a class: settings and results for its instructor, Start for members."""
    classroom, manage, rows = service.class_quizzes(current_user, class_id)
    return render_template("quiz/class.html", classroom=classroom, manage=manage, rows=rows)


@bp.get("/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int):
    view = service.assignment_quiz(current_user, assignment_id, now=current_time())
    return render_template(
        "quiz/assignment.html",
        view=view,
        now=current_time(),
        manage=service.can_manage(current_user, view.classroom),
    )


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start_assignment(assignment_id: int):
    try:
        attempt = service.start_assignment_quiz(current_user, assignment_id, now=current_time())
    except service.QuizServiceError as exc:
        if exc.status == 404:
            return error_response(exc.status, exc.message, "Quiz")
        flash(exc.message, "error")
        return redirect(url_for("quiz.assignment", assignment_id=assignment_id))
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


@bp.route("/assignments/<int:assignment_id>/settings", methods=["GET", "POST"])
@login_required
def assignment_settings(assignment_id: int):
    assignment, classroom, deck = service.managed_assignment(current_user, assignment_id)
    zone = classroom.timezone
    form = AssignmentQuizForm()
    form.in_zone(zone)
    if request.method == "GET":
        form.question_count.data = assignment.quiz_question_count
        form.time_limit.data = (
            assignment.quiz_time_limit_s // 60 if assignment.quiz_time_limit_s else None
        )
        form.opens_at.data = _wall(assignment.quiz_opens_at, zone)
        form.closes_at.data = _wall(assignment.quiz_closes_at, zone)
        form.max_attempts.data = assignment.quiz_max_attempts
    error = None
    if form.validate_on_submit():
        try:
            service.set_assignment_quiz(
                current_user,
                assignment_id,
                question_count=form.question_count.data,
                time_limit_s=form.time_limit.data * 60 if form.time_limit.data else None,
                opens_at=_instant(form.opens_at.data, zone),
                closes_at=_instant(form.closes_at.data, zone),
                max_attempts=form.max_attempts.data,
            )
        except service.QuizServiceError as exc:
            error = exc.message
        else:
            flash(
                "The quiz settings are saved."
                if form.question_count.data
                else "This assignment has no quiz now.",
                "success",
            )
            return redirect(url_for("quiz.assignment_settings", assignment_id=assignment_id))
    status = 422 if (error or form.errors) else 200
    return render_template(
        "quiz/assignment_settings.html",
        form=form,
        error=error,
        assignment=assignment,
        classroom=classroom,
        deck=deck,
    ), status


def _wall(at: datetime | None, zone: str) -> datetime | None:
    """A stored (UTC) time as the form shows it: the class's wall clock."""
    return class_time.to_local(at, zone) if at else None


def _instant(wall: datetime | None, zone: str) -> datetime | None:
    """A form's wall-clock time in the class's zone, as stored (UTC)."""
    return class_time.from_local(wall, zone) if wall else None


@bp.get("/assignments/<int:assignment_id>/results")
@login_required
def assignment_results(assignment_id: int):
    assignment, classroom, deck = service.managed_assignment(current_user, assignment_id)
    rows = service.assignment_results(current_user, assignment_id, now=current_time())
    return render_template(
        "quiz/assignment_results.html",
        assignment=assignment,
        classroom=classroom,
        deck=deck,
        rows=rows,
    )
