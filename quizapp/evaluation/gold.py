"""Gold annotations: ``<slug>.gold.yaml`` beside each corpus article, loaded and validated.

The format is described in tests/corpus/README.md. Every problem found is reported at once,
naming the file and the key, so a broken gold file is fixed in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SHAPES = (
    "term-page",
    "myth-fact",
    "faq",
    "listicle",
    "science-blog",
    "marketing",
    "textbook",
    "docs",
    "news",
    "how-to",
)
FACT_KINDS = ("definition", "takeaway", "myth", "list", "steps", "number", "fact")
ARTICLE_SUFFIXES = (".txt", ".md", ".html")


class GoldError(ValueError):
    """A gold file is missing or malformed; the message names the file and every problem."""


@dataclass(frozen=True)
class Fact:
    id: str
    kind: str
    text: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class Myth:
    claim: str
    truth: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    term: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class Sequence:
    """A gold list (``lists``) or an ordered sequence (``steps``): what it is about, its items."""

    about: str
    items: tuple[str, ...]


@dataclass
class Gold:
    path: Path
    source: str
    shape: str
    field: str
    topic: str
    facts: list[Fact] = field(default_factory=list)
    myths: list[Myth] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    lists: list[Sequence] = field(default_factory=list)
    steps: list[Sequence] = field(default_factory=list)


def gold_path(article: Path) -> Path:
    return article.with_name(f"{article.stem}.gold.yaml")


def corpus_articles(folder: Path) -> list[Path]:
    """The articles of a corpus folder (every .txt, .md or .html file), sorted by name."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix in ARTICLE_SUFFIXES)


def load_gold(article: Path) -> Gold:
    """The validated gold annotations of ``article``; :class:`GoldError` when they are broken."""
    path = gold_path(article)
    if not path.is_file():
        raise GoldError(f"{path}: missing (every corpus article needs a gold file)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GoldError(f"{path}: not valid YAML ({exc})") from exc
    problems: list[str] = []
    gold = _parse(path, data, problems)
    if gold is not None and gold.source != article.name:
        problems.append(f"source: names {gold.source!r}, the article is {article.name!r}")
    if problems:
        raise GoldError(f"{path}: " + "; ".join(problems))
    assert gold is not None
    return gold


def _parse(path: Path, data: Any, problems: list[str]) -> Gold | None:
    if not isinstance(data, dict):
        problems.append("the file must be a mapping")
        return None
    known = {"source", "shape", "field", "topic", "facts", "myths", "definitions", "lists", "steps"}
    for key in sorted(set(data) - known):
        problems.append(f"{key}: unknown key")
    text = {key: _text(data, key, problems) for key in ("source", "shape", "field", "topic")}
    if text["shape"] and text["shape"] not in SHAPES:
        problems.append(f"shape: {text['shape']!r} is not one of {', '.join(SHAPES)}")
    gold = Gold(path=path, **text)
    ids: set[str] = set()
    for i, item in enumerate(_items(data, "facts", problems)):
        where = f"facts[{i}]"
        fact = Fact(
            id=_text(item, "id", problems, where),
            kind=_text(item, "kind", problems, where),
            text=_text(item, "text", problems, where),
            match=_match(item, problems, where),
        )
        if fact.kind and fact.kind not in FACT_KINDS:
            problems.append(f"{where}.kind: {fact.kind!r} is not one of {', '.join(FACT_KINDS)}")
        if fact.id in ids:
            problems.append(f"{where}.id: {fact.id!r} is used twice")
        ids.add(fact.id)
        gold.facts.append(fact)
    if not gold.facts:
        problems.append("facts: an article needs at least one key fact")
    for i, item in enumerate(_items(data, "myths", problems)):
        where = f"myths[{i}]"
        gold.myths.append(
            Myth(
                claim=_text(item, "claim", problems, where),
                truth=_text(item, "truth", problems, where),
                match=_match(item, problems, where),
            )
        )
    for i, item in enumerate(_items(data, "definitions", problems)):
        where = f"definitions[{i}]"
        gold.definitions.append(
            Definition(
                term=_text(item, "term", problems, where), match=_match(item, problems, where)
            )
        )
    for key, target, least in (("lists", gold.lists, 2), ("steps", gold.steps, 3)):
        for i, item in enumerate(_items(data, key, problems)):
            where = f"{key}[{i}]"
            items = item.get("items")
            if (
                not isinstance(items, list)
                or len(items) < least
                or not all(isinstance(x, str | int | float) and str(x).strip() for x in items)
            ):
                problems.append(f"{where}.items: needs a list of at least {least} texts")
                items = []
            target.append(
                Sequence(
                    about=_text(item, "about", problems, where),
                    items=tuple(str(x).strip() for x in items),
                )
            )
    return gold


def _items(data: dict[str, Any], key: str, problems: list[str]) -> list[dict[str, Any]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        problems.append(f"{key}: must be a list of mappings")
        return []
    return value


def _text(data: dict[str, Any], key: str, problems: list[str], where: str = "") -> str:
    value = data.get(key)
    if (
        not isinstance(value, str | int | float)
        or isinstance(value, bool)
        or not str(value).strip()
    ):
        problems.append(f"{where + '.' if where else ''}{key}: must be non-empty text")
        return ""
    return str(value).strip()


def _match(data: dict[str, Any], problems: list[str], where: str) -> tuple[str, ...]:
    value = data.get("match")
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(x, str | int | float) and str(x).strip() for x in value)
    ):
        problems.append(f"{where}.match: needs a list of one or more phrases")
        return ()
    phrases = tuple(str(x).strip() for x in value)
    for phrase in phrases:
        if phrase != phrase.lower():
            problems.append(f"{where}.match: {phrase!r} must be lower case")
    return phrases
