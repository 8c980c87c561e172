"""Reading a plain-text article into raw blocks.

Plain text marks nothing, so each line is judged on its own: ``- ``, ``* ``, ``•`` and ``1.``
lines are list items; a short line without closing punctuation is a *guessed* heading (level 0,
which :mod:`.sections` may still turn into a tagline or a list item); anything else is a
paragraph. Lines that were hard-wrapped (a line ending mid-sentence followed by one starting in
lower case) are joined first. A ``#`` heading in a .txt file is honoured as a heading.
"""

from __future__ import annotations

import re

from .model import RawBlock

_ITEM = re.compile(r"^(?:[-*•–·]|(\d{1,2})[.)])\s+(\S.*)$")
_HASH_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_CLOSING = ".!;:,\"”'’…"
MAX_HEADING_WORDS = 12


def read_plain(text: str) -> list[RawBlock]:
    """The raw blocks of a plain-text article, in order."""
    lines = _unwrap([" ".join(line.split()) for line in text.splitlines()])
    blocks: list[RawBlock] = []
    items: list[str] = []
    ordered = False

    def flush() -> None:
        nonlocal items
        if items:
            blocks.append(RawBlock("list", items=tuple(items), ordered=ordered))
            items = []

    for line in lines:
        if not line:
            flush()
            continue
        item = _ITEM.match(line)
        if item:
            if not items:
                ordered = item.group(1) is not None
            items.append(item.group(2).strip())
            continue
        flush()
        hashed = _HASH_HEADING.match(line)
        if hashed:
            blocks.append(RawBlock("heading", hashed.group(2), level=len(hashed.group(1))))
        elif looks_like_heading(line):
            blocks.append(RawBlock("heading", line, level=0))
        else:
            blocks.append(RawBlock("paragraph", line))
    flush()
    return blocks


def looks_like_heading(line: str) -> bool:
    """A short line that does not end like a sentence ("The Mechanism", "3 Things to Remember")."""
    line = line.strip()
    if not line or line[0].islower() or line[-1] in _CLOSING:
        return False
    words = line.split()
    if line.endswith("?"):
        return len(words) <= 10
    return len(words) <= MAX_HEADING_WORDS and len(line) <= 100


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: a long line ending mid-sentence + a line starting in lower case."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and line
            and out[-1]
            and line[0].islower()
            and out[-1][-1] not in _CLOSING
            and len(out[-1].split()) > MAX_HEADING_WORDS // 2
            and not _ITEM.match(line)
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out
