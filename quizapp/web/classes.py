"""Classes: instructors create them, share a join code and assign decks; learners join them.

A class's page is seen by its instructor (and admins) as a management page, and by its members as
the list of assigned decks; anyone else gets 404, so class ids reveal nothing.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from quizapp.domain import class_time
from quizapp.domain.numbers import MAX_ID, parse_count
from quizapp.domain.scheduling import time_zones
from quizapp.models import Classroom
from quizapp.services import classes, export

from .auth import client_address, instructor_required
from .clock import current_time
from .forms import AssignForm, ClassForm, ClassTimeZoneForm, JoinForm, choice
from .security import external_url

bp = Blueprint("classes", __name__, url_prefix="/classes")


def _class_or_404(class_id: int, *, manage: bool) -> Classroom:
    classroom = classes.get_class(class_id)
    allowed = classroom is not None and (
        classes.can_manage(current_user, classroom)
        if manage
        else classes.can_view(current_user, classroom)
    )
    if not allowed:
        abort(404, "There is no such class, or you are not in it.")
    return classroom


def _now():
    return current_time()


@bp.app_template_filter("class_time")
def class_time_filter(at: datetime | None, timezone: str | None) -> str:
    """A stored (UTC) time as the class reads it: in its zone, with the zone's name."""
    return class_time.format_local(at, timezone) if at else ""


@bp.app_template_global("class_due")
def class_due(target: date | None, due_at: datetime | None, timezone: str | None) -> str:
    """A due date as the class reads it: "9 Mar 2026, end of day (America/New_York)", or with
    its time when one was given."""
    if target is None or due_at is None:
        return ""
    if class_time.to_local(due_at, timezone).time() == class_time.END_OF_DAY:
        return class_time.format_due(target, timezone)
    return class_time.format_local(due_at, timezone)


def _zone_form(classroom: Classroom, form: ClassTimeZoneForm | None = None) -> ClassTimeZoneForm:
    form = form or ClassTimeZoneForm(prefix="zone", timezone=classroom.timezone)
    form.timezone.choices = [choice(z, z) for z in time_zones()]
    return form


def _assign_form(classroom: Classroom) -> AssignForm:
    form = AssignForm(prefix="assign")
    form.in_zone(classroom.timezone)
    assigned = {a.deck.id for a in classes.assignments(classroom)}
    form.deck.choices = [
        choice(str(d.id), d.title + (" (assigned)" if d.id in assigned else ""))
        for d in classes.assignable_decks(current_user)
    ]
    return form


@bp.get("/")
@login_required
def index():
    owned = classes.classes_owned(current_user) if current_user.is_instructor else []
    joined = classes.classes_joined(current_user)
    return render_template(
        "classes/index.html",
        owned=owned,
        joined=joined,
        counts=classes.member_counts(owned),
        class_form=ClassForm(prefix="new"),
        join_form=JoinForm(prefix="join"),
    )


@bp.post("/")
@instructor_required
def create():
    form = ClassForm(prefix="new")
    if form.validate_on_submit():
        try:
            classroom = classes.create_class(current_user, form.name.data)
        except classes.ClassError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash(
                f"Class “{classroom.name}” created. Share its join code: {classroom.join_code}.",
                "success",
            )
            return redirect(url_for("classes.show", class_id=classroom.id))
    owned = classes.classes_owned(current_user)
    return render_template(
        "classes/index.html",
        owned=owned,
        joined=classes.classes_joined(current_user),
        counts=classes.member_counts(owned),
        class_form=form,
        join_form=JoinForm(prefix="join"),
    ), 400


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join():
    form = JoinForm(prefix="join")
    if form.validate_on_submit():
        return _join(form.code.data, form)
    return render_template("classes/join.html", form=form), 400 if form.errors else 200


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def join_link(code: str):
    """The link an instructor shares: GET asks to confirm, POST joins (state changes need CSRF).

    GET does not look the code up: it shows neither the class's name nor whether the code is
    right, so join links cannot be guessed without the limit on wrong codes (which POST counts).
    """
    if request.method == "POST":  # CSRFProtect has checked the token
        return _join(code, JoinForm(prefix="join", code=code))
    return render_template("classes/join_link.html", code=code[:40])


def _join(code: str, form: JoinForm):
    try:
        classroom = classes.join(current_user, code, address=client_address(), now=_now())
    except classes.ClassError as exc:
        form.code.errors = [*form.code.errors, str(exc)]
        return render_template("classes/join.html", form=form), 400
    flash(f"You joined “{classroom.name}”. Its decks are at the top of your home page.", "success")
    return redirect(url_for("main.home"))


