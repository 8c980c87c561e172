"""Self-registration under the operator's mode (``QUIZAPP_REGISTRATION``), and registering
through a class join link.

- ``open``: anyone registers.
- ``invite``: only through an invite link (:mod:`.invites`) or a class's join link (the class
  admits: the new account joins it).
- ``closed``: nobody registers themselves; admins create accounts or send invites.

Registering through a join link joins the class in every mode. The code is checked under the
join-code rate limits (:mod:`.throttle`), so the registration form is no way to guess codes.
"""

from __future__ import annotations

from datetime import datetime

from quizapp.extensions import db
from quizapp.models import Classroom, Membership, User

from . import accounts, classes, throttle

OPEN, INVITE, CLOSED = "open", "invite", "closed"

CLOSED_MESSAGE = (
    "Registration is closed on this site: ask an admin for an account or for an invite."
)
INVITE_ONLY_MESSAGE = (
    "Registration on this site is by invitation: open the invite link you "
    "were sent, or your class's join link."
)


def rules(mode: str) -> str:
    """One sentence for the sign-in and register pages: who may create an account."""
    return {
        OPEN: "Anyone can create an account.",
        INVITE: INVITE_ONLY_MESSAGE,
        CLOSED: CLOSED_MESSAGE,
    }[mode]


def may_register(mode: str, *, join_code: str | None = None) -> bool:
    """Whether the register form is offered at all (the code is checked on submit)."""
    return mode == OPEN or (mode == INVITE and bool(join_code))


def register(
    email: str,
    password: str,
    address: str,
    *,
    now: datetime,
    mode: str,
    timezone: str | None = None,
    join_code: str | None = None,
) -> User | None:
    """:func:`.accounts.register` under ``mode``: the new user (joined to the class of
    ``join_code``, if given), or None when the email already has an account.

    :class:`~.accounts.AccountError` when the mode refuses or the join code is wrong;
    :class:`~.throttle.TooManyAttempts` past the registration or join-code limits."""
    if mode == CLOSED or (mode == INVITE and not join_code):
        raise accounts.AccountError(CLOSED_MESSAGE if mode == CLOSED else INVITE_ONLY_MESSAGE)
    classroom = _class_for(join_code, address, now=now) if join_code else None
    user = accounts.register(email, password, address, now=now, timezone=timezone)
    if user is not None and classroom is not None:
        db.session.add(Membership(classroom_id=classroom.id, user_id=user.id, joined_at=now))
        db.session.commit()
    return user


def _class_for(code: str, address: str, *, now: datetime) -> Classroom:
    """The class of join code ``code``, counted against the join-code limits of ``address``."""
    key = (address or "")[:64]
    wait = throttle.take(throttle.JOIN_ADDRESS, key, now)
    db.session.commit()
    if wait is not None:
        raise throttle.TooManyAttempts(throttle.wait_message("wrong join codes", wait), wait)
    classroom = classes.find_by_code(code)
    if classroom is None:
        raise accounts.AccountError(
            "There is no class with that join code. Check the link with your instructor."
        )
    if key:
        throttle.give_back(throttle.JOIN_ADDRESS, key)
    db.session.commit()
    return classroom
