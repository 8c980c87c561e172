"""Authoring: drafts stay private, edits change the draft only, publishing applies update rules."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quizapp.domain.deckfile import dump_deck_text
from quizapp.extensions import db
from quizapp.models import Card, CardState, Question, Role, Visibility, utcnow
from quizapp.services import decks, drafts
from quizapp.services.drafts import DraftError
from tests.factories import sample_deck


@pytest.fixture
def teacher(factory):
    return factory.user(Role.INSTRUCTOR)


def _tf(statement="Sleep is optional.", answer=False, **extra):
    return {
        "type": "true_false",
        "statement": statement,
        "answer": answer,
        "origin": {"section": "misconception", "quote": "q"},
        **extra,
    }


def test_slugs_come_from_titles_and_never_collide(teacher):
    assert drafts.slugify("IGF-1 Signaling: Über <b>alles</b>!") == "igf-1-signaling-uber-b-alles-b"
    assert drafts.slugify("???") == "deck"
    first = drafts.create_empty_deck(teacher, "Sleep Pressure")
    second = drafts.create_empty_deck(teacher, "Sleep pressure")
    third = drafts.create_empty_deck(teacher, "Sleep  Pressure!")
    assert [first.slug, second.slug, third.slug] == [
        "sleep-pressure",
        "sleep-pressure-2",
        "sleep-pressure-3",
    ]
    assert first.draft["id"] == "sleep-pressure"


def test_a_new_draft_is_private_and_unpublished(factory, teacher):
    deck = drafts.create_from_domain(teacher, sample_deck("ignored-id"))
    assert deck.slug == "sample-deck"  # from the title, not the builder's id
    assert deck.visibility == Visibility.PRIVATE and not deck.is_published
    assert decks.visible_deck(factory.user(), deck.slug) is None
    assert decks.visible_deck(factory.user(Role.INSTRUCTOR), deck.slug) is None
    assert decks.live_questions(deck) == []
    assert len(drafts.draft_questions(drafts.working_copy(deck))) == 5


def test_editing_questions_changes_only_the_draft(teacher):
    deck = drafts.create_from_domain(teacher, sample_deck())
    key = drafts.save_question(deck, _tf())
    assert key == "true-false-6"
    drafts.save_question(deck, _tf("Edited.", True), key=key)
    assert drafts.find_question(drafts.working_copy(deck), key)["statement"] == "Edited."
    assert drafts.move_question(deck, key, -1)
    keys = [q["id"] for q in drafts.working_copy(deck)["questions"]]
    assert keys[-2:] == [key, "definition"]
    assert not drafts.move_question(deck, "takeaway-liver", -1)  # already first
    assert drafts.delete_question(deck, "definition")
    assert not drafts.delete_question(deck, "definition")
    with pytest.raises(DraftError) as caught:
        drafts.save_question(
            deck,
            {"type": "cloze", "text": "no deletions", "origin": {"section": "other", "quote": ""}},
        )
    assert [p.field for p in caught.value.fields] == ["text"]
    with pytest.raises(DraftError, match="no question"):
        drafts.save_question(deck, _tf(), key="nope")


def test_publish_makes_the_version_learners_study(factory, teacher):
    deck = drafts.create_from_domain(teacher, sample_deck())
    summary = drafts.publish(deck, Visibility.PUBLIC)
    assert summary.created is False and len(summary.added) == 5
    assert deck.draft is None and deck.is_published and deck.version == 1
    assert decks.visible_deck(factory.user(), deck.slug) == deck
    assert deck.owner_id == teacher.id


def test_publish_refuses_an_invalid_draft_and_changes_nothing(teacher):
    deck = drafts.create_empty_deck(teacher, "Empty")
    with pytest.raises(DraftError) as caught:
        drafts.publish(deck, Visibility.CLASS)
    assert "add at least one question" in str(caught.value.problems[0])
    mapping = drafts.working_copy(deck)
    mapping["questions"] = [
        {
            "id": "bad",
            "type": "ordering",
            "prompt": "p",
            "steps": ["one"],
            "origin": {"section": "other", "quote": ""},
        }
    ]
    deck.draft = mapping
    db.session.commit()
    with pytest.raises(DraftError) as caught:
        drafts.publish(deck, Visibility.CLASS)
    assert any("needs 3 to 8 steps" in str(p) for p in caught.value.problems)
    assert deck.draft is not None and not deck.is_published


def test_republishing_follows_the_update_rules_and_keeps_progress(factory, teacher):
    deck = drafts.create_from_domain(teacher, sample_deck())
    drafts.publish(deck, Visibility.PUBLIC)
    learner = factory.user()
    cards = {
        c.question.key: c
        for c in db.session.scalars(sa.select(Card).where(Card.deck_id == deck.id))
    }
    for key in ("misconception-workout", "definition", "signs-choice"):
        db.session.add(
            CardState(user_id=learner.id, card_id=cards[key].id, deck_id=deck.id, due=utcnow())
        )
    db.session.commit()

    # Edits: a wording fix, a changed answer, a deletion. Learners see none of it yet.
    q = drafts.find_question(drafts.working_copy(deck), "definition")
    drafts.save_question(
        deck,
        {**{k: v for k, v in q.items() if k != "id"}, "front": "What does IGF-1 signaling mean?"},
        key="definition",
    )
    q = drafts.find_question(drafts.working_copy(deck), "misconception-workout")
    drafts.save_question(
        deck,
        {**{k: v for k, v in q.items() if k != "id"}, "answer": True},
        key="misconception-workout",
    )
    drafts.delete_question(deck, "signs-choice")
    assert drafts.has_changes(deck)
    assert len(decks.live_questions(deck)) == 5

    summary = drafts.publish(deck, Visibility.PUBLIC)
    assert summary.updated == ["definition"]
    assert summary.restarted == ["misconception-workout"]
    assert summary.retired == ["signs-choice"]
    states = {s.card_id for s in db.session.scalars(sa.select(CardState))}
    assert cards["definition"].id in states  # wording fix: schedule kept
    assert cards["misconception-workout"].id not in states  # answer changed: restarted
    assert cards["signs-choice"].id in states  # retired, history kept
    assert (
        db.session.scalar(sa.select(Question).where(Question.key == "signs-choice")).retired_at
        is not None
    )


def test_a_new_question_never_reuses_a_retired_questions_id(teacher):
    deck = drafts.create_from_domain(teacher, sample_deck())
    added = drafts.save_question(deck, _tf())
    assert added == "true-false-6"
    drafts.publish(deck, Visibility.PUBLIC)
    drafts.delete_question(deck, added)
    drafts.publish(deck, Visibility.PUBLIC)  # true-false-6 is retired now, with its cards
    assert drafts.save_question(deck, _tf("Another.")) == "true-false-7"


def test_discard_and_delete(teacher):
    draft_only = drafts.create_empty_deck(teacher, "Scratch")
    with pytest.raises(DraftError, match="never published"):
        drafts.discard_changes(draft_only)
    drafts.delete_unpublished(draft_only)
    assert drafts.get_deck("scratch") is None

    deck = drafts.create_from_domain(teacher, sample_deck())
    drafts.publish(deck, Visibility.PUBLIC)
    drafts.delete_question(deck, "definition")
    drafts.discard_changes(deck)
    assert deck.draft is None
    assert len(drafts.working_copy(deck)["questions"]) == 5
    with pytest.raises(DraftError, match="cannot be deleted"):
        drafts.delete_unpublished(deck)


def test_deck_file_round_trip(factory, teacher):
    deck = drafts.create_from_domain(teacher, sample_deck())
    text = drafts.deck_file_text(deck)
    loaded = drafts.load_uploaded_deck(text, "sample-deck.yaml")
    assert loaded.to_dict() == drafts.working_copy(deck)

    edited = text.replace("Muscle is built during the workout.", "Muscle grows afterwards.")
    drafts.replace_draft(deck, drafts.load_uploaded_deck(edited, "sample-deck.yaml"))
    assert "Muscle grows afterwards." in drafts.deck_file_text(deck)

    with pytest.raises(DraftError, match="not “sample-deck”"):
        drafts.replace_draft(deck, sample_deck("another-id"))
    with pytest.raises(DraftError) as caught:
        drafts.load_uploaded_deck(text.replace("type: true_false", "type: essay"), "x.yaml")
    assert any(
        str(p).startswith("x.yaml:") and "unknown type 'essay'" in str(p)
        for p in caught.value.problems
    )


def test_uploading_a_deck_file_creates_or_updates_only_own_decks(factory, teacher):
    text = dump_deck_text(sample_deck("uploaded"))
    deck, created = drafts.import_uploaded(teacher, drafts.load_uploaded_deck(text, "u.yaml"))
    assert created and deck.slug == "uploaded" and deck.owner_id == teacher.id
    again, created = drafts.import_uploaded(teacher, drafts.load_uploaded_deck(text, "u.yaml"))
    assert again == deck and not created
    with pytest.raises(DraftError, match="Another deck already has the id"):
        drafts.import_uploaded(
            factory.user(Role.INSTRUCTOR), drafts.load_uploaded_deck(text, "u.yaml")
        )


def test_an_invalid_draft_still_downloads_as_it_is(teacher):
    deck = drafts.create_empty_deck(teacher, "Broken")
    deck.draft = {
        **deck.draft,
        "questions": [
            {
                "id": "q",
                "type": "cloze",
                "text": "none",
                "origin": {"section": "other", "quote": ""},
            }
        ],
    }
    db.session.commit()
    text = drafts.deck_file_text(deck)
    assert "text: none" in text
    with pytest.raises(DraftError):
        drafts.load_uploaded_deck(text, "broken.yaml")


def test_publishing_to_a_new_class_is_one_transaction(factory, teacher):
    from quizapp.models import Assignment, Classroom

    deck = drafts.create_from_domain(teacher, sample_deck())
    published = drafts.publish_deck(teacher, deck, Visibility.CLASS, new_class="Bio 101")
    db.session.expire_all()
    classroom = db.session.get(Classroom, published.classroom.id)
    assert deck.is_published and deck.draft is None and len(published.summary.added) == 5
    assert classroom.name == "Bio 101" and classroom.owner_id == teacher.id
    assert (
        db.session.scalar(
            sa.select(Assignment.deck_id).where(Assignment.classroom_id == classroom.id)
        )
        == deck.id
    )


def test_an_assignment_that_cannot_be_made_leaves_the_deck_unpublished(factory, teacher):
    from quizapp.models import Assignment, Classroom
    from quizapp.services import classes

    admin = factory.user(Role.ADMIN)
    admins_class = classes.create_class(admin, "Admins")
    deck = drafts.create_from_domain(teacher, sample_deck())
    # A class-only deck is seen through its owner's classes only: the admin's class cannot
    # have it, so the publication that asked for the assignment does not happen either.
    with pytest.raises(DraftError, match="class-only"):
        drafts.publish_deck(admin, deck, Visibility.CLASS, class_id=admins_class.id)
    db.session.expire_all()
    assert not deck.is_published and deck.draft is not None
    assert decks.live_questions(deck) == []
    assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0
    with pytest.raises(DraftError, match="class-only"):
        drafts.publish_deck(admin, deck, Visibility.CLASS, new_class="Another")
    assert db.session.scalar(sa.select(sa.func.count(Classroom.id))) == 1


def test_only_the_owner_or_an_admin_publishes(factory, teacher):
    from quizapp.services import classes
    from quizapp.services.errors import NotFound

    deck = drafts.create_from_domain(teacher, sample_deck())
    with pytest.raises(NotFound):
        drafts.publish_deck(factory.user(Role.INSTRUCTOR), deck, Visibility.PUBLIC)
    other_class = classes.create_class(factory.user(Role.INSTRUCTOR), "Theirs")
    with pytest.raises(NotFound):
        drafts.publish_deck(teacher, deck, Visibility.PUBLIC, class_id=other_class.id)
    assert not deck.is_published


def test_only_the_owner_or_an_admin_edits_a_draft(factory, teacher):
    from quizapp.services.errors import NotFound

    deck = drafts.create_from_domain(teacher, sample_deck())
    assert drafts.editable_deck(teacher, deck.slug) is deck
    assert drafts.editable_deck(factory.user(Role.ADMIN), deck.slug) is deck
    for stranger in (factory.user(Role.INSTRUCTOR), factory.user()):
        with pytest.raises(NotFound, match="You have no deck called"):
            drafts.editable_deck(stranger, deck.slug)
    with pytest.raises(NotFound, match="You have no deck called “nope”"):
        drafts.editable_deck(teacher, "nope")
