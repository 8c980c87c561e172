"""Statistics pages: a learner's own progress (all decks or one deck).

Thin views: find what the user may see, call one analytics service, render. Charts are drawn on
the server (``domain.charts``) and shown with the same numbers in a table.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from quizapp.domain import charts
from quizapp.extensions import db
from quizapp.models import Classroom, Deck
from quizapp.services import classes, decks
from quizapp.services.analytics import article, classroom, items, learner
from quizapp.services.study import focus

from .clock import current_time

bp = Blueprint("stats", __name__, url_prefix="/stats")


@bp.get("/")
@login_required
def mine():
    stats = learner.learner_stats(current_user.id, None, current_time())
    return render_template(
        "stats/learner.html",
        stats=stats,
        deck=None,
        charts=learner_charts(stats),
        periods=learner.PERIODS,
    )


def _deck(slug: str) -> Deck:
    return decks.require_visible(current_user, slug)


@bp.get("/decks/<slug>")
@login_required
def deck(slug: str):
    row = _deck(slug)
    stats = learner.learner_stats(current_user.id, [row.id], current_time())
    return render_template(
        "stats/learner.html",
        stats=stats,
        deck=row,
        charts=learner_charts(stats),
        periods=learner.PERIODS,
    )


@bp.get("/decks/<slug>/article")
@login_required
def painted(slug: str):
    row = _deck(slug)
    sections = article.painted_article(current_user.id, row, current_time())
    return render_template(
        "stats/article.html",
        deck=row,
        sections=sections,
        bands=article.BANDS,
        open_sentence=request.args.get("s", type=int),
    )


@bp.post("/decks/<slug>/article/study")
@login_required
def study_now(slug: str):
    """Put the chosen questions' cards first in the learner's queue and go study."""
    row = _deck(slug)
    # Ids are database integers: anything else (or too long to be one) is not a question.
    ids = [
        int(v)
        for v in request.form.getlist("question")
        if v.isascii() and v.isdigit() and len(v) <= 9
    ]
    ready = focus.queue_first(current_user.id, row, ids, current_time())
    if ready:
        noun = "card from that sentence comes" if ready == 1 else "cards from that sentence come"
        flash(f"{ready} {noun} first.", "info")
    else:
        flash("None of these cards is due yet: they come back when their time comes.", "info")
    return redirect(url_for("study.page", slug=row.slug))


def _managed_class(class_id: int) -> Classroom:
    """A class the signed-in user teaches (or any, for an admin); 404 for everyone else."""
    row = classes.get_class(class_id)
    if row is None or not classes.can_manage(current_user, row):
        abort(404, "There is no such class, or you do not teach it.")
    return row


@bp.get("/classes/<int:class_id>")
@login_required
def class_dashboard(class_id: int):
    """One row per learner for one of the class's assignments, sortable by any column."""
    room = _managed_class(class_id)
    assigned = classes.assignments(room)
    chosen = request.args.get("assignment", type=int)
    sort = request.args.get("sort", "name")
    descending = request.args.get("dir") == "desc"
    board = None
    if chosen is None and assigned:
        chosen = next(a.id for a in room.assignments if a.deck_id == assigned[0].deck.id)
    if chosen is not None:
        assignment = classroom.get_assignment(room, chosen)
        board = classroom.dashboard(
            room, assignment, current_time(), sort=sort, descending=descending
        )
    return render_template(
        "stats/class.html",
        classroom=room,
        assigned=assigned,
        board=board,
        sort=sort if sort in classroom.SORTS else "name",
        descending=descending,
        assignment_ids={a.deck_id: a.id for a in room.assignments},
    )


@bp.get("/classes/<int:class_id>/gradebook.csv")
@login_required
def class_csv(class_id: int):
    room = _managed_class(class_id)
    body = classroom.gradebook_csv(room, current_time())
    filename = f"class-{room.id}-gradebook-{current_time().date().isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _class_assignment(room: Classroom):
    """The assignment named by ``?assignment=`` (404 when not the class's), else the first."""
    chosen = request.args.get("assignment", type=int)
    if chosen is None:
        assigned = classes.assignments(room)
        if not assigned:
            abort(404, "No decks are assigned to this class yet.")
        chosen = next(a.id for a in room.assignments if a.deck_id == assigned[0].deck.id)
    return classroom.get_assignment(room, chosen)


