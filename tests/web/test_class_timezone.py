"""A class's time zone: the instructor's at first, editable on the class page; due dates and quiz
windows entered and shown in it and stored in UTC, checked by hand across New York's change to
summer time (02:00 EST -> 03:00 EDT on Sunday 8 March 2026). Runs on SQLite and, with
QUIZAPP_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import accounts, classes
from quizapp.services import quiz as service

from .test_quiz import sign_in_as

NY = "America/New_York"
T0 = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.start_time(T0)


@pytest.fixture
def setup(factory, deck, clock):
    teacher = factory.user(Role.INSTRUCTOR)
    accounts.set_day(teacher, NY, 4)
    member = factory.user()
    classroom = classes.create_class(teacher, "Biology 1")
    classes.join(member, classroom.join_code)
    return teacher, member, classroom


def test_a_new_class_takes_its_instructor_s_zone(setup):
    _, _, classroom = setup
    assert classroom.timezone == NY


def test_due_dates_end_at_the_end_of_the_day_in_the_class_zone(setup, deck, factory):
    teacher, _, classroom = setup
    other = factory.deck("other-deck", title="Other deck")
    before = classes.assign(classroom, deck, date(2026, 3, 7))
    on_change = classes.assign(classroom, other, date(2026, 3, 8), due_time=time(9, 0))
    db.session.expire_all()
    assert before.due_at == datetime(2026, 3, 8, 4, 59, tzinfo=UTC)  # 23:59 EST
    assert on_change.due_at == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 09:00 EDT
    with pytest.raises(classes.ClassError, match="due date with the due time"):
        classes.assign(classroom, deck, None, due_time=time(9, 0))


def test_the_class_page_takes_dates_in_the_class_zone_and_learners_see_its_name(
    client, auth, setup, deck
):
    teacher, member, classroom = setup
    sign_in_as(auth, teacher)
    page = client.get(f"/classes/{classroom.id}").text
    assert "Due date (America/New_York, optional)" in page
    response = client.post(
        f"/classes/{classroom.id}/assign",
        data={"assign-deck": str(deck.id), "assign-target_date": "2026-03-08"},
    )
    assert response.status_code == 302
    assignment = classroom.assignments[0]
    db.session.refresh(assignment)
    assert assignment.target_date == date(2026, 3, 8)
    assert assignment.due_at == datetime(2026, 3, 9, 3, 59, tzinfo=UTC)  # 23:59 EDT
    assert (
        "08 Mar 2026, end of day (America/New_York)" in client.get(f"/classes/{classroom.id}").text
    )

    sign_in_as(auth, member)
    due = "by 08 Mar 2026, end of day (America/New_York)"
    assert due in client.get(f"/classes/{classroom.id}").text
    assert due in client.get("/").text


def test_quiz_windows_are_entered_and_shown_in_the_class_zone_across_the_change(
    client, auth, setup, deck, clock
):
    teacher, member, classroom = setup
    assignment = classes.assign(classroom, deck)
    sign_in_as(auth, teacher)
    url = f"/quiz/assignments/{assignment.id}/settings"
    form = client.get(url).text
    assert "Opens at (America/New_York time; empty: now)" in form
    client.post(
        url,
        data={
            "question_count": "3",
            "opens_at": "2026-03-07T09:00",  # EST
            "closes_at": "2026-03-09T09:00",  # EDT
        },
    )
    db.session.refresh(assignment)
    assert assignment.quiz_opens_at == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    assert assignment.quiz_closes_at == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    form = client.get(url).text
    assert 'value="2026-03-07T09:00"' in form and 'value="2026-03-09T09:00"' in form

    sign_in_as(auth, member)
    page = client.get(f"/quiz/assignments/{assignment.id}").text
    assert "Opens 2026-03-07 09:00 EST (America/New_York)" in page
    assert "Closes 2026-03-09 09:00 EDT (America/New_York)" in page
    assert "This quiz opens at 2026-03-07 09:00 EST (America/New_York)." in page
    listing = client.get(f"/quiz/classes/{classroom.id}").text
    assert "closes 2026-03-09 09:00 EDT (America/New_York)" in listing

    clock.now = datetime(2026, 3, 9, 12, 59, tzinfo=UTC)  # 08:59 EDT: still open
    assert service.assignment_quiz(member, assignment.id, now=clock.now).refusal is None
    clock.now = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 EDT: closed
    refusal = service.assignment_quiz(member, assignment.id, now=clock.now).refusal
    assert refusal == "This quiz closed at 2026-03-09 09:00 EDT (America/New_York)."


def test_changing_the_zone_keeps_the_times_of_day(client, auth, factory, deck, clock):
    teacher = factory.user(Role.INSTRUCTOR)  # in UTC
    classroom = classes.create_class(teacher, "Chemistry")
    assignment = classes.assign(classroom, deck, date(2026, 3, 8))
    service.set_assignment_quiz(
        teacher,
        assignment.id,
        question_count=3,
        opens_at=datetime(2026, 3, 7, 9, 0, tzinfo=UTC),
        closes_at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
    )
    assert assignment.due_at == datetime(2026, 3, 8, 23, 59, tzinfo=UTC)
    sign_in_as(auth, teacher)
    bad = client.post(f"/classes/{classroom.id}/timezone", data={"zone-timezone": "Mars/Olympus"})
    assert bad.status_code == 302
    assert "Choose a time zone from the list" in client.get(f"/classes/{classroom.id}").text
    db.session.refresh(classroom)
    assert classroom.timezone == "UTC"

    response = client.post(f"/classes/{classroom.id}/timezone", data={"zone-timezone": NY})
    assert response.status_code == 302
    db.session.expire_all()
    assert classroom.timezone == NY
    assert assignment.due_at == datetime(2026, 3, 9, 3, 59, tzinfo=UTC)  # 23:59 EDT on the 8th
    assert assignment.quiz_opens_at == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)  # 09:00 EST
    assert assignment.quiz_closes_at == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 EDT
    page = client.get(f"/classes/{classroom.id}").text
    assert "time zone is America/New_York. Due dates and quiz windows keep" in page


def test_only_the_class_s_instructor_changes_its_zone(client, auth, setup):
    _, member, classroom = setup
    sign_in_as(auth, member)
    response = client.post(f"/classes/{classroom.id}/timezone", data={"zone-timezone": "UTC"})
    assert response.status_code == 404
    db.session.refresh(classroom)
    assert classroom.timezone == NY
