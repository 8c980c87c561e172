"""Signing up, in and out, changing one's password, forgotten passwords (reset links), and the role
checks every other area uses.

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
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import HTTPException

from quizapp.extensions import login_manager
from quizapp.services import accounts, registration, resets, signins

from . import account
from .background import after_response
from .clock import current_time
from .errors import error_response, wants_json
from .forms import ForgotForm, LoginForm, PasswordForm, RegisterForm, ResetForm
from .security import external_url

bp = Blueprint("auth", __name__, url_prefix="/auth")

REGISTERED_MESSAGE = (
    "Thank you. Sign in with that email and password: the account is ready, "
    "unless the email already had one (then it is left as it was)."
)

FORGOT_MESSAGE = (
    "If that email has an account, a reset link is on its way: it works once, within "
    "{minutes} minutes. No email? Check the spam folder, or ask an administrator."
)

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
    lambda user: user.is_instructor,
    "This page is for instructors. Ask an admin to make your account an instructor account.",
)
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
    return current_time()


def _sign_in(user, *, remember: bool = False) -> None:
    """A new sign-in (fresh credential) for ``user``, in this browser's cookies."""
    signins.start(user, now=_now())
    login_user(user, remember=remember)


_field_error = account.field_error


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
        return render_template(
            "auth/register.html", form=None, mode=mode, rules=registration.rules(mode)
        ), (403 if request.method == "POST" else 200)
    error = None
    if form.validate_on_submit():
        try:
            registration.register(
                form.email.data,
                form.password.data,
                client_address(),
                now=_now(),
                mode=mode,
                timezone=form.timezone.data,
                join_code=join_code,
            )
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
    return render_template(
        "auth/register.html",
        form=form,
        mode=mode,
        error=error,
        joining=bool(join_code),
        rules=registration.rules(mode),
    ), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("main.home"))
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(
                form.email.data, form.password.data, client_address(), now=_now()
            )
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
        "auth/login.html",
        form=form,
        error=error,
        rules=registration.rules(mode),
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
    flash(
        "You are signed out everywhere: every browser and every API token of your account.", "info"
    )
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password (the form is on the account page, which GET shows)."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current.data, form.password.data, now=_now()
            )
        except accounts.AccountError as exc:
            _field_error(form, exc)
        else:
            flash(
                "Your password is changed. Your other sign-ins are signed out and your API "
                "tokens revoked.",
                "success",
            )
            return redirect(url_for("account.index"))
    if request.method == "GET":
        return account.page()
    return account.page(400, password_form=form)


@bp.route("/day", methods=["GET", "POST"])
@login_required
def day():
    """When the learner's study day begins: their time zone and the hour (Anki's 4 a.m.); the
    form is on the account page, which GET shows."""
    if request.method == "GET":
        return account.page()
    try:
        accounts.set_day(
            current_user, request.form.get("timezone", ""), request.form.get("day_starts_at", "")
        )
    except accounts.AccountError as exc:
        return account.page(400, day_error=str(exc), day_chosen=request.form)
    flash('Your study day is saved: daily limits and "today" follow it.', "success")
    return redirect(url_for("account.index", _anchor="account-day"))


# --- forgotten passwords --------------------------------------------------------------------


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link by email (when SMTP is configured; else: ask an admin). The answer is
    the same whether or not the email has an account."""
    smtp = current_app.config.get("QUIZAPP_SMTP")
    form = ForgotForm()
    if smtp is not None and form.validate_on_submit():
        try:
            # The page the token is appended to: built here, where the request's host is known.
            reset_page = external_url("auth.reset", token="-").removesuffix("-")
            resets.request_by_email(
                form.email.data,
                client_address(),
                now=_now(),
                smtp=smtp,
                reset_page=reset_page,
                later=after_response,
            )
        except accounts.AccountError as exc:
            _field_error(form, exc)
        else:
            flash(
                FORGOT_MESSAGE.format(minutes=int(resets.EMAIL_LIFETIME.total_seconds() // 60)),
                "info",
            )
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form, email_enabled=smtp is not None), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password with a one-time reset link."""
    now = _now()
    user = resets.user_for(token, now=now)
    if user is None:
        abort(404, resets.INVALID_LINK)
    form = ResetForm()
    if form.validate_on_submit():
        try:
            resets.reset_password(token, form.password.data, now=now)
        except accounts.AccountError as exc:
            if exc.field == "token":
                abort(404, str(exc))
            _field_error(form, exc)
        else:
            if current_user.is_authenticated and current_user.id == user.id:
                logout_user()  # every sign-in of the account has ended, this one too
            flash(
                "Your new password is set and every device is signed out. Sign in with it.",
                "success",
            )
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    response = make_response(
        render_template("auth/reset.html", form=form, email=user.email), status
    )
    response.headers["Cache-Control"] = "no-store"
    return response
