"""Request-level input guards: what no view should ever have to think about.

Before any view runs, a request is refused with 400 (JSON under ``/api/``) when its path, query,
form or JSON body holds a NUL character (PostgreSQL text cannot store one) or a lone UTF-16
surrogate (it cannot be encoded as UTF-8 for any database), when its JSON nests deeper than
:data:`MAX_JSON_DEPTH`, and every ``<int:...>`` route matches only ids a database column can hold
(1 to 2^31 - 1, ASCII digits): a larger number is simply not found (404).
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter, ValidationError

from quizapp.domain.numbers import MAX_ID

MAX_JSON_DEPTH = 32
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class BoundedIntConverter(IntegerConverter):
    """``<int:id>`` for database ids: ASCII digits, 0 to 2^31 - 1; anything else is a 404."""

    regex = r"[0-9]{1,10}"

    def __init__(
        self,
        map,
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = None,
        signed: bool = False,
    ) -> None:  # noqa: A002
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=min,
            max=MAX_ID if max is None else max,
            signed=signed,
        )

    def to_python(self, value: str) -> int:
        if not (value.isascii() and value.isdigit()) or len(value) > 10:
            raise ValidationError()
        return super().to_python(value)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but a body nested deeper than :data:`MAX_JSON_DEPTH` is malformed JSON
    (a ``ValueError``, so ``get_json(silent=True)`` gives None and views answer 400) instead
    of a ``RecursionError`` (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep") from None
        if _depth_exceeds(value, MAX_JSON_DEPTH):
            raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
        return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _bad_strings(value: Any) -> bool:
    """True when a text anywhere in ``value`` (keys too) holds a NUL or a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _BAD_TEXT.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _refuse_bad_text() -> None:
    if _BAD_TEXT.search(request.path):
        abort(
            400,
            "The address contains a character that is not allowed (NUL or an unpaired surrogate).",
        )
    fields = [text for key, values in request.args.lists() for text in (key, *values)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.form.lists():
            fields.append(key)
            fields += values
        fields += [f.filename or "" for f in request.files.values()]
    if any(_BAD_TEXT.search(text) for text in fields):
        abort(
            400,
            "The request contains a character that is not allowed (NUL or an unpaired surrogate).",
        )
    if (
        request.is_json
        and request.get_json(silent=True) is not None
        and _bad_strings(request.get_json(silent=True))
    ):
        abort(
            400,
            "The JSON body contains a character that is not allowed (NUL or an unpaired "
            "surrogate, e.g. \\u0000 or \\ud800).",
        )


def register(app: Flask) -> None:
    """Install the converter and JSON provider (before any route is added) and the check."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = BoundedJSONProvider(app)
    app.before_request(_refuse_bad_text)
