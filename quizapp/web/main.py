"""The public face: the home page with the decks, and a deck's page with its questions."""

from __future__ import annotations

import io

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from quizapp.domain.deckfile import MAX_BYTES as MAX_UPLOAD_BYTES
from quizapp.domain.interop import EXPORT_FORMATS, IMPORT_READERS
from quizapp.services import classes, decks, export, interop

from .study import deck_summaries

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    # Decks assigned to the learner's classes come first, soonest target date first.
    assigned = classes.assigned_to(current_user)
    by_id = {item.deck.id: item for item in assigned}
    # Unpublished drafts live in the instructor's workspace, not among the decks to study.
    rest = [d for d in decks.visible_decks(current_user) if d.id not in by_id and d.is_published]
    shown = [item.deck for item in assigned] + rest
    return render_template("home.html", decks=shown, assigned=by_id, study=deck_summaries(shown))


@bp.get("/decks/<slug>")
def deck(slug: str):
    row = decks.require_visible(current_user, slug)
    # Paged (100 a page): rendering a 500-question deck at once took ~100 ms of CPU.
    questions, page, total = decks.question_page(row, request.args.get("page", 1, type=int))
    return render_template(
        "deck.html",
        deck=row,
        questions=questions,
        page=page,
        total=total,
        per_page=decks.QUESTIONS_PER_PAGE,
        show_answers=decks.can_edit(current_user, row),
        study=deck_summaries([row]),
        export_formats=EXPORT_FORMATS,
    )


@bp.get("/decks/<slug>/anki")
def deck_anki(slug: str):
    """The deck as an Anki package, named after the deck."""
    row = decks.require_visible(current_user, slug)
    try:
        package = export.download([row])
    except export.ExportError as exc:
        abort(409, f"This deck cannot be exported yet: {exc}")
    return send_file(
        io.BytesIO(package.data),
        mimetype=package.mimetype,
        as_attachment=True,
        download_name=package.filename,
    )


@bp.get("/decks/<slug>/export/<fmt>")
def deck_export(slug: str, fmt: str):
    """The deck in another quiz format (CSV, TSV, GIFT, Moodle XML, QTI); as visible as the deck."""
    row = decks.require_visible(current_user, slug)
    if fmt not in EXPORT_FORMATS:
        abort(404, f"There is no download format called “{fmt}”.")
    try:
        exported = interop.export_decks([row], fmt)
    except interop.InteropError as exc:
        abort(409, f"This deck cannot be exported yet: {exc}")
    return send_file(
        io.BytesIO(exported.data),
        mimetype=exported.mimetype,
        as_attachment=True,
        download_name=exported.filename,
    )


@bp.route("/decks/import", methods=["GET", "POST"])
@login_required
def import_own():
    """Bring your own deck: a file from Anki, Quizlet or Moodle as private decks to study."""
    from .forms import ImportQuestionsForm
    from .instructor import flash_import, run_import

    def page(form, status=400):
        return render_template(
            "decks_import.html",
            form=form,
            accept=",".join(IMPORT_READERS),
            max_mb=MAX_UPLOAD_BYTES // 2**20,
        ), status

    if request.method == "GET":
        return page(ImportQuestionsForm(prefix="import"), 200)
    result = run_import(
        MAX_UPLOAD_BYTES,
        lambda data, name, sep, columns: interop.upload_private(
            current_user, data, name, separator=sep, columns=columns
        ),
        page,
    )
    if not isinstance(result, interop.Upload):
        return result
    flash_import(result, publish=False)
    return redirect(url_for("main.deck", slug=result.decks[0][0].slug), 303)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
