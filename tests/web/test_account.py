"""The account page: email, password, study day, API tokens and sign-out, in one place."""

from __future__ import annotations

import re

from quizapp.models import utcnow
from quizapp.services import accounts, tokens
from tests.factories import PASSWORD
from tests.web.forms import form_to


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_account_page_holds_every_setting_and_the_nav_links_to_it(client, factory, auth):
    auth.login(factory.user(email="ada@example.com"))
    home = client.get("/").text
    assert 'href="/auth/account"' in home
    page = client.get("/auth/account")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    for action in (
        "/auth/account/email",
        "/auth/password",
        "/auth/day",
        "/auth/account/tokens",
        "/auth/sign-out-everywhere",
    ):
        assert f'action="{action}' in page.text, action
    assert "ada@example.com" in page.text and "You have no API tokens." in page.text
    # The old addresses show the same page.
    for path in ("/auth/password", "/auth/day"):
        assert 'id="tokens-heading"' in client.get(path).text
    # Every element id is unique (several forms on one page).
    ids = re.findall(r'\bid="([^"]+)"', page.text)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_changing_the_email(client, factory, auth):
    user = factory.user(email="ada@example.com")
    factory.user(email="taken@example.com")
    auth.login(user)
    bad = client.post(
        "/auth/account/email", data={"new-email": "taken@example.com", "new-current": PASSWORD}
    )
    assert bad.status_code == 400 and "Another account uses this email" in bad.text
    assert 'value="taken@example.com"' in bad.text  # the form keeps what was typed
    bad = client.post(
        "/auth/account/email", data={"new-email": "new@example.com", "new-current": "wrong"}
    )
    assert bad.status_code == 400 and "Your current password is not right." in bad.text
    empty = client.post("/auth/account/email", data={})
    assert empty.status_code == 400 and "This field is required." in empty.text
    ok = client.post(
        "/auth/account/email", data={"new-email": "New@Example.com", "new-current": PASSWORD}
    )
    assert ok.status_code == 302 and ok.location == "/auth/account"
    page = client.get("/auth/account").text
    assert "Your email is now new@example.com" in page
    assert accounts.get_user(user.id).email == "new@example.com"


def test_a_token_made_in_the_browser_is_shown_once_works_and_is_revoked(client, factory, auth):
    user = factory.user()
    auth.login(user)
    made = client.post("/auth/account/tokens", data={"token-name": "  laptop script  "})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    token = re.search(r'id="new-token-value" value="(qz_[^"]+)"', made.text)[1]
    assert "shown only this once" in made.text and "laptop script" in made.text
    assert 'data-copy="new-token-value"' in made.text
    assert client.get("/api/v1/decks", headers=_bearer(token)).status_code == 200

    page = client.get("/auth/account").text
    assert token not in page and "laptop script" in page
    assert re.search(r"<td class=\"small\">\d{4}-\d\d-\d\d \d\d:\d\d UTC</td>", page)  # last used
    revoke = form_to(page, "/revoke")
    response = client.post(revoke.action, data=revoke.data())
    assert response.status_code == 302 and response.location == "/auth/account#account-tokens"
    assert "is revoked" in client.get("/auth/account").text
    assert client.get("/api/v1/decks", headers=_bearer(token)).status_code == 401
    assert client.post(revoke.action).status_code == 404  # already revoked


def test_a_token_needs_a_name_and_nobody_revokes_anothers(client, factory, auth):
    ada, bob = factory.user(), factory.user()
    bobs = tokens.issue_token(bob, now=utcnow(), name="bob's")
    auth.login(ada)
    response = client.post("/auth/account/tokens", data={"token-name": "   "})
    assert response.status_code == 400 and "This field is required." in response.text
    response = client.post("/auth/account/tokens", data={"token-name": "x" * 81})
    assert response.status_code == 400 and "qz_" not in response.text
    assert client.post(f"/auth/account/tokens/{bobs.id}/revoke").status_code == 404
    assert tokens.authenticate(bobs.token, now=utcnow()) is not None


def test_the_password_and_day_forms_re_render_the_account_page(client, factory, auth):
    auth.login(factory.user())
    bad = client.post(
        "/auth/password", data={"current": PASSWORD, "password": "short", "confirm": "short"}
    )
    assert bad.status_code == 400 and "Use at least 10 characters" in bad.text
    assert 'id="tokens-heading"' in bad.text
    ok = client.post("/auth/day", data={"timezone": "Asia/Tokyo", "day_starts_at": "6"})
    assert ok.status_code == 302 and ok.location == "/auth/account#account-day"


def test_account_forms_need_csrf(app, client, factory, auth):
    auth.login(factory.user())
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/auth/account/tokens", data={"token-name": "x"}).status_code == 400
    assert client.post("/auth/account/email", data={}).status_code == 400
    page = client.get("/auth/account").text
    form = form_to(page, "/auth/account/tokens")
    assert form.data()["token-csrf_token"][0]
    assert client.post(form.action, data=form.data(**{"token-name": "ok"})).status_code == 201
