"""Building deck files from article files: the builder's public entry point.

:func:`build_decks` reads every article first (so that each can borrow distractors from the
others' lists), then generates, merges with the existing deck file and writes each deck. A
file that fails (unreadable, empty, binary, wrongly encoded, no content, a broken existing deck
file) gets an error naming it and the reason; nothing is written for it, and the other files
are still built.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from quizapp.domain import limits
from quizapp.domain.articles import Article, ArticleError, read_article
from quizapp.domain.articles.source import FORMATS
from quizapp.domain.deck import Deck, Origin, Question, Source

from . import choices, merge, tagger, yamlio
from .draft import Context, Draft, Pools
from .generate import cloze_sentences, draft_questions, finish, generate
from .ids import assign_ids, slugify


@dataclass
class FileResult:
    """What happened to one source file: ``output`` and ``questions`` when it was built,
    ``error`` (naming the file and the reason) when it was not."""

    source: Path
    output: Path | None = None
    questions: int = 0
    error: str | None = None
    changed: bool = False
    kept_edits: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file was built."""
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]


#: Articles drafted, then tagged together, at a time.
TAG_BATCH = 32


def deck_slug(path: PurePath) -> str:
    """The deck id and file name stem for an article file: its name, slugified."""
    return slugify(path.stem) or "deck"


