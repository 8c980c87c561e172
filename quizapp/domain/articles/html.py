"""Reading an HTML page into raw blocks: the article without the page around it.

trafilatura finds the main content and drops navigation, scripts, styles, cookie banners,
footers and call-to-action boxes; the tree it extracts keeps headings (``<head rend="h2">``),
lists and quotes (as in its XML output), which are mapped onto raw blocks here. When
trafilatura finds nothing (a tiny or unusual page), the page is cleaned with lxml_html_clean
instead (scripts, styles, forms and ``nav``/``header``/``footer``/``aside`` removed, plus any
element whose class or id says cookie, banner, newsletter, call-to-action and the like) and
walked with :mod:`.htmltree`.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .htmltree import html_blocks, text_of, xml_safe
from .model import ArticleError, RawBlock

_FURNITURE = re.compile(
    r"cookie|consent|banner|newsletter|subscribe|signup|sign-up|cta|call-to-action|promo|advert|"
    r"\bads?\b|sidebar|share|social|breadcrumb|related|comments?|menu|navbar|\bnav\b|footer|"
    r"header|popup|modal|paywall",
    re.I,
)
_SITE_SUFFIX = re.compile(r"\s+[|\-–—:·]\s+[^|\-–—:·]{2,60}$")


def read_html(text: str) -> tuple[list[RawBlock], str]:
    """The raw blocks of the page's main content and the page title ('' when none)."""
    text = xml_safe(text)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ArticleError(f"is not a readable HTML page ({exc})") from None
    page_title = _page_title(tree)
    _myth_tables(tree)
    blocks = _trafilatura_blocks(tree)
    if not any(b.kind in ("paragraph", "list") for b in blocks):
        blocks = _cleaned_blocks(lxml.html.document_fromstring(text))
    elif _lost_headings(tree, blocks):
        # A page of bare <h2>/<p> siblings (common on FAQ pages) can come back from trafilatura
        # as paragraphs alone: the questions and lists that structure it are gone. Walk the
        # cleaned page instead when that keeps them.
        cleaned = _cleaned_blocks(lxml.html.document_fromstring(text))
        if sum(b.kind == "heading" for b in cleaned) >= 3:
            blocks = cleaned
    return blocks, page_title


_MYTH_HEAD = re.compile(r"^(?:the\s+)?(?:myths?|misconceptions?|what people think|claim)$", re.I)
_FACT_HEAD = re.compile(r"^(?:the\s+)?(?:facts?|truth|reality|what science says|evidence)$", re.I)


def _myth_tables(tree) -> None:
    """A "Myth | Fact" table (trafilatura leaves tables out) becomes, in place, a paragraph
    "Myth: ..." and a paragraph "Fact: ..." per row, which the builder reads like any other
    myth/fact pair."""
    for table in list(tree.iter("table")):
        rows = [[text_of(c) for c in r if c.tag in ("td", "th")] for r in table.iter("tr")]
        if len(rows) < 2 or len(rows[0]) != 2:
            continue
        head = rows[0]
        if not (_MYTH_HEAD.match(head[0]) and _FACT_HEAD.match(head[1])):
            continue
        parent = table.getparent()
        if parent is None:
            continue
        at = parent.index(table)
        paragraphs = []
        for myth, fact in (r for r in rows[1:] if len(r) == 2 and all(r)):
            for label, text in (("Myth", myth), ("Fact", fact)):
                p = etree.Element("p")
                p.text = f"{label}: {text}"
                paragraphs.append(p)
        tail = table.tail
        parent.remove(table)
        for n, p in enumerate(paragraphs):
            parent.insert(at + n, p)
        if paragraphs and tail:
            paragraphs[-1].tail = tail


def _lost_headings(tree, blocks: list[RawBlock]) -> bool:
    """The page has three or more section headings in its content, and none came through."""
    if any(b.kind == "heading" for b in blocks):
        return False
    headings = [
        h
        for h in tree.iter("h2", "h3")
        if not any(a.tag in ("nav", "header", "footer", "aside") for a in h.iterancestors())
    ]
    return len(headings) >= 3


def _page_title(tree) -> str:
    title = tree.findtext(".//title") or ""
    title = " ".join(title.split())
    return _SITE_SUFFIX.sub("", title) if title else ""


def _trafilatura_blocks(tree) -> list[RawBlock]:
    import trafilatura

    document = trafilatura.bare_extraction(
        tree,
        fast=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=True,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    blocks: list[RawBlock] = []
    for el in body:
        tag = el.tag
        if tag == "head":
            level = _level(el.get("rend", ""))
            if text_of(el):
                blocks.append(RawBlock("heading", text_of(el), level=level))
        elif tag == "p":
            if text_of(el):
                blocks.append(RawBlock("paragraph", text_of(el)))
        elif tag == "list":
            items = tuple(t for t in (text_of(i) for i in el.iter("item")) if t)
            if items:
                blocks.append(RawBlock("list", items=items, ordered=el.get("rend") == "ol"))
        elif tag == "quote" and text_of(el):
            blocks.append(RawBlock("quote", text_of(el)))
    return blocks


def _level(rend: str) -> int:
    match = re.fullmatch(r"h([1-6])", rend)
    return int(match.group(1)) if match else 2


def _cleaned_blocks(tree) -> list[RawBlock]:
    from lxml_html_clean import Cleaner

    cleaner = Cleaner(
        scripts=True,
        javascript=True,
        style=True,
        comments=True,
        forms=True,
        meta=True,
        embedded=True,
        frames=True,
        page_structure=False,
        kill_tags=["nav", "header", "footer", "aside", "noscript", "button"],
    )
    tree = cleaner.clean_html(tree)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
        if marks.strip() and _FURNITURE.search(marks):
            el.drop_tree()
    body = tree.find(".//body")
    return html_blocks(body if body is not None else tree)
