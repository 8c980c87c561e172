"""The public face: the home page with the decks, and a deck's page with its questions."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from quizapp.services import decks

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    return render_template("home.html", decks=decks.visible_decks(current_user))


@bp.get("/decks/<slug>")
def deck(slug: str):
    row = decks.visible_deck(current_user, slug)
    if row is None:
        abort(404, f"There is no deck called “{slug}”, or it is not shared with you.")
    return render_template("deck.html", deck=row, questions=decks.live_questions(row),
                           show_answers=decks.can_edit(current_user, row))


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
