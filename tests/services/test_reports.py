"""Learners' reports of bad cards: reporting, updating, who may report, who may close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Card, CardReport, Question, Role, Visibility
from quizapp.services import classes, reports
from quizapp.services.errors import Invalid, NotFound

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def card_of(deck, key: str, ordinal: int = 1) -> Card:
    return db.session.scalar(
        sa.select(Card)
        .join(Question)
        .where(Question.deck_id == deck.id, Question.key == key, Card.ordinal == ordinal)
    )


@pytest.fixture
def world(factory):
    owner = factory.user(Role.INSTRUCTOR)
    learner = factory.user(Role.LEARNER)
    deck = factory.deck("class-deck", owner=owner, visibility=Visibility.CLASS)
    classroom = classes.create_class(owner, "Bio")
    classes.join(learner, classroom.join_code)
    classes.assign(classroom, deck)
    db.session.commit()
    return owner, learner, deck


def test_a_report_is_recorded_and_shows_in_the_owners_inbox(world, factory):
    owner, learner, deck = world
    card = card_of(deck, "definition")
    report = reports.report_card(learner, card.id, "wrong_answer", "  The back is wrong. ", NOW)
    assert (report.status, report.reason, report.note) == (
        "open",
        "wrong_answer",
        "The back is wrong.",
    )
    shown, items = reports.open_reports(owner, "class-deck")
    assert shown.id == deck.id
    assert [
        (i.question_key, i.question_text, i.reason_label, i.learner, i.same_question) for i in items
    ] == [("definition", "What is IGF-1 signaling?", "The answer is wrong", learner.name, 1)]


def test_a_second_report_while_open_updates_the_first(world):
    owner, learner, deck = world
    first = reports.report_card(learner, card_of(deck, "takeaway-liver", 1).id, "typo", "", NOW)
    # The cloze's other card is the same question: still one report, updated.
    second = reports.report_card(
        learner,
        card_of(deck, "takeaway-liver", 2).id,
        "unclear",
        "c2 is ambiguous",
        NOW + timedelta(minutes=5),
    )
    assert second.id == first.id
    rows = db.session.scalars(sa.select(CardReport)).all()
    assert [(r.reason, r.note) for r in rows] == [("unclear", "c2 is ambiguous")]


def test_same_question_counts_learners_and_a_closed_report_allows_a_new_one(world):
    owner, learner, deck = world
    card = card_of(deck, "definition")
    reports.report_card(learner, card.id, "typo", "", NOW)
    reports.report_card(owner, card.id, "other", "", NOW)  # the owner can see the deck too
    _, items = reports.open_reports(owner, "class-deck")
    assert [i.same_question for i in items] == [2, 2]
    reports.close_report(owner, "class-deck", items[0].id, "resolve", NOW)
    _, items = reports.open_reports(owner, "class-deck")
    assert [i.same_question for i in items] == [1]
    again = reports.report_card(owner, card.id, "typo", "", NOW)
    assert again.id not in {
        r.id
        for r in db.session.scalars(sa.select(CardReport).where(CardReport.status == "resolved"))
    }


def test_only_learners_who_see_the_deck_may_report(world, factory):
    _, _, deck = world
    stranger = factory.user(Role.LEARNER)
    with pytest.raises(NotFound):
        reports.report_card(stranger, card_of(deck, "definition").id, "typo", "", NOW)
    with pytest.raises(NotFound):
        reports.report_card(stranger, 10**6, "typo", "", NOW)
    assert db.session.scalar(sa.select(sa.func.count(CardReport.id))) == 0


def test_reason_and_note_are_checked(world):
    _, learner, deck = world
    card = card_of(deck, "definition")
    with pytest.raises(Invalid):
        reports.report_card(learner, card.id, "boring", "", NOW)
    with pytest.raises(Invalid):
        reports.report_card(learner, card.id, "other", "x" * 501, NOW)
    assert reports.report_card(learner, card.id, "other", "x" * 500, NOW).note == "x" * 500


def test_only_the_owner_or_an_admin_sees_and_closes_reports(world, factory):
    owner, learner, deck = world
    report = reports.report_card(learner, card_of(deck, "definition").id, "typo", "", NOW)
    other = factory.user(Role.INSTRUCTOR)
    for user in (other, learner):
        with pytest.raises(NotFound):
            reports.open_reports(user, "class-deck")
        with pytest.raises(NotFound):
            reports.close_report(user, "class-deck", report.id, "dismiss", NOW)
    assert report.status == "open"
    admin = factory.user(Role.ADMIN)
    with pytest.raises(Invalid):
        reports.close_report(admin, "class-deck", report.id, "delete", NOW)
    closed = reports.close_report(admin, "class-deck", report.id, "dismiss", NOW)
    assert (closed.status, closed.closed_by_id, closed.closed_at) == ("dismissed", admin.id, NOW)
    assert reports.open_reports(owner, "class-deck")[1] == []
    assert reports.open_count(deck) == 0


def test_a_report_belongs_to_its_deck(world, factory):
    owner, learner, deck = world
    report = reports.report_card(learner, card_of(deck, "definition").id, "typo", "", NOW)
    factory.deck("own-deck", owner=factory.user(Role.INSTRUCTOR))
    admin = factory.user(Role.ADMIN)
    with pytest.raises(NotFound):  # a report id of another deck, through this deck's URL
        reports.close_report(admin, "own-deck", report.id, "resolve", NOW)
