"""CSV and TSV files in Anki's text-import layout, written and read.

Written files start with Anki's headers, so *File → Import* in Anki needs no settings:

    #separator:tab
    #html:true
    #notetype column:1
    #guid column:2
    #deck column:3
    #tags column:4
    #columns:Notetype	GUID	Deck	Tags	Front	Back	quizapp

Every row is one note of Anki's stock ``Basic`` or ``Cloze`` note type (present in every
collection), with the GUID the ``.apkg`` export gives the same question, so importing a newer file
updates the notes of the older one. The last column, ``quizapp``, holds the question as deck-file
JSON: Anki ignores it (a note type takes only its own fields), and quizapp reads it back without
loss. The notetype column comes first because a line starting with ``#`` is a comment to Anki, and
a GUID may start with one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.domain.anki.notes import guid_question_id, note_guid, tag
from quizapp.domain.anki.package import deck_name
from quizapp.domain.deck import Deck, Question
from quizapp.domain.questions.cloze import DELETION
from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import (
    DraftDeck,
    DraftQuestion,
    InteropError,
    Parsed,
    Skipped,
    assemble,
    check_decks,
    decode,
    html_to_text,
    plain,
    portable_questions,
    slugify,
    to_html,
)

SEPARATORS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe", ":": "colon", " ": "space"}
COLUMNS = ("Notetype", "GUID", "Deck", "Tags", "Front", "Back", "quizapp")
BASIC, CLOZE = "Basic", "Cloze"
#: A note type whose name holds this is read as Anki's cloze note type ("Cloze", "Cloze+").
ANKI_CLOZE = "cloze"


def write_text(decks: Sequence[Deck], *, separator: str = "\t") -> tuple[bytes, list[Skipped]]:
    """The decks as one Anki text file (UTF-8, ``\\n`` line ends); nothing is left out."""
    check_decks(decks)
    out = io.StringIO()
    for line in (
        f"#separator:{SEPARATORS[separator]}",
        "#html:true",
        "#notetype column:1",
        "#guid column:2",
        "#deck column:3",
        "#tags column:4",
        "#columns:" + separator.join(COLUMNS),
    ):
        out.write(line + "\n")
    writer = csv.writer(out, delimiter=separator, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    names: list[str] = []
    for deck in decks:
        name = deck_name(deck.title or deck.id)
        if name in names:  # Two decks with one title would merge into one Anki deck.
            name = deck_name(f"{deck.title} ({deck.id})")
        names.append(name)
        for question, item in portable_questions(deck):
            guid = note_guid(deck.id, question)
            notetype, front, back = _note(item, question, guid)
            writer.writerow(
                [
                    notetype,
                    guid,
                    name,
                    " ".join(_tags(deck, question)),
                    front,
                    back,
                    json.dumps(question.to_dict(), ensure_ascii=False, separators=(",", ":")),
                ]
            )
    return out.getvalue().encode("utf-8"), []


def _tags(deck: Deck, question: Question) -> list[str]:
    """The tags the ``.apkg`` export gives the note: deck, section, then the question's own."""
    tags = [f"quizapp::{tag(deck.id)}", f"section::{tag(question.origin.section)}"]
    return tags + [t for t in dict.fromkeys(tag(t) for t in question.tags) if t and t not in tags]


def _list(items: Sequence[str], ordered: str = "A") -> str:
    return f'<ol type="{ordered}">' + "".join(f"<li>{to_html(i)}</li>" for i in items) + "</ol>"


def _shuffled(options: Sequence[str], guid: str) -> list[int]:
    """A fixed shuffle per note (seeded by its GUID), never the right order for a sequence."""
    order = list(range(len(options)))
    rng = random.Random(guid)
    for _ in range(10):
        rng.shuffle(order)
        if order != sorted(order):
            break
    return order


