"""Two requests at once on PostgreSQL: two admins demoting each other leave one admin; one invite
link accepted twice at once makes one account. Each side runs in its own thread, app context and
database session, released together by a barrier."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Invite, Role, User
from quizapp.services import accounts, invites
from tests.conftest import TEST_DATABASE_URL
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not TEST_DATABASE_URL.startswith("postgresql"),
        reason="needs the suite on PostgreSQL (QUIZAPP_TEST_DATABASE_URL)",
    ),
]

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _at_once(app, *jobs) -> list[object]:
    """Run each job in its own thread and app context at the same moment; what each returned or
    raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i, job):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = job()
            except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
                results[i] = exc
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_admins_demoting_each_other_leave_one(app, factory):
    first, second = factory.user(Role.ADMIN), factory.user(Role.ADMIN)
    ids = first.id, second.id

    def demote(target_id, by_id):
        def job():
            target, by = db.session.get(User, target_id), db.session.get(User, by_id)
            accounts.set_role(target, "learner", by=by)
            return "done"

        return job

    results = _at_once(app, demote(ids[0], ids[1]), demote(ids[1], ids[0]))
    assert results.count("done") == 1, results
    assert isinstance([r for r in results if r != "done"][0], accounts.AccountError)
    db.session.expire_all()
    admins = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.role == Role.ADMIN))
    assert admins == 1


def test_one_invite_accepted_twice_at_once_makes_one_account(app, factory):
    teacher = factory.user(Role.INSTRUCTOR)
    token = invites.create(teacher, "twice@example.com", "learner", now=NOW, mode="open").token

    def accept():
        return invites.accept(token, PASSWORD, now=NOW).id

    results = _at_once(app, accept, accept)
    made = [r for r in results if isinstance(r, int)]
    assert len(made) == 1, results
    assert isinstance([r for r in results if not isinstance(r, int)][0], accounts.AccountError)
    db.session.expire_all()
    assert (
        db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.email == "twice@example.com")
        )
        == 1
    )
    assert db.session.scalar(sa.select(Invite.used_by_id)) == made[0]
