"""The web layer's one clock: every view asks :func:`current_time` and passes ``now`` on.

Tests move it through ``app.config["QUIZAPP_NOW"]`` (a callable returning a datetime; see
``tests/factories.py``). Whatever it returns is made aware UTC by the scheduler's rule
(:func:`quizapp.domain.scheduling.as_utc`: a naive datetime is UTC), so study, quizzes, classes
and the API read the same instant.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from quizapp.domain.scheduling import as_utc
from quizapp.models import utcnow


def current_time() -> datetime:
    """Now, from the app's injectable clock (``QUIZAPP_NOW``) or the real one; aware UTC."""
    clock = current_app.config.get("QUIZAPP_NOW")
    return as_utc(clock() if callable(clock) else utcnow())