def cloze_html(text: str) -> str:
    """A cloze text as HTML: escaped inside and outside the ``{{cN::...}}`` markers."""
    out, last = [], 0
    for m in DELETION.finditer(text):
        hint = f"::{to_html(m[3])}" if m[3] is not None else ""
        out.append(f"{to_html(text[last : m.start()])}{{{{c{m[1]}::{to_html(m[2])}{hint}}}}}")
        last = m.end()
    out.append(to_html(text[last:]))
    return "".join(out)


def _note(item: Portable, question: Question, guid: str) -> tuple[str, str, str]:
    """Notetype, front (or cloze text) and back (or back extra) of one note."""
    extra = f"<br><br>{to_html(question.explanation)}" if question.explanation else ""
    if item.kind == GAPS:
        return CLOZE, cloze_html(item.prompt), to_html(question.explanation)
    if item.kind == TRUE_FALSE:
        front = f"{to_html(item.prompt)}<br><br>True or false?"
        return BASIC, front, ("True" if item.truth else "False") + extra
    if item.kind == CHOICE:
        order = _shuffled(item.options, guid)
        hint = "Select all that apply." if item.multiple else "Select one."
        front = f"{to_html(item.prompt)}{_list([item.options[i] for i in order])}{hint}"
        return BASIC, front, _list([item.options[i] for i in item.correct], "1") + extra
    if item.kind == SEQUENCE:
        order = _shuffled(item.options, guid)
        front = f"{to_html(item.prompt)}{_list([item.options[i] for i in order])}"
        return BASIC, front, _list(item.options, "1") + extra
    if item.kind == RECALL:
        return BASIC, to_html(item.prompt), to_html(item.answer) + extra
    raise InteropError(f"question {question.id!r}: unknown portable kind {item.kind!r}")


# --- reading --------------------------------------------------------------------------------------

_NAMED = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
_HEADER = re.compile(r"^#([a-z ]+):(.*)$")
_KNOWN_HEADERS = {
    "separator",
    "html",
    "tags",
    "columns",
    "notetype",
    "deck",
    "notetype column",
    "deck column",
    "tags column",
    "guid column",
    "if matches",
    "match scope",
}


#: What a column can be when the importer says so (:func:`read_text` with ``columns``).
FRONT, BACK, TAGS, IGNORE, TEXT, EXTRA = "front", "back", "tags", "ignore", "text", "extra"
ROLES = (FRONT, BACK, TAGS, IGNORE, TEXT, EXTRA)
#: A mapping names at most this many columns; columns past it are ignored.
MAX_COLUMNS = 100


def check_columns(columns: Sequence[str]) -> None:
    """Raise :class:`InteropError` unless ``columns`` is a mapping :func:`read_text` can use.

    One column is the front (or, for cloze notes, the text); at most one is the back (or the
    extra); any number are tags or ignored; basic and cloze roles do not mix.
    """
    if len(columns) > MAX_COLUMNS:
        raise InteropError(f"a mapping names at most {MAX_COLUMNS} columns")
    unknown = [c for c in columns if c not in ROLES]
    if unknown:
        raise InteropError(f"unknown column role {unknown[0]!r} (known: {', '.join(ROLES)})")
    count = {r: list(columns).count(r) for r in ROLES}
    if count[FRONT] + count[TEXT] == 0:
        raise InteropError("choose the column that holds the front (or the cloze text)")
    for role in (FRONT, BACK, TEXT, EXTRA):
        if count[role] > 1:
            raise InteropError(f"{count[role]} columns are the {role}: choose one")
    if (count[FRONT] or count[BACK]) and (count[TEXT] or count[EXTRA]):
        raise InteropError("a file is either front/back cards or cloze text/extra, not both")


@dataclass
class TextPreview:
    """The first rows of a text file, to choose what its columns are (see :func:`preview_text`)."""

    rows: list[list[str]]
    width: int
    #: The columns as :func:`read_text` would read them without a mapping (the first
    #: :data:`MAX_COLUMNS`).
    guess: list[str]
    #: The file names its columns or note type in headers: no mapping is needed.
    has_headers: bool

    @property
    def needs_mapping(self) -> bool:
        return not self.has_headers and self.width > 2


