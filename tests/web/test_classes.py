"""Classes through HTTP: create, join by code or link, the home page, members, results."""

from __future__ import annotations

from datetime import date

from flask import g

from quizapp.extensions import db
from quizapp.models import Card, Review, Role, Visibility
from quizapp.services import classes, throttle


def _as(auth, user) -> None:
    g.pop("_login_user", None)  # the test app keeps one app context: drop flask-login's cache
    auth.login(user)


def test_instructor_creates_a_class_and_sees_its_code_and_link(client, auth, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    _as(auth, teacher)
    response = client.post("/classes/", data={"new-name": "Bio 101"})
    assert response.status_code == 302
    classroom = classes.classes_owned(teacher)[0]
    html = client.get(response.location).text
    assert classroom.join_code in html
    assert f"http://localhost/classes/join/{classroom.join_code}" in html
    assert client.post("/classes/", data={"new-name": ""}).status_code == 400


def test_learner_joins_with_the_code_and_sees_assigned_decks_first(client, auth, factory):
    teacher, learner = factory.user(Role.INSTRUCTOR), factory.user()
    classroom = classes.create_class(teacher, "Bio 101")
    factory.deck("aaa-public", title="AAA Public", visibility=Visibility.PUBLIC)
    assigned = factory.deck(
        "zzz-assigned", title="ZZZ Assigned", owner=teacher, visibility=Visibility.CLASS
    )
    classes.assign(classroom, assigned, date(2030, 5, 17))
    _as(auth, learner)
    assert "ZZZ Assigned" not in client.get("/").text

    bad = client.post("/classes/join", data={"join-code": "NOPE2345"})
    assert bad.status_code == 400 and "no class with that join code" in bad.text
    response = client.post("/classes/join", data={"join-code": classroom.join_code.lower()})
    assert response.status_code == 302 and response.location == "/"
    html = client.get("/").text
    assert (
        html.index("Assigned to you")
        < html.index("ZZZ Assigned")
        < html.index("Other decks")
        < html.index("AAA Public")
    )
    assert "by 17 May 2030" in html and "Assigned in Bio 101" in html
    member_page = client.get(f"/classes/{classroom.id}").text
    assert "ZZZ Assigned" in member_page and "Leave this class" in member_page
    assert classroom.join_code not in member_page  # members do not manage the class


def test_join_link_asks_before_joining(client, auth, factory):
    classroom = classes.create_class(factory.user(Role.INSTRUCTOR), "Bio 101")
    learner = factory.user()
    url = f"/classes/join/{classroom.join_code}"
    assert client.get(url).location == f"/auth/login?next={url}"
    _as(auth, learner)
    page = client.get(url)
    assert page.status_code == 200 and classroom.join_code in page.text
    assert classes.classes_joined(learner) == []
    response = client.post(url, follow_redirects=True)
    assert "You joined “Bio 101”" in response.text
    assert classes.classes_joined(learner) == [classroom]
    assert client.post(url).status_code == 302  # twice is fine
    wrong = client.post("/classes/join/WRONG234")
    assert wrong.status_code == 400 and "no class with that join code" in wrong.text


def test_join_link_page_tells_nothing_before_the_code_is_proved(client, auth, factory):
    """Finding 16: GET on a join link named the class, and 404 told a wrong code from a right one
    without any limit."""
    classroom = classes.create_class(factory.user(Role.INSTRUCTOR), "Secret Seminar")
    _as(auth, factory.user())
    right = client.get(f"/classes/join/{classroom.join_code}")
    wrong = client.get("/classes/join/WRONG234")
    assert right.status_code == wrong.status_code == 200
    assert "Secret Seminar" not in right.text
    assert right.text.replace(classroom.join_code, "CODE") == wrong.text.replace("WRONG234", "CODE")


def test_wrong_join_codes_are_rate_limited(app, client, auth, factory):
    """Finding 16: 600 guesses in 4 s went unthrottled."""
    classroom = classes.create_class(factory.user(Role.INSTRUCTOR), "Bio 101")
    guesser, other = factory.user(), factory.user()
    _as(auth, guesser)
    for i in range(throttle.JOIN_USER.most):
        assert client.post("/classes/join", data={"join-code": f"WRONG{i:03d}"}).status_code == 400
    refused = client.post("/classes/join", data={"join-code": classroom.join_code})
    assert refused.status_code == 429 and "Too many wrong join codes" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    assert classes.classes_joined(guesser) == []
    # The link is limited alike.
    assert client.post(f"/classes/join/{classroom.join_code}").status_code == 429
    # Another learner (elsewhere) joins; right codes do not count towards the limit.
    _as(auth, other)
    for _ in range(throttle.JOIN_USER.most + 2):
        assert (
            client.post(
                "/classes/join",
                data={"join-code": classroom.join_code},
                environ_base={"REMOTE_ADDR": "10.9.9.9"},
            ).status_code
            == 302
        )


def test_wrong_join_codes_are_rate_limited_per_address(client, auth, factory):
    """Many accounts from one address share the address's limit."""
    classroom = classes.create_class(factory.user(Role.INSTRUCTOR), "Bio 101")
    learners = [
        factory.user() for _ in range(throttle.JOIN_ADDRESS.most // throttle.JOIN_USER.most + 1)
    ]
    statuses = []
    for learner in learners:
        _as(auth, learner)
        for i in range(throttle.JOIN_USER.most):
            statuses.append(
                client.post("/classes/join", data={"join-code": f"WRONG{i:03d}"}).status_code
            )
    assert statuses.count(400) == throttle.JOIN_ADDRESS.most
    assert client.post("/classes/join", data={"join-code": classroom.join_code}).status_code == 429


def test_instructor_assigns_removes_members_and_sees_results(client, auth, factory):
    teacher, ann, bob = factory.user(Role.INSTRUCTOR), factory.user(), factory.user()
    classroom = classes.create_class(teacher, "Bio 101")
    deck = factory.deck("class-deck", owner=teacher, visibility=Visibility.CLASS)
    for learner in (ann, bob):
        classes.join(learner, classroom.join_code)
    _as(auth, teacher)
    page = client.get(f"/classes/{classroom.id}").text
    assert ann.email in page and bob.email in page and "Sample Deck" in page
    response = client.post(
        f"/classes/{classroom.id}/assign",
        data={"assign-deck": str(deck.id), "assign-target_date": "2030-01-02"},
    )
    assert response.status_code == 302
    assert [a.target_date for a in classes.assignments(classroom)] == [date(2030, 1, 2)]

    card = db.session.scalar(db.select(Card).where(Card.deck_id == deck.id))
    db.session.add(
        Review(user_id=ann.id, card_id=card.id, deck_id=deck.id, rating=1, correct=False)
    )
    db.session.commit()
    results = client.get(f"/classes/{classroom.id}/results").text
    assert "1</strong> wrong of 1 answers" in results
    assert f'id="q-{card.question.key}"' in results  # the missed question, as learners see it

    assert client.post(f"/classes/{classroom.id}/members/{bob.id}/remove").status_code == 302
    assert [m.user for m in classes.members(classroom)] == [ann]
    assert client.post(f"/classes/{classroom.id}/assignments/{deck.id}/remove").status_code == 302
    assert classes.assignments(classroom) == []


def test_assign_refuses_a_private_deck_with_a_message(client, auth, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    classroom = classes.create_class(teacher, "Bio 101")
    deck = factory.deck("private-deck", owner=teacher, visibility=Visibility.PRIVATE)
    _as(auth, teacher)
    response = client.post(
        f"/classes/{classroom.id}/assign", data={"assign-deck": str(deck.id)}, follow_redirects=True
    )
    assert "is private: make it class-only or public first" in response.text
    assert classes.assignments(classroom) == []


def test_learner_leaves_and_new_code_stops_the_old_one(client, auth, factory):
    teacher, learner = factory.user(Role.INSTRUCTOR), factory.user()
    classroom = classes.create_class(teacher, "Bio 101")
    classes.join(learner, classroom.join_code)
    _as(auth, learner)
    assert client.post(f"/classes/{classroom.id}/leave").status_code == 302
    assert classes.classes_joined(learner) == []
    old = classroom.join_code
    _as(auth, teacher)
    client.post(f"/classes/{classroom.id}/code")
    assert classroom.join_code != old
    _as(auth, learner)
    assert client.post(f"/classes/join/{old}").status_code == 400
