"""Reading and writing deck files: canonical YAML, hand-formatted YAML, atomic writes.

A deck file the builder wrote and nobody reformatted is rewritten with PyYAML (its C emitter
when available): fast, and byte-for-byte the same for the same deck. A file an instructor
reformatted or commented (its text differs from the canonical rendering of its own data) is
rewritten through ruamel.yaml's round-trip mode instead, so comments, key order and quoting
survive. Every write goes to a temporary file in the same folder, is flushed to disk, and is
renamed over the target: a reader sees the old file or the new one, never half of one. A build
stages all its files first and flushes them with one ``sync`` before the renames, because one
``fsync`` per file costs more than building the deck.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from quizapp.domain.deckfile import DeckFileError, FileProblem

from .merge import Plan, recorded_fingerprints

HEADER = (
    "# Deck built by `quizapp build` from {file}. Edit freely: a rebuild keeps questions\n"
    "# edited or added by hand (docs/deck-builder.md).\n"
)
NOTICE = (
    "# quizapp build: what it wrote, to tell hand edits apart on a rebuild. Leave these lines be.\n"
)
_PRINT = re.compile(r"^# built (\S+) ([0-9a-f]{12})[ \t]*$", re.M)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _unusable(path: Path, line: int | None, message: str) -> DeckFileError:
    """The existing deck file cannot be read or parsed (nothing is written over it): the deck
    files' one error, ``file:line: message``."""
    return DeckFileError([FileProblem(str(path), line, message)])


def emit(data: dict[str, Any], source_file: str) -> str:
    """The canonical text of a deck file (block style, one line per scalar)."""
    lines: list[str] = []
    _block(data, 0, lines)
    return HEADER.format(file=source_file) + "\n".join(lines) + "\n"


