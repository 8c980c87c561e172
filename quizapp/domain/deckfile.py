"""Reading and checking deck files: YAML in, a :class:`Deck` or a list of located problems out.

Every problem names the file, the line and what is wrong, and all problems of a file are found in
one pass so an instructor can fix them together. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .deck import COMMON_KEYS, SECTIONS, Deck
from .questions import QUESTION_TYPES

MAX_BYTES = 5 * 1024 * 1024
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
TOP_LEVEL_KEYS = ("id", "title", "description", "source", "questions")


@dataclass(frozen=True)
class FileProblem:
    """``file:line: message`` — one thing wrong in a deck file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class DeckFileError(Exception):
    """A deck file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def load_deck_file(path: Path) -> Deck:
    """Read and check ``path``; raise :class:`DeckFileError` with every problem found."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DeckFileError(
            [FileProblem(name, None, f"cannot read file: {exc.strerror}")]
        ) from None
    if size > MAX_BYTES:
        raise DeckFileError(
            [
                FileProblem(
                    name,
                    None,
                    f"file is {size / 1e6:.1f} MB; deck files are limited to 5 MB "
                    "(split the deck into several files)",
                )
            ]
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckFileError(
            [
                FileProblem(
                    name,
                    line,
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None
    return load_deck_text(text, name)


def load_deck_text(text: str, name: str = "<deck>") -> Deck:
    """Parse and check deck-file text; raise :class:`DeckFileError` with every problem."""
    if "\x00" in text:
        raise DeckFileError([FileProblem(name, None, "binary file, not a YAML deck file")])
    try:
        data = _yaml().load(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = (exc.problem or "invalid YAML").strip()
        hint = " (check the indentation: keys of one question line up under its '- id:')"
        raise DeckFileError([FileProblem(name, line, f"not valid YAML: {what}{hint}")]) from None
    except YAMLError as exc:
        raise DeckFileError([FileProblem(name, None, f"not valid YAML: {exc}")]) from None
    problems = check_deck_data(data, name)
    if problems:
        raise DeckFileError(problems)
    return Deck.from_dict(_plain(data))


def check_deck_data(data: Any, name: str = "<deck>") -> list[FileProblem]:
    """Every problem of a parsed deck file (line numbers when ``data`` came from ruamel)."""
    if not isinstance(data, dict):
        return [FileProblem(name, 1, "a deck file is a mapping with id, title and questions")]
    found: list[FileProblem] = []

    def at(node: Any, key: Any = None) -> int | None:
        return _line(node, key)

    for key in ("id", "title", "questions"):
        if key not in data:
            found.append(FileProblem(name, 1, f"missing top-level field '{key}'"))
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            found.append(
                FileProblem(
                    name,
                    at(data, key),
                    f"unknown top-level field '{key}' "
                    f"(expected: {', '.join(TOP_LEVEL_KEYS)}; is a question "
                    "field indented wrongly?)",
                )
            )
    if "id" in data and not (isinstance(data["id"], str) and SLUG.match(data["id"])):
        found.append(
            FileProblem(
                name,
                at(data, "id"),
                f"deck id {data['id']!r} must be a slug: lower-case letters, digits and dashes",
            )
        )
    if "title" in data and not (isinstance(data["title"], str) and data["title"].strip()):
        found.append(FileProblem(name, at(data, "title"), "'title' must be non-empty text"))
    source = data.get("source")
    if source is not None and not (isinstance(source, dict) and set(source) <= {"file", "sha256"}):
        found.append(
            FileProblem(
                name, at(data, "source"), "'source' must be a mapping with 'file' and 'sha256'"
            )
        )
    questions = data.get("questions")
    if "questions" in data and not isinstance(questions, list):
        found.append(FileProblem(name, at(data, "questions"), "'questions' must be a list"))
        questions = []
    seen: dict[str, int | None] = {}
    for index, question in enumerate(questions or []):
        found += _check_question(question, index, name, seen, at(questions, index))
    return found


def _check_question(
    q: Any, index: int, name: str, seen: dict[str, int | None], line: int | None
) -> list[FileProblem]:
    label = f"question {index + 1}"
    if not isinstance(q, dict):
        return [FileProblem(name, line, f"{label} must be a mapping starting with '- id: ...'")]
    found: list[FileProblem] = []
    qid = q.get("id")
    if qid is None:
        found.append(FileProblem(name, line, f"{label} has no 'id'"))
    elif not (isinstance(qid, str) and QUESTION_ID.match(qid)):
        found.append(
            FileProblem(
                name,
                _line(q, "id") or line,
                f"{label}: id {qid!r} must be letters, digits, '.', '_' or '-' (at most 120)",
            )
        )
    else:
        label = f"question '{qid}'"
        if qid in seen:
            found.append(
                FileProblem(
                    name,
                    _line(q, "id") or line,
                    f"duplicate question id "
                    f"'{qid}' (first used on line {seen[qid]}); ids must be "
                    "unique within the deck",
                )
            )
        else:
            seen[qid] = _line(q, "id") or line
    qtype = q.get("type")
    if qtype is None:
        return found + [
            FileProblem(name, line, f"{label} has no 'type' (one of: {', '.join(QUESTION_TYPES)})")
        ]
    if qtype not in QUESTION_TYPES:
        return found + [
            FileProblem(
                name,
                _line(q, "type") or line,
                f"{label}: unknown type {qtype!r} (expected one of: {', '.join(QUESTION_TYPES)})",
            )
        ]
    fields = {k: v for k, v in q.items() if k not in COMMON_KEYS}
    for problem in QUESTION_TYPES[qtype].problems(_plain(fields)):
        found.append(
            FileProblem(name, _line(q, problem.field) or line, f"{label}: {problem.message}")
        )
    if "explanation" in q and not isinstance(q["explanation"], str | None):
        found.append(
            FileProblem(name, _line(q, "explanation"), f"{label}: 'explanation' must be text")
        )
    origin = q.get("origin")
    if origin is not None:
        if not isinstance(origin, dict) or not set(origin) <= {"section", "quote"}:
            found.append(
                FileProblem(
                    name,
                    _line(q, "origin"),
                    f"{label}: 'origin' must be a mapping with 'section' and 'quote'",
                )
            )
        elif origin.get("section") not in SECTIONS:
            found.append(
                FileProblem(
                    name,
                    _line(q, "origin"),
                    f"{label}: origin section "
                    f"{origin.get('section')!r} is not one of: "
                    f"{', '.join(SECTIONS)}",
                )
            )
    tags = q.get("tags")
    if tags is not None and (
        not isinstance(tags, list)
        or not all(isinstance(t, str) and t and not any(c.isspace() for c in t) for t in tags)
    ):
        found.append(
            FileProblem(
                name,
                _line(q, "tags"),
                f"{label}: 'tags' must be a list of words without spaces (use '_' or '::')",
            )
        )
    return found


def _line(node: Any, key: Any = None) -> int | None:
    """1-based line of ``node`` (or of its ``key``) when ruamel recorded it."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return lc.line + 1
        if isinstance(node, CommentedSeq):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError):
        return None


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts, lists and str."""
    if isinstance(value, CommentedMap | dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, CommentedSeq | list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def dump_deck_text(deck: Deck) -> str:
    """The deck as deck-file YAML (for downloads and new files; keeps field order readable)."""
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(deck.to_dict(), out)
    return out.getvalue()
