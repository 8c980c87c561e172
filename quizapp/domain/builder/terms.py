"""Key terms of a sentence, and cloze deletions made from them.

A key term is a short span (one to four words) that a learner could be asked to recall: a
domain term ("growth hormone", "mTOR", "slow-wave sleep"), a name, or a number with its unit or
range ("24 to 72 hours", "12 to 15%", "first 90 minutes"). Stop-words, verbs, adverbs and
anything inside brackets never are. Terms are ranked by rarity (``wordfreq``: rarer is more
specific), numbers rank high, and terms made only of the article's own topic words ("IGF-1" in
the IGF-1 deck) or sitting in a trailing description (", the molecular switch that...") rank
lower, because deleting them asks little.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from quizapp.domain.articles.words import (
    Token,
    _tokens,
    can_be_finite_verb,
    is_acronym,
    is_adverb,
    is_number,
    is_stop,
    is_verb_only,
    lemma,
    pos,
    word_set,
    words,
    zipf,
)

NUMBER_WORDS = word_set("""
    one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty ninety hundred thousand half
""")
UNITS = word_set("""
    hour hours minute minutes min second seconds km kilometer kilometers kilometre kilometres
    day days week weeks month months year years percent % g gram grams kg kilogram kilograms mg
    milligrams mcg micrograms l liter liters litre litres ml milliliters millilitres iu ng/ml
    nmol/l calories kcal times reps sets beats bpm pm am mmhg servings cups meters km kilometers
    miles steps nights sessions hz degrees
""")
MAGNITUDES = word_set("hundred thousand million billion trillion dozen")
RANGE_LINKS = frozenset({"to", "and", "or", "-", "–"})
NUMBER_LEADS = frozenset({"first", "last", "next", "final", "initial"})
MAX_SPAN_WORDS = 4
MAX_SPAN_CHARS = 32
GENERIC = word_set("""
    way ways thing things part parts kind kinds type types lot lots role roles level levels area
    areas amount amounts number numbers time times body people person result results effect
    effects factor factors process processes system systems ability job jobs goal aim fact
    reason reasons place term terms article post input inputs step steps activation regulation
    production development function capacity rate rates
""")
#: Words after which a noun-or-verb word is the verb of a clause.
CLAUSE_OPENERS = word_set("""
    that which who it they he she we you both all then also often still
""")
#: Verbs followed by another verb's base form ("helps drive", "lets glucose flow").
CATENATIVE = word_set("help helps let lets make makes")
#: Modifiers that never start a term even though the lexicon calls them nouns.
MODIFIERS = word_set("""
    key main major real actual whole total same other overall specific certain various different
    particular general common normal early late low
