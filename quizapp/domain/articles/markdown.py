"""Reading a Markdown article into raw blocks.

The ``markdown`` library renders the text to HTML (``#`` headings, ``-``/``*``/``1.`` lists,
``>`` quotes, emphasis and links); :mod:`.htmltree` walks the result. A YAML front-matter block
(``---`` ... ``---``) is dropped first; its ``title:`` is returned as a title hint.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
from lxml import etree

from .htmltree import html_blocks, xml_safe
from .model import ArticleError, RawBlock

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TITLE = re.compile(r"^title:\s*[\"']?(.*?)[\"']?\s*$", re.M)


def read_markdown(text: str) -> tuple[list[RawBlock], str]:
    """The raw blocks of a Markdown article and the front matter's title ('' when none)."""
    title = ""
    front = _FRONT_MATTER.match(text)
    if front:
        found = _TITLE.search(front.group(1))
        title = found.group(1).strip() if found else ""
        text = text[front.end() :]
    html = xml_safe(_renderer().reset().convert(text))
    if not html.strip():
        return [], title
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (AssertionError, etree.ParserError, ValueError):
        # Raw <html>/<body> tags in the Markdown: lxml will not wrap a page in a div, so the
        # rendered text is read as a page instead.
        try:
            page = lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError) as exc:
            raise ArticleError(f"is not readable Markdown ({exc})") from None
        body = page.find("body")
        root = body if body is not None else page
    return html_blocks(root), title


@lru_cache(maxsize=1)
def _renderer():
    import markdown

    return markdown.Markdown(output_format="html")