@bp.get("/<int:class_id>")
@login_required
def show(class_id: int):
    classroom = _class_or_404(class_id, manage=False)
    if not classes.can_manage(current_user, classroom):
        return render_template(
            "classes/member.html",
            classroom=classroom,
            assigned=classes.assignments(classroom, members_view=True),
        )
    return render_template(
        "classes/show.html",
        classroom=classroom,
        members=classes.members(classroom),
        assigned=classes.assignments(classroom),
        assign_form=_assign_form(classroom),
        zone_form=_zone_form(classroom),
        join_url=external_url("classes.join_link", code=classroom.join_code),
    )


@bp.post("/<int:class_id>/timezone")
@login_required
def set_timezone(class_id: int):
    """The class's time zone: its due dates and quiz windows keep their wall-clock times."""
    classroom = _class_or_404(class_id, manage=True)
    form = _zone_form(classroom, ClassTimeZoneForm(prefix="zone"))
    if form.validate_on_submit():
        try:
            classes.set_timezone(classroom, form.timezone.data)
        except classes.ClassError as exc:
            flash(str(exc), "error")
        else:
            flash(
                f"The class's time zone is {classroom.timezone}. Due dates and quiz windows "
                "keep their times of day, now in this zone.",
                "success",
            )
    else:
        flash("Choose a time zone from the list, such as America/New_York.", "error")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.get("/<int:class_id>/anki")
@login_required
def anki(class_id: int):
    """Every deck assigned to the class in one Anki package, nested under the class's name."""
    classroom = _class_or_404(class_id, manage=False)
    try:
        package = export.class_download(classroom)
    except export.ExportError as exc:
        abort(409, f"There is nothing to export for this class yet: {exc}")
    return send_file(
        io.BytesIO(package.data),
        mimetype=package.mimetype,
        as_attachment=True,
        download_name=package.filename,
    )


@bp.post("/<int:class_id>/assign")
@login_required
def assign(class_id: int):
    classroom = _class_or_404(class_id, manage=True)
    form = _assign_form(classroom)
    if form.validate_on_submit():
        deck = _deck_choice(form.deck.data)
        if deck is None:
            flash("Choose one of your decks.", "error")
        else:
            try:
                classes.assign(
                    classroom,
                    deck,
                    form.target_date.data,
                    by=current_user,
                    due_time=form.due_time.data,
                )
            except classes.ClassError as exc:
                flash(str(exc), "error")
            else:
                flash(f"“{deck.title}” is assigned to {classroom.name}.", "success")
    else:
        flash(
            " ".join(e for errors in form.errors.values() for e in errors) or "Check the form.",
            "error",
        )
    return redirect(url_for("classes.show", class_id=classroom.id))


def _deck_choice(value: str | None):
    wanted = parse_count(value, most=MAX_ID, least=1)
    if wanted is None:
        return None
    return next((d for d in classes.assignable_decks(current_user) if d.id == wanted), None)


@bp.post("/<int:class_id>/assignments/<int:deck_id>/remove")
@login_required
def unassign(class_id: int, deck_id: int):
    classroom = _class_or_404(class_id, manage=True)
    if classes.unassign(classroom, deck_id):
        flash("The deck is no longer assigned. Learners keep their progress.", "success")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.post("/<int:class_id>/members/<int:user_id>/remove")
@login_required
def remove_member(class_id: int, user_id: int):
    classroom = _class_or_404(class_id, manage=True)
    if classes.remove_member(classroom, user_id):
        flash("The member was removed from the class.", "success")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.post("/<int:class_id>/leave")
@login_required
def leave(class_id: int):
    classroom = _class_or_404(class_id, manage=False)
    classes.leave(current_user, classroom)
    flash(f"You left “{classroom.name}”. Your progress is kept.", "success")
    return redirect(url_for("classes.index"))


@bp.post("/<int:class_id>/code")
@login_required
def new_code(class_id: int):
    classroom = _class_or_404(class_id, manage=True)
    code = classes.new_code(classroom)
    flash(f"New join code: {code}. The old code and link no longer work.", "success")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.post("/<int:class_id>/delete")
@login_required
def delete(class_id: int):
    classroom = _class_or_404(class_id, manage=True)
    name = classroom.name
    classes.delete_class(classroom)
    flash(f"Class “{name}” deleted. Its decks and learners' progress are kept.", "success")
    return redirect(url_for("classes.index"))


@bp.get("/<int:class_id>/results")
@login_required
def results(class_id: int):
    classroom = _class_or_404(class_id, manage=True)
    return render_template(
        "classes/results.html", classroom=classroom, results=classes.class_results(classroom)
    )
