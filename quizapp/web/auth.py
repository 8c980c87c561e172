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

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import HTTPException

from quizapp.domain.scheduling import time_zones
from quizapp.extensions import login_manager
from quizapp.services import accounts, registration, signins

from .errors import error_response, wants_json
from .forms import LoginForm, PasswordForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/auth")

REGISTERED_MESSAGE = ("Thank you. Sign in with that email and password: the account is ready, "
                      "unless the email already had one (then it is left as it was).")

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


def client_address() -> str:
    """The client's network address: behind a reverse proxy, ``QUIZAPP_TRUSTED_PROXIES`` makes
    werkzeug's ProxyFix put the address the proxy saw here (see docs/deployment.md)."""
    return request.remote_addr or ""


def _now():
    from .study import current_time

    return current_time()


def _sign_in(user, *, remember: bool = False) -> None:
    """A new sign-in (fresh credential) for ``user``, in this browser's cookies."""
    signins.start(user, now=_now())
    login_user(user, remember=remember)


def _field_error(form, exc: accounts.AccountError) -> None:
    """Show ``exc`` under the field it is about (the first field when it names none)."""
    field = getattr(form, exc.field or "", None) or next(iter(form))
    field.errors = [*field.errors, str(exc)]


# --- views ----------------------------------------------------------------------------------

def _join_code(next_path: str | None) -> str | None:
    """The class join code when ``next_path`` is a class join link (registering through it)."""
    path = safe_next(next_path)
    if not path:
        return None
    try:
        endpoint, values = current_app.url_map.bind("").match(urlsplit(path).path, method="GET")
    except HTTPException:
        return None
    return values.get("code") if endpoint == "classes.join_link" else None


def registration_mode() -> str:
    return current_app.config["QUIZAPP_REGISTRATION"]


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm(next=request.args.get("next", ""))
    mode = registration_mode()
    join_code = _join_code(form.next.data)
    if not registration.may_register(mode, join_code=join_code):
        # No form to fill in: say who may register and how.
        return render_template("auth/register.html", form=None, mode=mode,
                               rules=registration.rules(mode)), (
            403 if request.method == "POST" else 200)
    error = None
    if form.validate_on_submit():
        try:
            registration.register(form.email.data, form.password.data, client_address(),
                                  now=_now(), mode=mode, timezone=form.timezone.data,
                                  join_code=join_code)
        except accounts.AccountError as exc:
            if exc.field:
                _field_error(form, exc)
            else:
                error = str(exc)
        else:
            # The same answer whether the account was made or the email already had one, so the
            # page tells nobody which emails have accounts; the new user signs in next.
            flash(REGISTERED_MESSAGE, "success")
            return redirect(url_for("auth.login", next=safe_next(form.next.data)))
    status = 400 if form.errors or error else 200
    return render_template("auth/register.html", form=form, mode=mode, error=error,
                           joining=bool(join_code), rules=registration.rules(mode)), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("main.home"))
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(form.email.data, form.password.data, client_address(),
                                    now=_now())
        except accounts.SignInError as exc:
            error = str(exc)
            status = 429 if exc.retry_after else 400
        else:
            _sign_in(user, remember=bool(form.remember.data))
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    elif form.errors:
        status = 400
    mode = registration_mode()
    return render_template(
        "auth/login.html", form=form, error=error, rules=registration.rules(mode),
        may_register=registration.may_register(mode, join_code=_join_code(form.next.data)),
    ), status


@bp.post("/logout")
def logout():
    # CSRF-protected POST: a link or image elsewhere cannot sign anyone out.
    if current_user.is_authenticated:
        signins.end(current_user)  # a copy of this sign-in's cookies stops working too
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("main.home"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every sign-in of the account (every browser, this one too) and revoke its API tokens."""
    signins.end_all(current_user, now=_now())
    logout_user()
    flash("You are signed out everywhere: every browser and every API token of your account.",
          "info")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data,
                                     now=_now())
        except accounts.AccountError as exc:
            _field_error(form, exc)
        else:
            flash("Your password is changed. Your other sign-ins are signed out and your API "
                  "tokens revoked.", "success")
            return redirect(url_for("main.home"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/day", methods=["GET", "POST"])
@login_required
def day():
    """When the learner's study day begins: their time zone and the hour (Anki's 4 a.m.)."""
    error, status = None, 200
    if request.method == "POST":
        try:
            accounts.set_day(current_user, request.form.get("timezone", ""),
                             request.form.get("day_starts_at", ""))
        except accounts.AccountError as exc:
            error, status = str(exc), 400
        else:
            flash("Your study day is saved: daily limits and \"today\" follow it.", "success")
            return redirect(url_for("auth.day"))
    return render_template("auth/day.html", zones=time_zones(), error=error,
                           chosen=request.form if error else None), status