""")
_APPOSITION = re.compile(r",\s+(?:the|a|an|which|who|where|whose)\b")


class Span(NamedTuple):
    """A candidate key term: ``sentence[start:end] == text``."""

    start: int
    end: int
    text: str
    score: float
    kind: str  # "number" or "term"


def key_spans(
    sentence: str, topic: frozenset[str] = frozenset(), background: frozenset[str] = frozenset()
) -> list[Span]:
    """Every candidate key term of ``sentence``, best first (see :func:`_key_spans`)."""
    return list(_key_spans(sentence, topic, background))


@lru_cache(maxsize=4096)
def _key_spans(
    sentence: str, topic: frozenset[str], background: frozenset[str]
) -> tuple[Span, ...]:
    """Every candidate key term of ``sentence``, best first.

    ``topic`` holds the lower-cased words of the article's subject; ``background`` words that run
    through the whole article. Spans made only of them rank lower.
    """
    toks = _tokens(sentence)
    if not toks:
        return ()
    inside = _bracketed(sentence) if "(" in sentence or "[" in sentence else []
    joins = [_joined(sentence, toks[i], toks[i + 1]) for i in range(len(toks) - 1)]
    tail = _appositive_start(sentence)
    codes = [_static(t.word) for t in toks]
    spans = _term_spans(sentence, toks, joins, inside, topic, background, codes)
    if _NUM in codes:
        spans = _number_spans(sentence, toks, joins, inside, codes) + spans
    spans = [
        s if s.start < tail else Span(s.start, s.end, s.text, s.score * 0.6, s.kind) for s in spans
    ]
    return tuple(sorted(spans, key=lambda s: (-s.score, s.start)))


def _bracketed(sentence: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\([^)]*\)|\[[^\]]*\]", sentence)]


def _in(ranges: list[tuple[int, int]], tok: Token) -> bool:
    return any(a <= tok.start < b for a, b in ranges)


def _joined(sentence: str, a: Token, b: Token) -> bool:
    """True when only spaces separate ``a`` and ``b`` (no comma, bracket or dash between)."""
    gap = b.start - a.end
    if gap == 1:
        return sentence[a.end] == " "
    return sentence[a.end : b.start].strip() == ""


def _appositive_start(sentence: str) -> int:
    """Where a trailing description starts (", the molecular switch that..."), if the main
    clause has been said by then."""
    from quizapp.domain.articles.words import has_finite_verb

    if "," not in sentence:
        return len(sentence) + 1
    for m in _APPOSITION.finditer(sentence):
        if has_finite_verb(sentence[: m.start()]):
            return m.start()
    return len(sentence) + 1


def _is_number_token(tok: Token) -> bool:
    return tok.lower in NUMBER_WORDS or is_number(tok.word)


def _number_spans(
    sentence: str,
    toks: Sequence[Token],
    joins: list[bool],
    inside: list[tuple[int, int]],
    codes: list[int],
) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if codes[i] != _NUM or inside and _in(inside, tok):
            i += 1
            continue
        start_i, j = i, i
        # A range: "24 to 72", "12 to 15%", "three to five".
        if (
            j + 2 < len(toks)
            and toks[j + 1].lower in RANGE_LINKS
            and joins[j]
            and joins[j + 1]
            and _is_number_token(toks[j + 2])
        ):
            j += 2
        elif (
            j + 1 < len(toks)
            and sentence[tok.end : toks[j + 1].start] in ("-", "–")
            and _is_number_token(toks[j + 1])
        ):
            j += 1
        has_unit = False
        if j + 1 < len(toks) and joins[j] and toks[j + 1].lower in MAGNITUDES:
            j += 1  # "1.27 million": the magnitude belongs to the number
            has_unit = True
        if j + 1 < len(toks) and joins[j] and toks[j + 1].lower in UNITS:
            j += 1
            has_unit = True
        elif toks[j].word.endswith("%"):
            has_unit = True
        spelled = not any(c.isdigit() for c in tok.word)
        bare = j == start_i and not has_unit and len(tok.word) < 2
        if spelled and not has_unit or bare:
            i = j + 1
            continue  # "two inputs", "one of": counting words, not facts
        if start_i > 0 and joins[start_i - 1] and toks[start_i - 1].lower in NUMBER_LEADS:
            start_i -= 1
        start, end = toks[start_i].start, toks[j].end
        text = sentence[start:end]
        if len(text) <= MAX_SPAN_CHARS:
            spans.append(Span(start, end, text, 4.5 + (0.5 if has_unit else 0.0), "number"))
        i = j + 1
    return spans


_NO, _YES, _CONTEXT, _SINGLE, _NUM = 0, 1, 2, 3, 4


@lru_cache(maxsize=65536)
def _static(word: str) -> int:
    """What a word can be on its own: a number, never a term, always one, or it depends on
    context."""
    if is_number(word) or word.lower() in NUMBER_WORDS:
        return _NUM
    if is_stop(word) or word.lower().endswith(("'s", "’s", "s'", "s’")):
        return _NO
    if len(word) < 2:
        return _SINGLE if word.isupper() else _NO
    if is_acronym(word):
        return _YES
    if is_adverb(word):
        return _NO
    parts = pos(word)
    if not parts:
        return _YES if word[:1].isalpha() else _NO
    if parts <= {"ADV"} or "AUX" in parts or is_verb_only(word):
        return _NO
    if "VERB" in parts:
        return _CONTEXT
    return _YES


def _termable(
    toks: Sequence[Token],
    i: int,
    inside: list[tuple[int, int]],
    joined_next: bool = True,
    kind: int | None = None,
) -> bool:
    tok = toks[i]
    if kind is None:
        kind = _static(tok.word)
    if kind in (_NO, _NUM) or (inside and _in(inside, tok)):
        return False
    if kind == _YES:
        return True
    if kind == _SINGLE:
        return i > 0  # "vitamin D"
    w, low = tok.word, tok.lower
    prev = toks[i - 1].lower if i else ""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if prev in _MODAL_LIKE:
        return False
    if low.endswith("ed") and prev in _BE:
        return False  # "is absorbed", "are refilled"
    if nxt is not None and not joined_next:
        nxt = None  # "adequate levels, absorption": a phrase ends at the comma
    if prev in CATENATIVE and (nxt is None or is_stop(nxt.word)):
        return False  # "helps drive this response" (but "helps muscle fibers sense")
    if low in CATENATIVE and nxt is not None and "VERB" in pos(nxt.word):
        return False  # "IGF-1 helps regulate"
    if prev in CLAUSE_OPENERS:
        return False  # "that drives", "both move", "it lowers"
    if i and lemma(w) == low and is_adverb(toks[i - 1].word):
        return False  # "rather than simply repair damage"
    if i and not is_stop(prev):
        if can_be_finite_verb(w) and low.endswith("s"):
            # "release peaks during", "caffeine masks sleep": a noun-or-verb word after a
            # content word is the clause's verb unless the next word is (phosphocreatine
            # "stores decide").
            if nxt is None or not can_be_finite_verb(nxt.word):
                return False
        elif lemma(w) == low and _plural_noun(prev):
            return False  # "muscles refill", "fibers experience"
    return not low.endswith("ing") or "NOUN" in pos(w)


_BE = word_set("is are was were be been being get gets got")
_MODAL_LIKE = word_set("""
    to can could will would may might must should not does do did cannot