def build_decks(paths: list[Path], out_dir: Path) -> BuildReport:
    """Build ``out_dir/<slug>.yaml`` for every article in ``paths`` (folders are read
    recursively, see :func:`expand_sources`); see the module doc."""
    with _fewer_collections():
        return _build_decks(paths, out_dir)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build allocates millions of short-lived objects that reference counting frees; the
    cyclic garbage collector scanning them every 700 allocations costs 10-20 % of the build."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def expand_sources(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """Every source as ``(file, None)``; a folder is read recursively for article files (by
    extension, hidden files and folders left out, in name order). A folder without any gives
    ``(folder, reason)``: it is skipped with that message and the build goes on."""
    out: list[tuple[Path, str | None]] = []
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            out.append((path, None))
            continue
        found = sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in FORMATS
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if found:
            out.extend((p, None) for p in found)
        else:
            known = ", ".join(sorted(FORMATS))
            out.append((path, f"{path}: a folder with no article files ({known}) in it; skipped"))
    return out


def _build_decks(paths: list[Path], out_dir: Path) -> BuildReport:
    report = BuildReport()
    parsed: list[tuple[FileResult, Article, bytes, str]] = []
    slugs: dict[str, Path] = {}
    for path, skipped in expand_sources(paths):
        result = FileResult(source=path, error=skipped)
        report.results.append(result)
        if skipped:
            continue
        slug = deck_slug(path)
        if slug in slugs:
            result.error = (
                f"{path}: makes the same deck ({slug}.yaml) as {slugs[slug]}; rename one of them"
            )
            continue
        try:
            article, _text = read_article(path)
            data = path.read_bytes()
        except ArticleError as exc:
            result.error = f"{path}: {exc}"
            continue
        except OSError as exc:
            result.error = f"{path}: cannot read the file ({exc.strerror or exc})"
            continue
        except Exception as exc:  # a reader bug must not cost the other files their decks
            result.error = (
                f"{path}: could not read it as an article (internal error "
                f"{type(exc).__name__}: {exc}); please report it with the file"
            )
            continue
        slugs[slug] = path
        parsed.append((result, article, data, slug))
    pools = Pools({slug: _pool_items(article) for _, article, _, slug in parsed})
    if parsed:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    owners: dict[Path, FileResult] = {}
    for start in range(0, len(parsed), TAG_BATCH):
        # Draft a batch of articles, tag all their cloze sentences at once (the tagger is
        # several times faster per sentence in large batches), then finish and write them.
        batch = parsed[start : start + TAG_BATCH]
        drafted = {}
        for _result, article, _data, slug in batch:
            try:
                drafted[slug] = draft_questions(article, slug, pools)
            except Exception:  # reported with the file by _build_one, which tries again
                continue
        tagger.tag_many([s for _, drafts in drafted.values() for s in cloze_sentences(drafts)])
        _write_batch(batch, drafted, pools, Path(out_dir), staged, owners)
    for target, error in yamlio.commit(staged):
        failed = owners[target]
        failed.error = f"{failed.source}: cannot write the deck file {target} ({error})"
        failed.output, failed.changed = None, False
    return report


def _write_batch(
    batch: list[tuple[FileResult, Article, bytes, str]],
    drafted: dict,
    pools: Pools,
    out_dir: Path,
    staged: list[tuple[Path, Path]],
    owners: dict[Path, FileResult],
) -> None:
    for result, article, data, slug in batch:
        try:
            tmp = _build_one(result, article, data, slug, pools, out_dir, drafted.get(slug))
        except (yamlio.DeckFileError, ArticleError) as exc:
            result.error = f"{result.source}: {exc}"
            continue
        except OSError as exc:
            result.error = f"{result.source}: cannot write the deck file ({exc})"
            continue
        except Exception as exc:  # a builder bug must not cost the other files their decks
            result.error = (
                f"{result.source}: could not build a deck from it (internal error "
                f"{type(exc).__name__}: {exc}); please report it with the file"
            )
            continue
        if tmp is not None and result.output is not None:
            staged.append((tmp, result.output))
            owners[result.output] = result


def _pool_items(article: Article) -> dict[str, list[str]]:
    """The article's list items as choices, for other articles' distractors."""
    found = choices.list_items(article)
    return {kind: [item for item, _ in pairs if item] for kind, pairs in found.items()}


def build_deck(
    article: Article,
    slug: str,
    source: Source,
    pools: Pools | None = None,
    previous: list[dict[str, Any]] | None = None,
    drafted: tuple[Context, list[Draft]] | None = None,
) -> Deck:
    """The deck for one parsed article, ids matched against ``previous`` questions
    (``drafted``: what :func:`.generate.draft_questions` already made of it)."""
    drafts = finish(*drafted) if drafted else generate(article, slug, pools)
    # A deck holds at most MAX_QUESTIONS questions (quizapp.domain.limits, like every path in);
    # the drafts come in article order, so a huge article keeps its first part.
    drafts = drafts[: limits.MAX_QUESTIONS]
    ids = assign_ids(drafts, previous)
    return Deck(
        id=slug,
        title=_clip(article.title, limits.MAX_TITLE_CHARS),
        description=_clip(_description(article), limits.MAX_DESCRIPTION_CHARS),
        source=source,
        questions=[_question(i, d) for i, d in zip(ids, drafts, strict=True)],
    )


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _build_one(
    result: FileResult,
    article: Article,
    data: bytes,
    slug: str,
    pools: Pools,
    out_dir: Path,
    drafted: tuple[Context, list[Draft]] | None = None,
) -> Path | None:
    """Generate and merge one deck; returns its staged temporary file (None: unchanged)."""
    target = out_dir / f"{slug}.yaml"
    existing = yamlio.load(target)
    previous = existing[1].get("questions") if existing else None
    source = Source(file=result.source.name, sha256=hashlib.sha256(data).hexdigest())
    deck = build_deck(
        article, slug, source, pools, previous if isinstance(previous, list) else None, drafted
    )
    if not deck.questions:
        raise ArticleError(no_questions_message(article) + "; nothing was written")
    generated = deck.to_dict()
    old_data = existing[1] if existing else None
    body, recorded = yamlio.split_fingerprints(existing[0]) if existing else ("", {})
    the_plan = merge.plan(old_data, generated, recorded)
    if existing and not yamlio.is_canonical(body, existing[1], source.file):
        text = yamlio.rewrite_formatted(body, generated, the_plan)
    else:
        text = yamlio.render(
            merge.merged_data(old_data, generated, the_plan), source.file, the_plan
        )
    tmp = yamlio.stage(target, text, existing[0] if existing else None)
    result.changed = tmp is not None
    result.output = target
    result.questions = len(the_plan.steps)
    result.kept_edits = the_plan.kept_edits
    return tmp


def no_questions_message(article: Article) -> str:
    """Why an article that was read gave no question: its content was found, no question
    pattern matched it (said with what was found, so the reader can tell it from an empty
    page)."""
    sentences = len(article.sentences())
    items = sum(len(s.items()) for s in article.sections)
    found = [
        f"{n} {what}{'s' if n != 1 else ''}"
        for n, what in ((sentences, "sentence"), (items, "list item"))
        if n
    ]
    sections = len(article.sections)
    return (
        f"content was found ({' and '.join(found)} in {sections} "
        f"section{'s' if sections != 1 else ''}) but no question pattern matched it"
    )


def _description(article: Article) -> str:
    if article.tagline:
        return article.tagline
    for section in article.sections:
        sentences = section.sentences()
        if sentences:
            return sentences[0]
    return ""


def _question(qid: str, draft: Draft) -> Question:
    return Question(
        id=qid,
        type=draft.type,
        fields=dict(draft.fields),
        explanation=draft.explanation,
        origin=Origin(section=draft.section, quote=draft.quote),
        tags=[draft.section],
    )