def preview_text(
    data: bytes, name: str, *, separator: str | None = None, rows: int = 5
) -> TextPreview:
    """The first ``rows`` records of a text file, split as :func:`read_text` splits them."""
    lines, headers, first = _headers(data, name)
    sep = separator or _separator(headers.get("separator"), lines[first:], name, first)
    shown: list[list[str]] = []
    width = 0
    for _, row in _rows(lines, first, sep, name):
        if not any(cell.strip() for cell in row) or row[0].startswith("#"):
            continue
        width = max(width, len(row))
        if len(shown) < rows:
            shown.append(row)
    cloze = any(DELETION.search(row[0]) for row in shown if row)
    guess = ([TEXT, EXTRA] if cloze else [FRONT, BACK])[:width] + [IGNORE] * max(0, width - 2)
    guess = guess[:MAX_COLUMNS]
    named = {"columns", "notetype", "notetype column"}
    return TextPreview(shown, width, guess, has_headers=bool(named & set(headers)))


def _headers(data: bytes, name: str) -> tuple[list[str], dict[str, str], int]:
    lines = decode(data, name).split("\n")
    headers: dict[str, str] = {}
    first = 0
    while first < len(lines) and (m := _HEADER.match(lines[first])):
        key = m[1].strip()
        if key not in _KNOWN_HEADERS:
            raise InteropError(
                f"{name}:{first + 1}: unknown header '#{key}:' (Anki knows "
                f"{', '.join('#' + h + ':' for h in sorted(_KNOWN_HEADERS))})"
            )
        headers[key] = m[2].strip()
        first += 1
    return lines, headers, first


def read_text(
    data: bytes, name: str, *, separator: str | None = None, columns: Sequence[str] | None = None
) -> Parsed:
    """An Anki text-import file (or Quizlet's export) as decks, and the rows it skipped.

    ``separator`` overrides the file's ``#separator:`` header and the guess (tab, ``|``, ``;``,
    ``,`` in that order, from the first row); it may be several characters (Quizlet's custom
    separators), then rows are split without quoting.

    ``columns`` says what each column is (:data:`ROLES`, checked by :func:`check_columns`), in
    place of Anki's conventions and the file's column headers: a ``text`` column makes cloze
    notes, ``tags`` columns hold space-separated tags, columns past the mapping are ignored.
    """
    if columns is not None:
        check_columns(columns)
    lines, headers, first = _headers(data, name)
    sep = separator or _separator(headers.get("separator"), lines[first:], name, first)
    is_html = headers.get("html", "false").lower() == "true"
    mapping, columns = columns, _split_header(headers.get("columns"), sep)

    def column(key: str) -> int | None:
        value = headers.get(key)
        if value is None:
            return None
        if not value.isdigit() or int(value) < 1:
            raise InteropError(f"{name}: '#{key}:{value}' must be a column number from 1")
        return int(value) - 1

    meta = {k: column(f"{k} column") for k in ("notetype", "deck", "tags", "guid")}
    own = columns.index("quizapp") if "quizapp" in columns else None
    roles = {r: [i for i, c in enumerate(mapping or []) if c == r] for r in ROLES}
    if mapping is not None:
        meta, own = dict.fromkeys(meta), None
    skip = {i for i in (*meta.values(), own) if i is not None}
    common_tags = headers.get("tags", "").split()

    decks: dict[str, DraftDeck] = {}
    skipped: list[Skipped] = []
    for line_no, row in _rows(lines, first, sep, name):
        where = f"{name}:{line_no}"
        if not any(cell.strip() for cell in row):
            continue
        if row[0].startswith("#"):
            continue  # a comment line, as Anki reads it

        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i] if i is not None and i < len(row) else ""

        deck_name = plain(cell(meta["deck"]) or headers.get("deck", "")) or _stem(name)
        notetype = plain(cell(meta["notetype"]) or headers.get("notetype", "")) or "Basic"
        tags = cell(meta["tags"]).split() + common_tags
        guid = cell(meta["guid"]).strip()
        fields = [c for i, c in enumerate(row) if i not in skip]
        if mapping is not None:
            main, second = roles[FRONT] + roles[TEXT], roles[BACK] + roles[EXTRA]
            fields = [cell(main[0]), cell(second[0] if second else None)]
            tags = [t for i in roles[TAGS] for t in cell(i).split()] + common_tags
            notetype = CLOZE if roles[TEXT] else BASIC
        draft = decks.setdefault(deck_name, DraftDeck(title=deck_name.split("::")[-1].strip()))
        question = _row_question(where, notetype, fields, cell(own), guid, tags, is_html)
        if isinstance(question, Skipped):
            skipped.append(question)
            continue
        slug = next((t.split("::", 1)[1] for t in tags if t.startswith("quizapp::")), None)
        if slug and draft.slug is None:
            draft.slug = slug
        draft.questions.append(question)
    for deck_name, draft in decks.items():
        draft.slug = draft.slug or slugify(deck_name.replace("::", " "))
    return assemble(list(decks.values()), skipped, _stem(name))