""")


def _plural_noun(word: str) -> bool:
    if word.lower() in CATENATIVE:
        return False
    if not pos(word):
        return word.endswith("s") and not word.endswith("ss")  # "lifters", "sweaters"
    return (
        word.endswith("s")
        and not word.endswith("ss")
        and "NOUN" in pos(word)
        and lemma(word, "NOUN") != word
    )


@lru_cache(maxsize=65536)
def _weak_modifier(word: str) -> bool:
    """A leading word that adds little to a term: "new", "key", "fastest", "blocking"."""
    low = word.lower()
    parts = pos(low)
    if low in GENERIC or low in MODIFIERS:
        return True
    if "ADJ" in parts and (zipf(low) >= 5.3 or low.endswith("est")):
        return True
    return low.endswith("ing") and "VERB" in parts


def _term_spans(
    sentence: str,
    toks: Sequence[Token],
    joins: list[bool],
    inside: list[tuple[int, int]],
    topic: frozenset[str],
    background: frozenset[str],
    codes: list[int],
) -> list[Span]:
    spans: list[Span] = []
    run: list[int] = []
    last = len(toks) - 1
    for i in range(len(toks) + 1):
        if i > last:
            ok = False
        else:
            code = codes[i]
            ok = (
                code == _YES
                and not (inside and _in(inside, toks[i]))
                or code in (_CONTEXT, _SINGLE)
                and _termable(toks, i, inside, i >= last or joins[i], code)
            )
        if ok and run and not joins[i - 1]:
            spans.extend(_score_run(sentence, toks, run, topic, background))
            run = []
        if ok:
            run.append(i)
        elif run:
            spans.extend(_score_run(sentence, toks, run, topic, background))
            run = []
    return spans


@lru_cache(maxsize=65536)
def content_rarity(word: str) -> float:
    """:func:`rarity`, or 0 for a stop-word."""
    return 0.0 if is_stop(word) else rarity(word)


@lru_cache(maxsize=65536)
def rarity(word: str) -> float:
    """How specific a word is, 0 (common) to 5 (rare or an acronym)."""
    if is_acronym(word):
        return 4.5
    z = zipf(word)
    if z == 0.0:
        return 4.0 if word[:1].isalpha() else 0.0
    return max(0.0, min(5.0, 6.2 - z))


def _score_run(
    sentence: str,
    toks: Sequence[Token],
    run: list[int],
    topic: frozenset[str],
    background: frozenset[str],
) -> list[Span]:
    # Trim generic words at the edges ("new muscle protein" -> "muscle protein").
    while len(run) > 1 and not is_acronym(toks[run[0]].word) and _weak_modifier(toks[run[0]].word):
        run = run[1:]
    while len(run) > 1 and _trailing_adjective(toks[run[-1]]):
        run = run[:-1]
    if len(run) > MAX_SPAN_WORDS:
        run = run[-3:]
    if len(run) == 1 and (
        toks[run[0]].lower in GENERIC
        or toks[run[0]].lower in UNITS
        or _comparative(toks[run[0]].word)
        or _adjective_only(toks[run[0]].lower)
    ):
        return []
    start, end = toks[run[0]].start, toks[run[-1]].end
    text = sentence[start:end]
    if len(text) > MAX_SPAN_CHARS:
        return []
    words = [toks[i].word for i in run]
    return [Span(start, end, text, _specificity(words, topic, background), "term")]


@lru_cache(maxsize=65536)
def _comparative(word: str) -> bool:
    low = word.lower()
    return low.endswith(("er", "est")) and "ADJ" in pos(low) and "NOUN" not in pos(low)


def _possessive(tok: Token) -> bool:
    return tok.lower.endswith(("'s", "’s", "s'", "s’"))


def _trailing_adjective(tok: Token) -> bool:
    return _adjective_only(tok.lower)


@lru_cache(maxsize=65536)
def _adjective_only(low: str) -> bool:
    parts = pos(low)
    return "ADJ" in parts and "NOUN" not in parts or low in ("high", "low")


def choose_deletions(
    sentence: str, spans: list[Span], *, most: int = 3, threshold: float = 1.6
) -> list[Span]:
    """Up to ``most`` non-overlapping spans worth deleting, in reading order.

    At least one (the best, when it clears a lower bar); at least three content words (and
    30 percent of them) stay visible; never two spans side by side.
    """
    content = _content_count(sentence)
    keep_visible = max(3.0, content * 0.3)
    chosen: list[Span] = []
    used = 0
    for span in spans:
        if len(chosen) >= most:
            break
        floor = threshold * 1.25 if chosen else threshold * 0.6
        if span.score < floor:
            break
        n = 1 if span.kind == "number" else span.text.count(" ") + 1
        if chosen and content - used - n < keep_visible:
            continue
        if any(_near(sentence, span, c) for c in chosen):
            continue
        if any(span.text.lower() == c.text.lower() for c in chosen):
            continue
        chosen.append(span)
        used += n
    return sorted(chosen, key=lambda s: s.start)


def _near(sentence: str, a: Span, b: Span) -> bool:
    if a.start < b.end and b.start < a.end:
        return True
    gap = sentence[min(a.end, b.end) : max(a.start, b.start)]
    return not any(c.isalnum() for c in gap)


@lru_cache(maxsize=4096)
def _content_count(sentence: str) -> int:
    return sum(1 for w in words(sentence) if not is_stop(w))


def cloze_text(sentence: str, chosen: list[Span]) -> str:
    """``sentence`` with each chosen span wrapped as ``{{cN::...}}``, numbered in order."""
    out, last = [], 0
    for n, span in enumerate(chosen, start=1):
        out.append(sentence[last : span.start])
        out.append(f"{{{{c{n}::{span.text}}}}}")
        last = span.end
    out.append(sentence[last:])
    return "".join(out)


# --- deletions from the tagger's noun phrases ---------------------------------------------------

#: Head nouns too generic to be the answer of a cloze ("physiological process").
GENERIC_HEADS = GENERIC | word_set("""
    network networks mechanism mechanisms aspect aspects issue issues problem problems change
    changes impact impacts feature features element elements component components method
    methods approach approaches strategy strategies practice practices condition conditions
    state states situation situations structure structures activity activities value values
    quality source sources range ranges degree degrees stage stages phase phases form forms
    idea ideas concept concepts benefit benefits thing stuff matter matters example examples
    case cases point points set sets group groups piece pieces bit bits kind sort variety
    everything something anything nothing everyone someone individuals health life world
    difference differences balance support response responses role belief beliefs error
    errors mistake mistakes myth myths misconception misconceptions opinion opinions wisdom
    connection connections link links relationship relationships partnership story question
    questions answer answers secret secrets key truth
