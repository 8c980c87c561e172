"""Invites: instructors and admins make invite links (shown once), list and revoke them; the
invited person registers through the link."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from quizapp.services import accounts, classes, invites

from .auth import _field_error, _now, _sign_in, instructor_required
from .forms import EmptyForm, InviteForm, NewAccountForm, choice
from .security import external_url

bp = Blueprint("invites", __name__, url_prefix="/invites")


def _mode() -> str:
    return current_app.config["QUIZAPP_REGISTRATION"]


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.role.choices = [choice(r, r.capitalize()) for r in invites.roles_for(current_user)]
    owned = classes.classes_owned(current_user)
    form.classroom.choices = [choice("", "No class")] + [choice(str(c.id), c.name) for c in owned]
    return form


def _page(form: InviteForm, *, issued=None, link=None, status=200):
    now = _now()
    pending = invites.pending(current_user, now=now)
    return render_template(
        "invites/index.html",
        form=form,
        pending=pending,
        issued=issued,
        link=link,
        class_names=invites.class_names(pending),
        revoke_form=EmptyForm(),
        may_invite=invites.may_invite(current_user, mode=_mode()),
        lifetime_days=invites.INVITE_LIFETIME.days,
    ), status


@bp.route("", methods=["GET", "POST"])
@instructor_required
def index():
    form = _invite_form()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    value = form.classroom.data or ""
    classroom_id = int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None
    if value and classroom_id is None:
        form.classroom.errors = ["Choose one of your classes."]
        return _page(form, status=400)
    try:
        issued = invites.create(
            current_user,
            form.email.data,
            form.role.data or "",
            now=_now(),
            mode=_mode(),
            classroom_id=classroom_id,
        )
    except accounts.AccountError as exc:
        _field_error(form, exc)
        return _page(form, status=400)
    # The link is on this page only (not in a flash message, which lives in the cookie).
    link = external_url("invites.accept", token=issued.token)
    return _page(_invite_form(), issued=issued.invite, link=link, status=201)


@bp.post("/<int:invite_id>/revoke")
@instructor_required
def revoke(invite_id: int):
    invite = invites.revoke(current_user, invite_id, now=_now())
    flash(f"The invite for {invite.email} is revoked: its link no longer works.", "success")
    return redirect(url_for("invites.index"))


@bp.route("/accept/<token>", methods=["GET", "POST"])
def accept(token: str):
    """The invited person's registration page: the invite's email, a password to choose."""
    if current_user.is_authenticated:
        return render_template("invites/accept.html", invite=None, form=None, signed_in=True)
    invite = invites.find_live(token, now=_now())
    if invite is None:
        return render_template(
            "invites/accept.html", invite=None, form=None, message=invites.NOT_LIVE
        ), 404
    form = NewAccountForm()
    error = None
    if form.validate_on_submit():
        try:
            user = invites.accept(
                token, form.password.data, now=_now(), timezone=form.timezone.data
            )
        except accounts.AccountError as exc:
            if exc.field in ("password", "confirm"):
                _field_error(form, exc)
            else:
                error = str(exc)
        else:
            _sign_in(user)
            flash(f"Welcome! Your account {user.email} is ready and you are signed in.", "success")
            return redirect(url_for("main.home"))
    return render_template("invites/accept.html", invite=invite, form=form, error=error), (
        400 if form.errors or error else 200
    )
