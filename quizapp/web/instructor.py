"""The instructor workspace: decks from articles, deck files or scratch; the editor; publishing.

Every view needs the instructor role, and every deck view also needs the deck to be the user's own
(or the user to be an admin): another instructor's deck answers 404, as if it did not exist.
Edits change the deck's draft only (:mod:`quizapp.services.drafts`); learners see them once the
deck is published again.
"""

from __future__ import annotations

from pathlib import PurePath

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
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from quizapp.domain.articles.pasted import pasted_name
from quizapp.domain.interop import IMPORT_READERS
from quizapp.domain.limits import MAX_DECK_FILE_BYTES
from quizapp.domain.numbers import MAX_ID, parse_count
from quizapp.domain.questions import QUESTION_TYPES, Problem
from quizapp.models import Deck, Visibility
from quizapp.services import classes, drafts, interop, reports

from .auth import instructor_required
from .clock import current_time
from .forms import (
    ArticleForm,
    ColumnsForm,
    DeckDetailsForm,
    DeckFileForm,
    ImportQuestionsForm,
    NewDeckForm,
    PublishForm,
    choice,
)
from .question_forms import form_for

bp = Blueprint("instructor", __name__, url_prefix="/instructor")

ARTICLE_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm")
DECK_FILE_EXTENSIONS = (".yaml", ".yml")
MAX_ARTICLE_BYTES = 2 * 1024 * 1024


@bp.before_request
@instructor_required
def _instructors_only():
    """Every view of the workspace needs the instructor (or admin) role."""
    return None


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    flash(
        f"That upload is too large: articles up to {MAX_ARTICLE_BYTES // 2**20} MB, deck files "
        f"up to {MAX_DECK_FILE_BYTES // 2**20} MB.",
        "error",
    )
    return redirect(url_for("instructor.index")), 303


def _own_deck(slug: str) -> Deck:
    return drafts.editable_deck(current_user, slug)


def _read_upload(storage, extensions: tuple[str, ...], limit: int) -> tuple[str, bytes]:
    """(safe file name, bytes) of an uploaded file; ValueError with a message for the user."""
    name = secure_filename(PurePath(storage.filename or "").name) or "upload"
    suffix = PurePath(name).suffix.lower()
    if suffix not in extensions:
        raise ValueError(f"“{name}” is not a {', '.join(extensions)} file.")
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"“{name}” is larger than {limit // 2**20} MB.")
    if not data.strip():
        raise ValueError(f"“{name}” is empty.")
    return name, data


def _read_deck_file(storage) -> tuple[str, str]:
    name, data = _read_upload(storage, DECK_FILE_EXTENSIONS, MAX_DECK_FILE_BYTES)
    if b"\x00" in data:
        raise ValueError(f"“{name}” is a binary file, not a YAML deck file.")
    try:
        return name, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(
            f"“{name}” line {line} is not UTF-8 text: save the file as UTF-8."
        ) from None


# --- the workspace --------------------------------------------------------------------------


def _index(
    article_form=None, new_form=None, file_form=None, problems=None, status=200, import_form=None
):
    rows = drafts.owned_decks(current_user)
    return render_template(
        "instructor/index.html",
        decks=rows,
        article_form=article_form or ArticleForm(prefix="article"),
        new_form=new_form or NewDeckForm(prefix="new"),
        file_form=file_form or DeckFileForm(prefix="file"),
        problems=problems or [],
        import_form=import_form or ImportQuestionsForm(prefix="import"),
        import_accept=",".join(IMPORT_READERS),
        max_article_mb=MAX_ARTICLE_BYTES // 2**20,
    ), status


@bp.get("/")
def index():
    return _index()


