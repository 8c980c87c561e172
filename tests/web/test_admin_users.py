"""The admin's accounts page: pages, search, disable and enable, CSV creation."""

from __future__ import annotations

import io
import re

from flask import g

from quizapp.models import Role, utcnow
from quizapp.services import accounts, tokens
from tests.factories import PASSWORD


def test_pages_and_search(client, auth, factory):
    admin = factory.user(Role.ADMIN, email="admin@example.com")
    for i in range(55):
        factory.user(email=f"user{i:02}@school.org")
    auth.login(admin)
    first = client.get("/admin/users")
    assert "56 accounts, page 1 of 2" in first.text and first.text.count('<tr id="user-') == 50
    second = client.get("/admin/users?page=2")
    assert second.text.count('<tr id="user-') == 6 and 'rel="prev"' in second.text
    found = client.get("/admin/users?q=USER0")
    assert "10 accounts matching" in found.text and found.text.count('<tr id="user-') == 10
    assert client.get("/admin/users?page=abc").status_code == 200


def _home(client) -> str:
    g.pop("_login_user", None)  # the test app context outlives requests: flask-login caches
    return client.get("/").text


def test_disabling_signs_out_and_refuses_the_api(client, auth, factory, app):
    admin, user = factory.user(Role.ADMIN), factory.user(email="dis@example.com")
    token = tokens.issue_token(user, now=utcnow()).token
    other = app.test_client()
    other.post("/auth/login", data={"email": "dis@example.com", "password": PASSWORD})
    assert "Sign out" in _home(other)
    auth.login(admin)
    response = client.post(f"/admin/users/{user.id}/disable?q=dis")
    assert response.location == "/admin/users?q=dis"
    assert "<strong>Disabled</strong>" in client.get("/admin/users?q=dis").text
    assert "Sign out" not in _home(other)
    api = other.get("/api/v1/decks", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    refused = other.post("/auth/login", data={"email": "dis@example.com", "password": PASSWORD})
    assert "This account is disabled" in refused.text
    no_token = other.post("/api/v1/tokens", json={"email": "dis@example.com", "password": PASSWORD})
    assert no_token.status_code == 401
    assert no_token.get_json()["error"]["message"].startswith("This account is disabled")
    g.pop("_login_user", None)
    page = client.post(f"/admin/users/{admin.id}/disable", follow_redirects=True)
    assert "You cannot disable your own account" in page.text
    g.pop("_login_user", None)
    client.post(f"/admin/users/{user.id}/enable")
    assert (
        other.post(
            "/auth/login", data={"email": "dis@example.com", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_csv_upload_all_or_nothing(client, auth, factory):
    admin = factory.user(Role.ADMIN)
    auth.login(admin)
    assert client.get("/admin/users/import").status_code == 200

    def upload(data: bytes):
        return client.post(
            "/admin/users/import",
            content_type="multipart/form-data",
            data={"users_file": (io.BytesIO(data), "users.csv")},
        )

    bad = upload(b"a@example.com,learner,correct horse battery\n<b>x</b>,learner\n")
    assert bad.status_code == 400
    assert "Line 2: &#39;&lt;b&gt;x&lt;/b&gt;&#39;: Enter a valid email address." in bad.text
    assert accounts.find_user("a@example.com") is None
    assert "Choose a CSV file" in upload(b"").text
    good = upload(b"a@example.com,learner,correct horse battery\nb@example.com,instructor\n")
    assert good.status_code == 201 and "1 account created, 1 invite made" in good.text
    assert re.search(r"http://localhost/invites/accept/inv_[\w-]+", good.text)
    assert accounts.find_user("a@example.com").role == "learner"
