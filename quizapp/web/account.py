"""The account page: email, password, study day, API tokens and "sign out everywhere", in one place.

``GET /auth/account`` shows it; each form posts to its own view, which redirects back on success
and re-renders the whole page with the form's errors (400) otherwise. The password and study-day
forms keep their old addresses (``/auth/password``, ``/auth/day``, in :mod:`quizapp.web.auth`),
which show this page too. A new API token is shown once, in the answer to the form that made it,
never stored in the session (the session cookie is signed, not encrypted).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from quizapp.domain.scheduling import time_zones
from quizapp.services import accounts, tokens

from .forms import EmailForm, PasswordForm, TokenForm

bp = Blueprint("account", __name__, url_prefix="/auth/account")

EMAIL_PREFIX = "new"
TOKEN_PREFIX = "token"


def _now():
    from .study import current_time

    return current_time()


def page(status: int = 200, **overrides: Any):
    """The account page (with ``overrides`` such as a form carrying errors, ``day_error``,
    ``new_token``); never cached: it may show a new token."""
    values: dict[str, Any] = {
        "email_form": EmailForm(prefix=EMAIL_PREFIX),
        "password_form": PasswordForm(),
        "token_form": TokenForm(prefix=TOKEN_PREFIX),
        "zones": time_zones(),
        "day_error": None,
        "day_chosen": None,
        "new_token": None,
    }
    values.update(overrides)
    values["api_tokens"] = tokens.list_live(current_user, now=_now())
    response = make_response(render_template("auth/account.html", **values), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def field_error(form, exc: accounts.AccountError) -> None:
    """Show ``exc`` under the field it is about (the first field when it names none)."""
    field = getattr(form, exc.field or "", None) or next(iter(form))
    field.errors = [*field.errors, str(exc)]


@bp.get("")
@login_required
def index():
    return page()


@bp.post("/email")
@login_required
def change_email():
    form = EmailForm(prefix=EMAIL_PREFIX)
    if form.validate_on_submit():
        try:
            accounts.change_email(current_user, form.current.data, form.email.data)
        except accounts.AccountError as exc:
            field_error(form, exc)
        else:
            flash(
                f"Your email is now {current_user.email}: sign in with it from now on.", "success"
            )
            return redirect(url_for("account.index"))
    return page(400, email_form=form)


@bp.post("/tokens")
@login_required
def create_token():
    form = TokenForm(prefix=TOKEN_PREFIX)
    if not form.validate_on_submit():
        return page(400, token_form=form)
    issued = tokens.issue_token(current_user, now=_now(), name=form.name.data.strip())
    return page(201, new_token=issued, new_token_name=form.name.data.strip())


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    row = tokens.revoke_own(current_user, token_id, now=_now())
    flash(f"The token “{row.name or 'unnamed'}” is revoked: it stops working at once.", "success")
    return redirect(url_for("account.index", _anchor="account-tokens"))
