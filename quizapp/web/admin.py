"""Administration: the accounts (search, pages), their roles, disabling and enabling them,
one-time password-reset links, and creating many at once from a CSV file. Admins only."""

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

from quizapp.domain.user_csv import UserCsvError
from quizapp.models import Role
from quizapp.services import accounts, bulk_users, resets

from .auth import _now, admin_required
from .forms import RoleForm, UsersCsvForm
from .security import external_url

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 1


def _back():
    """The list as the admin left it (search and page)."""
    return redirect(
        url_for(
            "admin.users", q=request.args.get("q") or None, page=request.args.get("page") or None
        )
    )


@bp.get("/users")
@admin_required
def users():
    search = request.args.get("q", "")[:254]
    page = accounts.list_users(search, page=_page_number())
    return render_template(
        "admin/users.html",
        page=page,
        users=page.users,
        search=search,
        roles=[(r.value, r.value.capitalize()) for r in Role],
    )


def _user_or_404(user_id: int):
    user = accounts.get_user(user_id)
    if user is None:
        abort(404, "There is no such account.")
    return user


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        flash("Choose one of the roles.", "error")
        return _back()
    try:
        accounts.set_role(user, form.role.data, by=current_user)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{user.email} is now {user.role}.", "success")
    return _back()


@bp.post("/users/<int:user_id>/disable")
@admin_required
def disable(user_id: int):
    return _set_disabled(_user_or_404(user_id), True)


@bp.post("/users/<int:user_id>/enable")
@admin_required
def enable(user_id: int):
    return _set_disabled(_user_or_404(user_id), False)


def _set_disabled(user, disabled: bool):
    try:
        accounts.set_disabled(user, disabled, by=current_user, now=_now())
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"{user.email} is disabled: signed out everywhere, API tokens revoked."
            if disabled
            else f"{user.email} is enabled again and can sign in.",
            "success",
        )
    return _back()


@bp.route("/users/import", methods=["GET", "POST"])
@admin_required
def import_users():
    """Many accounts from a CSV file: all of them or none; invite links shown once."""
    form = UsersCsvForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.users_file.data
        data = upload.read(bulk_users.MAX_BYTES + 1) if upload else b""
        if not data:
            problems = ["Choose a CSV file: one line per account, email,role[,password]."]
        else:
            try:
                result = bulk_users.create_from_csv(current_user, data, now=_now())
            except UserCsvError as exc:
                problems = exc.problems
            else:
                links = [
                    (line.email, line.role, external_url("invites.accept", token=line.token))
                    for line in result.invited
                ]
                return render_template(
                    "admin/import_users.html",
                    form=UsersCsvForm(),
                    created=result.created,
                    links=links,
                ), 201
    status = 400 if problems or form.errors else 200
    return render_template("admin/import_users.html", form=form, problems=problems), status


@bp.post("/users/<int:user_id>/reset-link")
@admin_required
def reset_link(user_id: int):
    """A one-time password-reset link for the account, shown this once (never stored in the
    session); for installations without email, or a user who cannot receive it."""
    user = _user_or_404(user_id)
    issued = resets.issue_by_admin(user, by=current_user, now=_now())
    response = make_response(
        render_template(
            "admin/reset_link.html",
            user=user,
            expires_at=issued.expires_at,
            hours=int(resets.ADMIN_LIFETIME.total_seconds() // 3600),
            link=external_url("auth.reset", token=issued.token),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response
