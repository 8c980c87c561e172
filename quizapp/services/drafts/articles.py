"""Drafts from articles: the deck builder's deck from an uploaded or pasted article."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from quizapp.domain import deck as domain
from quizapp.domain.articles import ArticleError, parse_article
from quizapp.domain.articles.source import article_format, decode
from quizapp.domain.builder import build_deck, deck_slug, no_questions_message
from quizapp.models import Deck, User

from .working import DraftError, create_from_domain


def build_article_deck(name: str, data: bytes) -> domain.Deck:
    """The deck builder's draft deck from an article file's bytes (``name`` gives the format).

    :class:`DraftError` says why the article cannot be used (type, encoding, no content).
    """
    try:
        fmt = article_format(PurePath(name))
        article = parse_article(decode(data, fmt), fmt)
        source = domain.Source(file=name, sha256=hashlib.sha256(data).hexdigest())
        deck = build_deck(article, deck_slug(PurePath(name)), source)
    except ArticleError as exc:
        raise DraftError(f"“{name}”: {exc}") from None
    if not deck.questions:
        raise DraftError(
            f"“{name}”: {no_questions_message(article)}. Check that it is the article's text."
        )
    return deck


def create_from_article(owner: User, name: str, data: bytes, *, title: str = "") -> Deck:
    """A new draft deck built from an article (file name and bytes); commits.

    :class:`DraftError` says why an article cannot be used (format, encoding, no content).
    """
    built = build_article_deck(name, data)
    if title:
        built.title = title
    return create_from_domain(owner, built)
