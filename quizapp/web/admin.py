"""Administration: the list of accounts, changing their roles, one-time password-reset links.
Admins only."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from quizapp.services import accounts, resets

from .auth import admin_required
from .forms import RoleForm
from .security import external_url

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@admin_required
def users():
    search = request.args.get("q", "")[:254]
    rows = accounts.list_users(search)
    forms = {user.id: RoleForm(prefix=f"u{user.id}", role=user.role) for user in rows}
    return render_template("admin/users.html", users=rows, forms=forms, search=search)


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    user = accounts.get_user(user_id)
    if user is None:
        abort(404, "There is no such account.")
    form = RoleForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        flash("Choose one of the roles.", "error")
        return redirect(url_for("admin.users"))
    try:
        accounts.set_role(user, form.role.data, by=current_user)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{user.email} is now {user.role}.", "success")
    return redirect(url_for("admin.users", q=request.args.get("q") or None))


@bp.post("/users/<int:user_id>/reset-link")
@admin_required
def reset_link(user_id: int):
    """A one-time password-reset link for the account, shown this once (never stored in the
    session); for installations without email, or a user who cannot receive it."""
    from .study import current_time

    user = accounts.get_user(user_id)
    if user is None:
        abort(404, "There is no such account.")
    issued = resets.issue_by_admin(user, by=current_user, now=current_time())
    response = make_response(render_template(
        "admin/reset_link.html", user=user, expires_at=issued.expires_at,
        hours=int(resets.ADMIN_LIFETIME.total_seconds() // 3600),
        link=external_url("auth.reset", token=issued.token)))
    response.headers["Cache-Control"] = "no-store"
    return response
