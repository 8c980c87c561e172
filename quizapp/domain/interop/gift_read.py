"""Reading GIFT files (Moodle's plain-text question format) into decks.

Read: ``::title::`` (the question id), ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` text,
``$CATEGORY:`` lines (one deck per category) and quizapp's ``// quizapp deck: <slug>`` comment,
and these answer blocks:

- ``{T}``/``{TRUE}``/``{F}``/``{FALSE}`` → true/false;
- ``{=a ~b ~c}`` or weighted ``{~%50%a ~%50%b ~%-100%c}`` → choice (several right: all that apply);
- ``{=a =b}`` (short answer) → recall, the first answer the back; inside the text (``The {=liver}
  makes it``) → a one-gap cloze;
- ``{=x -> 1 =y -> 2 ...}`` (matching onto the positions 1..n) → sequence;
- ``{}`` (essay) → recall when the general feedback (``####``) holds the answer.

Numerical and other matching questions, and a choice inside the text, have no quizapp type and
are reported as skipped. The general feedback becomes the explanation.
"""

from __future__ import annotations

import re

from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import (
    DraftDeck,
    DraftQuestion,
    InteropError,
    Parsed,
    Skipped,
    assemble,
    decode,
    html_to_text,
    plain,
    question_id,
)

_DECK_COMMENT = re.compile(r"^//\s*quizapp deck:\s*(\S+)\s*$")
_CATEGORY = re.compile(r"^\$CATEGORY:\s*(.*)$")
_TITLE = re.compile(r"^::((?:\\.|[^\\])*?)::", re.DOTALL)
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(#.*)?$", re.DOTALL)


def read_gift(data: bytes, name: str) -> Parsed:
    """The questions of a GIFT file as decks, and what was skipped (``file:line: why``)."""
    text = decode(data, name)
    decks: list[DraftDeck] = []
    current: DraftDeck | None = None
    pending_slug: str | None = None
    skipped: list[Skipped] = []
    for line_no, block in _blocks(text, name):
        first = block.lstrip().split("\n", 1)[0]
        if (m := _DECK_COMMENT.match(first)) and block.count("\n") == 0:
            pending_slug = m[1]
            continue
        cat = _CATEGORY.match(block.strip())
        if cat:
            path = [p for p in re.split(r"(?<!/)/(?!/)", cat[1].strip()) if p]
            title = (path[-1] if path else "").replace("//", "/").strip()
            if title in ("$course$", "$cat1$", "$module$", "$system$", "top") or not title:
                title = _stem(name)
            current = DraftDeck(title=title, slug=pending_slug)
            pending_slug = None
            decks.append(current)
            continue
        if current is None:
            current = DraftDeck(title=_stem(name), slug=pending_slug)
            decks.append(current)
        where = f"{name}:{line_no}"
        try:
            current.questions.append(_question(block, where))
        except _Skip as exc:
            skipped.append(Skipped(where, str(exc)))
    return assemble(decks, skipped, _stem(name))


class _Skip(Exception):
    pass


def _stem(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] or "imported"


def _blocks(text: str, name: str):
    """(first line, text) of every question or directive: paragraphs without comment lines.

    A blank line inside an answer block does not end the question.
    """
    lines = text.split("\n")
    block: list[str] = []
    start = 0
    depth = 0
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            if _DECK_COMMENT.match(stripped) and not block:
                yield n, stripped
            continue
        if not stripped and depth == 0:
            if block:
                yield start, "\n".join(block)
                block = []
            continue
        if stripped.startswith("$CATEGORY:") and not block:
            yield n, stripped
            continue
        if not block:
            start = n
        block.append(line)
        depth += _depth(line)
        if depth < 0:
            raise InteropError(
                f"{name}:{n}: a '}}' closes no answer block (write \\}} for a brace in text)"
            )
    if depth > 0:
        raise InteropError(f"{name}:{start}: an answer block opened with '{{' is never closed")
    if block:
        yield start, "\n".join(block)


def _depth(line: str) -> int:
    depth, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(line[i], 0)
        i += 1
    return depth


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], value, flags=re.DOTALL)


