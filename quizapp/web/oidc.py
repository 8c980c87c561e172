"""Signing in through an OpenID Connect provider (optional): the one module that uses Authlib.

Configured by ``QUIZAPP_OIDC_*`` (quizapp.config); without them these routes answer 404 and the
sign-in page shows no button. Authlib reads the provider's discovery document, sends the browser
to it with ``state`` and ``nonce`` kept in the session, and on return exchanges the code and checks
the ID token (signature against the provider's JWKS, issuer, audience, expiry, nonce). The verified
claims go to :func:`quizapp.services.sso.user_for_identity`.
"""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from joserfc.errors import JoseError
from requests.exceptions import RequestException

from quizapp.services import accounts, sso

from .auth import _now, _sign_in, safe_next
from .security import external_url

bp = Blueprint("oidc", __name__, url_prefix="/auth/sso")
_NEXT = "quizapp_sso_next"


def init_app(app: Flask) -> None:
    """Register the provider of ``QUIZAPP_OIDC`` (if set) with a per-app Authlib client."""
    settings = app.config.get("QUIZAPP_OIDC")
    if not settings:
        return
    oauth = OAuth(app)
    oauth.register(
        "provider",
        client_id=settings["client_id"],
        client_secret=settings["client_secret"],
        server_metadata_url=settings["issuer"] + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "timeout": 10},
    )
    app.extensions["quizapp_oidc"] = oauth


def _client():
    oauth = current_app.extensions.get("quizapp_oidc")
    if oauth is None:
        abort(404, "Single sign-on is not set up on this site.")
    return oauth.provider


@bp.get("/login")
def login():
    client = _client()
    session[_NEXT] = safe_next(request.args.get("next")) or ""
    try:
        return client.authorize_redirect(external_url("oidc.callback"))
    except (RequestException, AuthlibBaseError, ValueError) as exc:
        current_app.logger.warning("single sign-on: the provider is not answering: %s", exc)
        flash(
            "The sign-in provider is not answering; try again later or sign in with your password.",
            "error",
        )
        return redirect(url_for("auth.login"))


@bp.get("/callback")
def callback():
    client = _client()
    try:
        token = client.authorize_access_token()
    except (RequestException, AuthlibBaseError, JoseError, ValueError, KeyError) as exc:
        # A refused consent, a replayed or forged answer, a bad signature: no sign-in.
        current_app.logger.warning("single sign-on refused: %s", exc)
        flash(
            "Signing in with the provider did not work; try again, or sign in with your password.",
            "error",
        )
        return redirect(url_for("auth.login"))
    claims = dict(token.get("userinfo") or {})
    try:
        user = sso.user_for_identity(
            claims, mode=current_app.config["QUIZAPP_REGISTRATION"], now=_now()
        )
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("auth.login"))
    _sign_in(user)
    return redirect(safe_next(session.pop(_NEXT, "")) or url_for("main.home"))
