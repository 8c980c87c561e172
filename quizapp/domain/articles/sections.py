"""Assembling raw blocks into an :class:`~.model.Article`: title, tagline and sections.

Owns the structural decisions every reader shares:

- the title is the first line (plain text) or the first level-1 heading (Markdown, HTML), else
  the page or front-matter title; repeats of it (blog pages print it twice) are dropped;
- a tagline is a short line without a full stop right after the title and before a heading;
- a heading pasted a second time (anywhere later in the article) does not start a new section:
  its content continues the section it lands in, so the sentence it cut in two can be joined;
- a guessed heading (a short plain-text line) inside a list-like section, followed by another
  such line, is a list item ("Signs It Is Disrupted" written without dashes);
- everything after "Appears In"/"Related Terms" that has no role of its own is end matter, and
  end matter, calls to action and empty sections are dropped;
- paragraphs are split into sentences and broken sentences repaired across the whole section.
"""

from __future__ import annotations

import re

from .boilerplate import is_boilerplate
from .model import (
    BOILERPLATE_ROLES,
    LIST_ROLES,
    TERM_PAGE_ROLES,
    Article,
    ArticleError,
    Block,
    RawBlock,
    Section,
)
from .roles import heading_role
from .sentences import repair, split

MAX_TAGLINE_WORDS = 20
MAX_TITLE_WORDS = 20
MIN_CONTENT_WORDS = 5


def assemble(raw: list[RawBlock], fmt: str, title_hint: str = "") -> Article:
    """The article the raw blocks describe; :class:`ArticleError` when there is no content."""
    blocks = [b for b in raw if b.text.strip() or b.items]
    if not any(len(t.split()) >= MIN_CONTENT_WORDS for b in blocks for t in (b.text, *b.items)):
        raise ArticleError("no content found: no recognisable article text in it")
    title, blocks = _take_title(blocks, fmt, title_hint)
    tagline, blocks = _take_tagline(blocks)
    sections = _sections(blocks, title)
    article = Article(title=title, tagline=tagline, format=fmt)
    article.headings = [title] + [s.heading for s in sections if s.heading]
    for section in sections:
        if section.role in BOILERPLATE_ROLES:
            continue
        built = _build_section(section)
        if not built.empty:
            article.sections.append(built)
    if not article.sentences() and not any(s.items() for s in article.sections):
        raise ArticleError("no content found: no sentences or list items under the title")
    article.kind = "term" if any(s.role in TERM_PAGE_ROLES for s in article.sections) else "blog"
    return article