def _stem(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] or "imported"


def _separator(declared: str | None, lines: list[str], name: str, offset: int) -> str:
    if declared is not None:
        sep = _NAMED.get(declared.lower(), declared)
        if len(sep) != 1:
            raise InteropError(
                f"{name}: '#separator:{declared}' is not a separator (Comma, "
                "Semicolon, Tab, Space, Pipe, Colon or one character)"
            )
        return sep
    sample = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    return next((s for s in ("\t", "|", ";", ",") if s in sample), "\t")


def _split_header(value: str | None, sep: str) -> list[str]:
    if not value:
        return []
    return [
        c.strip()
        for c in (next(csv.reader([value], delimiter=sep)) if len(sep) == 1 else value.split(sep))
    ]


def _rows(lines: list[str], first: int, sep: str, name: str):
    """(line number, cells) for every record after the headers; quoted cells may span lines."""
    if len(sep) != 1:
        for n, line in enumerate(lines[first:], first + 1):
            yield n, line.split(sep)
        return
    body = lines[first:]
    reader = csv.reader(body, delimiter=sep, quotechar='"', strict=True)
    start = first + 1
    try:
        for row in reader:
            yield start, row
            start = first + reader.line_num + 1
    except csv.Error as exc:
        raise InteropError(f"{name}:{first + reader.line_num}: {exc}") from None


def _row_question(
    where: str,
    notetype: str,
    fields: list[str],
    own: str,
    guid: str,
    tags: list[str],
    is_html: bool,
) -> DraftQuestion | Skipped:
    def text(value: str) -> str:
        return html_to_text(value) if is_html else plain(value)

    section = next((t.split("::", 1)[1] for t in tags if t.startswith("section::")), "other")
    kept = [t for t in tags if not t.startswith(("quizapp::", "section::"))]
    if own.strip():
        try:
            raw = json.loads(own)
        except ValueError:
            return Skipped(where, "the quizapp column is not JSON")
        if not isinstance(raw, dict):
            return Skipped(where, "the quizapp column is not a question")
        return DraftQuestion(where, str(raw.get("id", "")), raw=raw)
    seed = guid or (fields[0] if fields else "")
    qid = (guid_question_id(guid) if guid else None) or "q-" + _hash(seed)
    if ANKI_CLOZE in notetype.casefold():
        if not fields or not fields[0].strip():
            return Skipped(where, "a Cloze row needs its text in the first field")
        return DraftQuestion(
            where,
            qid,
            Portable(GAPS, text(fields[0])),
            explanation=text(fields[1]) if len(fields) > 1 else "",
            tags=kept,
            section=section,
        )
    filled = [f for f in fields[:2] if f.strip()]
    if len(filled) < 2:
        return Skipped(
            where,
            f"a {notetype} row needs a front and a back (found "
            f"{len(filled)} non-empty field{'s' if len(filled) != 1 else ''})",
        )
    return DraftQuestion(
        where,
        qid,
        Portable(RECALL, text(fields[0]), answer=text(fields[1])),
        tags=kept,
        section=section,
    )


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
