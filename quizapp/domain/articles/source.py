"""Turning a file's bytes into text, or a clear reason why not.

Owns the checks that come before any parsing: the file can be read, is not empty, is not binary,
and decodes (UTF-8, with or without a byte-order mark; UTF-16 with a byte-order mark; an HTML
page's declared charset). Every failure is an :class:`ArticleError` whose message says what is
wrong and what to do; the caller adds the file name.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path, PurePath

from .model import ArticleError

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
#: Text codecs that are no web page's charset (host names, a codec that always fails).
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined"})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def article_format(path: PurePath) -> str:
    """``txt``, ``md`` or ``html`` from the file's extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ArticleError(
            f"unsupported file type '{path.suffix or '(none)'}' (expected one of {known})"
        ) from None


def read_text(path: Path, fmt: str) -> str:
    """The file's text; raises :class:`ArticleError` when it is unreadable, empty, binary or
    not validly encoded."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ArticleError("is a directory, not an article file") from None
    except FileNotFoundError:
        raise ArticleError("file not found") from None
    except OSError as exc:
        raise ArticleError(f"cannot read the file ({exc.strerror or exc})") from None
    return decode(data, fmt)


def decode(data: bytes, fmt: str) -> str:
    if not data.strip():
        raise ArticleError("the file is empty")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _encoding_error(exc, encoding) from None
            return _check_text(text.lstrip("\ufeff"))
    if b"\x00" in data[:8192]:
        raise ArticleError("looks like a binary file (it contains NUL bytes), not a text article")
    encoding = "utf-8"
    if fmt == "html":
        declared = _CHARSET.search(data[:4096])
        if declared:
            encoding = _known_encoding(declared.group(1).decode("ascii", "replace"))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _encoding_error(exc, encoding) from None
    except (UnicodeError, LookupError) as exc:  # e.g. idna's own errors
        raise ArticleError(
            f"cannot be read as {encoding.upper()} text ({exc}); save the file "
            "as UTF-8 and build again"
        ) from None
    return _check_text(text)


def _known_encoding(name: str) -> str:
    """The declared charset when Python has a text encoding of that name, else UTF-8.

    ``codecs.lookup`` also knows transforms that are not text encodings (``rot13``, ``base64``,
    ``zlib``, ...): ``bytes.decode`` refuses those, so they count as unknown."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return "utf-8"
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return "utf-8"
    return info.name


def _encoding_error(exc: UnicodeDecodeError, encoding: str) -> ArticleError:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return ArticleError(
        f"is not valid {encoding.upper()} text (byte 0x{byte} at offset "
        f"{exc.start}); save the file as UTF-8 and build again"
    )


def _check_text(text: str) -> str:
    if not text.strip():
        raise ArticleError("the file is empty")
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise ArticleError(
            "looks like a binary file (it is full of control characters), not a text article"
        )
    return text
