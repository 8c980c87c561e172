"""Blueprints: thin views that parse input, call one service and render or redirect.

:data:`BLUEPRINTS` is the one list of them; adding an area is one module and one line here.
"""

from __future__ import annotations

import os

from flask import Flask

from quizapp.domain.questions.basic import quote_repeats
from quizapp.domain.questions.multiple_choice import says_select_all
from quizapp.extensions import login_manager
from quizapp.models import User
from quizapp.services import signins

from . import (
    admin,
    api,
    auth,
    classes,
    errors,
    guard,
    instructor,
    main,
    quiz,
    reports,
    security,
    stats,
    study,
)
from .presenters import question_view

BLUEPRINTS = [
    main.bp,
    auth.bp,
    admin.bp,
    classes.bp,
    instructor.bp,
    quiz.bp,
    study.bp,
    api.bp,
    stats.bp,
    reports.bp,
]


def register_blueprints(app: Flask) -> None:
    guard.register(app)  # first: the bounded <int:> converter must exist before any route
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if os.environ.get("QUIZAPP_BENCH_FLOOR") == "1" or app.config.get("QUIZAPP_BENCH_FLOOR"):
        from quizapp.bench.floor import bp as bench_floor

        app.register_blueprint(bench_floor)
    errors.register(app)
    security.register(app)
    app.jinja_env.globals["question_view"] = question_view
    app.jinja_env.tests["asking_select_all"] = says_select_all
    app.jinja_env.tests["repeating"] = quote_repeats


login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to see this page."
login_manager.login_message_category = "info"
login_manager.unauthorized_handler(auth.unauthorized)


@login_manager.user_loader
def load_user(credential: str) -> User | None:
    """The user of the live sign-in the session or remember cookie names (never a bare user id:
    see :mod:`quizapp.services.signins`)."""
    return signins.resolve(credential, now=study.current_time())
