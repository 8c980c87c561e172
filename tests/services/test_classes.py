"""Classes: join codes, membership, assignments, the home page's assigned decks, class results."""

from __future__ import annotations

from datetime import date

import pytest

from quizapp.extensions import db
from quizapp.models import Card, Review, Role, Visibility
from quizapp.services import classes
from quizapp.services.classes import JOIN_ALPHABET, JOIN_CODE_LENGTH, ClassError


@pytest.fixture
def teacher(factory):
    return factory.user(Role.INSTRUCTOR)


def test_join_codes_are_unambiguous(teacher):
    classroom = classes.create_class(teacher, "  Biology 101 ")
    assert classroom.name == "Biology 101"
    assert len(classroom.join_code) == JOIN_CODE_LENGTH
    assert set(classroom.join_code) <= set(JOIN_ALPHABET)
    assert not set("0O1IL") & set(JOIN_ALPHABET)
    codes = {classes.new_join_code() for _ in range(200)}
    assert len(codes) == 200


def test_only_instructors_create_classes(factory):
    with pytest.raises(ClassError, match="Only instructors"):
        classes.create_class(factory.user(), "Mine")
    with pytest.raises(ClassError, match="name"):
        classes.create_class(factory.user(Role.INSTRUCTOR), "   ")


def test_join_by_code_typed_loosely_and_twice(factory, teacher):
    classroom = classes.create_class(teacher, "Bio")
    learner = factory.user()
    code = classroom.join_code
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert classes.join(learner, typed) == classroom
    assert classes.join(learner, code) == classroom  # twice is fine
    assert [m.user for m in classes.members(classroom)] == [learner]
    assert classes.classes_joined(learner) == [classroom]
    with pytest.raises(ClassError, match="no class with that join code"):
        classes.join(learner, "ZZZZZZZZ")
    with pytest.raises(ClassError, match="You teach this class"):
        classes.join(teacher, code)


def test_new_code_retires_the_old_one(factory, teacher):
    classroom = classes.create_class(teacher, "Bio")
    old = classroom.join_code
    new = classes.new_code(classroom)
    assert new != old
    with pytest.raises(ClassError):
        classes.join(factory.user(), old)


def test_permissions(factory, teacher):
    classroom = classes.create_class(teacher, "Bio")
    learner, outsider = factory.user(), factory.user()
    other_teacher, admin = factory.user(Role.INSTRUCTOR), factory.user(Role.ADMIN)
    classes.join(learner, classroom.join_code)
    assert classes.can_manage(teacher, classroom) and classes.can_manage(admin, classroom)
    assert not classes.can_manage(other_teacher, classroom)
    assert not classes.can_manage(learner, classroom)
    assert classes.can_view(learner, classroom) and not classes.can_view(outsider, classroom)


def test_assign_requires_a_published_non_private_deck_the_instructor_may_use(factory, teacher):
    classroom = classes.create_class(teacher, "Bio")
    private = factory.deck("private-deck", owner=teacher, visibility=Visibility.PRIVATE)
    with pytest.raises(ClassError, match="private"):
        classes.assign(classroom, private, by=teacher)
    someone_elses = factory.deck(
        "theirs", owner=factory.user(Role.INSTRUCTOR), visibility=Visibility.CLASS
    )
    with pytest.raises(ClassError, match="own decks and public decks"):
        classes.assign(classroom, someone_elses, by=teacher)
    public = factory.deck("public-deck", visibility=Visibility.PUBLIC)
    classes.assign(classroom, public, by=teacher)
    assert [a.deck for a in classes.assignments(classroom)] == [public]
    assert public in classes.assignable_decks(teacher)
    assert someone_elses not in classes.assignable_decks(teacher)


def test_assigned_decks_come_soonest_first_once_each(factory, teacher):
    learner = factory.user()
    bio, chem = classes.create_class(teacher, "Bio"), classes.create_class(teacher, "Chem")
    for c in (bio, chem):
        classes.join(learner, c.join_code)
    a = factory.deck("deck-a", owner=teacher, visibility=Visibility.CLASS, title="A")
    b = factory.deck("deck-b", owner=teacher, visibility=Visibility.CLASS, title="B")
    c = factory.deck("deck-c", owner=teacher, visibility=Visibility.CLASS, title="C")
    classes.assign(bio, a)  # no date: last
    classes.assign(bio, b, date(2025, 6, 1))
    classes.assign(chem, b, date(2025, 5, 1))  # earliest date wins
    classes.assign(chem, c, date(2025, 5, 20))
    items = classes.assigned_to(learner)
    assert [(i.deck.slug, i.target_date) for i in items] == [
        ("deck-b", date(2025, 5, 1)),
        ("deck-c", date(2025, 5, 20)),
        ("deck-a", None),
    ]
    assert sorted(items[0].classes) == ["Bio", "Chem"]
    # Re-assigning changes the date; a deck made private disappears from the list.
    classes.assign(bio, a, date(2025, 4, 1))
    assert classes.assigned_to(learner)[0].deck.slug == "deck-a"
    a.visibility = Visibility.PRIVATE
    db.session.commit()
    assert "deck-a" not in [i.deck.slug for i in classes.assigned_to(learner)]
    assert classes.assigned_to(factory.user()) == []


def test_removing_a_member_keeps_their_progress_but_ends_access(factory, teacher):
    classroom = classes.create_class(teacher, "Bio")
    learner = factory.user()
    classes.join(learner, classroom.join_code)
    deck = factory.deck("class-deck", owner=teacher, visibility=Visibility.CLASS)
    classes.assign(classroom, deck)
    _review(learner, deck, correct=False)
    assert classes.remove_member(classroom, learner.id)
    assert not classes.remove_member(classroom, learner.id)
    assert classes.assigned_to(learner) == []
    assert db.session.query(Review).count() == 1


def _review(user, deck, *, correct, key="misconception-workout", undone=False):
    card = next(
        c for c in db.session.query(Card).filter_by(deck_id=deck.id) if c.question.key == key
    )
    from quizapp.models import utcnow

    db.session.add(
        Review(
            user_id=user.id,
            card_id=card.id,
            deck_id=deck.id,
            rating=1 if not correct else 3,
            correct=correct,
            undone_at=utcnow() if undone else None,
        )
    )
    db.session.commit()


def test_class_results_count_only_members_assigned_decks_and_live_reviews(factory, teacher):
    classroom = classes.create_class(teacher, "Bio")
    ann, bob, outsider = factory.user(), factory.user(), factory.user()
    for learner in (ann, bob):
        classes.join(learner, classroom.join_code)
    deck = factory.deck("class-deck", owner=teacher, visibility=Visibility.CLASS)
    other = factory.deck("other-deck", owner=teacher, visibility=Visibility.PUBLIC)
    classes.assign(classroom, deck)
    _review(ann, deck, correct=False)
    _review(ann, deck, correct=False)
    _review(bob, deck, correct=False)
    _review(bob, deck, correct=True, key="signs-choice")
    _review(bob, deck, correct=False, key="signs-choice", undone=True)  # undone: not counted
    _review(outsider, deck, correct=False, key="signs-choice")  # not a member
    _review(ann, other, correct=False, key="signs-choice")  # not assigned to the class

    results = classes.class_results(classroom)
    assert [(r.question.key, r.wrong, r.answered, r.learners_wrong) for r in results.questions] == [
        ("misconception-workout", 3, 3, 2)
    ]
    per_member = {r.user.email: (r.answered, r.wrong) for r in results.members}
    assert per_member == {ann.email: (2, 2), bob.email: (2, 1)}