""")
#: A phrase made of very common words ("the body", "good health") is not worth a blank.
COMMON_ZIPF = 5.4
_ABBREVIATION_AFTER = re.compile(r"\s*\(([^()]{1,48})\)")
SECOND_DELETION = 3.5


def tagged_deletions(
    sentence: str,
    topic: frozenset[str] = frozenset(),
    background: frozenset[str] = frozenset(),
    title: frozenset[str] = frozenset(),
    *,
    threshold: float = 1.6,
    most: int = 2,
) -> list[Span]:
    """The cloze deletions of ``sentence`` from the tagger's noun phrases and the numbers:
    one by default, a second only when both are specific terms or numbers far apart with
    enough of the sentence left to recover each; never an item of a list, a generic noun, a
    verb, anything in brackets or an answer the deck title gives away. An abbreviation and its
    expansion are deleted together ("insulin-like growth factor 1 (IGF-1)")."""
    from . import tagger

    inside = _bracketed(sentence) if "(" in sentence or "[" in sentence else []
    tail = _appositive_start(sentence)
    toks = tagger.tags(sentence)
    candidates: list[Span] = []
    for first, last, start, _end in tagger.noun_phrases(sentence):
        if any(a <= start < b for a, b in inside):
            continue
        if tagger.in_list(sentence, first, last):
            continue
        span = _phrase_span(sentence, toks, first, last, topic, background)
        if span is None or _given_by_title(span.text, title):
            continue
        if span.start >= tail:
            span = span._replace(score=span.score * 0.6)
        if _tail_of_compound(toks, span.start):
            continue
        trimmed = _without_swallowed_verb(sentence, toks, span)
        if trimmed is None:
            continue
        if trimmed.text != span.text:
            score = _phrase_score(trimmed.text, topic, background)
            if not score:
                continue
            span = trimmed._replace(score=score * (0.6 if span.start >= tail else 1.0))
        if (
            _verb_after_conjunction(toks, first, last)
            or _repeated(sentence, span)
            or _expansion_follows(sentence, span)
        ):
            continue
        span = _with_abbreviation(sentence, span)
        if _given_by_title(span.text, title):
            continue
        candidates.append(span)
    for span in key_spans(sentence, topic, background):
        if (
            span.kind == "number"
            and not _given_by_title(span.text, title)
            and not tagger.is_verb_at(sentence, span.start, span.end)
            and not _number_in_list(sentence, span)
        ):
            candidates.append(span)
    candidates.sort(key=lambda s: (-s.score, s.start))
    chosen: list[Span] = []
    content = _content_count(sentence)
    for span in candidates:
        if not chosen:
            if span.score < threshold * 0.6:
                break
            chosen.append(span)
            continue
        if (
            len(chosen) >= most
            or span.score < max(SECOND_DELETION, threshold * 1.25)
            or chosen[0].score < SECOND_DELETION
        ):
            break
        hidden = sum(_content_count(s.text) for s in chosen + [span])
        if content - hidden < max(5, 0.5 * content):
            continue
        if any(
            _near(sentence, span, c) or span.start < c.end + 12 and c.start < span.end + 12
            for c in chosen
        ):
            continue
        if any(span.text.lower() == c.text.lower() for c in chosen):
            continue
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _phrase_span(
    sentence: str,
    toks: Sequence,
    first: int,
    last: int,
    topic: frozenset[str],
    background: frozenset[str],
) -> Span | None:
    """The noun phrase as a scored span: weak leading modifiers trimmed, None when its head
    is generic, it is too long, or all its words are common."""
    while (
        first < last
        and toks[first].tag not in tagger_nouns()
        and _weak_modifier(toks[first].text)
        and toks[first + 1].tag != "HYPH"
    ):
        first += 1
    while first < last and toks[first].tag == "HYPH":
        first += 1
    noun = last
    while noun > first and toks[noun].tag == "CD":
        noun -= 1  # "insulin-like growth factor 1": the head is "factor"
    head = toks[noun].text.lower()
    if is_stop(head) or head.endswith(("'s", "’s")):
        return None
    if head in GENERIC_HEADS and not any(toks[k].tag in tagger_nouns() for k in range(first, noun)):
        return None  # "physiological process", "sophisticated network" (not "growth factor")
    start, end = toks[first].start, toks[last].end
    text = sentence[start:end]
    while len(words(text)) > MAX_SPAN_WORDS and first < last:
        first += 1
        start = toks[first].start
        text = sentence[start:end]
    if len(text) > MAX_SPAN_CHARS:
        return None
    score = _phrase_score(text, topic, background)
    return Span(start, end, text, score, "term") if score else None


def _phrase_score(text: str, topic: frozenset[str], background: frozenset[str]) -> float:
    """How specific a phrase is (its rarest word, plus a third of the others'), lower when it
    is made of the article's topic or background words; 0 when all its words are common."""
    pieces = [w for w in words(text) if not is_stop(w)]
    if not pieces or all(zipf(w) >= COMMON_ZIPF and not is_acronym(w) for w in pieces):
        return 0.0
    return _specificity(pieces, topic, background)


def _specificity(words: list[str], topic: frozenset[str], background: frozenset[str]) -> float:
    """The rarest word's rarity plus a third of the others', lower when the words are the
    article's topic or background words."""
    rarities = sorted((rarity(w) for w in words), reverse=True)
    score = rarities[0] + 0.35 * sum(rarities[1:])
    lowered = {w.lower() for w in words}
    if lowered <= topic:
        score *= 0.3
    elif lowered <= topic | background:
        score *= 0.6 if len(lowered) == 1 else 0.85
    elif lowered & topic:
        score *= 0.6
    elif lowered & background:
        score *= 0.85
    return score


_NUMBER_BEFORE = re.compile(r"\d[\w%]*(?:\s*,\s*(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+)$")
_NUMBER_AFTER = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+)\d")


