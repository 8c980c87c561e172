"""Text pasted into the "new deck from an article" form: which format it is (HTML, Markdown or
plain text) and a file name for it, made from its first heading (``igf-1-signaling.md``).

Markdown is recognised by the marks a copy from an editor, a chat or a README carries: ATX
headings, bold or italic with asterisks or underscores, links, fenced code or quotes. Plain text
with none of them stays text (its paragraphs and lines read as before).
"""

from __future__ import annotations

import html
import re

_MARKDOWN = [
    re.compile(r"^\s{0,3}#{1,6}\s+\S", re.M),  # # Heading
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),  # **bold**, __bold__
    re.compile(r"(?<![\w*])\*[^*\s][^*\n]*\*(?![\w*])"),  # *italic*
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # [text](url)
    re.compile(r"^\s{0,3}(```|~~~)", re.M),  # fenced code
    re.compile(r"^\s{0,3}>\s", re.M),  # > quote
    re.compile(r"^[^\n]+\n\s{0,3}(=+|-{3,})\s*$", re.M),  # Setext heading
]
_HTML_HEADING = re.compile(r"<(h[1-6]|title)\b[^>]*>(.*?)</\1\s*>", re.I | re.S)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_MAX_STEM = 60


def pasted_format(text: str) -> str:
    """``html``, ``md`` or ``txt`` for pasted ``text``."""
    if text.lstrip().startswith("<"):
        return "html"
    if any(pattern.search(text) for pattern in _MARKDOWN):
        return "md"
    return "txt"


def pasted_name(text: str) -> str:
    """A file name for pasted ``text``: its first heading as a slug, with the format's suffix
    (``pasted.<suffix>`` when nothing names it)."""
    fmt = pasted_format(text)
    return f"{_stem(_heading(text, fmt)) or 'pasted'}.{fmt}"


def _heading(text: str, fmt: str) -> str:
    if fmt == "html":
        found = _HTML_HEADING.search(text)
        return html.unescape(re.sub(r"<[^>]+>", " ", found[2])) if found else ""
    if fmt == "md":
        found = _MD_HEADING.search(text)
        if found:
            return re.sub(r"[*_`\[\]]|\([^)]*\)", "", found[1])
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > 120:
        return ""  # a paragraph, not a title
    return re.sub(r"[*_`#>]", "", first) if fmt == "md" else first


def _stem(heading: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", heading.lower().replace("’", "").replace("'", "")).strip("-")
    if len(slug) > _MAX_STEM:
        slug = slug[:_MAX_STEM].rsplit("-", 1)[0] or slug[:_MAX_STEM]
    return slug
