"""Walking an HTML tree into raw blocks: the part the Markdown and HTML readers share.

``h1``-``h6`` become headings, ``p`` paragraphs, ``ul``/``ol`` lists (nested lists are
flattened into the same list), ``blockquote`` quotes; containers (``div``, ``section``,
``article``, ``main``...) are walked into; code, tables, figures, forms and page furniture are
skipped. Inline markup (emphasis, links) is reduced to its text.
"""

from __future__ import annotations

import re

from lxml import etree

from .model import RawBlock

# Characters lxml refuses ("All strings must be XML compatible"): C0 controls other than tab and
# newlines, lone surrogates and the two non-characters. A stray one must not make a page unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters lxml cannot hold."""
    return _NOT_XML.sub("", text)


HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "pre",
        "code",
        "table",
        "figure",
        "img",
        "svg",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "iframe",
        "nav",
        "header",
        "footer",
        "aside",
        "hr",
        "br",
        "video",
        "audio",
        "canvas",
        "object",
    }
)
CONTAINERS = frozenset(
    {
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "span",
        "center",
        "details",
        "summary",
        "dl",
        "dd",
        "dt",
        "font",
    }
)


def text_of(el) -> str:
    """The element's text with whitespace collapsed (inline markup reduced to its text)."""
    return " ".join("".join(el.itertext()).split())


def html_blocks(root) -> list[RawBlock]:
    """The raw blocks under ``root``, in document order."""
    out: list[RawBlock] = []
    _walk(root, out)
    return out


def _walk(el, out: list[RawBlock]) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        tag = etree.QName(child).localname.lower()
        if tag in SKIP:
            continue
        if tag in HEADINGS:
            text = text_of(child)
            if text:
                out.append(RawBlock("heading", text, level=HEADINGS[tag]))
        elif tag == "p":
            text = text_of(child)
            lead = _bold_lead(child) if text else None
            if text and _bold_line(child, text):
                out.append(RawBlock("heading", text, level=0))  # "**Why It Matters**"
            elif lead:
                # "**Contract**" on its own line, its definition on the next: a term heading.
                out.append(RawBlock("heading", lead[0], level=0))
                out.append(RawBlock("paragraph", lead[1]))
            elif text:
                out.append(RawBlock("paragraph", text))
        elif tag in ("ul", "ol"):
            items = tuple(_items(child))
            if items:
                out.append(RawBlock("list", items=items, ordered=tag == "ol"))
        elif tag == "blockquote":
            text = text_of(child)
            if text:
                out.append(RawBlock("quote", text))
        elif tag in CONTAINERS:
            if _has_block_children(child):
                _walk(child, out)
            else:
                text = text_of(child)
                if text:
                    out.append(RawBlock("paragraph", text))


def _bold_line(p, text: str) -> bool:
    """A paragraph that is nothing but a short bold phrase works as a heading."""
    children = [c for c in p if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag not in ("strong", "b") or (p.text or "").strip():
        return False
    if (children[0].tail or "").strip() or text_of(children[0]) != text:
        return False
    return len(text.split()) <= 10 and text[-1] not in ".!,;:"


def _bold_lead(p) -> tuple[str, str] | None:
    """``(term, rest)`` for a paragraph that opens with a short bold phrase alone on its line
    ("**Contract**\\nA contract is..."), else None."""
    children = [c for c in p if isinstance(c.tag, str)]
    if not children or children[0].tag not in ("strong", "b") or (p.text or "").strip():
        return None
    term = text_of(children[0])
    tail = children[0].tail or ""
    if (
        not term
        or len(term.split()) > 8
        or term[-1] in ".!,;:"
        or not tail.startswith(("\n", "\r"))
        and children[1:2]
        and children[1].tag != "br"
    ):
        return None
    if not tail.lstrip(" \t").startswith(("\n", "\r")) and not (
        children[1:2] and children[1].tag == "br"
    ):
        return None
    rest = " ".join(text_of(p).split())[len(" ".join(term.split())) :].strip()
    return (term, rest) if len(rest.split()) >= 3 else None


def _items(list_el) -> list[str]:
    items: list[str] = []
    for li in list_el:
        if not isinstance(li.tag, str) or etree.QName(li).localname.lower() != "li":
            continue
        nested = [c for c in li if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
        for n in nested:
            li.remove(n)
        text = text_of(li)
        if text:
            items.append(text)
        for n in nested:
            items.extend(_items(n))
    return items


def _has_block_children(el) -> bool:
    return any(
        isinstance(c.tag, str)
        and (c.tag in HEADINGS or c.tag in CONTAINERS or c.tag in ("p", "ul", "ol", "blockquote"))
        for c in el
    )
