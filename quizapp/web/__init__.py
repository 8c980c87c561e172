"""Blueprints: thin views that parse input, call one service and render or redirect.

:data:`BLUEPRINTS` is the one list of them; adding an area is one module and one line here.
"""

from __future__ import annotations

import os

from flask import Flask

from quizapp.domain.questions import get_type, type_for_quiz_kind
from quizapp.domain.questions.basic import quote_repeats
from quizapp.domain.questions.multiple_choice import says_select_all
from quizapp.extensions import login_manager
from quizapp.models import User
from quizapp.services import signins

from . import (
    account,
    admin,
    api,
    auth,
    classes,
    errors,
    guard,
    instructor,
    invites,
    main,
    metrics,
    oidc,
    ops,
    quiz,
    reports,
    requestlog,
    security,
    stats,
    study,
)
from .presenters import question_view

BLUEPRINTS = [
    main.bp,
    auth.bp,
    account.bp,
    oidc.bp,
    admin.bp,
    invites.bp,
    classes.bp,
    instructor.bp,
    quiz.bp,
    study.bp,
    api.bp,
    stats.bp,
    reports.bp,
    ops.bp,
]


def register_blueprints(app: Flask) -> None:
    # First, so every request has its id and its timer before any other hook may answer it.
    requestlog.register(app)
    metrics.register(app)
    guard.register(app)  # the bounded <int:> converter must exist before any route
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    oidc.init_app(app)
    if os.environ.get("QUIZAPP_BENCH_FLOOR") == "1" or app.config.get("QUIZAPP_BENCH_FLOOR"):
        from quizapp.bench.floor import bp as bench_floor

        app.register_blueprint(bench_floor)
    errors.register(app)
    security.register(app)
    app.jinja_env.globals["question_view"] = question_view
    # Templates ask the question type (its template folder, its flags), never compare its name.
    app.jinja_env.globals["question_type"] = get_type
    app.jinja_env.globals["quiz_question_type"] = type_for_quiz_kind
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
