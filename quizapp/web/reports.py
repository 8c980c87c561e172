"""Learners report a bad card: a plain form (no JavaScript needed) that posts here and goes back.

The form sits on the study page's result and reveal steps and on a quiz's result page; ``next``
names the page to return to (a path of this site only). Who may report is the service's business
(:mod:`quizapp.services.reports`): a card of a deck the learner cannot see answers 404.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from quizapp.services import reports

from .clock import current_time

bp = Blueprint("reports", __name__)


def _local(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host), else None."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.post("/cards/<int:card_id>/report")
@login_required
def report_card(card_id: int):
    reports.report_card(
        current_user, card_id, request.form.get("reason"), request.form.get("note"), current_time()
    )
    flash("Thank you: the deck's author will look at this card.", "info")
    return redirect(_local(request.form.get("next")) or url_for("main.home"), 303)


@bp.app_context_processor
def _reasons():
    return {"report_reasons": reports.REASONS}