def _number_in_list(sentence: str, span: Span) -> bool:
    """ "in 1216, {{1217}} and 1225": one number of a list is not determined."""
    return bool(
        _NUMBER_BEFORE.search(sentence[: span.start]) or _NUMBER_AFTER.match(sentence[span.end :])
    )


def _without_swallowed_verb(sentence: str, toks: Sequence, span: Span) -> Span | None:
    """ "{{Credential stuffing works}} because...": when the tagger found no verb anywhere
    else in the sentence, a last word that can be a finite verb is the verb, not the noun."""
    finite = ("VBZ", "VBP", "VBD", "MD")
    if not any(
        t.tag in finite or t.tag == "VB" for t in toks if not span.start <= t.start < span.end
    ):
        # No verb outside the span: the tagger read the verb as a noun ("Muscles refill
        # glycogen"); the span ends before the first word that can be a finite verb.
        for tok in toks:
            if (
                span.start < tok.start < span.end
                and "VERB" in pos(tok.text.lower())
                and not tok.text.lower().endswith(("ing", "ed"))
            ):
                cut = sentence[span.start : tok.start].rstrip(" -")
                return span._replace(end=span.start + len(cut), text=cut) if cut else None
    if any(t.tag in finite for t in toks if t.start < span.start):
        return span  # the clause's verb came before: the span is not its subject
    for t in toks:
        if t.start < span.end:
            continue
        if t.tag in finite:
            return span
        if t.tag in ("IN", "WDT", ",", "CC", ".", ":"):
            break
    last = words(span.text)[-1]
    if not (can_be_finite_verb(last) and last.lower().endswith("s")) or " " not in span.text:
        return span
    cut = span.text.rsplit(" ", 1)[0].rstrip()
    return span._replace(end=span.start + len(cut), text=cut)


