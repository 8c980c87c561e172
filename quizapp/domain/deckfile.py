"""Reading and checking deck files: YAML in, a :class:`Deck` or a list of located problems out.

Every problem names the file, the line and what is wrong, and all problems of a file are found in
one pass so an instructor can fix them together. Nothing here touches the database.

A deck file is untrusted input (it is uploaded through the web), so before anything is built from
it, a pass over the YAML events refuses what could make reading it unbounded: anchors and aliases
(nested aliases expand exponentially: 505 bytes became gigabytes), explicit tags, nesting deeper
than a deck ever is, and numbers too long to convert. Every field is then bounded by
:mod:`quizapp.domain.limits`. The only exception this module raises for bad input is
:class:`DeckFileError`.
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
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)

from . import limits
from .deck import COMMON_KEYS, SECTIONS, Deck
from .questions import QUESTION_TYPES, Problem

MAX_BYTES = limits.MAX_DECK_FILE_BYTES
#: A plain scalar of this many digits or more is refused before Python converts it to int.
_MAX_NUMBER_DIGITS = 18
_NUMBER = re.compile(r"[-+]?([0-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+)")
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
                    f"file is {size / 1e6:.1f} MB; deck files are limited to "
                    f"{MAX_BYTES // 2**20} MB (split the deck into several files)",
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
    if len(text) > MAX_BYTES:
        raise DeckFileError(
            [
                FileProblem(
                    name,
                    None,
                    f"deck files are limited to {MAX_BYTES // 2**20} MB "
                    "(split the deck into several files)",
                )
            ]
        )
    try:
        unsafe = _unsafe_yaml(text, name)
        if unsafe:
            raise DeckFileError(unsafe)
        data = _yaml().load(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = (exc.problem or "invalid YAML").strip()
        hint = " (check the indentation: keys of one question line up under its '- id:')"
        raise DeckFileError([FileProblem(name, line, f"not valid YAML: {what}{hint}")]) from None
    except YAMLError as exc:
        raise DeckFileError([FileProblem(name, None, f"not valid YAML: {exc}")]) from None
    except (RecursionError, ValueError, OverflowError) as exc:
        # The event pass refuses deep nesting and long numbers first; this is the backstop.
        raise DeckFileError(
            [FileProblem(name, None, f"not a readable deck file: {type(exc).__name__}")]
        ) from None
    problems = check_deck_data(data, name)
    if problems:
        raise DeckFileError(problems)
    return Deck.from_dict(_plain(data))


def _unsafe_yaml(text: str, name: str) -> list[FileProblem]:
    """What in ``text`` could make building it unbounded, found from the parser's events alone.

    The event parser is a state machine, so this pass runs in bounded memory and stack whatever
    the file holds; the recursive composer only ever sees a file that passed.
    """
    found: list[FileProblem] = []
    depth = 0
    for event in _yaml().parse(StringIO(text)):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            found.append(
                FileProblem(
                    name,
                    line,
                    f"alias '*{event.anchor}': deck files may not use YAML anchors or "
                    "aliases (write the value out in full)",
                )
            )
        elif isinstance(event, NodeEvent) and event.anchor is not None:
            found.append(
                FileProblem(
                    name,
                    line,
                    f"anchor '&{event.anchor}': deck files may not use YAML anchors or "
                    "aliases (write the value out in full)",
                )
            )
        tag = getattr(event, "tag", None)  # scalars and collections have one; stubs omit it
        if isinstance(event, NodeEvent) and tag is not None:
            found.append(
                FileProblem(
                    name, line, f"tag '{tag}': deck files use plain YAML values without tags"
                )
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limits.MAX_DEPTH:
                found.append(
                    FileProblem(
                        name,
                        line,
                        f"nested more than {limits.MAX_DEPTH} levels deep; a deck file "
                        "is a mapping of questions, each a mapping of texts and lists",
                    )
                )
                break
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif (
            isinstance(event, ScalarEvent)
            and event.style is None
            and len(event.value) > _MAX_NUMBER_DIGITS
            and _NUMBER.fullmatch(event.value)
        ):
            found.append(
                FileProblem(
                    name,
                    line,
                    f"a number of {len(event.value)} digits is too large; quote it if it is text",
                )
            )
        if len(found) >= 20:
            break
    return found


def _size_problems(value: Any, field_name: str, *, limit: int = limits.MAX_TEXT_CHARS) -> list[str]:
    """Messages for texts longer than ``limit`` and lists longer than MAX_LIST_ITEMS in
    ``value`` (a field of a question: a text, or a list of texts or numbers)."""
    if isinstance(value, str):
        if len(value) > limit:
            return [f"'{field_name}' is {len(value)} characters long; at most {limit}"]
        return []
    if isinstance(value, list):
        if len(value) > limits.MAX_LIST_ITEMS:
            return [f"'{field_name}' has {len(value)} items; at most {limits.MAX_LIST_ITEMS}"]
        found: list[str] = []
        for item in value:
            found += _size_problems(item, field_name, limit=limit)
        return found[:1]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += _size_problems(item, f"{field_name}.{key}", limit=limit)
        return found[:1]
    return []


def question_size_problems(question: dict[str, Any]) -> list[Problem]:
    """Every field of a deck-file question mapping that is longer than the limits allow.

    Used for deck files and for the editor's questions alike (one rule for every path in)."""
    found: list[Problem] = []
    for key, value in question.items():
        if key == "id":
            continue
        limit = limits.MAX_TAG_CHARS if key == "tags" else limits.MAX_TEXT_CHARS
        found += [
            Problem(str(key), message) for message in _size_problems(value, str(key), limit=limit)
        ]
    return found


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
    elif "title" in data and len(data["title"]) > limits.MAX_TITLE_CHARS:
        found.append(
            FileProblem(
                name,
                at(data, "title"),
                f"'title' is {len(data['title'])} characters long; at most "
                f"{limits.MAX_TITLE_CHARS}",
            )
        )
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        found.append(FileProblem(name, at(data, "description"), "'description' must be text"))
    elif description is not None and len(description) > limits.MAX_DESCRIPTION_CHARS:
        found.append(
            FileProblem(
                name,
                at(data, "description"),
                f"'description' is {len(description)} characters "
                f"long; at most {limits.MAX_DESCRIPTION_CHARS}",
            )
        )
    source = data.get("source")
    if source is not None and not (
        isinstance(source, dict)
        and set(source) <= {"file", "sha256"}
        and all(isinstance(v, str) for v in source.values())
    ):
        found.append(
            FileProblem(
                name,
                at(data, "source"),
                "'source' must be a mapping with 'file' and 'sha256' (texts)",
            )
        )
    elif source is not None:
        for key, most in (
            ("file", limits.MAX_SOURCE_FILE_CHARS),
            ("sha256", limits.MAX_SHA256_CHARS),
        ):
            if len(source.get(key, "")) > most:
                found.append(
                    FileProblem(
                        name,
                        _line(source, key) or at(data, "source"),
                        f"'source.{key}' is {len(source[key])} characters long; at most {most}",
                    )
                )
    questions = data.get("questions")
    if "questions" in data and not isinstance(questions, list):
        found.append(FileProblem(name, at(data, "questions"), "'questions' must be a list"))
        questions = []
    if questions and len(questions) > limits.MAX_QUESTIONS:
        found.append(
            FileProblem(
                name,
                at(data, "questions"),
                f"the deck has {len(questions)} questions; a deck holds "
                f"at most {limits.MAX_QUESTIONS} (split it into several decks)",
            )
        )
        return found
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
    if not isinstance(qtype, str) or qtype not in QUESTION_TYPES:
        return found + [
            FileProblem(
                name,
                _line(q, "type") or line,
                f"{label}: unknown type {qtype!r} (expected one of: {', '.join(QUESTION_TYPES)})",
            )
        ]
    sizes = question_size_problems(q)
    for problem in sizes:
        found.append(
            FileProblem(name, _line(q, problem.field) or line, f"{label}: {problem.message}")
        )
    if sizes:
        return found
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
        elif origin.get("quote") is not None and not isinstance(origin.get("quote"), str):
            found.append(
                FileProblem(name, _line(q, "origin"), f"{label}: origin 'quote' must be text")
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
    return dump_deck_data(deck.to_dict())


def dump_deck_data(data: Any) -> str:
    """Deck-file data as YAML exactly as it is, valid or not (a draft with problems still
    downloads, so it can be fixed in a text editor): the one writer of deck-file text besides
    the builder's own (``builder/yamlio.py``, which keeps hand edits on a rebuild)."""
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()
