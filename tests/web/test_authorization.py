"""Every route of the live URL map, requested by every kind of user, answers as the rules say.

The walk iterates ``app.url_map`` itself, so a route added later is covered at once; a route whose
endpoint is not classified in :data:`RULES` fails :func:`test_every_endpoint_is_classified` until
someone says who may use it.

Who is who (fresh data for every role, so one role's requests cannot change another's world):

- ``anonymous``: not signed in.
- ``learner``: member of the owner's class, to which the owner's class-only deck is assigned; has
  answered a card of it and started a quiz on it.
- ``other``: an instructor who owns neither the deck nor the class and is in no class.
- ``owner``: the instructor who owns the deck and teaches the class.
- ``admin``.

Outcomes: ``ok`` means the request reached the view and was served, or its (empty) input was
rejected: 2xx, a redirect elsewhere than the sign-in page, 400, 409 or 422. ``login`` is a
redirect to the sign-in page, ``unauth`` a 401 JSON error, ``forbidden`` 403, ``hidden`` 404 (the
resource must not even be known to exist). Never a 5xx. API refusals must be JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import g, url_for

from quizapp.extensions import db
from quizapp.models import Card, Review, Role, Visibility
from quizapp.services import classes, drafts, invites, reports, tokens

ROLES = ("anonymous", "learner", "other", "owner", "admin")
DECK = "class-deck"
OK, LOGIN, UNAUTH, FORBIDDEN, HIDDEN = "ok", "login", "unauth", "forbidden", "hidden"


def kind(anonymous, learner, other, owner, admin) -> dict[str, set[str]]:
    def as_set(v):
        return {v} if isinstance(v, str) else set(v)

    return {
        "anonymous": as_set(anonymous),
        "learner": as_set(learner),
        "other": as_set(other),
        "owner": as_set(owner),
        "admin": as_set(admin),
    }


PUBLIC = kind(OK, OK, OK, OK, OK)
SIGNED_IN = kind(LOGIN, OK, OK, OK, OK)
ADMIN_ONLY = kind(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
INSTRUCTORS = kind(LOGIN, FORBIDDEN, OK, OK, OK)
OWN_DECK = kind(LOGIN, FORBIDDEN, HIDDEN, OK, OK)
CLASS_MEMBERS = kind(LOGIN, OK, HIDDEN, OK, OK)
CLASS_MANAGERS = kind(LOGIN, HIDDEN, HIDDEN, OK, OK)
# The class deck: its learners, its owner and admins; hidden from everyone else.
DECK_READERS = kind(LOGIN, OK, HIDDEN, OK, OK)
PUBLIC_DECK_PAGE = kind(HIDDEN, OK, HIDDEN, OK, OK)  # pages visitors may see when public
# As DECK_READERS, but an empty request may name nothing to act on (no card given, nothing to undo).
DECK_READERS_INPUT = kind(LOGIN, {OK, HIDDEN}, HIDDEN, {OK, HIDDEN}, {OK, HIDDEN})
# Something of the learner's own (a review, a quiz attempt): nobody else's business.
LEARNERS_OWN = kind(LOGIN, OK, HIDDEN, HIDDEN, HIDDEN)
ASSIGNMENT_LEARNERS = kind(LOGIN, OK, HIDDEN, OK, OK)
ASSIGNMENT_TAKERS = kind(LOGIN, OK, HIDDEN, HIDDEN, HIDDEN)  # members start the class's quiz
# Not the class's instructor: 404 whether the assignment exists or not (ids cannot be probed).
ASSIGNMENT_MANAGERS = kind(LOGIN, HIDDEN, HIDDEN, OK, OK)
# An invite: the instructor who made it and admins; other instructors cannot learn it exists.
INVITE_MANAGERS = kind(LOGIN, FORBIDDEN, HIDDEN, OK, OK)
API_PUBLIC = PUBLIC
API_SIGNED_IN = kind(UNAUTH, OK, OK, OK, OK)
API_DECK_READERS = kind(UNAUTH, OK, HIDDEN, OK, OK)
API_DECK_READERS_INPUT = kind(UNAUTH, {OK, HIDDEN}, HIDDEN, {OK, HIDDEN}, {OK, HIDDEN})
API_LEARNERS_OWN = kind(UNAUTH, OK, HIDDEN, HIDDEN, HIDDEN)

#: Endpoint → who may use it. Every endpoint of the app must be here.
RULES: dict[str, dict[str, set[str]]] = {
    "static": PUBLIC,
    "main.home": PUBLIC,
    "main.healthz": PUBLIC,
    # operations (issue 19): readiness for load balancers; metrics are off unless
    # QUIZAPP_METRICS=1 (404 here) and then guarded by an optional bearer token, not by roles
    # 503 is /readyz's designed "not ready" answer: these test databases are made by
    # create_all, not migrated (tests/web/test_operations.py checks both answers)
    "ops.readyz": kind(*[{OK, "503"}] * 5),
    "ops.metrics_page": kind(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "main.deck": PUBLIC_DECK_PAGE,
    "main.deck_anki": PUBLIC_DECK_PAGE,
    "main.deck_export": PUBLIC_DECK_PAGE,
    "main.import_own": SIGNED_IN,
    # accounts
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.password": SIGNED_IN,
    "auth.day": SIGNED_IN,
    "auth.sign_out_everywhere": SIGNED_IN,
    "auth.forgot": PUBLIC,
    # a link that is not a live reset token is unknown to everyone (the world has none)
    "auth.reset": kind(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "account.index": SIGNED_IN,
    "account.change_email": SIGNED_IN,
    "account.create_token": SIGNED_IN,
    # the learner's own API token: nobody else's, admins' neither
    "account.revoke_token": LEARNERS_OWN,
    "admin.users": ADMIN_ONLY,
    "admin.set_role": ADMIN_ONLY,
    "admin.reset_link": ADMIN_ONLY,
    # single sign-on: 404 where it is not set up (as in this walk), for anyone where it is
    "oidc.login": kind(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "oidc.callback": kind(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "admin.disable": ADMIN_ONLY,
    "admin.enable": ADMIN_ONLY,
    "admin.import_users": ADMIN_ONLY,
    # invites (issue 19): instructors and admins; the link's page is for anyone holding it
    "invites.index": INSTRUCTORS,
    "invites.revoke": INVITE_MANAGERS,
    "invites.accept": PUBLIC,
    # classes
    "classes.index": SIGNED_IN,
    "classes.join": SIGNED_IN,
    "classes.join_link": SIGNED_IN,
    "classes.create": INSTRUCTORS,
    "classes.show": CLASS_MEMBERS,
    "classes.anki": CLASS_MEMBERS,
    "classes.leave": CLASS_MEMBERS,
    "classes.results": CLASS_MANAGERS,
    "classes.assign": CLASS_MANAGERS,
    "classes.unassign": CLASS_MANAGERS,
    "classes.remove_member": CLASS_MANAGERS,
    "classes.new_code": CLASS_MANAGERS,
    "classes.delete": CLASS_MANAGERS,
    "classes.set_timezone": CLASS_MANAGERS,
    # the instructor workspace
    "instructor.index": INSTRUCTORS,
    "instructor.from_article": INSTRUCTORS,
    "instructor.new_deck": INSTRUCTORS,
    "instructor.import_questions": INSTRUCTORS,
    "instructor.upload_deck": INSTRUCTORS,
    **{
        f"instructor.{name}": OWN_DECK
        for name in (
            "edit",
            "details",
            "preview",
            "new_question",
            "edit_question",
            "delete_question",
            "move_question",
            "publish",
            "discard",
            "delete",
            "download",
            "upload_into",
            "reports_inbox",
            "close_report",
        )
    },
    # learners report bad cards (issue 15): anyone who can see the card's deck
    "reports.report_card": DECK_READERS,
    # study
    "study.page": DECK_READERS,
    "study.answer": DECK_READERS_INPUT,
    "study.reveal": DECK_READERS,
    "study.undo": DECK_READERS,
    "study.settings": DECK_READERS,
    "study.optimize_parameters": DECK_READERS,
    "study.result": LEARNERS_OWN,
    "study.rate": LEARNERS_OWN,
    "study.claim_right": LEARNERS_OWN,
    # quizzes
    "quiz.index": SIGNED_IN,
    "quiz.new": SIGNED_IN,
    **{
        f"quiz.{name}": LEARNERS_OWN
        for name in (
            "take",
            "question",
            "all_questions",
            "autosave",
            "submit",
            "result",
            "review",
            "retake",
        )
    },
    "quiz.class_quizzes": CLASS_MEMBERS,
    "quiz.assignment": ASSIGNMENT_LEARNERS,
    "quiz.start_assignment": ASSIGNMENT_TAKERS,
    "quiz.assignment_settings": ASSIGNMENT_MANAGERS,
    "quiz.assignment_results": ASSIGNMENT_MANAGERS,
    # statistics (issue 15): a learner's own, all decks or a deck they may read
    "stats.mine": SIGNED_IN,
    "stats.deck": DECK_READERS,
    "stats.painted": DECK_READERS,
    "stats.study_now": DECK_READERS,
    "stats.class_dashboard": CLASS_MANAGERS,
    "stats.class_csv": CLASS_MANAGERS,
    "stats.class_learner": CLASS_MANAGERS,
    "stats.class_items": CLASS_MANAGERS,
    "stats.class_items_csv": CLASS_MANAGERS,
    # the JSON API
    "api.openapi": API_PUBLIC,
    "api.create_token": API_PUBLIC,
    "api.revoke_current_token": API_SIGNED_IN,
    "api.list_decks": API_SIGNED_IN,
    "api.get_deck": API_DECK_READERS,
    "api.next_card": API_DECK_READERS,
    "api.answer": API_DECK_READERS,
    "api.reveal": API_DECK_READERS,
    "api.undo": API_DECK_READERS_INPUT,
    "api.rating": API_LEARNERS_OWN,
    "api.claim_right": API_LEARNERS_OWN,
    "api.report_card": API_DECK_READERS,
    "api.list_quizzes": API_SIGNED_IN,
    "api.start_quiz": API_SIGNED_IN,
    **{
        f"api.{name}": API_LEARNERS_OWN
        for name in ("get_quiz", "quiz_result", "save_quiz_answers", "submit_quiz", "retake_quiz")
    },
}

#: Requests that change who may see what, walked last and in this order.
LAST = [
    "instructor.delete_question",
    "classes.unassign",
    "classes.remove_member",
    "classes.leave",
    "classes.join_link",
    "classes.new_code",
    "classes.delete",
    "invites.revoke",
    "auth.logout",
    "auth.sign_out_everywhere",
]

#: JSON bodies valid in shape, so that refusals are about who asks, not about what they sent.
JSON_BODIES = {
    "api.rating": {"rating": 3},
    "api.save_quiz_answers": {"answers": {}},
}


@dataclass
class World:
    users: dict
    params: dict


def _make_world(factory) -> World:
    owner = factory.user(Role.INSTRUCTOR, email="owner@example.com")
    learner = factory.user(Role.LEARNER, email="learner@example.com")
    other = factory.user(Role.INSTRUCTOR, email="other@example.com")
    admin = factory.user(Role.ADMIN, email="admin@example.com")
    deck = factory.deck(DECK, owner=owner, visibility=Visibility.CLASS)
    drafts.create_empty_deck(owner, "Owner's draft")
    classroom = classes.create_class(owner, "Bio 101")
    classes.join(learner, classroom.join_code)
    assignment = classes.assign(classroom, deck)
    assignment.quiz_question_count = 3  # the assignment comes with a quiz
    card = db.session.scalar(db.select(Card).where(Card.deck_id == deck.id))
    report = reports.report_card(learner, card.id, "typo", "", datetime.now(UTC))
    token = tokens.issue_token(learner, now=datetime.now(UTC), name="script")
    invite = invites.create(
        owner,
        "invited@example.com",
        Role.LEARNER,
        now=datetime.now(UTC),
        mode="open",
        classroom_id=classroom.id,
    )
    review = Review(
        user_id=learner.id,
        card_id=card.id,
        deck_id=deck.id,
        rating=1,
        correct=False,
        reviewed_at=datetime.now(UTC),
    )
    db.session.add(review)
    db.session.commit()
    return World(
        users={
            "anonymous": None,
            "learner": learner,
            "other": other,
            "owner": owner,
            "admin": admin,
        },
        params={
            "slug": DECK,
            "class_id": classroom.id,
            "user_id": learner.id,
            "deck_id": deck.id,
            "key": "misconception-workout",
            "code": classroom.join_code,
            "assignment_id": assignment.id,
            "card_id": card.id,
            "review_id": review.id,
            "report_id": report.id,
            "invite_id": invite.invite.id,
            "token": invite.token,
            "token_id": token.id,
            "attempt_id": _learner_attempt(learner),
            "number": 1,
            "filename": "app.css",
            "fmt": "gift",
        },
    )


def _learner_attempt(learner) -> int:
    from quizapp.domain.quiz import QuizOptions
    from quizapp.services import quiz

    return quiz.start_quiz(learner, [DECK], QuizOptions(count=3), now=datetime.now(UTC)).id


def _requests(app):
    """(rule, method) pairs: reads first, then writes, then :data:`LAST` in its order."""
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))
    pairs = [
        (rule, method) for rule in rules for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]

    def order(pair):
        rule, method = pair
        if method != "GET" and rule.endpoint in LAST:
            return (2, LAST.index(rule.endpoint))
        return (0 if method == "GET" else 1, 0)

    return sorted(pairs, key=order)


def _outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return LOGIN if response.location.startswith("/auth/login") else OK
    if status < 300 or status in (400, 409, 422):
        return OK
    return {401: UNAUTH, 403: FORBIDDEN, 404: HIDDEN}.get(status, str(status))


def test_every_endpoint_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unknown = sorted(endpoints - set(RULES))
    assert not unknown, (
        f"classify these endpoints in tests/web/test_authorization.py RULES "
        f"(who may use them?): {unknown}"
    )
    assert set(LAST) <= endpoints


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_rules_say(app, client, auth, factory, role):
    world = _make_world(factory)
    user = world.users[role]
    wrong = []
    for rule, method in _requests(app):
        expected = RULES.get(rule.endpoint)
        if expected is None:
            continue  # reported by test_every_endpoint_is_classified
        # The test app keeps one app context, so flask-login's cached user must be dropped.
        g.pop("_login_user", None)
        auth.login(user) if user is not None else auth.logout()
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: world.params[a] for a in rule.arguments})
        response = client.open(url, method=method, json=JSON_BODIES.get(rule.endpoint))
        got = _outcome(response)
        if got not in expected[role]:
            wrong.append(
                f"{method} {url} ({rule.endpoint}): {response.status_code} "
                f"{response.location or ''}-> {got}, expected {sorted(expected[role])}"
            )
        elif (
            url.startswith("/api/")
            and got != OK
            and not (
                response.is_json and response.get_json()["error"]["status"] == response.status_code
            )
        ):
            wrong.append(f"{method} {url}: refusal is not a JSON error")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