def _verb_after_conjunction(toks: Sequence, first: int, last: int) -> bool:
    """ "bacteria survive and {{multiply}}", "rises and {{cools}}": a lone word after "and"/"or"
    that follows a verb is the second verb, whatever the tagger said."""
    if first != last or first < 2 or toks[first - 1].tag != "CC":
        return False
    before = toks[first - 2]
    return before.tag.startswith("VB") and "VERB" in pos(toks[first].text.lower())


def _repeated(sentence: str, span: Span) -> bool:
    """ "a black hole pulls on other {{objects}} as any object would": the answer stands
    elsewhere in the sentence."""
    rest = sentence[: span.start] + " " + sentence[span.end :]
    mine = {_fold(w) for w in words(span.text) if not is_stop(w)}
    theirs = {_fold(w) for w in words(rest) if not is_stop(w)}
    return bool(mine) and mine <= theirs


def _expansion_follows(sentence: str, span: Span) -> bool:
    """ "{{MRSA}}, methicillin-resistant Staphylococcus aureus": an abbreviation whose
    expansion follows after a comma would be answered by it."""
    if not is_acronym(span.text):
        return False
    m = re.match(r",\s+([^,;.]{3,80})", sentence[span.end :])
    return m is not None and _initials_match(span.text, words(m.group(1))[:6])


