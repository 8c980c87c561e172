"""Blueprints: thin views that parse input, call one service and render or redirect.

:data:`BLUEPRINTS` is the one list of them; adding an area is one module and one line here.
"""

from __future__ import annotations

from flask import Flask

from quizapp.extensions import db, login_manager
from quizapp.models import User

from . import errors, main
from .presenters import question_view

BLUEPRINTS = [main.bp]


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.register(app)
    app.jinja_env.globals["question_view"] = question_view


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