# A small block-style emitter for the plain data of a deck (dicts, lists, strings, numbers,
# booleans). PyYAML's representer costs ~8 ms per deck, more than building it; this one
# writes the same YAML subset in well under a millisecond. Strings are plain when YAML reads
# them back as the same string (PyYAML's own implicit resolvers decide what would turn into
# a number, boolean, null or date) and double-quoted (JSON escaping, valid YAML) otherwise.
# tests/domain/test_build_yaml.py round-trips every generated deck through PyYAML's loader.
_PLAIN = re.compile(r"^[A-Za-z0-9(][^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]*$")
_UNPRINTABLE = re.compile(
    r"[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)
_NOT_PLAIN = re.compile(r": |:$| #|^[-?:,\[\]{}#&*!|>'\"%@`]|\s$")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _string(str(value))


@lru_cache(maxsize=8192)
def _string(text: str) -> str:
    if _PLAIN.match(text) and not _NOT_PLAIN.search(text) and not _resolves(text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # escapes '"', '\\' and C0 controls
    return _UNPRINTABLE.sub(_escape, quoted)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _resolves(text: str) -> bool:
    """True when a plain ``text`` would load as something other than a string."""
    return any(
        tag != "tag:yaml.org,2002:str" and pattern.match(text)
        for tag, pattern in _RESOLVERS.get(text[0], ())
    )


_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers


def _block(value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{_scalar(key)}:"
            if isinstance(item, dict) and item:
                lines.append(head)
                _block(item, indent + 2, lines)
            elif isinstance(item, list) and item:
                lines.append(head)
                _block(item, indent, lines)
            else:
                lines.append(f"{head} {_inline(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                sub: list[str] = []
                _block(item, indent + 2, sub)
                first = sub[0][indent + 2 :]
                lines.append(f"{pad}- {first}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {_inline(item)}")


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def fingerprint_block(prints: dict[str, str]) -> str:
    return NOTICE + "".join(f"# built {key} {value}\n" for key, value in prints.items())


def split_fingerprints(text: str) -> tuple[str, dict[str, str]]:
    """The deck text without the fingerprint lines, and the fingerprints they record."""
    prints = {m.group(1): m.group(2) for m in _PRINT.finditer(text)}
    body = _PRINT.sub("", text).replace(NOTICE, "")
    body = re.sub(r"\n{2,}\Z", "\n", body.rstrip("\n") + "\n") if body.strip() else body
    return body, prints


def load(path: Path) -> tuple[str, dict[str, Any]] | None:
    """``(text, data)`` of the deck file at ``path``, or None when there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _unusable(path, None, f"the existing deck file cannot be read ({exc})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _unusable(
            path,
            mark.line + 1 if mark is not None else None,
            "the existing deck file is not valid YAML; fix or remove it (nothing was written)",
        ) from None
    if data is None:
        return text, {}
    if not isinstance(data, dict):
        raise _unusable(
            path,
            None,
            "the existing deck file does not hold a deck (a mapping "
            "with id, title and questions); fix or remove it",
        )
    return text, data


def is_canonical(text: str, data: dict[str, Any], source_file: str) -> bool:
    return emit(data, source_file) == text


def rewrite_formatted(text: str, generated: dict[str, Any], the_plan: Plan) -> str:
    """Apply ``the_plan`` to a hand-formatted file with ruamel.yaml, keeping its comments.

    ``text`` is the file without its fingerprint lines; the result has them again."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ry = YAML()
    ry.preserve_quotes = True
    ry.width = 4096
    ry.indent(mapping=2, sequence=2, offset=0)
    doc = ry.load(text)
    if not isinstance(doc, CommentedMap):
        doc = CommentedMap()
    old = [q for q in doc.get("questions") or [] if isinstance(q, dict)]
    questions = []
    for step in the_plan.steps:
        if step.old is None:
            questions.append(_commented(step.new))
        elif step.new is None:
            questions.append(old[step.old])
        else:
            questions.append(_update(old[step.old], step.new))
    _set(doc, "id", generated["id"])
    if not the_plan.keep_deck_fields:
        _set(doc, "title", generated["title"])
        if generated.get("description"):
            _set(doc, "description", generated["description"])
        elif "description" in doc:
            del doc["description"]
    _set(
        doc,
        "source",
        _commented(generated["source"])
        if "source" not in doc
        else _update(doc["source"], generated["source"]),
    )
    seq = doc.get("questions")
    if isinstance(seq, CommentedSeq):
        seq[:] = questions
    else:
        _set(doc, "questions", CommentedSeq(questions))
    out = io.StringIO()
    ry.dump(doc, out)
    return out.getvalue() + fingerprint_block(recorded_fingerprints(the_plan))


def render(data: dict[str, Any], source_file: str, the_plan: Plan) -> str:
    """A deck file in canonical form, with its fingerprint lines."""
    return emit(data, source_file) + fingerprint_block(recorded_fingerprints(the_plan))


def _set(doc, key: str, value: Any) -> None:
    if key in doc:
        doc[key] = value
    else:
        doc.insert(len(doc), key, value)


def _commented(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _commented(v)
        return out
    if isinstance(value, list):
        return CommentedSeq([_commented(v) for v in value])
    return value


def _update(node, new: dict[str, Any]):
    """Give an existing mapping ``new``'s content, keeping the comments on surviving keys."""
    for key in [k for k in node if k not in new]:
        del node[key]
    for n, (key, value) in enumerate(new.items()):
        if key in node and node[key] == value:
            continue
        if key in node:
            node[key] = _commented(value)
        else:
            node.insert(min(n, len(node)), key, _commented(value))
    return node


def stage(path: Path, text: str, current: str | None = None) -> Path | None:
    """Write ``text`` to a temporary file beside ``path``; None when ``path`` already holds
    exactly ``text`` (``current``: its text as read before, or None when there was none).
    :func:`commit` makes the staged files durable and moves them into place."""
    if current is not None and current == text:
        return None
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # left behind by a crashed build of the same process id
        _unlink(tmp)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            if not hasattr(os, "sync"):
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        _unlink(Path(tmp))
        raise
    return tmp


def commit(staged: list[tuple[Path, Path]]) -> list[tuple[Path, OSError]]:
    """Flush every staged file to disk (one ``sync`` for the whole build, not one per file),
    then rename each over its target. Returns the targets that could not be replaced."""
    if staged and hasattr(os, "sync"):
        os.sync()
    failed = []
    for tmp, target in staged:
        try:
            os.replace(tmp, target)
        except OSError as exc:
            _unlink(tmp)
            failed.append((target, exc))
    return failed


def write_atomic(path: Path, text: str) -> bool:
    """Write one file atomically; False when it already holds exactly ``text``."""
    try:
        current: str | None = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError):
        current = None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = stage(path, text, current)
    if tmp is None:
        return False
    failed = commit([(tmp, path)])
    if failed:
        raise failed[0][1]
    return True


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