def _tail_of_compound(toks: Sequence, start: int) -> bool:
    """True when the span starting at ``start`` is the end of a longer name ("IGF-1 signaling
    {{pathway}}"): a noun, or a noun and an -ing word, glued right before it."""
    at = next((k for k, t in enumerate(toks) if t.start == start), None)
    if not at:
        return False
    prev = toks[at - 1]
    if prev.end != start - 1 and prev.end != start:
        return False
    if prev.tag in tagger_nouns() or prev.tag == "HYPH":
        return True
    return prev.tag == "VBG" and at >= 2 and toks[at - 2].tag in tagger_nouns()


def tagger_nouns() -> frozenset[str]:
    from .tagger import NOUN_TAGS

    return NOUN_TAGS


def _fold(word: str) -> str:
    low = word.lower()
    return low[:-1] if low.endswith("s") and not low.endswith("ss") else low


def _given_by_title(answer: str, title: frozenset[str]) -> bool:
    """True when most content words of ``answer`` are in the deck title (folded plurals): the
    title on the card would give the blank away ("IGF-1 signaling pathway" in "IGF-1
    Signaling")."""
    if not title:
        return False
    pieces = [
        _fold(w) for w in words(answer) if not is_stop(w) and w.lower() not in GENERIC_HEADS
    ]  # "IGF-1 levels" in an IGF-1 deck
    folded = {_fold(w) for w in title}
    if "(" in answer:  # an abbreviation with its expansion: given away when either part is
        inner = answer[answer.index("(") + 1 :].rstrip(")")
        outer = answer[: answer.index("(")]
        return _given_by_title(inner, title) or _given_by_title(outer, title)
    from_title = sum(p in folded for p in pieces)
    return bool(pieces) and from_title * 2 > len(pieces)


def _with_abbreviation(sentence: str, span: Span) -> Span:
    """ "insulin-like growth factor 1 (IGF-1)", "mTOR (mechanistic target of rapamycin)": the
    bracketed abbreviation or expansion right after the phrase is hidden with it."""
    m = _ABBREVIATION_AFTER.match(sentence, span.end)
    if not m:
        return span
    inner = m.group(1).strip()
    inner_words = words(inner)
    short = len(inner_words) == 1 and (is_acronym(inner) or len(inner) == 1 and inner.isupper())
    spelled = (
        is_acronym(span.text) and len(inner_words) >= 2 and _initials_match(span.text, inner_words)
    )
    if not (short and _initials_match(inner, words(span.text)) or spelled):
        return span
    return Span(span.start, m.end(), sentence[span.start : m.end()], span.score + 0.5, span.kind)


def _initials_match(acronym: str, expansion: Sequence[str]) -> bool:
    letters = [c.lower() for c in acronym if c.isalpha()]
    initials = "".join(w[0].lower() for w in expansion if w and not is_stop(w))
    parts = "".join(p[0].lower() for w in expansion for p in re.split(r"[-/]", w) if p)
    return (
        bool(letters)
        and (letters[0] == initials[:1] if initials else False)
        and (
            "".join(letters) in (initials, parts)
            or len(letters) <= 2
            or sum(c in parts for c in letters) >= len(letters) - 1
        )
    )