@bp.get("/classes/<int:class_id>/items")
@login_required
def class_items(class_id: int):
    """Item analysis of one assigned deck among the class's members."""
    room = _managed_class(class_id)
    assignment = _class_assignment(room)
    deck_row = db.session.get(Deck, assignment.deck_id)
    rows = items.item_analysis(room, deck_row, assignment.id)
    week_days, by_week = items.misconception_weeks(room, deck_row, current_time())
    return render_template(
        "stats/items.html",
        classroom=room,
        assignment=assignment,
        deck=deck_row,
        rows=rows,
        misconceptions=items.misconceptions(room, deck_row),
        reteach=items.reteach(room, deck_row),
        week_days=week_days,
        misconceptions_by_week=by_week,
        can_edit=decks.can_edit(current_user, deck_row),
        assigned=classes.assignments(room),
        assignment_ids={a.deck_id: a.id for a in room.assignments},
        min_answers=items.MIN_ANSWERS,
        reteach_per_section=items.RETEACH_PER_SECTION,
    )


@bp.get("/classes/<int:class_id>/items.csv")
@login_required
def class_items_csv(class_id: int):
    room = _managed_class(class_id)
    assignment = _class_assignment(room)
    deck_row = db.session.get(Deck, assignment.deck_id)
    body = items.items_csv(items.item_analysis(room, deck_row, assignment.id))
    filename = f"class-{room.id}-{deck_row.slug}-items.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/classes/<int:class_id>/learners/<int:user_id>")
@login_required
def class_learner(class_id: int, user_id: int):
    """A learner's statistics over the class's decks, for the class's instructor."""
    room = _managed_class(class_id)
    person = classroom.learner_in_class(room, user_id)
    stats = learner.learner_stats(person.id, classroom.class_deck_ids(room), current_time())
    return render_template(
        "stats/learner.html",
        stats=stats,
        deck=None,
        subject=person,
        classroom=room,
        charts=learner_charts(stats),
        periods=learner.PERIODS,
    )


def learner_charts(stats: learner.LearnerStats) -> dict[str, Markup]:
    """The page's three charts as SVG markup (built from escaped text by ``domain.charts``)."""
    total = stats.reviews_last_year
    heat = charts.heatmap(
        stats.heatmap,
        end=stats.today,
        days=learner.HEATMAP_DAYS,
        title="Reviews per day, past year",
        desc=(
            f"{total} reviews on {stats.days_studied} days of the past year; "
            f"current streak {stats.streak} days."
        ),
    )
    due_total = sum(n for _, n in stats.forecast)
    forecast = charts.bar_chart(
        [charts.Bar(f"{d.day}", n, f"{n} due on {d.isoformat()}") for d, n in stats.forecast],
        title="Cards due per day, next 30 days",
        desc=f"{due_total} cards due in the next 30 days, {stats.forecast[0][1]} of them today.",
        label_every=7,
    )
    reviews = sum(a.reviews for a in stats.activity)
    activity = charts.bar_chart(
        [
            charts.Bar(
                f"{a.day.day}",
                a.reviews,
                f"{a.reviews} reviews ({a.again} Again), {minutes(a.duration_ms)} min "
                f"on {a.day.isoformat()}",
            )
            for a in stats.activity
        ],
        title="Reviews per day, last 30 days",
        desc=f"{reviews} reviews in the last 30 days, "
        f"{minutes(sum(a.duration_ms for a in stats.activity))} minutes in all.",
        label_every=7,
    )
    return {"heatmap": Markup(heat), "forecast": Markup(forecast), "activity": Markup(activity)}


@bp.app_template_filter("minutes")
def minutes(duration_ms: int) -> str:
    """Milliseconds as minutes with one decimal ("2.5")."""
    return f"{duration_ms / 60000:.1f}"
