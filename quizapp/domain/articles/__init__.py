"""Articles: reading .txt, .md and .html files into :class:`Article` objects.

One module per job: :mod:`.source` (bytes to text, or a reason why not), :mod:`.text`,
:mod:`.markdown` and :mod:`.html` (format to raw blocks), :mod:`.sections` (raw blocks to an
article: title, tagline, sections with roles), :mod:`.roles` (heading recognition),
:mod:`.sentences` (splitting and repair), :mod:`.boilerplate` and :mod:`.words` (word facts).
Pure Python: no Flask, no database.
"""

from __future__ import annotations

from pathlib import Path

from .model import ROLES, Article, ArticleError, Block, RawBlock, Section
from .sections import assemble
from .source import article_format, read_text


def parse_article(text: str, fmt: str) -> Article:
    """The article in ``text`` (format ``txt``, ``md`` or ``html``).

    Raises :class:`ArticleError` when no title or content can be recognised, or when the text
    nests too deeply to read (thousands of nested lists, quotes or elements).
    """
    try:
        return _parse(text, fmt)
    except RecursionError:
        raise ArticleError(
            "nests too deeply to read (thousands of nested lists, quotes or "
            "elements); is it a real article?"
        ) from None


def _parse(text: str, fmt: str) -> Article:
    hint = ""
    if fmt == "md":
        from .markdown import read_markdown

        raw, hint = read_markdown(text)
    elif fmt == "html":
        from .html import read_html

        raw, hint = read_html(text)
    else:
        from .text import read_plain

        raw = read_plain(text)
    return assemble(raw, fmt, hint)


def read_article(path: Path) -> tuple[Article, str]:
    """The article in the file at ``path`` and the file's text.

    Raises :class:`ArticleError` (without the file name; callers add it) when the file is
    unreadable, empty, binary, wrongly encoded, of an unknown type or without content.
    """
    fmt = article_format(path)
    text = read_text(path, fmt)
    return parse_article(text, fmt), text


__all__ = [
    "ROLES",
    "Article",
    "ArticleError",
    "Block",
    "RawBlock",
    "Section",
    "parse_article",
    "read_article",
]
