"""The study page: one card at a time, answered and graded on the server.

Without JavaScript every step is a plain form that posts here and redirects (or a link). With
JavaScript (``static/study.js``) the same forms are sent with ``fetch`` and the header
``X-Requested-With: fetch``; the views then answer with the HTML fragment of the next step
(marked ``X-Study-Fragment: 1``) instead of redirecting, and the script swaps it in. The page never
holds a card's answer before the learner has answered.

The clock is ``current_time()`` (:mod:`.clock`, the web layer's one clock): the app's
``QUIZAPP_NOW`` when set (the tests move it forward a day), else the real time.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from quizapp.domain.questions import AnswerShapeError, get_type
from quizapp.domain.scheduling import Rating, as_utc, format_interval
from quizapp.models import Deck
from quizapp.services import decks, optimize, overrides, sessions, study

from .clock import current_time

bp = Blueprint("study", __name__, url_prefix="/study")


def deck_summaries(deck_rows: list[Deck]) -> dict[int, study.QueueCounts]:
    """Due/new counts per deck for the signed-in user (empty for visitors), for deck lists."""
    return study.deck_summaries(current_user, deck_rows, current_time())


@bp.app_template_filter("until")
def until(moment: datetime | None) -> str:
    """How long from now until ``moment``, as on the rating buttons ("10m", "3d")."""
    return format_interval(moment - current_time()) if moment is not None else ""


@bp.app_template_filter("local")
def local(moment: datetime | None, fmt: str = "%d %b %Y, %H:%M %Z") -> str:
    """``moment`` in the signed-in learner's time zone (UTC for visitors)."""
    if moment is None:
        return ""
    zone = current_user.day.zone() if current_user.is_authenticated else None
    return as_utc(moment).astimezone(zone).strftime(fmt) if zone else as_utc(moment).strftime(fmt)


def _is_fetch() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _deck(slug: str) -> Deck:
    return decks.require_visible(current_user, slug)


def _html(deck: Deck, fragment: str, *, page: bool, **context: Any) -> str:
    context.update(
        deck=deck,
        fragment=fragment,
        Rating=Rating,
        format_interval=format_interval,
        now=context.get("now") or current_time(),
    )
    if "counts" not in context:
        context["counts"] = study.queue_counts(current_user.id, deck, context["now"])
    context["session"] = _session(deck, context["now"], context["counts"].total)
    return render_template("study/page.html" if page else f"study/{fragment}.html", **context)


def _session(deck: Deck, now: datetime, left: int) -> sessions.SessionState:
    """The session's progress and summary, read once per request: the fetch path renders the
    result and the next question in one answer, and the session is the same for both."""
    key = (deck.id, left)
    cached = request.environ.get("quizapp.study_session")
    if cached is None or cached[0] != key:
        cached = (key, sessions.current(current_user.id, deck.id, now, left=left))
        request.environ["quizapp.study_session"] = cached
    return cached[1]


def _render(deck: Deck, fragment: str, status: int = 200, **context: Any):
    response = make_response(_html(deck, fragment, page=not _is_fetch(), **context), status)
    response.headers["X-Study-Fragment"] = "1"
    response.headers["Cache-Control"] = "no-store"
    return response


