"""Reading a Markdown article into raw blocks.

The ``markdown`` library renders the text to HTML (``#`` headings, ``-``/``*``/``1.`` lists,
``>`` quotes, emphasis and links); :mod:`.htmltree` walks the result. A YAML front-matter block
(``---`` ... ``---``) is dropped first; its ``title:`` is returned as a title hint.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html

from .htmltree import html_blocks
from .model import RawBlock

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TITLE = re.compile(r"^title:\s*[\"']?(.*?)[\"']?\s*$", re.M)


def read_markdown(text: str) -> tuple[list[RawBlock], str]:
    """The raw blocks of a Markdown article and the front matter's title ('' when none)."""
    title = ""
    front = _FRONT_MATTER.match(text)
    if front:
        found = _TITLE.search(front.group(1))
        title = found.group(1).strip() if found else ""
        text = text[front.end():]
    html = _renderer().reset().convert(text)
    if not html.strip():
        return [], title
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return html_blocks(root), title


@lru_cache(maxsize=1)
def _renderer():
    import markdown

    return markdown.Markdown(output_format="html")