def _split_unescaped(value: str, marks: str) -> list[tuple[str, str]]:
    """``value`` cut before every unescaped mark in ``marks``: (mark, text) pairs."""
    parts: list[tuple[str, str]] = []
    mark, buf, i = "", [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            buf.append(value[i : i + 2])
            i += 2
            continue
        if c in marks:
            if buf or mark:
                parts.append((mark, "".join(buf)))
            mark, buf = c, []
        else:
            buf.append(c)
        i += 1
    if buf or mark:
        parts.append((mark, "".join(buf)))
    return parts


def _find_unescaped(value: str, target: str, start: int = 0) -> int:
    i = start
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        if value.startswith(target, i):
            return i
        i += 1
    return -1


def _question(block: str, where: str) -> DraftQuestion:
    body = block.strip()
    title = ""
    if m := _TITLE.match(body):
        title, body = _unescape(m[1]).strip(), body[m.end() :]
    fmt = "moodle"
    if m := _FORMAT.match(body):
        fmt, body = m[1].lower(), body[m.end() :]

    def text(raw: str) -> str:
        value = _unescape(raw.strip())
        return html_to_text(value) if fmt in ("html", "moodle") else plain(value)

    open_at = _find_unescaped(body, "{")
    if open_at < 0:
        raise _Skip("a description (no answer block) is not a question")
    close_at = _find_unescaped(body, "}", open_at)
    head, answers, tail = body[:open_at], body[open_at + 1 : close_at], body[close_at + 1 :]
    if _find_unescaped(tail, "{") >= 0:
        raise _Skip("more than one answer block in a question")
    feedback_at = _find_unescaped(answers, "####")
    general = ""
    if feedback_at >= 0:
        general, answers = text(answers[feedback_at + 4 :]), answers[:feedback_at]
    answers = answers.strip()
    qid = question_id(title, block)
    if tail.strip() and answers and answers[0] not in "=~":
        raise _Skip("an answer block inside the text must be a short answer ({=word})")

    def draft(item: Portable, explanation: str = general) -> DraftQuestion:
        return DraftQuestion(where, qid, item, explanation=explanation)

    if not answers:
        if not general:
            raise _Skip(
                "an essay question without an answer (write it as general "
                "feedback, {####answer}) cannot be studied"
            )
        return draft(Portable(RECALL, text(head + tail), answer=general), "")
    if answers.startswith("#"):
        raise _Skip("numerical questions have no quizapp type")
    if _TRUE_FALSE.match(answers):
        return draft(Portable(TRUE_FALSE, text(head), truth=answers[0] == "T"))
    options = [
        (mark, _without_feedback(value)) for mark, value in _split_unescaped(answers, "=~") if mark
    ]
    if not options:
        raise _Skip("the answer block has no answers ('=' right, '~' wrong)")
    if any(_find_unescaped(v, "->") >= 0 for _, v in options):
        return draft(_sequence(text(head), options, text))
    weights = [_weight(mark, value) for mark, value in options]
    texts = [text(_WEIGHT.sub("", value.strip())) for _, value in options]
    if all(mark == "=" for mark, _ in options) and not any(
        w is not None and w < 100 for w, _ in weights
    ):
        if tail.strip():
            gap = texts[0].replace("}}", "} }").replace("::", ": :")
            # A marker stands in for the gap while the text is cleaned.
            whole = text(head.replace("⟦gap⟧", "") + "⟦gap⟧" + tail.replace("⟦gap⟧", ""))
            return draft(Portable(GAPS, whole.replace("⟦gap⟧", f"{{{{c1::{gap}}}}}")))
        return draft(Portable(RECALL, text(head), answer=texts[0]))
    if tail.strip():
        raise _Skip("a multiple choice inside the text (missing word) has no quizapp type")
    right = tuple(i for i, (w, _) in enumerate(weights) if w is not None and w > 0)
    # Moodle's reading: no answer marked '=' means weighted answers, any number of them right.
    multiple = all(mark == "~" for mark, _ in options) or len(right) > 1
    return draft(
        Portable(CHOICE, text(head), options=tuple(texts), correct=right, multiple=multiple)
    )


def _without_feedback(value: str) -> str:
    at = _find_unescaped(value, "#")
    return value if at < 0 else value[:at]


def _weight(mark: str, value: str) -> tuple[float | None, str]:
    m = _WEIGHT.match(value.strip())
    if m:
        return float(m[1]), mark
    return (100.0 if mark == "=" else None), mark


def _sequence(prompt: str, options, text) -> Portable:
    pairs = []
    for mark, value in options:
        at = _find_unescaped(value, "->")
        if mark != "=" or at < 0:
            raise _Skip("a matching question mixes in other answers")
        pairs.append((text(value[:at]), value[at + 2 :].strip()))
    positions = [p for _, p in pairs]
    if positions != [str(n) for n in range(1, len(pairs) + 1)]:
        raise _Skip(
            "matching questions have no quizapp type (only matching onto the "
            "positions 1, 2, 3... reads as an ordering)"
        )
    return Portable(SEQUENCE, prompt, options=tuple(s for s, _ in pairs))
