"""Single sign-on against a real OpenID Connect provider on 127.0.0.1 (tests/oidc_provider.py):
matching by verified email, creating accounts under the registration mode, refusing forged
tokens, disabled accounts and unverified emails; local sign-in keeps working."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from flask import g

from quizapp.config import ConfigError, oidc_settings
from quizapp.models import Role
from quizapp.services import accounts, classes, invites, sso
from quizapp.services.accounts import utcnow
from quizapp.web import oidc
from tests.factories import PASSWORD
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture
def provider(app):
    with Provider() as running:
        app.config["QUIZAPP_OIDC"] = {
            "issuer": running.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "name": "School Login",
        }
        oidc.init_app(app)
        yield running


def _sso(client, next_path="/classes/"):
    """Through the provider and back: the app's last answer."""
    g.pop("_login_user", None)
    start = client.get("/auth/sso/login", query_string={"next": next_path})
    assert start.status_code == 302
    assert start.location.startswith(client.application.config["QUIZAPP_OIDC"]["issuer"])
    back = requests.get(start.location, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    parts = urlsplit(back.headers["Location"])
    assert parts.path == "/auth/sso/callback"
    return client.get(f"{parts.path}?{parts.query}")


def _signed_in_as(client) -> str | None:
    g.pop("_login_user", None)
    page = client.get("/auth/password")
    return None if page.status_code != 200 else page.text


def test_the_sign_in_page_offers_the_provider(client, provider):
    page = client.get("/auth/login?next=/classes/")
    assert "Sign in with School Login" in page.text
    assert 'href="/auth/sso/login?next=/classes/"' in page.text


def test_open_mode_creates_a_learner_and_matches_it_next_time(client, provider):
    response = _sso(client)
    assert response.status_code == 302 and response.location == "/classes/"
    user = accounts.find_user("sso@example.com")
    assert (user.role, user.display_name) == ("learner", "Sam SSO")
    assert "sso@example.com" in _signed_in_as(client)
    with pytest.raises(accounts.SignInError):  # no password opens it
        accounts.sign_in("sso@example.com", sso.NO_PASSWORD, "1.2.3.4")
    client.post("/auth/logout")
    assert _sso(client).location == "/classes/"
    assert accounts.list_users("sso@").total == 1


def test_an_existing_account_is_matched_by_verified_email_only(client, factory, provider):
    teacher = factory.user(Role.INSTRUCTOR, email="sso@example.com")
    provider.identity["email_verified"] = False
    refused = _sso(client)
    assert refused.location == "/auth/login"
    assert _signed_in_as(client) is None
    assert "has not verified sso@example.com" in client.get("/auth/login").text
    provider.identity["email_verified"] = True
    provider.identity["email"] = "SSO@Example.com"
    assert _sso(client).location == "/classes/"
    assert "sso@example.com" in _signed_in_as(client)
    # Local accounts keep working.
    client.post("/auth/logout")
    assert (
        client.post("/auth/login", data={"email": teacher.email, "password": PASSWORD}).status_code
        == 302
    )


def test_a_forged_token_or_a_disabled_account_signs_nobody_in(client, factory, provider):
    user = factory.user(email="sso@example.com")
    provider.forge = True
    assert _sso(client).location == "/auth/login"
    assert provider.token_requests == 1 and _signed_in_as(client) is None
    assert "did not work" in client.get("/auth/login").text
    provider.forge = False
    accounts.set_disabled(user, True, by=factory.user(Role.ADMIN), now=utcnow())
    assert _sso(client).location == "/auth/login"
    assert _signed_in_as(client) is None
    assert "This account is disabled" in client.get("/auth/login").text
    # A callback nobody started (no state in the session) is refused too.
    g.pop("_login_user", None)
    assert client.get("/auth/sso/callback?code=x&state=y").location == "/auth/login"


def test_invite_and_closed_modes(app, client, factory, provider):
    app.config["QUIZAPP_REGISTRATION"] = "closed"
    assert _sso(client).location == "/auth/login"
    assert "registration is closed" in client.get("/auth/login").text
    app.config["QUIZAPP_REGISTRATION"] = "invite"
    assert _sso(client).location == "/auth/login"
    teacher = factory.user(Role.INSTRUCTOR)
    classroom = classes.create_class(teacher, "Bio")
    invites.create(
        teacher,
        "sso@example.com",
        "learner",
        now=utcnow(),
        mode="invite",
        classroom_id=classroom.id,
    )
    assert _sso(client).location == "/classes/"
    user = accounts.find_user("sso@example.com")
    assert classes.is_member(user, classroom)
    assert invites.pending(teacher, now=utcnow()) == []


def test_without_settings_there_is_no_button_and_no_route(client):
    assert "Sign in with" not in client.get("/auth/login").text
    assert client.get("/auth/sso/login").status_code == 404
    assert client.get("/auth/sso/callback").status_code == 404


def test_settings(monkeypatch, tmp_path):
    for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_SECRET_FILE", "NAME"):
        monkeypatch.delenv(f"QUIZAPP_OIDC_{name}", raising=False)
    assert oidc_settings() is None
    monkeypatch.setenv("QUIZAPP_OIDC_ISSUER", "https://login.example.org/realms/school/")
    with pytest.raises(
        ConfigError, match="needs QUIZAPP_OIDC_CLIENT_ID, QUIZAPP_OIDC_CLIENT_SECRET too"
    ):
        oidc_settings()
    monkeypatch.setenv("QUIZAPP_OIDC_CLIENT_ID", "quiz")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("QUIZAPP_OIDC_CLIENT_SECRET_FILE", str(secret))
    assert oidc_settings() == {
        "issuer": "https://login.example.org/realms/school",
        "client_id": "quiz",
        "client_secret": "from-a-file",
        "name": "single sign-on",
    }
    monkeypatch.setenv("QUIZAPP_OIDC_CLIENT_SECRET", "also")
    with pytest.raises(ConfigError, match="both set"):
        oidc_settings()


def test_a_provider_that_does_not_answer_sends_back_to_the_password_form(app, client):
    with Provider() as stopped:
        issuer = stopped.issuer
    app.config["QUIZAPP_OIDC"] = {
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "name": "School Login",
    }
    oidc.init_app(app)
    response = client.get("/auth/sso/login")
    assert response.status_code == 302 and response.location == "/auth/login"
    assert "The sign-in provider is not answering" in client.get("/auth/login").text