@bp.post("/decks/from-article")
def from_article():
    form = ArticleForm(prefix="article")
    if not form.validate_on_submit():
        return _index(article_form=form, status=400)
    upload = form.article.data
    has_file = bool(upload and upload.filename)
    text = (form.text.data or "").strip()
    if has_file == bool(text):
        form.article.errors = ["Upload an article file or paste its text (one of the two)."]
        return _index(article_form=form, status=400)
    try:
        if has_file:
            name, data = _read_upload(upload, ARTICLE_EXTENSIONS, MAX_ARTICLE_BYTES)
        else:
            data = text.encode("utf-8")
            if len(data) > MAX_ARTICLE_BYTES:
                raise ValueError(f"The text is longer than {MAX_ARTICLE_BYTES // 2**20} MB.")
            name = pasted_name(text)  # Markdown read as Markdown; named by its first heading
        deck = drafts.create_from_article(
            current_user, name, data, title=(form.title.data or "").strip()
        )
    except (ValueError, drafts.DraftError) as exc:
        target = form.article if has_file else form.text
        target.errors = [str(exc)]
        return _index(article_form=form, status=400)
    count = len(drafts.working_copy(deck).get("questions") or [])
    flash(
        f"Draft “{deck.title}” built with {count} questions. Check each one, correct what is "
        "wrong, then publish.",
        "success",
    )
    return redirect(url_for("instructor.edit", slug=deck.slug), 303)


@bp.post("/decks/new")
def new_deck():
    form = NewDeckForm(prefix="new")
    if not form.validate_on_submit():
        return _index(new_form=form, status=400)
    deck = drafts.create_empty_deck(current_user, form.title.data, form.description.data or "")
    flash(f"Deck “{deck.title}” created. Add its first question.", "success")
    return redirect(url_for("instructor.edit", slug=deck.slug), 303)


@bp.post("/decks/upload")
def upload_deck():
    form = DeckFileForm(prefix="file")
    if not form.validate_on_submit():
        return _index(file_form=form, status=400)
    try:
        if not (form.deck_file.data and form.deck_file.data.filename):
            raise ValueError("Choose a deck file (.yaml) to upload.")
        name, text = _read_deck_file(form.deck_file.data)
        deck, created = drafts.import_uploaded(current_user, drafts.load_uploaded_deck(text, name))
    except ValueError as exc:
        form.deck_file.errors = [str(exc)]
        problems = [str(p) for p in getattr(exc, "problems", [])]
        return _index(file_form=form, problems=problems, status=400)
    flash(
        f"Deck file loaded as {'a new draft' if created else 'the draft'} of “{deck.title}”. "
        "Publish it when it is right.",
        "success",
    )
    return redirect(url_for("instructor.edit", slug=deck.slug), 303)


@bp.post("/decks/import")
def import_questions():
    """Questions from Anki, Quizlet or Moodle as drafts: one per deck in the file."""
    result = run_import(
        MAX_DECK_FILE_BYTES,
        lambda data, name, sep, columns: interop.upload_drafts(
            current_user, data, name, separator=sep, columns=columns
        ),
        lambda form: _index(import_form=form, status=400),
    )
    if not isinstance(result, interop.Upload):
        return result
    flash_import(result)
    return redirect(url_for("instructor.edit", slug=result.decks[0][0].slug), 303)


def run_import(limit: int, importer, form_page):
    """The two steps of both import pages (the instructor's and the learner's own decks).

    Step one posts the file (form ``import-``). A CSV/TSV/TXT file without ``#columns:`` or
    ``#notetype`` headers and with more than two columns, or any text file when the user ticks
    *choose columns*, is kept server-side (:func:`interop.keep_pending`) and the column step is
    shown; step two posts the mapping (form ``columns-``) with the kept file's token to the same
    URL. ``importer(data, name, separator, columns)`` makes the :class:`interop.Upload`;
    ``form_page(form)`` renders step one with its errors. Returns the Upload or a response.
    """
    if "columns-token" in request.form:
        columns = ColumnsForm(prefix="columns")
        token = columns.token.data or ""
        data, name, separator = interop.pending_upload(current_user, token)
        preview = interop.preview_upload(data, name, separator)
        problem = None
        if not columns.validate():
            problem = (
                "; ".join(str(e) for errs in columns.errors.values() for e in errs)
                or "The form has expired: try again."
            )
        else:
            try:
                upload = importer(data, name, separator, [e.data for e in columns.columns])
            except interop.Invalid as exc:
                problem = getattr(exc, "message", None) or str(exc)
            else:
                interop.drop_pending(current_user, token)
                return upload
        return _columns_page(columns, preview, name, problem, 400)

    form = ImportQuestionsForm(prefix="import")
    try:
        if not form.validate() or not (
            form.questions_file.data and form.questions_file.data.filename
        ):
            raise ValueError("Choose a file to import.")
        name, data = _read_upload(form.questions_file.data, tuple(IMPORT_READERS), limit)
        separator = form.separator.data or None
        preview = interop.preview_upload(data, name, separator)
        if preview and preview.rows and (preview.needs_mapping or form.choose_columns.data):
            token = interop.keep_pending(current_user, data, name, separator)
            columns = ColumnsForm(
                prefix="columns", formdata=None, data={"token": token, "columns": preview.guess}
            )
            return _columns_page(columns, preview, name, None, 200)
        return importer(data, name, separator, None)
    except (ValueError, interop.Invalid) as exc:
        form.questions_file.errors = [getattr(exc, "message", None) or str(exc)]
        return form_page(form)