def norm(text: str) -> str:
    """A heading or title reduced for comparison: lower case, letters and digits only."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _take_title(blocks: list[RawBlock], fmt: str, hint: str) -> tuple[str, list[RawBlock]]:
    title = ""
    first = blocks[0]
    if fmt == "txt":
        if first.kind in ("heading", "paragraph") and len(first.text.split()) <= MAX_TITLE_WORDS:
            title, blocks = first.text, blocks[1:]
    else:
        for i, b in enumerate(blocks[:4]):
            if b.kind == "heading" and b.level == 1:
                title, blocks = b.text, blocks[:i] + blocks[i + 1 :]
                break
        if not title and first.kind == "heading" and heading_role(first.text) == "other":
            title, blocks = first.text, blocks[1:]
    title = title or hint
    if not title:
        raise ArticleError("no title found (the first line or heading should name the article)")
    key = norm(title)
    size = len(title)
    blocks = [
        b
        for b in blocks
        if not (
            b.kind in ("heading", "paragraph")
            and abs(len(b.text) - size) <= 8
            and norm(b.text) == key
        )
    ]
    return title.strip(), blocks


def _take_tagline(blocks: list[RawBlock]) -> tuple[str, list[RawBlock]]:
    if len(blocks) < 2:
        return "", blocks
    first, after = blocks[0], blocks[1]
    text = first.text.strip()
    if (
        first.kind in ("paragraph", "heading")
        and text
        and text[-1] not in ".!?:;"
        and len(text.split()) <= MAX_TAGLINE_WORDS
        and heading_role(text) == "other"
        and not is_boilerplate(text)
        and after.kind == "heading"
        and (first.kind == "paragraph" or first.level == 0)
    ):
        return text, blocks[1:]
    return "", blocks


#: A heading that is only a label for the paragraph under it: a "MYTH" / "FACT" card.
_LABEL_HEADING = re.compile(
    r"^(?:the\s+)?(myth|fact|truth|reality|misconception|verdict)"
    r"\s*[:!]?$",
    re.I,
)


def _label_headings(blocks: list[RawBlock]) -> list[RawBlock]:
    """A "MYTH" and a "FACT" heading over one paragraph each (a myth/fact card) become the
    paragraphs "Myth: ..." and "Fact: ...": labels, not sections (a second card would
    otherwise repeat the first card's headings, which never start a section)."""

    def label(i: int) -> str:
        if i + 1 >= len(blocks) or blocks[i].kind != "heading" or blocks[i + 1].kind != "paragraph":
            return ""
        m = _LABEL_HEADING.match(blocks[i].text.strip())
        return m.group(1).lower() if m else ""

    out: list[RawBlock] = []
    i = 0
    while i < len(blocks):
        first, second = label(i), label(i + 2)
        # only a pair is a card: a lone "## Myth" heading is a section like any other
        if first and second and (first in _MYTH_LABELS) != (second in _MYTH_LABELS):
            for k in (i, i + 2):
                text = f"{label(k).capitalize()}: {blocks[k + 1].text}"
                out.append(RawBlock("paragraph", text))
            i += 4
            continue
        out.append(blocks[i])
        i += 1
    return out


_MYTH_LABELS = frozenset({"myth", "misconception"})


def _sections(blocks: list[RawBlock], title: str) -> list[Section]:
    blocks = _label_headings(blocks)
    sections = [Section("", "intro")]
    raw_blocks: list[list[RawBlock]] = [[]]
    levels = [0]
    seen = {norm(title)}
    end_matter = False
    for i, b in enumerate(blocks):
        current = sections[-1]
        if b.kind != "heading":
            raw_blocks[-1].append(b)
            continue
        key = norm(b.text)
        if key in seen:
            continue  # pasted twice: the content goes on in the current section
        role = heading_role(b.text, title)
        if b.level == 0 and role == "other" and _is_list_line(current, raw_blocks[-1], blocks, i):
            raw_blocks[-1].append(RawBlock("list", items=(b.text,)))
            continue
        seen.add(key)
        if role in ("appears_in", "related"):
            end_matter = True
        elif end_matter and role == "other" or is_boilerplate(b.text):
            role = "cta"
        sections.append(Section(b.text, role))
        raw_blocks.append([])
        levels.append(b.level or 2)
    parent, parent_level = "", 0
    for section, raw, level in zip(sections, raw_blocks, levels, strict=True):
        section.blocks = [_merge_lists(raw)]  # type: ignore[list-item]
        if parent and level > parent_level:
            section.parent = parent
        elif not raw and section.heading:
            parent, parent_level = section.heading, level  # "## Common myths" over "### 1. X"
        else:
            parent = ""
    return [s for s in sections if s.blocks[0]]


def _is_list_line(current: Section, so_far: list[RawBlock], blocks: list[RawBlock], i: int) -> bool:
    if current.role not in LIST_ROLES or any(b.kind == "paragraph" for b in so_far):
        return False
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return nxt is None or nxt.kind == "list" or (nxt.kind == "heading" and nxt.level == 0)


def _merge_lists(raw: list[RawBlock]) -> list[RawBlock]:
    """Consecutive one-item lists (guessed list lines) become one list."""
    out: list[RawBlock] = []
    for b in raw:
        if b.kind == "list" and out and out[-1].kind == "list":
            out[-1] = RawBlock("list", items=out[-1].items + b.items, ordered=out[-1].ordered)
        else:
            out.append(b)
    return out


def _build_section(section: Section) -> Section:
    raw: list[RawBlock] = section.blocks[0]  # type: ignore[assignment]
    kept = [b for b in raw if b.kind == "list" or not is_boilerplate(b.text)]
    blocks: list[Block] = []
    prose: list[int] = []
    for b in kept:
        if b.kind == "list":
            items = [" ".join(i.split()) for i in b.items if i.strip() and not is_boilerplate(i)]
            if items:
                blocks.append(Block("list", items=items, ordered=b.ordered))
        else:
            prose.append(len(blocks))
            blocks.append(Block(b.kind, text=b.text))
    pieces = repair([split(blocks[i].text) for i in prose])
    for i in prose:
        blocks[i].text, blocks[i].sentences = "", []
    for piece in pieces:
        block = blocks[prose[piece.paragraph]]
        block.text = f"{block.text} {piece.text}".strip()
        if piece.usable:
            block.sentences.append(piece.text)
    return Section(
        section.heading,
        section.role,
        [b for b in blocks if b.text or b.items],
        parent=section.parent,
    )
