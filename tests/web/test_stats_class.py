"""The class dashboard pages: sortable table, behind-pace flags, drill-down, gradebook CSV."""

from __future__ import annotations

import re

from quizapp.models import Role
from quizapp.services import classes

from ..services.test_analytics_classroom import NOW, world  # noqa: F401 (fixture)

#: A script written into the page (the site loads only its own files: <script src=...>).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")


def test_dashboard_page(app, client, auth, world):  # noqa: F811
    app.config["QUIZAPP_NOW"] = lambda: NOW
    room, assignment, deck, (ann, bob, cat), _ = world
    auth.login(db_owner(room))
    html = client.get(f"/classes/{room.id}").get_data(as_text=True)
    assert f'href="/stats/classes/{room.id}"' in html
    html = client.get(f"/stats/classes/{room.id}").get_data(as_text=True)
    assert "2 learners behind pace." in html
    assert '<td class="num">3/6</td>' in html
    assert "100%" in html and "75%" in html  # ann's best and latest quiz
    assert "style=" not in html and not INLINE_SCRIPT.search(html)
    sorted_html = client.get(
        f"/stats/classes/{room.id}?assignment={assignment.id}&sort=learnt&dir=asc"
    ).get_data(as_text=True)
    assert (
        sorted_html.index("cat</a>") < sorted_html.index("bob</a>") < sorted_html.index("ann</a>")
    )
    assert 'aria-current="true">Learnt' in sorted_html
    drill = client.get(f"/stats/classes/{room.id}/learners/{ann.id}").get_data(as_text=True)
    assert "ann: statistics" in drill
    assert "<strong>3</strong> of <strong>6</strong> cards learnt" in drill
    response = client.get(f"/stats/classes/{room.id}/gradebook.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).count("\n") == 4


def test_another_instructor_and_a_non_member_are_refused(client, auth, factory, world):  # noqa: F811
    room, assignment, deck, (ann, bob, cat), _ = world
    auth.login(factory.user(Role.INSTRUCTOR))
    assert client.get(f"/stats/classes/{room.id}").status_code == 404
    auth.login(db_owner(room))
    stranger = factory.user()
    assert client.get(f"/stats/classes/{room.id}/learners/{stranger.id}").status_code == 404
    huge = 10**12
    assert client.get(f"/stats/classes/{room.id}?assignment={huge}").status_code == 404
    assert client.get(f"/stats/classes/{room.id}/learners/{huge}").status_code == 404
    other = classes.create_class(db_owner(room), "Other")
    assert client.get(f"/stats/classes/{other.id}?assignment={assignment.id}").status_code == 404


def db_owner(room):
    from quizapp.extensions import db
    from quizapp.models import User

    return db.session.get(User, room.owner_id)
