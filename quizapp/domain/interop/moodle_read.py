"""Reading Moodle XML (``<quiz>``) into decks.

Read: ``category`` pseudo-questions (one deck each: the last part of the path is the title, an
``idnumber`` that is a slug is the deck's slug), and the question types ``multichoice``,
``truefalse``, ``shortanswer``, ``essay`` (with an answer in ``graderinfo``), ``cloze`` (each
embedded ``{n:SHORTANSWER:=...}``, ``MULTICHOICE`` or ``NUMERICAL`` gap becomes a deletion with its
right answer) and ``ordering``. Others (matching, numerical, calculated, drag and drop, ...) are
reported as skipped with their type. The question id is ``idnumber``, else ``name``; the general
feedback becomes the explanation; tags are kept.

The XML is untrusted: parsed by lxml without DTDs, entities or network, with its size bounded
(:data:`~.common.MAX_FILE_BYTES`).
"""

from __future__ import annotations

import re

from lxml import etree

from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import (
    MAX_FILE_BYTES,
    DraftDeck,
    DraftQuestion,
    InteropError,
    Parsed,
    Skipped,
    assemble,
    html_to_text,
    plain,
    question_id,
)

#: Moodle's question types read here (Moodle's names, not quizapp's).
MULTICHOICE, TRUEFALSE, SHORTANSWER, ESSAY, ORDERING, EMBEDDED = (
    "multichoice",
    "truefalse",
    "shortanswer",
    "essay",
    "ordering",
    "cloze",
)
#: An embedded answer of a Moodle cloze: ``{weight:TYPE:answers}``.
_EMBEDDED = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}")
_GAP_ANSWER = re.compile(r"^(?:=|%(-?\d+(?:\.\d+)?)%)(.*)$", re.DOTALL)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_moodle_xml(data: bytes, name: str) -> Parsed:
    """The questions of a Moodle XML file as decks, and what was skipped (``file:line: why``)."""
    if len(data) > MAX_FILE_BYTES:
        raise InteropError(
            f"{name}: {len(data) / 1e6:.1f} MB; files are limited to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise InteropError(f"{name}: a document type or entity declaration is not allowed")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise InteropError(f"{name}:{line}: not well-formed XML: {exc.msg}") from None
    if root.tag != "quiz":
        raise InteropError(
            f"{name}:{root.sourceline}: a Moodle XML file starts with <quiz>, not <{root.tag}>"
        )
    decks: list[DraftDeck] = []
    current: DraftDeck | None = None
    skipped: list[Skipped] = []
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "imported"
    for node in root:
        if not isinstance(node.tag, str) or node.tag != "question":
            continue
        where = f"{name}:{node.sourceline}"
        kind = node.get("type", "")
        if kind == "category":
            path = [p for p in re.split(r"(?<!/)/(?!/)", _text(node, "category")) if p]
            title = (path[-1] if path else "").replace("//", "/").strip()
            if not title or title in ("$course$", "$system$", "$module$", "top"):
                title = stem
            current = DraftDeck(
                title=title, slug=_text(node, "idnumber") or None, description=_html(node, "info")
            )
            decks.append(current)
            continue
        if current is None:
            current = DraftDeck(title=stem)
            decks.append(current)
        try:
            item, explanation = _item(node, kind)
        except _Skip as exc:
            skipped.append(Skipped(where, str(exc)))
            continue
        ident = _text(node, "idnumber") or _text(node, "name")
        tags = [_text_of(t) for t in node.findall("tags/tag")]
        current.questions.append(
            DraftQuestion(
                where,
                question_id(ident, etree.tostring(node).decode()),
                item,
                explanation=explanation,
                tags=tags,
            )
        )
    return assemble(decks, skipped, stem)


class _Skip(Exception):
    pass


def _text_of(node) -> str:
    return plain(node.findtext("text") or "") if node is not None else ""


def _text(node, path: str) -> str:
    found = node.find(path)
    if found is None:
        return ""
    return plain(found.findtext("text") if found.find("text") is not None else found.text or "")


def _html(node, path: str) -> str:
    """A ``<path format=...><text>`` element's text: HTML cleaned down to text, else plain."""
    found = node.find(path)
    if found is None:
        return ""
    raw = found.findtext("text") or ""
    if found.get("format", "html") in ("plain_text", "markdown"):
        return plain(raw)
    return html_to_text(raw)


def _answers(node) -> list[tuple[float, str]]:
    out = []
    for answer in node.findall("answer"):
        try:
            share = float(answer.get("fraction", "0"))
        except ValueError:
            share = 0.0
        raw = answer.findtext("text") or ""
        fmt = answer.get("format", "html")
        out.append((share, plain(raw) if fmt in ("plain_text", "markdown") else html_to_text(raw)))
    return out


def _item(node, kind: str) -> tuple[Portable, str]:
    prompt = _html(node, "questiontext")
    feedback = _html(node, "generalfeedback")
    if kind == MULTICHOICE:
        answers = _answers(node)
        single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
        right = tuple(i for i, (share, _) in enumerate(answers) if share > 0)
        return Portable(
            CHOICE, prompt, options=tuple(t for _, t in answers), correct=right, multiple=not single
        ), feedback
    if kind == TRUEFALSE:
        truths = [t.strip().lower() for share, t in _answers(node) if share > 0]
        if truths not in (["true"], ["false"]):
            raise _Skip("a true/false question needs one right answer, 'true' or 'false'")
        return Portable(TRUE_FALSE, prompt, truth=truths == ["true"]), feedback
    if kind == SHORTANSWER:
        accepted = [t for share, t in _answers(node) if share >= 100]
        if not accepted:
            raise _Skip("a short-answer question without a 100% answer")
        return Portable(RECALL, prompt, answer=accepted[0]), feedback
    if kind == ESSAY:
        answer = _html(node, "graderinfo") or feedback
        if not answer:
            raise _Skip(
                "an essay without grader information or general feedback has no answer to study"
            )
        return Portable(RECALL, prompt, answer=answer), "" if answer == feedback else feedback
    if kind == ORDERING:
        answers = sorted(_answers(node), key=lambda a: a[0])
        return Portable(SEQUENCE, prompt, options=tuple(t for _, t in answers)), feedback
    if kind == EMBEDDED:
        return Portable(GAPS, _cloze(prompt)), feedback
    raise _Skip(f"Moodle '{kind}' questions have no quizapp type")


def _cloze(text: str) -> str:
    """Moodle's embedded answers as ``{{cN::answer}}``, numbered in reading order."""
    count = 0

    def gap(m: re.Match[str]) -> str:
        nonlocal count
        right = None
        for option in re.split(r"(?<!\\)~", m[3]):
            option = re.split(r"(?<!\\)#", option, maxsplit=1)[0]
            hit = _GAP_ANSWER.match(option.strip())
            if hit and (hit[1] is None or float(hit[1]) >= 100):
                right = re.sub(r"\\(.)", r"\1", hit[2]).strip()
                break
        if not right:
            raise _Skip(f"the gap {m[0][:40]!r} has no 100% answer")
        count += 1
        safe = right.replace("}}", "} }").replace("::", ": :")
        return f"{{{{c{count}::{safe}}}}}"

    return _EMBEDDED.sub(gap, text)
