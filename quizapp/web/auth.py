"""Signing up, in and out, changing one's password, and the role checks every other area uses.

``login_required`` (flask-login), :func:`instructor_required` and :func:`admin_required` guard the
views: an anonymous visitor is sent to sign in (or gets 401 JSON under ``/api/``), a signed-in user
without the role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.extensions import login_manager
from quizapp.services import accounts

from .errors import error_response, wants_json
from .forms import LoginForm, PasswordForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/auth")

F = TypeVar("F", bound=Callable[..., Any])


# --- guards ---------------------------------------------------------------------------------

def _require(check: Callable[[Any], bool], message: str) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403, message)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


instructor_required = _require(
    lambda user: user.is_instructor, "This page is for instructors. Ask an admin to make your "
    "account an instructor account.")
admin_required = _require(lambda user: user.is_admin, "This page is for admins.")


def unauthorized():
    """Not signed in: 401 JSON for API clients, otherwise the sign-in page that comes back here."""
    if wants_json():
        return error_response(401, "Sign in first (or send an API token).", "Sign in")
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=_current_path()))


def _current_path() -> str:
    return request.full_path if request.query_string else request.path


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _client_address() -> str:
    # Behind a proxy, the operator wraps the app in werkzeug's ProxyFix so this is the client.
    return request.remote_addr or ""


def _field_error(form, exc: accounts.AccountError) -> None:
    """Show ``exc`` under the field it is about (the first field when it names none)."""
    field = getattr(form, exc.field or "", None) or next(iter(form))
    field.errors = [*field.errors, str(exc)]


# --- views ----------------------------------------------------------------------------------

@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.email.data, form.password.data)
        except accounts.AccountError as exc:
            _field_error(form, exc)
        else:
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("main.home"))
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(form.email.data, form.password.data, _client_address())
        except accounts.SignInError as exc:
            error = str(exc)
            status = 429 if exc.retry_after else 400
        else:
            login_user(user, remember=bool(form.remember.data))
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    elif form.errors:
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    # CSRF-protected POST: a link or image elsewhere cannot sign anyone out.
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data)
        except accounts.AccountError as exc:
            _field_error(form, exc)
        else:
            flash("Your password is changed.", "success")
            return redirect(url_for("main.home"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status