def _columns_page(columns, preview, name, problem, status):
    return render_template(
        "import_columns.html",
        form=columns,
        preview=preview,
        name=name,
        problem=problem,
        action=request.path,
    ), status


def flash_import(upload, *, publish: bool = True) -> None:
    """One message for what an import made, and one listing what it skipped (the first 20)."""
    made = ", ".join(
        f"“{deck.title}” ({'new' if created else 'updated'})" for deck, created in upload.decks
    )
    then = " Check the questions, then publish." if publish else " Only you can see it."
    history = (
        f" {upload.reviews} reviews from Anki are now your study history." if upload.reviews else ""
    )
    flash(f"Imported {made}.{then}{history}", "success")
    if upload.skipped:
        shown = "; ".join(str(s) for s in upload.skipped[:20])
        more = f" and {len(upload.skipped) - 20} more" if len(upload.skipped) > 20 else ""
        flash(f"Skipped {len(upload.skipped)}: {shown}{more}.", "error")


# --- one deck -------------------------------------------------------------------------------


def _editor(deck: Deck, *, details_form=None, file_form=None, problems=None, status=200):
    mapping = drafts.working_copy(deck)
    if details_form is None:
        details_form = DeckDetailsForm(
            prefix="details",
            title=mapping.get("title", deck.title),
            description=mapping.get("description", ""),
        )
    return render_template(
        "instructor/edit.html",
        deck=deck,
        mapping=mapping,
        questions=drafts.draft_questions(mapping),
        details_form=details_form,
        file_form=file_form or DeckFileForm(prefix="file"),
        problems=problems or [],
        types=QUESTION_TYPES,
        has_changes=drafts.has_changes(deck),
        open_reports=reports.open_count(deck),
    ), status


@bp.get("/decks/<slug>")
def edit(slug: str):
    return _editor(_own_deck(slug))


@bp.post("/decks/<slug>/details")
def details(slug: str):
    deck = _own_deck(slug)
    form = DeckDetailsForm(prefix="details")
    if not form.validate_on_submit():
        return _editor(deck, details_form=form, status=400)
    try:
        drafts.update_details(deck, form.title.data, form.description.data or "")
    except drafts.DraftError as exc:
        form.title.errors = [str(exc)]
        return _editor(deck, details_form=form, status=400)
    flash("Details saved in the draft.", "success")
    return redirect(url_for("instructor.edit", slug=slug), 303)


@bp.get("/decks/<slug>/preview")
def preview(slug: str):
    """The draft as a learner will see it: no answers."""
    deck = _own_deck(slug)
    mapping = drafts.working_copy(deck)
    return render_template(
        "instructor/preview.html",
        deck=deck,
        mapping=mapping,
        questions=[q for q in drafts.draft_questions(mapping) if q.previewable],
    )


