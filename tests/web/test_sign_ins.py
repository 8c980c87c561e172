"""Sign-ins as revocable credentials (security findings 2 and 4), registration that tells nobody
which emails have accounts (18), and the sign-in limits seen through the web (7).

The test app keeps one app context, so flask-login's cached user (``g._login_user``) is dropped
before every request here: each request must authenticate from its own cookies.
"""

from __future__ import annotations

import re

from flask import g

from quizapp.models import ApiToken, utcnow
from quizapp.services import throttle, tokens
from quizapp.web.auth import REGISTERED_MESSAGE
from tests.factories import PASSWORD

NEW_PASSWORD = "a new secret phrase"


def _send(client, method: str, path: str, **kwargs):
    g.pop("_login_user", None)
    return client.open(path, method=method, **kwargs)


def _login(client, email="ada@example.com", password=PASSWORD, **extra):
    return _send(
        client, "POST", "/auth/login", data={"email": email, "password": password, **extra}
    )


def _signed_in(client) -> bool:
    """Whether the client's cookies still open a signed-in page."""
    return _send(client, "GET", "/auth/password").status_code == 200


def _browser_with(app, **cookies):
    """A new client holding only these cookies (a copy taken from another browser)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def test_every_sign_in_gets_a_new_remember_cookie_that_is_not_the_user_id(client, factory):
    user = factory.user(email="ada@example.com")
    _login(client, remember="y")
    first = client.get_cookie("remember_token").value
    _send(client, "POST", "/auth/logout")
    _login(client, remember="y")
    second = client.get_cookie("remember_token").value
    assert first != second
    assert first.split("|")[0] != str(user.id) and second.split("|")[0] != str(user.id)


def test_signing_out_kills_copies_of_the_cookies(app, client, factory):
    factory.user(email="ada@example.com")
    _login(client, remember="y")
    remember = client.get_cookie("remember_token").value
    session = client.get_cookie("session").value
    assert _signed_in(_browser_with(app, remember_token=remember))
    assert _signed_in(_browser_with(app, session=session))
    _send(client, "POST", "/auth/logout")
    assert not _signed_in(client)
    # A thief's copy of either cookie no longer signs anyone in.
    assert not _signed_in(_browser_with(app, remember_token=remember))
    assert not _signed_in(_browser_with(app, session=session))


def test_signing_out_ends_only_that_sign_in(app, factory):
    factory.user(email="ada@example.com")
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop)
    _login(phone)
    _send(laptop, "POST", "/auth/logout")
    assert not _signed_in(laptop)
    assert _signed_in(phone)


def test_password_change_signs_out_other_browsers_and_revokes_tokens(app, factory):
    user = factory.user(email="ada@example.com")
    here, elsewhere = app.test_client(), app.test_client()
    _login(here)
    _login(elsewhere, remember="y")
    remember = elsewhere.get_cookie("remember_token").value
    token = tokens.issue_token(user, now=utcnow()).token
    response = _send(
        here,
        "POST",
        "/auth/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _signed_in(here)  # the browser that changed it stays signed in
    assert not _signed_in(elsewhere)
    assert not _signed_in(_browser_with(app, remember_token=remember))
    api = _send(
        app.test_client(), "GET", "/api/v1/decks", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 401


def test_sign_out_everywhere(app, factory):
    user = factory.user(email="ada@example.com")
    here, elsewhere = app.test_client(), app.test_client()
    _login(here)
    _login(elsewhere, remember="y")
    remember = elsewhere.get_cookie("remember_token").value
    token = tokens.issue_token(user, now=utcnow()).token
    page = _send(here, "GET", "/auth/password")
    assert 'action="/auth/sign-out-everywhere"' in page.text
    response = _send(here, "POST", "/auth/sign-out-everywhere")
    assert response.status_code == 302
    assert not _signed_in(here) and not _signed_in(elsewhere)
    assert not _signed_in(_browser_with(app, remember_token=remember))
    assert all(row.revoked_at is not None for row in ApiToken.query.filter_by(user_id=user.id))
    assert (
        _send(
            app.test_client(), "GET", "/api/v1/decks", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 401
    )
    # Signing in again works, with a new credential.
    _login(here)
    assert _signed_in(here)


def test_sign_out_everywhere_needs_a_csrf_token(app, client, factory):
    factory.user(email="ada@example.com")
    _login(client)
    app.config["WTF_CSRF_ENABLED"] = True
    assert _send(client, "POST", "/auth/sign-out-everywhere").status_code == 400
    assert _signed_in(client)


def test_a_forged_or_bare_user_id_cookie_is_refused(app, client, factory):
    user = factory.user(email="ada@example.com")
    _login(client)
    assert _signed_in(client)
    for forged in (str(user.id), f"{user.id}.", "1.wrong-secret", "x.y", "9" * 40 + ".a"):
        other = app.test_client()
        with other.session_transaction() as session:
            session["_user_id"] = forged
            session["_fresh"] = True
        assert not _signed_in(other), forged


# --- registration (finding 18) --------------------------------------------------------------


def _register(client, email: str, password: str = PASSWORD):
    return _send(
        client,
        "POST",
        "/auth/register",
        data={"email": email, "password": password, "confirm": password},
    )


def _visible(response, client) -> tuple:
    """What the registering visitor can see: the answer, and the page it leads to."""
    follow = _send(client, "GET", response.location)
    text = re.sub(r'value="[^"]*"', "", follow.text)
    return response.status_code, response.location, follow.status_code, text


def test_registration_answers_alike_for_a_taken_and_a_new_email(app, factory):
    factory.user(email="taken@example.com")
    new, taken = app.test_client(), app.test_client()
    seen_new = _visible(_register(new, "fresh@example.com"), new)
    seen_taken = _visible(_register(taken, "Taken@Example.com"), taken)
    assert seen_new == seen_taken
    assert REGISTERED_MESSAGE in seen_new[3]
    assert "already exists" not in seen_taken[3]
    # The existing account is untouched; the new one works.
    assert _login(taken, "taken@example.com").status_code == 302
    assert _login(new, "fresh@example.com").status_code == 302


def test_registration_is_rate_limited_per_address(app, client):
    for i in range(throttle.REGISTER_ADDRESS.most):
        assert _register(client, f"user{i}@example.com").status_code == 302
    response = _register(client, "one-more@example.com")
    assert response.status_code == 429
    assert "Too many new accounts" in response.text
    # The hour counts from the first registration: a second may have passed since (loaded machine).
    assert 3590 <= int(response.headers["Retry-After"]) <= 3600
    # Another address may still register.
    other = _send(
        app.test_client(),
        "POST",
        "/auth/register",
        data={"email": "elsewhere@example.com", "password": PASSWORD, "confirm": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert other.status_code == 302


# --- sign-in limits through the web (finding 7) ---------------------------------------------


def test_failures_elsewhere_do_not_lock_the_real_user_out(app, factory):
    factory.user(email="ada@example.com")
    attacker = app.test_client()
    for _ in range(throttle.SIGN_IN_ACCOUNT.most + 2):
        _send(
            attacker,
            "POST",
            "/auth/login",
            data={"email": "ada@example.com", "password": "guess"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
    assert (
        _send(
            attacker,
            "POST",
            "/auth/login",
            data={"email": "ada@example.com", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        ).status_code
        == 429
    )
    owner = app.test_client()
    response = _send(
        owner,
        "POST",
        "/auth/login",
        data={"email": "ada@example.com", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert response.status_code == 302
