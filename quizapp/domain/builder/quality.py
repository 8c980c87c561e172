"""The quality rules every generated question must pass, and duplicate removal.

A question is kept only when it is valid for its type, reads on its own (no leading
"It"/"This"/"They", no fragment, not a heading), records its origin section and quote, its cloze
deletions are short content words, its ordering steps are distinct and its multiple-choice item
has a right answer and at least two distractors. :func:`problems` says what is wrong with one
draft; :func:`dedupe` keeps one question per thing asked: one question per source sentence
(for single-sentence kinds), a deleted term asked once in similar sentences, no two statements,
fronts, prompts or step lists that say the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from quizapp.domain.articles.words import has_finite_verb, is_stop, tokens, words
from quizapp.domain.deck import SECTIONS
from quizapp.domain.questions import get_type
from quizapp.domain.questions.cloze import deletions, render

from .clauses import PRONOUN_STARTS
from .draft import Draft
from .terms import MAX_SPAN_CHARS, MAX_SPAN_WORDS, NUMBER_LEADS, NUMBER_WORDS, cloze_text

SIMILAR_SENTENCES = 0.35


def problems(draft: Draft, headings: Sequence[str]) -> list[str]:
    """Everything wrong with ``draft``; empty when it may go into the deck."""
    found = [f"{p.field}: {p.message}" for p in get_type(draft.type).problems(draft.fields)]
    if found:
        return found
    if draft.section not in SECTIONS:
        found.append(f"origin section {draft.section!r} is not one of {SECTIONS}")
    if not draft.quote.strip():
        found.append("no source quote")
    for text in _reading_texts(draft):
        found += _reading_problems(text, headings)
    if draft.type == "cloze":
        found += _deletion_problems(draft.fields["text"])
    elif draft.type == "ordering":
        steps = draft.fields["steps"]
        if any(_starts_with_pronoun(s) for s in steps):
            found.append("a step starts with a pronoun")
    elif draft.type == "multiple_choice":
        right = {draft.fields["choices"][i] for i in draft.fields["correct"]}
        wrong = [c for c in draft.fields["choices"] if c not in right]
        if len(wrong) < 2:
            found.append("fewer than two distractors")
        if any(fuzz.token_set_ratio(w.lower(), r.lower()) >= 90 for w in wrong for r in right):
            found.append("a distractor repeats a right answer")
    return found


def _reading_texts(draft: Draft) -> list[str]:
    return [get_type(draft.type).prompt_text(draft.fields)]


def _starts_with_pronoun(text: str) -> bool:
    first = words(text[:30])
    return bool(first) and re.split(r"['’]", first[0].lower())[0] in PRONOUN_STARTS


def _reading_problems(text: str, headings: Sequence[str]) -> list[str]:
    found = []
    if _starts_with_pronoun(text):
        found.append(f"starts with a pronoun without its referent: {text[:40]!r}")
    plain = text.strip().rstrip(".?!").lower()
    if any(fuzz.ratio(plain, h.lower()) >= 90 for h in headings if h):
        found.append(f"is heading text: {text!r}")
    if not text[:1].isupper() and not text[:1].isdigit() and not _mixed_case_start(text):
        found.append(f"does not start a sentence: {text[:40]!r}")
    if not text.rstrip().endswith((".", "?", "!")):
        found.append(f"does not end a sentence: {text[-40:]!r}")
    if text.rstrip().endswith(".") and not has_finite_verb(text):
        found.append(f"is a sentence fragment: {text!r}")
    return found


def _mixed_case_start(text: str) -> bool:
    first = words(text[:30])
    return bool(first) and any(c.isupper() for c in first[0][1:])


def _deletion_problems(text: str) -> list[str]:
    found = []
    dels = deletions(text)
    if not 1 <= len(dels) <= 3:
        found.append(f"{len(dels)} deletions (one to three expected)")
    for _, answer, _ in dels:
        toks = [t.word for t in tokens(answer)]
        lead_ok = (
            bool(toks)
            and toks[0].lower() in NUMBER_LEADS
            and any(c.isdigit() for c in answer)
            or len(toks) > 1
            and toks[1].lower() in NUMBER_WORDS
        )
        if not toks or is_stop(toks[0]) and not lead_ok or is_stop(toks[-1]):
            found.append(f"deletion {answer!r} starts or ends with a stop-word")
        bracketed = "(" in answer  # an abbreviation hidden with its expansion
        if (
            len(toks) > MAX_SPAN_WORDS + 1 + 4 * bracketed
            or len(answer) > MAX_SPAN_CHARS + 16 * bracketed
        ):
            found.append(f"deletion {answer!r} is too long")
    return found


# --- duplicates -------------------------------------------------------------------------------


def _content(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in words(text) if not is_stop(w) and len(w) > 2}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _answer_key(answer: str) -> str:
    return " ".join(w.lower().rstrip("s") for w in words(answer))


def dedupe(drafts: list[Draft]) -> list[Draft]:
    """The drafts that ask something new, best (lowest priority number) first kept."""
    kept: list[Draft] = []
    used_sources: set[str] = set()
    asked: dict[str, list[set[str]]] = {}
    for draft in sorted(drafts, key=lambda d: (d.priority, d.position)):
        if draft.sources and any(s in used_sources for s in draft.sources):
            continue
        if draft.type == "cloze" and not _trim_repeated_deletions(draft, asked):
            continue
        if any(_same_question(draft, k) for k in kept):
            continue
        kept.append(draft)
        used_sources.update(draft.sources)
        if draft.type == "cloze":
            context = _content(draft.cloze_sentence)
            for span in draft.spans:
                asked.setdefault(_answer_key(span.text), []).append(context)
    return kept


def _trim_repeated_deletions(draft: Draft, asked: dict[str, list[set[str]]]) -> bool:
    """Drop deletions already asked in a similar sentence; False when none are left."""
    context = _content(draft.cloze_sentence)
    keep = []
    for span in draft.spans:
        before = asked.get(_answer_key(span.text), [])
        if len(before) >= 2 or any(_jaccard(context, c) >= SIMILAR_SENTENCES for c in before):
            continue
        keep.append(span)
    if not keep:
        return False
    if len(keep) != len(draft.spans) and max(s.score for s in keep) < 3.0:
        return False  # its main facts are asked elsewhere; what is left is not worth a card
        draft.spans = keep
        draft.fields["text"] = draft.cloze_prefix + cloze_text(draft.cloze_sentence, keep)
        draft.key = tuple(s.text for s in keep[:2])
    return True


def _same_question(a: Draft, b: Draft) -> bool:
    if a.type != b.type:
        return False
    fa, fb = a.fields, b.fields
    if a.type == "true_false":
        return fuzz.token_set_ratio(fa["statement"].lower(), fb["statement"].lower()) >= 85
    if a.type == "basic":
        return (
            _norm(fa["front"]) == _norm(fb["front"])
            or fuzz.ratio(fa["back"].lower(), fb["back"].lower()) >= 85
        )
    if a.type == "multiple_choice":
        if _norm(fa["prompt"]) == _norm(fb["prompt"]):
            return True
        ra = {fa["choices"][i].lower() for i in fa["correct"]}
        rb = {fb["choices"][i].lower() for i in fb["correct"]}
        return ra == rb and a.kind == b.kind
    if a.type == "ordering":
        sa, sb = {s.lower() for s in fa["steps"]}, {s.lower() for s in fb["steps"]}
        return len(sa & sb) * 2 >= min(len(sa), len(sb))
    if a.type == "cloze":
        return fuzz.ratio(_plain(fa["text"]), _plain(fb["text"])) >= 90
    return False


@lru_cache(maxsize=4096)
def _plain(cloze: str) -> str:
    return render(cloze, None).lower()


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