@bp.route("/decks/<slug>/questions/new", methods=["GET", "POST"])
def new_question(slug: str):
    deck = _own_deck(slug)
    type_name = request.args.get("type", "")
    if type_name not in QUESTION_TYPES:
        return render_template("instructor/choose_type.html", deck=deck, types=QUESTION_TYPES)
    form = form_for(type_name)
    if form.validate_on_submit():
        question = form.to_question()
        try:
            key = drafts.save_question(deck, question)
        except drafts.DraftError as exc:
            form.show_problems(exc.fields or [Problem("", str(exc))])
        else:
            flash("Question added to the draft.", "success")
            return redirect(url_for("instructor.edit", slug=slug, _anchor=f"q-{key}"), 303)
    return render_template(
        "instructor/question.html",
        deck=deck,
        form=form,
        key=None,
        type_name=type_name,
        qtype=QUESTION_TYPES[type_name],
        current=None,
    ), 400 if form.is_submitted() else 200


@bp.route("/decks/<slug>/questions/<key>", methods=["GET", "POST"])
def edit_question(slug: str, key: str):
    deck = _own_deck(slug)
    mapping = drafts.working_copy(deck)
    question = drafts.find_question(mapping, key)
    if question is None or question.get("type") not in QUESTION_TYPES:
        abort(404, f"The deck has no question “{key}”.")
    type_name = question["type"]
    form = form_for(type_name, question)
    if form.validate_on_submit():
        try:
            drafts.save_question(deck, form.to_question(), key=key)
        except drafts.DraftError as exc:
            form.show_problems(exc.fields or [Problem("", str(exc))])
        else:
            flash("Question saved in the draft.", "success")
            return redirect(url_for("instructor.edit", slug=slug, _anchor=f"q-{key}"), 303)
    current = next((q for q in drafts.draft_questions(mapping) if q.key == key), None)
    return render_template(
        "instructor/question.html",
        deck=deck,
        form=form,
        key=key,
        type_name=type_name,
        qtype=QUESTION_TYPES[type_name],
        current=current,
    ), 400 if form.is_submitted() else 200


@bp.route("/decks/<slug>/questions/<key>/delete", methods=["GET", "POST"])
def delete_question(slug: str, key: str):
    """GET asks first (the question shown, Delete or Keep it: no script needed); POST deletes."""
    deck = _own_deck(slug)
    if request.method == "GET":
        questions = drafts.draft_questions(drafts.working_copy(deck))
        number, question = next(
            ((n, q) for n, q in enumerate(questions, start=1) if q.key == key), (None, None)
        )
        if question is None:
            flash("That question is no longer in the draft.", "info")
            return redirect(url_for("instructor.edit", slug=slug), 303)
        return render_template(
            "instructor/delete_question.html", deck=deck, question=question, number=number
        )
    if drafts.delete_question(deck, key):
        flash(
            "Question deleted from the draft. Publishing retires it; learners' history is kept.",
            "success",
        )
    return redirect(url_for("instructor.edit", slug=slug), 303)


@bp.post("/decks/<slug>/questions/<key>/move")
def move_question(slug: str, key: str):
    deck = _own_deck(slug)
    offset = -1 if request.form.get("direction") == "up" else 1
    drafts.move_question(deck, key, offset)
    return redirect(url_for("instructor.edit", slug=slug, _anchor=f"q-{key}"), 303)


@bp.route("/decks/<slug>/publish", methods=["GET", "POST"])
def publish(slug: str):
    deck = _own_deck(slug)
    owned = classes.classes_owned(current_user)
    form = PublishForm(prefix="publish")
    form.classroom.choices = [choice("", "— none —")] + [choice(str(c.id), c.name) for c in owned]
    if request.method == "GET":
        form.visibility.data = deck.visibility if deck.is_published else Visibility.CLASS.value
    problems: list[str] = []
    if form.validate_on_submit():
        problems = _publish(deck, form, owned)
        if not problems:
            return redirect(_after_publish(deck, form, owned), 303)
    mapping = drafts.working_copy(deck)
    check = [str(p) for p in drafts.check_problems(deck, mapping)]
    return render_template(
        "instructor/publish.html",
        deck=deck,
        form=form,
        problems=problems or check,
        count=len(mapping.get("questions") or []),
        has_changes=drafts.has_changes(deck),
    ), 400 if form.is_submitted() else 200


