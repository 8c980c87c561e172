"""The invites page (instructors and admins) and accepting an invite through its link."""

from __future__ import annotations

import re

from quizapp.models import Role
from quizapp.services import accounts, classes
from tests.factories import PASSWORD


def _invite(client, **data):
    return client.post("/invites", data={"role": "learner", "classroom": "", **data})


def test_an_instructor_invites_and_the_learner_registers(client, auth, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    classroom = classes.create_class(teacher, "Bio <101>")
    auth.login(teacher)
    page = client.get("/invites")
    assert page.status_code == 200
    assert '<option value="instructor"' not in page.text  # learners only
    response = _invite(client, email="pupil@example.com", classroom=str(classroom.id))
    assert response.status_code == 201
    link = re.search(r'id="invite-link"[^>]*>([^<]+)<', response.text).group(1)
    assert link.startswith("http://localhost/invites/accept/inv_")
    assert "Bio &lt;101&gt;" in response.text  # the pending list, escaped
    assert link not in client.get("/invites").text  # shown once

    auth.logout()
    path = link.removeprefix("http://localhost")
    form = client.get(path)
    assert form.status_code == 200 and 'value="pupil@example.com" readonly' in form.text
    mismatch = client.post(path, data={"password": PASSWORD, "confirm": "other one!"})
    assert mismatch.status_code == 400 and "not the same" in mismatch.text
    done = client.post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302
    assert "Sign out" in client.get("/").text  # signed in at once
    user = accounts.find_user("pupil@example.com")
    assert user.role == "learner" and classes.is_member(user, classroom)
    auth.logout()
    assert client.get(path).status_code == 404  # used


def test_invite_errors_re_render_the_form(client, auth, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    factory.user(email="taken@example.com")
    auth.login(teacher)
    assert "already has an account" in _invite(client, email="taken@example.com").text
    response = _invite(client, email="x@example.com", role="admin")
    assert response.status_code == 400 and "You can invite these roles: learner" in response.text
    response = _invite(client, email="x@example.com", classroom="12abc")
    assert response.status_code == 400 and "Choose one of your classes" in response.text


def test_revoking_and_closed_mode(app, client, auth, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    auth.login(teacher)
    response = _invite(client, email="late@example.com")
    path = re.search(r'id="invite-link"[^>]*>http://localhost([^<]+)<', response.text).group(1)
    invite_id = re.search(r'id="invite-(\d+)"', response.text).group(1)
    assert client.post(f"/invites/{invite_id}/revoke").status_code == 302
    assert "No pending invites" in client.get("/invites").text
    auth.logout()
    gone = client.get(path)
    assert gone.status_code == 404 and "used, revoked or has expired" in gone.text

    app.config["QUIZAPP_REGISTRATION"] = "closed"
    auth.login(teacher)
    assert "only admins send invites" in client.get("/invites").text
    assert _invite(client, email="x@example.com").status_code == 403
    admin = factory.user(Role.ADMIN)
    auth.login(admin)
    page = client.get("/invites")
    assert '<option value="admin"' in page.text
    assert _invite(client, email="boss@example.com", role="instructor").status_code == 201


def test_a_signed_in_visitor_is_told_to_sign_out(client, auth, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    auth.login(teacher)
    link = re.search(
        r'http://localhost(/invites/accept/[^<"]+)', _invite(client, email="p@example.com").text
    ).group(1)
    page = client.get(link)
    assert "Sign out first" in page.text
    assert client.post(link, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 200
    assert accounts.find_user("p@example.com") is None