def _question_context(
    deck: Deck,
    study_card: study.StudyCard | None,
    *,
    undo_id: int | None = None,
    error: str | None = None,
    notice: str | None = None,
    key: str | None = None,
    shown: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The fragment and context of the question step for ``study_card`` (or ``shown``, the card
    already presented; or of the empty-queue step when neither is given); ``undo_id`` is looked
    up unless given."""
    now = current_time()
    if undo_id is None:
        undo_id = study.last_undoable(current_user.id, deck, now)
    if shown is None and study_card is not None:
        shown = study.present(current_user.id, study_card)
    if shown is None:
        return dict(fragment="_empty", now=now, notice=notice, undo_id=undo_id)
    return dict(
        fragment="_question",
        now=now,
        card=shown,
        key=key or uuid.uuid4().hex,
        shown_at=int(now.timestamp() * 1000),
        error=error,
        notice=notice,
        undo_id=undo_id,
    )


def _question(
    deck: Deck,
    study_card: study.StudyCard | None,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
    key: str | None = None,
):
    """The question step for ``study_card`` (or the empty-queue step when it is None)."""
    context = _question_context(deck, study_card, error=error, notice=notice, key=key)
    return _render(deck, context.pop("fragment"), status, **context)


def _next_step(
    deck: Deck, *, notice: str | None = None, status: int = 200, prefer: int | None = None
):
    """After an answer: the next card's question (fetch), or a redirect to the study page."""
    if _is_fetch():
        card = study.next_card(current_user.id, deck, current_time(), prefer_card_id=prefer)
        return _question(deck, card, status=status, notice=notice)
    if notice:
        flash(notice, "info")
    return redirect(url_for("study.page", slug=deck.slug, **({"card": prefer} if prefer else {})))


@bp.get("/<slug>")
@login_required
def page(slug: str):
    deck = _deck(slug)
    prefer = request.args.get("card", type=int)
    card = study.next_card(current_user.id, deck, current_time(), prefer_card_id=prefer)
    return _question(deck, card)


def _duration(form) -> int | None:
    """The response time: measured by the page's script, else since the card was shown."""
    measured = _digits(form.get("duration_ms"))
    if measured is not None:
        return measured
    shown = _digits(form.get("shown_at"))
    if shown is not None:
        return int(current_time().timestamp() * 1000) - shown
    return None


def _digits(value: str | None, most: int = 16) -> int | None:
    """``value`` as a non-negative integer when it is plain ASCII digits, else None."""
    text = (value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= most:
        return int(text)
    return None


def form_response(question_type: str, form) -> Any:
    """The learner's answer from the study form, in the shape the question type grades."""
    qtype = get_type(question_type)
    if form.get("mode") == "revealed":
        return qtype.reveal_response()
    try:
        return qtype.study_response(form)
    except AnswerShapeError as exc:
        raise study.BadAnswer(str(exc)) from None


@bp.post("/<slug>/answer")
@login_required
def answer(slug: str):
    deck = _deck(slug)
    form = request.form
    study_card = study.get_card(current_user.id, deck, form.get("card_id", ""))
    version = _digits(form.get("version"), 9)
    rating = form.get("rating") or None
    fetch = _is_fetch()
    question_type = study_card.question.type
    try:
        response = form_response(question_type, form)
        # Fetch: the next step comes in the answer's transaction (one request per card).
        step = study.answer_with_next(
            current_user.id,
            deck,
            study_card.card.id,
            response,
            idempotency_key=form.get("idempotency_key"),
            duration_ms=_duration(form),
            now=current_time(),
            seen_version=version,
            rating=rating,
            with_counts=fetch,
            with_next=fetch,
            loaded=study_card,
        )
    except study.Conflict as exc:
        return _next_step(deck, notice=exc.message, status=409)
    except study.StudyError as exc:
        return _question(
            deck, study_card, status=exc.status, error=exc.message, key=form.get("idempotency_key")
        )
    result = step.result
    if result.correct is None:
        # Self-rated: the learner saw the answer before rating it; go on.
        notice = None
        if get_type(question_type).revealable and form.get("mode") != "revealed":
            notice = (
                f"You had shown this card's answer, so it counts as revealed: rated "
                f"{result.rating.label}."
            )
        if fetch:
            context = _question_context(
                deck, None, shown=step.next, undo_id=step.undo_id, notice=notice
            )
            return _render(deck, context.pop("fragment"), counts=step.counts, **context)
        return _next_step(deck, notice=notice)
    if fetch:
        return _result_step(deck, result, step=step)
    return redirect(url_for("study.result", slug=deck.slug, review_id=result.review_id))


def _result_step(
    deck: Deck,
    result: study.AnswerResult,
    status: int = 200,
    *,
    step: study.AnswerStep | None = None,
):
    """The result step; with ``step`` (fetch, right after answering) it embeds the next step,
    the question after it as ``page`` would render it now, so that "Continue" needs no request.
    The step brings the answered card, the counts and the next card: nothing is read here."""
    now = current_time()
    if step is not None:
        study_card = step.answered
        undo_id = step.undo_id or study.last_undoable(current_user.id, deck, now)
        counts = step.counts
    else:
        study_card = study.get_card(current_user.id, deck, result.card_id)
        undo_id = study.last_undoable(current_user.id, deck, now)
        counts = study.queue_counts(current_user.id, deck, now)
    question = study_card.question
    parts = get_type(question.type).result_parts(question.fields, study_card.card.ordinal)
    next_html = None
    if step is not None and not result.undone:
        context = _question_context(deck, None, shown=step.next, undo_id=undo_id)
        next_html = _html(deck, context.pop("fragment"), page=False, counts=counts, **context)
    return _render(
        deck,
        "_result",
        status,
        now=now,
        result=result,
        question=question,
        parts=parts,
        undo_id=undo_id,
        counts=counts,
        next_html=next_html,
    )


@bp.get("/<slug>/reviews/<int:review_id>")
@login_required
def result(slug: str, review_id: int):
    deck = _deck(slug)
    return _result_step(deck, study.review_result(current_user.id, deck, review_id))


@bp.post("/<slug>/reviews/<int:review_id>/rating")
@login_required
def rate(slug: str, review_id: int):
    """A right answer's Hard/Good/Easy button: set the rating and go on to the next card."""
    deck = _deck(slug)
    try:
        study.adjust_rating(
            current_user.id, deck, review_id, request.form.get("rating"), current_time()
        )
    except (study.Conflict, study.BadAnswer) as exc:  # a missing card or review: 404 page
        return _next_step(deck, notice=exc.message, status=exc.status)
    return _next_step(deck)


@bp.post("/<slug>/reviews/<int:review_id>/right")
@login_required
def claim_right(slug: str, review_id: int):
    """ "I was right": a wrong auto-graded answer becomes Good (once), then the next card."""
    deck = _deck(slug)
    try:
        overrides.claim_right(current_user.id, deck, review_id, current_time())
    except (study.Conflict, study.BadAnswer) as exc:  # a missing card or review: 404 page
        return _next_step(deck, notice=exc.message, status=exc.status)
    return _next_step(deck, notice="Counted as right (Good).")


@bp.get("/<slug>/reveal/<int:card_id>")
@login_required
def reveal(slug: str, card_id: int):
    """Turn over a self-rated card (or a cloze not typed): show the answer and the ratings."""
    deck = _deck(slug)
    try:
        turned = study.reveal(current_user.id, deck, card_id, current_time())
        study_card = study.get_card(current_user.id, deck, card_id)
    except (study.Conflict, study.BadAnswer) as exc:  # a missing card or review: 404 page
        return _next_step(deck, notice=exc.message, status=exc.status)
    key = request.args.get("key", "")
    return _render(
        deck,
        "_reveal",
        reveal=turned,
        card=study.present(current_user.id, study_card),
        key=key if 0 < len(key) <= 64 else uuid.uuid4().hex,
        shown_at=request.args.get("shown_at", type=int) or "",
        undo_id=study.last_undoable(current_user.id, deck, current_time()),
    )


@bp.post("/<slug>/undo")
@login_required
def undo(slug: str):
    deck = _deck(slug)
    try:
        undone = study.undo_last(current_user.id, deck, current_time())
    except study.StudyError as exc:
        return _next_step(deck, notice=exc.message, status=exc.status)
    return _next_step(deck, notice="Undone: the card is back as it was.", prefer=undone.card_id)


# --- settings --------------------------------------------------------------------------------


def _parse_settings(form) -> tuple[float | None, int | None]:
    retention_text = form.get("desired_retention", "").strip()
    new_text = form.get("new_cards_per_day", "").strip()
    try:
        retention = float(retention_text) if retention_text else None
    except ValueError:
        raise study.BadAnswer("Desired retention must be a number such as 0.90.") from None
    if retention is not None and retention > 1 and retention <= 100:
        retention = retention / 100  # "90" means 90 %
    new_per_day = _digits(new_text, 6)
    if new_text and new_per_day is None:
        raise study.BadAnswer("New cards per day must be a whole number.")
    return retention, new_per_day


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    deck = _deck(slug)
    can_edit = decks.can_edit(current_user, deck)
    error, status = None, 200
    if request.method == "POST":
        scope = request.form.get("scope")
        try:
            retention, new_per_day = _parse_settings(request.form)
            if scope == "deck":
                study.set_deck_settings(
                    deck,
                    desired_retention=retention,
                    new_cards_per_day=new_per_day,
                    by=current_user,
                )
                flash(
                    "Deck settings saved: they apply to every learner without their own.", "success"
                )
            else:
                if request.form.get("reset"):
                    retention, new_per_day = None, None
                moved = study.set_own_settings(
                    current_user.id,
                    deck,
                    desired_retention=retention,
                    new_cards_per_day=new_per_day,
                    reschedule_cards=bool(request.form.get("reschedule")),
                )
                flash(
                    "Your settings for this deck are saved"
                    + (f"; {moved} card(s) rescheduled." if moved else "."),
                    "success",
                )
            return redirect(url_for("study.settings", slug=deck.slug))
        except study.StudyError as exc:
            error, status = exc.message, exc.status
    view = study.settings_view(current_user.id, deck)
    return render_template(
        "study/settings.html",
        deck=deck,
        view=view,
        can_edit=can_edit,
        error=error,
        form=request.form if error else None,
        fit=optimize.current(current_user.id),
        review_count=optimize.review_count(current_user.id),
        min_reviews=optimize.MIN_REVIEWS,
    ), status


@bp.post("/<slug>/optimize")
@login_required
def optimize_parameters(slug: str):
    """Fit the learner's own FSRS parameters (they apply to every deck), then show the figures."""
    deck = _deck(slug)
    row = optimize.optimize_learner(
        current_user.id, current_time(), reschedule_cards=bool(request.form.get("reschedule"))
    )
    if row.accepted:
        flash("Your own parameters are fitted and now schedule your reviews.", "success")
    else:
        flash(f"Parameters fitted, but the defaults stay: {row.reason}.", "info")
    return redirect(url_for("study.settings", slug=deck.slug))
