"""Administration: the list of accounts and changing their roles. Admins only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.services import accounts

from .auth import admin_required
from .forms import RoleForm

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
