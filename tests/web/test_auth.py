"""Registering, signing in and out, changing passwords, the admin page, and the guards."""

from __future__ import annotations

import re

import pytest

from quizapp.models import Role
from quizapp.services import accounts
from quizapp.services.accounts import MAX_FAILURES_PER_ACCOUNT
from quizapp.web.auth import safe_next
from tests.factories import PASSWORD


def _login(client, email, password=PASSWORD, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def test_register_then_sign_in_goes_to_a_safe_next(client):
    page = client.get("/auth/register?next=/classes/")
    assert page.status_code == 200
    assert 'name="confirm"' in page.text and "Create account" in page.text
    response = client.post(
        "/auth/register",
        data={
            "email": "New@Example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "next": "/classes/",
        },
    )
    assert response.status_code == 302
    assert response.location == "/auth/login?next=/classes/"
    assert accounts.find_user("new@example.com").role == Role.LEARNER
    response = _login(client, "new@example.com", next="/classes/")
    assert response.location == "/classes/"
    assert "Sign out" in client.get("/").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "x@example.com", "password": "short", "confirm": "short"},
            "Use at least 10 characters",
        ),
        (
            {"email": "x@example.com", "password": PASSWORD, "confirm": PASSWORD + "!"},
            "The two passwords are not the same",
        ),
        (
            {"email": "not-an-email", "password": PASSWORD, "confirm": PASSWORD},
            "Enter a valid email address",
        ),
    ],
)
def test_register_explains_what_is_wrong(client, factory, data, message):
    factory.user(email="taken@example.com")
    response = client.post("/auth/register", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert "Sign out" not in response.text


def test_login_and_logout(client, factory):
    user = factory.user(email="ada@example.com")
    page = client.get("/auth/login")
    assert all(f'name="{n}"' in page.text for n in ("email", "password", "remember"))
    assert "Sign in" in page.text
    response = _login(client, "ada@example.com")
    assert response.status_code == 302 and response.location == "/"
    assert user.email in client.get("/auth/password").text
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/auth/password").status_code == 302


def test_logout_needs_post(client):
    assert client.get("/auth/logout").status_code == 405


def test_remember_me_sets_a_lasting_cookie(client, factory):
    factory.user(email="ada@example.com")
    _login(client, "ada@example.com")
    assert client.get_cookie("remember_token") is None
    client.post("/auth/logout")
    _login(client, "ada@example.com", remember="y")
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.expires is not None and cookie.http_only


def test_wrong_credentials_do_not_say_which_was_wrong(client, factory):
    factory.user(email="ada@example.com")
    wrong_password = _login(client, "ada@example.com", "not the password")
    unknown = _login(client, "bob@example.com")
    for response in (wrong_password, unknown):
        assert response.status_code == 400
        assert "Wrong email or password." in response.text
    assert re.sub(r'value="[^"]*"', "", wrong_password.text.replace("ada@", "X@")) == re.sub(
        r'value="[^"]*"', "", unknown.text.replace("bob@", "X@")
    )


def test_sign_in_is_rate_limited(client, factory):
    factory.user(email="ada@example.com")
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        _login(client, "ada@example.com", "wrong password")
    response = _login(client, "ada@example.com")
    assert response.status_code == 429
    assert "Too many sign-in attempts. Try again in 15 minutes." in response.text


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil",
        "/ok\r\nLocation: https://evil.example",
        "",
        None,
    ],
)
def test_unsafe_next_is_ignored(target):
    assert safe_next(target) is None


def test_safe_next_keeps_local_paths():
    assert safe_next("/decks/x?y=1#z") == "/decks/x?y=1#z"


def test_login_ignores_an_offsite_next(client, factory):
    factory.user(email="ada@example.com")
    response = _login(client, "ada@example.com", next="https://evil.example/")
    assert response.location == "/"


def test_protected_page_sends_to_sign_in_and_back(client, factory):
    response = client.get("/classes/")
    assert response.status_code == 302
    assert response.location == "/auth/login?next=/classes/"
    factory.user(email="ada@example.com")
    response = _login(client, "ada@example.com", next="/classes/")
    assert response.location == "/classes/"