def _publish(deck: Deck, form: PublishForm, owned) -> list[str]:
    """Publish (and assign, if asked) in one service call; the problems, if any."""
    classroom = next((c for c in owned if str(c.id) == form.classroom.data), None)
    try:
        published = drafts.publish_deck(
            current_user,
            deck,
            form.visibility.data,
            class_id=classroom.id if classroom is not None else None,
            new_class=form.new_class.data or "",
            target_date=form.target_date.data,
        )
    except drafts.DraftError as exc:
        return [str(p) for p in exc.problems] or [str(exc)]
    summary, classroom = published.summary, published.classroom
    message = (
        f"Published “{deck.title}” (version {deck.version}): "
        f"{len(summary.added)} added, {len(summary.updated)} updated, "
        f"{len(summary.restarted)} restarted, {len(summary.retired)} retired."
    )
    if summary.restarted:
        message += " Learners start the restarted questions anew: their answers changed."
    flash(message, "success")
    if classroom is not None:
        flash(
            f"Assigned to {classroom.name}: learners join with the code {classroom.join_code}.",
            "success",
        )
        form.classroom.data = str(classroom.id)
    return []


def _after_publish(deck: Deck, form: PublishForm, owned) -> str:
    class_id = parse_count(form.classroom.data, most=MAX_ID, least=1)
    if class_id is not None:
        return url_for("classes.show", class_id=class_id)
    return url_for("instructor.edit", slug=deck.slug)


@bp.post("/decks/<slug>/discard")
def discard(slug: str):
    deck = _own_deck(slug)
    try:
        drafts.discard_changes(deck)
    except drafts.DraftError as exc:
        flash(str(exc), "error")
    else:
        flash("Unpublished changes discarded.", "success")
    return redirect(url_for("instructor.edit", slug=slug), 303)


@bp.post("/decks/<slug>/delete")
def delete(slug: str):
    deck = _own_deck(slug)
    try:
        drafts.delete_unpublished(deck)
    except drafts.DraftError as exc:
        flash(str(exc), "error")
        return redirect(url_for("instructor.edit", slug=slug), 303)
    flash("Draft deck deleted.", "success")
    return redirect(url_for("instructor.index"), 303)


@bp.get("/decks/<slug>/download")
def download(slug: str):
    deck = _own_deck(slug)
    return Response(
        drafts.deck_file_text(deck),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{deck.slug}.yaml"'},
    )


@bp.post("/decks/<slug>/upload")
def upload_into(slug: str):
    deck = _own_deck(slug)
    form = DeckFileForm(prefix="file")
    if not (form.validate_on_submit() and form.deck_file.data and form.deck_file.data.filename):
        form.deck_file.errors = ["Choose a deck file (.yaml) to upload."]
        return _editor(deck, file_form=form, status=400)
    try:
        name, text = _read_deck_file(form.deck_file.data)
        drafts.replace_draft(deck, drafts.load_uploaded_deck(text, name))
    except ValueError as exc:
        form.deck_file.errors = [str(exc)]
        return _editor(
            deck,
            file_form=form,
            status=400,
            problems=[str(p) for p in getattr(exc, "problems", [])],
        )
    flash("Deck file loaded into the draft. Publish it when it is right.", "success")
    return redirect(url_for("instructor.edit", slug=slug), 303)


# --- learners' reports of bad cards -----------------------------------------------------------


@bp.get("/decks/<slug>/reports")
def reports_inbox(slug: str):
    """The deck's open reports: the question, why, the learner, how many reported it."""
    deck, items = reports.open_reports(current_user, slug)
    return render_template("instructor/reports.html", deck=deck, items=items)


@bp.post("/decks/<slug>/reports/<int:report_id>")
def close_report(slug: str, report_id: int):
    """Resolve or dismiss one report (``action`` = resolve or dismiss)."""
    report = reports.close_report(
        current_user, slug, report_id, request.form.get("action"), current_time()
    )
    flash(f"Report {report.status}.", "info")
    return redirect(url_for("instructor.reports_inbox", slug=slug), 303)
