"""What every format shares: the error type, the import report, limits and text conversions.

quizapp's fields are plain text. Formats that carry HTML get it escaped on the way out
(:func:`to_html`); HTML coming in is cleaned by ``nh3`` (a maintained sanitiser) down to its text
(:func:`html_to_text`), so no markup from a file ever reaches a page.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import nh3

from quizapp.domain.deck import SECTIONS, Deck, Origin, Question
from quizapp.domain.deckfile import check_deck_data
from quizapp.domain.questions import get_type, type_for_kind
from quizapp.domain.questions.portable import Portable

#: The largest file any importer reads (text formats and packages alike).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: The most questions one import may bring.
MAX_QUESTIONS = 20_000
#: The longest single field, in characters.
MAX_FIELD_CHARS = 20_000


class InteropError(ValueError):
    """A file that cannot be exported or imported; the message names the file, line or note."""


@dataclass(frozen=True)
class Skipped:
    """One row, question or note left out of an import, and why (``where`` is file:line or id)."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: skipped: {self.reason}"


@dataclass
class Parsed:
    """What a parser read: decks ready to import, and what it left out."""

    decks: list[Deck] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def portable_questions(deck: Deck) -> Iterator[tuple[Question, Portable]]:
    """Each question of ``deck`` with its portable form; InteropError names a broken one."""
    for question in deck.questions:
        try:
            yield question, get_type(question.type).to_portable(question.fields)
        except (KeyError, TypeError, NotImplementedError) as exc:
            raise InteropError(
                f"deck {deck.id!r}, question {question.id!r}: cannot be exported ({exc})"
            ) from None


def check_decks(decks: Sequence[Deck]) -> None:
    if not decks:
        raise InteropError("nothing to export: no decks given")
    seen: set[str] = set()
    for deck in decks:
        if deck.id in seen:
            raise InteropError(f"deck {deck.id!r} is given twice")
        seen.add(deck.id)


def to_html(value: str) -> str:
    """Plain text as HTML: ``& < >`` (and quotes) escaped, line breaks as ``<br>``."""
    out = html.escape(value, quote=False)
    return out.replace("\r\n", "\n").replace("\n", "<br>")


_BREAKS = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*(p|div|li|h[1-6])\s*>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """The text of an HTML fragment from an untrusted file: tags dropped, entities decoded.

    ``nh3`` removes every tag (and the content of ``script`` and ``style``); line-ending tags
    become line breaks first.
    """
    if "<" in value or "&" in value:
        marked = _BREAKS.sub("\n", value)
        cleaned = nh3.clean(marked, tags=set(), attributes={}, strip_comments=True)
        text = html.unescape(cleaned).replace("\xa0", " ")
    else:  # no markup and no entity: nothing for the sanitiser to do
        text = value.replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def plain(value: str) -> str:
    """Untrusted plain text: control and invisible formatting characters dropped."""
    return _CONTROL.sub("", value).strip()


# --- reading ------------------------------------------------------------------------------------

_SLUG_BAD = re.compile(r"[^a-z0-9]+")
_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


def slugify(value: str, fallback: str = "imported") -> str:
    """A deck slug from a title or file name: lower-case letters, digits and dashes."""
    slug = _SLUG_BAD.sub("-", value.lower()).strip("-")[:80].strip("-")
    return slug or fallback


def is_slug(value: str) -> bool:
    return bool(_SLUG.match(value))


def question_id(value: str, fallback_source: str) -> str:
    """A valid question id from a title or name in a file; a stable hash when there is none."""
    if _QUESTION_ID.match(value):
        return value
    cleaned = _ID_BAD.sub("-", value).strip("-._")[:100].strip("-._")
    if cleaned:
        return cleaned
    return "q-" + hashlib.sha256(fallback_source.encode("utf-8")).hexdigest()[:12]


@dataclass
class DraftQuestion:
    """One question read from a file, before its type's checks: where it was, and its content."""

    where: str
    id: str
    item: Portable | None = None
    #: A whole deck-file question (quizapp's own CSV column): used as it is, after the checks.
    raw: dict | None = None
    explanation: str = ""
    tags: list[str] = field(default_factory=list)
    section: str = "other"
    quote: str = ""


@dataclass
class DraftDeck:
    title: str
    slug: str | None = None
    description: str = ""
    questions: list[DraftQuestion] = field(default_factory=list)


def clean_tags(tags: Sequence[str]) -> list[str]:
    out = []
    for raw in tags:
        t = "_".join(plain(raw).split())
        if t and t not in out:
            out.append(t[:100])
    return out


def assemble(drafts: Sequence[DraftDeck], skipped: list[Skipped], fallback: str) -> Parsed:
    """Decks from drafts: each question mapped through its type and checked; the bad ones skipped.

    Deck slugs come from the file when it names one, else from the title (or ``fallback``, the
    file's name); two decks of one file never share a slug.
    """
    total = sum(len(d.questions) for d in drafts)
    if total > MAX_QUESTIONS:
        raise InteropError(
            f"{fallback}: {total} questions; one import takes at most {MAX_QUESTIONS}"
        )
    parsed = Parsed(skipped=skipped)
    slugs: set[str] = set()
    for draft in drafts:
        slug = (
            draft.slug
            if draft.slug and is_slug(draft.slug)
            else slugify(draft.title, slugify(fallback))
        )
        base, n = slug, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        draft.slug = slug  # the caller learns each draft's final slug
        deck = Deck(
            id=slug,
            title=plain(draft.title)[:200] or slug,
            description=plain(draft.description)[:2000],
        )
        seen: dict[str, str] = {}
        for q in draft.questions:
            if q.raw is not None:
                problems = check_deck_data(
                    {"id": slug, "title": deck.title, "questions": [q.raw]}, q.where
                )
                if problems:
                    skipped.append(Skipped(q.where, problems[0].message))
                    continue
                question = Question.from_dict(q.raw)
            else:
                qtype = type_for_kind(q.item.kind) if q.item else None
                if qtype is None or q.item is None:
                    skipped.append(Skipped(q.where, "no quizapp question type for this kind"))
                    continue
                fields = qtype.from_portable(q.item)
                field_problems = qtype.problems(fields)
                if field_problems:
                    skipped.append(Skipped(q.where, field_problems[0].message))
                    continue
                too_long = [k for k, v in fields.items() if len(str(v)) > MAX_FIELD_CHARS]
                if too_long:
                    skipped.append(
                        Skipped(
                            q.where, f"'{too_long[0]}' is longer than {MAX_FIELD_CHARS} characters"
                        )
                    )
                    continue
                section = q.section if q.section in SECTIONS else "other"
                question = Question(
                    id=q.id,
                    type=qtype.name,
                    fields=fields,
                    explanation=q.explanation[:MAX_FIELD_CHARS],
                    origin=Origin(section, q.quote[:MAX_FIELD_CHARS]),
                    tags=clean_tags(q.tags),
                )
            if question.id in seen:
                skipped.append(
                    Skipped(
                        q.where,
                        f"question id {question.id!r} is used twice (first at {seen[question.id]})",
                    )
                )
                continue
            seen[question.id] = q.where
            deck.questions.append(question)
        if deck.questions:
            parsed.decks.append(deck)
    return parsed


def decode(data: bytes, name: str) -> str:
    """Untrusted bytes as text: bounded, UTF-8 (a BOM is dropped), no NUL; InteropError if not."""
    if len(data) > MAX_FILE_BYTES:
        raise InteropError(
            f"{name}: {len(data) / 1e6:.1f} MB; files are limited to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InteropError(
            f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InteropError(f"{name}:{line}: binary data (a NUL byte), not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")
