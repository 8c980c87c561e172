"""``/api/v1/decks``: the decks the user may study, with what is due in each."""

from __future__ import annotations

from flask import jsonify, url_for

from quizapp.models import Deck
from quizapp.services import decks as deck_service
from quizapp.services import study

from ..clock import current_time
from . import api_login_required, bp, current_api_user


def deck_json(deck: Deck, counts: study.QueueCounts, settings) -> dict:
    return {
        "slug": deck.slug,
        "title": deck.title,
        "description": deck.description,
        "counts": counts.to_dict(),
        "settings": {
            "desired_retention": settings.desired_retention,
            "new_cards_per_day": settings.new_cards_per_day,
        },
        "links": {
            "next": url_for("api.next_card", slug=deck.slug),
            "study_page": url_for("study.page", slug=deck.slug),
        },
    }


@bp.get("/decks")
@api_login_required
def list_decks():
    user, now = current_api_user(), current_time()
    return jsonify(
        decks=[
            deck_json(
                deck,
                study.queue_counts(user.id, deck, now),
                study.effective_settings(user.id, deck),
            )
            for deck in deck_service.visible_decks(user)
        ]
    )


@bp.get("/decks/<slug>")
@api_login_required
def get_deck(slug: str):
    user = current_api_user()
    deck = deck_service.require_visible(user, slug)
    return jsonify(
        deck_json(
            deck,
            study.queue_counts(user.id, deck, current_time()),
            study.effective_settings(user.id, deck),
        )
    )