def test_change_password(client, factory, auth):
    user = factory.user()
    auth.login(user)
    bad = client.post(
        "/auth/password",
        data={"current": "wrong", "password": "a new secret!", "confirm": "a new secret!"},
    )
    assert bad.status_code == 400 and "Your current password is not right." in bad.text
    ok = client.post(
        "/auth/password",
        data={"current": PASSWORD, "password": "a new secret!", "confirm": "a new secret!"},
    )
    assert ok.status_code == 302
    assert accounts.verify_password(accounts.get_user(user.id), "a new secret!")


def test_csrf_is_required_when_enabled(app, client, factory):
    factory.user(email="ada@example.com")
    app.config["WTF_CSRF_ENABLED"] = True
    response = _login(client, "ada@example.com")
    assert response.status_code == 400
    assert "Sign out" not in client.get("/").text
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/auth/login").text
    )[1]
    response = _login(client, "ada@example.com", csrf_token=token)
    assert response.status_code == 302


def test_admin_changes_roles(client, factory, auth):
    admin, learner = factory.user(Role.ADMIN), factory.user()
    auth.login(admin)
    page = client.get("/admin/users")
    assert page.status_code == 200 and learner.email in page.text
    response = client.post(
        f"/admin/users/{learner.id}/role", data={f"u{learner.id}-role": "instructor"}
    )
    assert response.status_code == 302
    assert accounts.get_user(learner.id).role == Role.INSTRUCTOR
    response = client.post(
        f"/admin/users/{admin.id}/role",
        data={f"u{admin.id}-role": "learner"},
        follow_redirects=True,
    )
    assert "You cannot remove your own admin role" in response.text
    assert client.post("/admin/users/9999/role", data={"u9999-role": "admin"}).status_code == 404


def test_nav_for_visitors(client):
    html = client.get("/").text
    assert "Sign in" in html and "Create account" in html and ">Classes<" not in html


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.LEARNER, [">Classes<", "Sign out"], [">My decks<", ">Admin<"]),
        (Role.INSTRUCTOR, [">Classes<", ">My decks<"], [">Admin<"]),
        (Role.ADMIN, [">Classes<", ">My decks<", ">Admin<"], []),
    ],
)
def test_nav_shows_links_by_role(client, factory, auth, role, shown, hidden):
    # Sign in before the first request: the test app keeps one app context (and so flask-login's
    # cached user in ``g``) for the whole test.
    auth.login(factory.user(role))
    html = client.get("/").text
    assert all(s in html for s in shown)
    assert not any(h in html for h in hidden)


def test_the_learner_sets_their_study_day_and_bad_values_re_render(client, auth, factory):
    from quizapp.extensions import db

    user = factory.user()
    auth.login(user)
    page = client.get("/auth/day").get_data(as_text=True)
    assert "America/Denver" in page and "04:00" in page
    bad = client.post("/auth/day", data={"timezone": "Mars/Olympus", "day_starts_at": "4"})
    assert bad.status_code == 400 and "Choose a time zone" in bad.get_data(as_text=True)
    bad = client.post("/auth/day", data={"timezone": "Asia/Tokyo", "day_starts_at": "²"})
    assert bad.status_code == 400 and "whole hour" in bad.get_data(as_text=True)
    ok = client.post("/auth/day", data={"timezone": "Asia/Tokyo", "day_starts_at": "6"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert (user.timezone, user.day_starts_at) == ("Asia/Tokyo", 6)


def test_sign_up_keeps_the_browsers_time_zone_and_ignores_a_bogus_one(client):
    import sqlalchemy as sa

    from quizapp.extensions import db
    from quizapp.models import User

    for email, zone in (("tz1@example.com", "Europe/Berlin"), ("tz2@example.com", "<script>")):
        client.post(
            "/auth/register",
            data={
                "email": email,
                "password": "correct horse battery",
                "confirm": "correct horse battery",
                "timezone": zone,
            },
        )
    zones = dict(db.session.execute(sa.select(User.email, User.timezone)).all())
    assert zones == {"tz1@example.com": "Europe/Berlin", "tz2@example.com": "UTC"}
