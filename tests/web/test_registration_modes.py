"""QUIZAPP_REGISTRATION: open, invite-only (invite links, class join links) and closed; the
sign-in and register pages say which applies."""

from __future__ import annotations

import pytest

from quizapp.config import ConfigError, registration_mode
from quizapp.models import Role
from quizapp.services import accounts, classes
from tests.factories import PASSWORD


def _register(client, email="new@example.com", next_path=None):
    data = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post("/auth/register", data=data)


def test_the_setting_is_checked(monkeypatch):
    assert registration_mode(None) == "open"
    assert registration_mode(" Invite ") == "invite"
    with pytest.raises(
        ConfigError, match="QUIZAPP_REGISTRATION='sometimes': one of open, invite, closed"
    ):
        registration_mode("sometimes")


def test_open_registration_says_nothing_special(client, factory):
    page = client.get("/auth/login")
    assert "Create an account" in page.text and "registration-rules" not in page.text
    assert _register(client).status_code == 302
    assert accounts.find_user("new@example.com")
    # Registering through a class join link joins the class in every mode.
    classroom = classes.create_class(factory.user(Role.INSTRUCTOR), "Bio")
    _register(client, "pupil@example.com", next_path=f"/classes/join/{classroom.join_code}")
    assert classes.is_member(accounts.find_user("pupil@example.com"), classroom)


def test_closed_registration_refuses_and_says_who_to_ask(app, client):
    app.config["QUIZAPP_REGISTRATION"] = "closed"
    login = client.get("/auth/login")
    assert "Registration is closed on this site" in login.text
    assert 'href="/auth/register' not in login.text  # neither the page nor the menu offers it
    page = client.get("/auth/register")
    assert page.status_code == 200 and "ask an admin" in page.text
    assert 'name="password"' not in page.text
    assert _register(client).status_code == 403
    assert accounts.find_user("new@example.com") is None


def test_invite_mode_admits_through_a_class_join_link(app, client, factory):
    app.config["QUIZAPP_REGISTRATION"] = "invite"
    classroom = classes.create_class(factory.user(Role.INSTRUCTOR), "Bio")
    assert "by invitation" in client.get("/auth/register").text
    assert _register(client).status_code == 403
    assert accounts.find_user("new@example.com") is None

    # A learner follows the class's join link, is sent to sign in, and registers from there.
    link = f"/classes/join/{classroom.join_code}"
    assert client.get(link).location.startswith("/auth/login")
    login = client.get("/auth/login", query_string={"next": link})
    assert "Create an account" in login.text
    page = client.get("/auth/register", query_string={"next": link})
    assert "You are joining a class" in page.text
    response = _register(client, next_path=link)
    assert response.status_code == 302
    user = accounts.find_user("new@example.com")
    assert classes.is_member(user, classroom)

    wrong = _register(client, "other@example.com", next_path="/classes/join/WRONGCODE")
    assert wrong.status_code == 400 and "no class with that join code" in wrong.text
    assert accounts.find_user("other@example.com") is None
    # Any other "next" is no admission.
    assert _register(client, "third@example.com", next_path="/classes/").status_code == 403
