"""Multiple-choice items from lists: amplifiers, suppressors and signs.

"IGF-1 signaling is amplified by two other inputs: resistance exercise and leucine." and "The
system is suppressed when energy availability is low, when cortisol is chronically elevated,
or when sleep quality is poor." become "Which of these amplify ...?" and "Which of these
suppress ...?", each the other's distractors. A signs list ("Signs It Is Disrupted") becomes a
select-all-that-apply item whose distractors are things this article says about a healthy
state ("recovery is faster") or about what helps, then its lists of another kind.

Any other list (a bullet or numbered list in a section, or "Symptoms of X include A, B and C")
whose kind is known from its heading or the sentence introducing it (symptoms, causes,
functions, types, sources, treatments...) becomes "Which of these are <kind> of X?" with
``multiple: true`` (the app and Anki add "select all that apply"). Its wrong choices are the
items of this article's lists of a *different* kind (causes against symptoms), never one
resembling a right answer and never one that another list of the same kind holds. Nothing comes
from other articles, so an article gets the same questions built alone or in a batch. Without
two safe distractors the list becomes a basic card ("What are the 4 causes of X?") instead.
"Term: description" items become basic cards.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from quizapp.domain.articles import Article, Section
from quizapp.domain.articles.words import (
    can_be_finite_verb,
    has_finite_verb,
    is_acronym,
    lemma,
    lower_first,
    upper_first,
    words,
)

from .clauses import adjective_first, is_key_subject, split_list
from .draft import Context, Draft

MAX_RIGHT = 6
DISTRACTORS = 3
SIMILAR = 75
_AMPLIFY = re.compile(
    r"^(?:when |if )?(?P<subject>.+?)\s+(?:is|are)\s+(?:also |further |strongly |greatly )?"
    r"(?:amplified|enhanced|boosted|strengthened|increased|stimulated|raised|promoted|"
    r"sharpened|steepened)\s+by\s+(?:(?:two|three|four|five|several|a few|other|main|key|"
    r"the following)\s+)*(?:inputs?|factors?|things?|signals?|habits?)?\s*:?\s*(?P<items>.+)$",
    re.I,
)
_SUPPRESS = re.compile(
    r"^(?:when |if )?(?P<subject>.+?)\s+(?:is|are)\s+(?:also |further |strongly |greatly )?"
    r"(?:suppressed|reduced|blunted|inhibited|impaired|disrupted|flattened|lowered|weakened|"
    r"dampened|blocked)\s+(?:when|by|if)\s+(?P<items>.+)$",
    re.I,
)
_AMPLIFY_HINT = re.compile(
    r"(?:amplified|enhanced|boosted|strengthened|increased|stimulated|"
    r"raised|promoted|sharpened|steepened) by"
)
_SUPPRESS_HINT = re.compile(
    r"(?:suppressed|reduced|blunted|inhibited|impaired|disrupted|"
    r"flattened|lowered|weakened|dampened|blocked) (?:when|by|if)"
)
_HEALTHY_HINT = re.compile(r"^when ")
_HEALTHY = re.compile(
    r"^when (?:the )?[\w\- ]+? (?:is|are) (?:robust|strong|steep|healthy|full|optimal|"
    r"working well|balanced|adequate|high enough)\b[^,]*,\s*(?P<items>.+)$",
    re.I,
)


def list_items(article: Article) -> dict[str, list[tuple[str, str]]]:
    """``{"amplifiers": [(item, sentence)], "suppressors": [...], "healthy": [...]}`` from
    every sentence of the article, plus the items of signs and improve sections (computed once
    per article)."""
    if "lists" not in article.memo:
        article.memo["lists"] = _list_items(article)
    return article.memo["lists"]


def _list_items(article: Article) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {
        "amplifiers": [],
        "suppressors": [],
        "healthy": [],
        "signs": [],
        "improve": [],
    }
    for section in article.sections:
        for sentence in section.sentences():
            low = sentence.lower()
            for kind, pattern, hint in (
                ("amplifiers", _AMPLIFY, _AMPLIFY_HINT),
                ("suppressors", _SUPPRESS, _SUPPRESS_HINT),
                ("healthy", _HEALTHY, _HEALTHY_HINT),
            ):
                if not hint.search(low):
                    continue
                m = pattern.match(sentence)
                if m:
                    for item in split_list(m.group("items")):
                        item = _choice(item)
                        if item and not _similar_to(item, [i for i, _ in found[kind]]):
                            found[kind].append((item, sentence))
        if section.role in ("signs", "improve"):
            for item in section.items():
                found[section.role].append((_choice(item), item))
        if section.role in ("amplifiers", "suppressors"):
            for item in section.items():
                found[section.role].append((_choice(item), item))
    found["healthy"] = [(i, s) for i, s in found["healthy"] if has_finite_verb(i)]
    return found


def _choice(item: str) -> str:
    item = " ".join(item.split()).strip(" .;:")
    return upper_first(adjective_first(item))


def _similar_to(item: str, others: list[str], limit: int = SIMILAR) -> bool:
    low = item.lower()
    return any(fuzz.token_set_ratio(low, o.lower()) >= limit for o in others)


def _subject(sentence: str, pattern: re.Pattern[str], topic: str) -> str:
    """What the list acts on: the sentence's own subject when it names something ("IGF-1
    signaling"), the article's topic when it is "It", "The system" or "The rhythm"."""
    m = pattern.match(sentence)
    subject = m.group("subject").strip() if m else ""
    first = (words(subject) or [""])[0].lower()
    if not subject or first in ("the", "this", "that", "it", "its", "these", "they", "a", "an"):
        return topic
    return subject if is_key_subject(subject) and len(words(subject)) <= 4 else topic


def lever_drafts(
    ctx: Context, found: dict[str, list[tuple[str, str]]], position: tuple[int, int]
) -> list[Draft]:
    """ "Which of these amplify/suppress X?" items, each list the other's distractors."""
    drafts = []
    for kind, other, verb, pattern in (
        ("amplifiers", "suppressors", "amplify", _AMPLIFY),
        ("suppressors", "amplifiers", "suppress", _SUPPRESS),
    ):
        right = [i for i, _ in found[kind]][:MAX_RIGHT]
        if not right:
            continue
        # The opposite list of this article first (stable whatever else is built with it),
        # then the same kind of list from sibling articles.
        wrong = _pick(ctx, right, [i for i, _ in found[other]], ordered=True)
        if len(wrong) < 2:
            continue
        sentences = list(dict.fromkeys(s for _, s in found[kind]))
        subject = _subject(sentences[0], pattern, ctx.topic) if sentences else ctx.topic
        drafts.append(
            _mc(
                ctx,
                f"Which of these {verb} {subject}?",
                right,
                wrong,
                kind,
                ctx.quote(sentences),
                position,
                priority=5,
            )
        )
    return drafts


def signs_draft(
    ctx: Context,
    section: Section,
    found: dict[str, list[tuple[str, str]]],
    position: tuple[int, int],
) -> Draft | None:
    """A select-all-that-apply item from a signs list."""
    right = [i for i in (_choice(_term_of(x)) for x in section.items()) if i][:MAX_RIGHT]
    if not right:
        return None
    own = (
        [i for i, _ in found["healthy"]]
        + [i for i, _ in found["amplifiers"]]
        + [i for i, _ in found["improve"]]
    )
    wrong = _pick(ctx, right, own, ordered=True)
    if len(wrong) < DISTRACTORS:
        # Then this article's lists of another kind (its causes, functions, types...).
        others = [
            item
            for lst in article_lists(ctx.article)
            if lst.group not in ("", "outcome")
            for item in lst.items
        ]
        wrong += _pick(ctx, right + wrong, others)[: DISTRACTORS - len(wrong)]
    prompt = signs_prompt(section.heading, ctx.topic)
    intro = [
        b.text for b in section.blocks if b.kind == "paragraph" and b.text.rstrip().endswith(":")
    ]
    named = _kind_in(intro[-1]) if intro else None
    if named:  # "The symptoms of scurvy include:"
        prompt = f"Which of these are {named[0].lower()} of {named[1]}?"
    if len(wrong) < 2:
        # No safe wrong choices in this article: ask for the list itself.
        m = re.match(r"^Which of these are (.+)\?$", prompt)
        if not m or len(right) > MAX_RIGHT:
            return None
        return Draft(
            type="basic",
            fields={
                "front": f"What are the {len(right)} {m.group(1)}?",
                "back": "; ".join(right) + ".",
            },
            section="signs",
            quote="; ".join(section.items()),
            key=("signs",),
            priority=3,
            position=position,
        )
    return _mc(
        ctx,
        prompt,
        right,
        wrong,
        "signs",
        "; ".join(section.items()),
        position,
        priority=3,
        origin="signs",
    )


def _term_of(item: str) -> str:
    """ "Chronic fatigue: feeling drained most days" -> "Chronic fatigue" (a named item with its
    description); other items unchanged."""
    m = _TERM_DESC.match(" ".join(item.split()))
    if m and (
        len(words(m.group("term"))) <= 3
        or len(words(m.group("term"))) <= 5
        and not has_finite_verb(m.group("term") + ".")
    ):
        return m.group("term")
    return item


_COUNTED = re.compile(
    r"^(?:the\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"most common|main|common|key|early|top)\s+",
    re.I,
)


_SIGNS_OF = re.compile(
    r"\b(?P<kind>signs?|symptoms?|red flags?)\s+(?:of|that)\s+"
    r"(?P<x>[^(:?!.,;]+)",
    re.I,
)
_TRAILING = re.compile(r"\s+(?:you|that|to|which|and|in|for|we|i|everyone|nobody|not)\b.*$", re.I)


def signs_prompt(heading: str, topic: str) -> str:
    text = " ".join(heading.split()).rstrip(":")
    text = _COUNTED.sub("", text)
    low = text.lower()
    framed = _SIGNS_OF.search(topic)
    if framed and low in ("signs", "symptoms", "warning signs", "red flags", "sign", "symptom"):
        # The title says what they are signs of: "8 Signs of Dehydration You Shouldn't Ignore".
        about = _TRAILING.sub("", framed.group("x").strip())
        if about:
            return f"Which of these are {low} of {about.lower()}?"
    m = re.match(
        r"^(?:the\s+)?(signs?|symptoms?|red flags?|warning signs?)\s+(?:that\s+)?"
        r"(?:it|this|they)\s+(?:is|are)\s+(.+)$",
        low,
    )
    if m:
        return f"Which of these are signs that {topic} is {m.group(2)}?"
    if re.match(r"^(?:the\s+)?(?:signs?|symptoms?|red flags?|warning signs?)\s+of\s+", low):
        return f"Which of these are {low}?"
    return f"Which of these are {low or 'signs'} linked to {topic}?"


def _pick(ctx: Context, right: list[str], pool: list[str], *, ordered: bool = False) -> list[str]:
    """Up to :data:`DISTRACTORS` items of ``pool`` unlike every right answer and each other;
    a stable pseudo-random order (by hash, never by chance) unless ``ordered``."""
    candidates = list(dict.fromkeys(p for p in pool if p))
    if not ordered:
        candidates.sort(key=lambda p: hashlib.sha256(f"{ctx.slug}\x1f{p}".encode()).hexdigest())
    picked: list[str] = []
    for item in candidates:
        if _similar_to(item, right) or _similar_to(item, picked, 85):
            continue
        picked.append(item)
        if len(picked) == DISTRACTORS:
            break
    return picked


def _mc(
    ctx: Context,
    prompt: str,
    right: list[str],
    wrong: list[str],
    kind: str,
    quote: str,
    position: tuple[int, int],
    *,
    priority: int,
    origin: str = "mechanism",
) -> Draft:
    choices = right + wrong
    order = sorted(
        range(len(choices)),
        key=lambda i: hashlib.sha256(f"{ctx.slug}\x1f{choices[i]}".encode()).hexdigest(),
    )
    shuffled = [choices[i] for i in order]
    correct = sorted(shuffled.index(r) for r in right)
    return Draft(
        type="multiple_choice",
        fields={"prompt": prompt, "choices": shuffled, "correct": correct, "multiple": True},
        section=origin,
        quote=quote,
        explanation="Right answers: " + "; ".join(right) + ".",
        key=(),
        kind=kind if origin != "signs" else "",
        priority=priority,
        position=position,
    )


# --- lists of any kind -------------------------------------------------------------------------

#: Kinds of list, grouped so that no list takes its distractors from a list of the same group
#: (an effect may well be a symptom; a risk factor is a cause).
_KINDS: tuple[tuple[str, str], ...] = (
    (
        "outcome",
        r"signs?|symptoms?|effects?|consequences?|complications?|benefits?|advantages?|"
        r"warning signs?|red flags?|features?|characteristics?|impacts?|results?|"
        r"hazards?|dangers?",
    ),
    ("cause", r"causes?|risk factors?|triggers?|drivers?|reasons?|sources? of risk"),
    ("function", r"functions?|roles?|jobs?|uses?|purposes?|tasks?"),
    ("type", r"types?|kinds?|forms?|categories|classes|varieties|examples?"),
    ("source", r"sources?|foods? (?:rich in|high in|with)|foods?"),
    (
        "remedy",
        r"treatments?|remedies|cures?|therapies|ways? to (?:prevent|treat|reduce|manage)|"
        r"prevention|fixes|solutions?",
    ),
    ("part", r"parts?|components?|layers?|ingredients?|elements?|organs?|stores?|stages?"),
)
_KIND_OF = re.compile(
    r"(?:^|\b(?:main|common|most common|typical|key|major|early|usual|"
    r"possible|other|the|some|several|important)\s+)(?P<kind>"
    + "|".join(f"(?:{k})" for _, k in _KINDS)
    + r")\s+(?:of|for|in)\s+"
    r"(?P<about>[^:,.;]{2,60}?)\s*(?:include|includes|are|is|were|was|:|\.|$)",
    re.I,
)
_INCLUDE = re.compile(
    r"^(?P<head>.{3,80}?)\s+(?:include|includes|are|can include|may include|"
    r"range from)\s*:?\s+(?P<items>[^:]+)$",
    re.I,
)
_TERM_DESC = re.compile(r"^(?P<term>[^:—–]{1,40}?)\s*(?::|\s[—–]\s)\s*(?P<desc>.{8,})$")
MIN_ITEMS = 3


@dataclass
class FoundList:
    group: str  # a :data:`_KINDS` group, "" when the kind is unknown
    kind: str  # the kind as the article words it ("symptoms", "causes")
    about: str  # what the list is of ("iron deficiency")
    items: list[str]
    quote: str
    index: int  # the section's index
    order: int
    sources: tuple[str, ...] = ()
    terms: list[tuple[str, str]] = field(default_factory=list)
    #: ``kind`` is the whole phrase the introducing sentence names the list by.
    phrase: bool = False


def _group(kind: str) -> str:
    low = kind.lower()
    for group, pattern in _KINDS:
        if re.fullmatch(pattern, low):
            return group
    return ""


def _kind_in(text: str) -> tuple[str, str] | None:
    """``(kind, about)`` of "Symptoms of iron deficiency", "The main causes of X are:"."""
    m = _KIND_OF.search(" ".join(text.split()))
    if m and not re.match(
        r"^(?:his|her|its|their|this|these|that|those|our|your|my|it)\b",
        m.group("about").strip(),
        re.I,
    ):
        # "the causes of inflation into a few families." -> "inflation"
        about = _ABOUT_TAIL.sub("", m.group("about").strip())
        return (m.group("kind"), about) if about else None
    return None


_ABOUT_TAIL = re.compile(r"\s+(?:into|to|by|from|than|as|because|when|which|that|who)\b.*$", re.I)


def _heading_kind(heading: str) -> tuple[str, str] | None:
    """The kind a heading names when it starts with it: "Symptoms of iron deficiency",
    "Common side effects", "Causes" (not "What reduces the effect of compounding?")."""
    text = re.sub(r"^\d+[.)]?\s*", "", " ".join(heading.split())).strip(" :")
    found = _kind_in(text + ":")
    if found:
        lead = [w.lower() for w in text.split()[:4]]
        kind = found[0].lower().split()
        if any(lead[i : i + len(kind)] == kind for i in range(0, 3)):
            return found
    return (text, "") if _group(text) else None


def article_lists(article: Article) -> list[FoundList]:
    """Every list of the article outside the sections other generators own (takeaways,
    mechanism steps, signs lists, levers, misconceptions), with its kind (computed once)."""
    if "article_lists" not in article.memo:
        article.memo["article_lists"] = _article_lists(article)
    return article.memo["article_lists"]


_OWNED_ROLES = frozenset(
    {
        "takeaway",
        "improve",
        "mechanism",
        "misconception",
        "amplifiers",
        "suppressors",
        "appears_in",
        "related",
        "cta",
    }
)


def _article_lists(article: Article) -> list[FoundList]:
    out: list[FoundList] = []
    for index, section in enumerate(article.sections):
        if section.role in _OWNED_ROLES:
            continue
        heading_kind = _heading_kind(section.heading)
        last_sentence = ""
        for n, block in enumerate(section.blocks):
            if block.kind != "list":
                if block.text.strip():
                    last_sentence = block.text.strip()
                    for sentence in block.sentences:
                        found = _inline_list(sentence, index, n)
                        if found:
                            out.append(found)
                continue
            if section.role == "signs" or len(block.items) < 2:
                continue
            intro = last_sentence if last_sentence.rstrip().endswith(":") else ""
            kind = _kind_in(intro) if intro else None
            kind = kind or heading_kind
            terms = [
                (m.group("term").strip(), m.group("desc").strip())
                for m in (_TERM_DESC.match(i.strip()) for i in block.items)
                if m
            ]
            if (
                len(terms) >= 2
                and len(terms) == len(block.items)
                and all(len(words(t)) <= 5 and not has_finite_verb(t + ".") for t, _ in terms)
                and not any(_LABEL_TERM.match(t) for t, _ in terms)
            ):
                kind = _kind_in(intro) if intro else None
                kind = kind or heading_kind
                group = _group(kind[0]) if kind else ""
                out.append(
                    FoundList(
                        group,
                        kind[0].lower() if group and kind else "terms",
                        kind[1] if kind else "",
                        [_choice(t) for t, _ in terms] if group else [],
                        "; ".join(block.items),
                        index,
                        n,
                        terms=terms,
                    )
                )
                continue
            if not kind and intro and not block.ordered and len(block.items) <= MAX_RIGHT:
                phrase = _named_list(intro)
                if phrase:  # "The main things that eat into compound growth include:"
                    items = [c for c in (_choice(i) for i in block.items) if c]
                    out.append(
                        FoundList(
                            "",
                            phrase,
                            "",
                            items,
                            f"{intro} " + "; ".join(block.items),
                            index,
                            n,
                            phrase=True,
                        )
                    )
                continue
            if not kind or block.ordered and _group(kind[0]) == "":
                continue
            items = [c for c in (_choice(i) for i in block.items) if c]
            out.append(
                FoundList(
                    _group(kind[0]),
                    kind[0].lower(),
                    kind[1],
                    items,
                    (intro + " " if intro else "") + "; ".join(block.items),
                    index,
                    n,
                )
            )
    return out


#: "Myth: ..." / "Fact: ..." items are a myths list (misconceptions.py), not a glossary.
_LABEL_TERM = re.compile(
    r"^(?:the\s+)?(?:myth|fact|truth|reality|misconception)\s*(?:#?\s*\d+)?$", re.I
)

_NAMED_LIST = re.compile(
    r"^(?:the\s+)?(?P<phrase>[a-z][^:]{3,70}?)\s+(?:include|includes|are|"
    r"were|can include)\s*:$",
    re.I,
)


def _named_list(intro: str) -> str:
    """ "The main things that eat into compound growth include:" -> "main things that eat into
    compound growth" (a phrase that says what the list is of), or ""."""
    sentence = re.split(r"(?<=[.!?])\s+", intro.strip())[-1]
    m = _NAMED_LIST.match(sentence)
    if not m:
        return ""
    phrase = m.group("phrase").strip()
    low = {w.lower() for w in words(phrase)}
    if (
        low
        & {
            "you",
            "your",
            "we",
            "our",
            "i",
            "my",
            "these",
            "those",
            "this",
            "they",
            "his",
            "her",
            "its",
            "their",
            "it",
        }
        or not re.search(r"\b(?:of|that|for|in|to|which|who|when)\b", phrase)
        or len(words(phrase)) > 10
    ):
        return ""
    return lower_first(phrase)


def _inline_list(sentence: str, index: int, order: int) -> FoundList | None:
    """ "Symptoms of iron deficiency include fatigue, pale skin and cold hands."."""
    m = _INCLUDE.match(sentence.strip().rstrip("."))
    if not m or m.group("items").rstrip().endswith(":"):
        return None
    kind = _kind_in(m.group("head") + " include")
    if not kind:
        return None
    items = [_choice(i) for i in split_list(m.group("items"))]
    items = [i for i in items if i and len(words(i)) <= 8]
    if len(items) < MIN_ITEMS:
        return None
    return FoundList(
        _group(kind[0]),
        kind[0].lower(),
        kind[1],
        items,
        sentence,
        index,
        order,
        sources=(sentence,),
    )


def list_drafts(ctx: Context) -> list[Draft]:
    """Select-all items (or basic cards) for the article's lists, and basic cards for its
    "Term: description" items."""
    drafts: list[Draft] = []
    lists = article_lists(ctx.article)
    for found in lists:
        position = (found.index, 70 + found.order)
        if found.terms:
            drafts += _term_cards(ctx, found, position)
            drafts += _some(_matching_draft(ctx, found, position))
            if not found.group:
                continue
        if found.phrase and 2 <= len(found.items) <= MAX_RIGHT:
            drafts.append(
                Draft(
                    type="basic",
                    fields={
                        "front": f"What are the {len(found.items)} {found.kind}?",
                        "back": "; ".join(found.items) + ".",
                    },
                    section="other",
                    quote=found.quote,
                    key=(found.kind,),
                    priority=5,
                    position=position,
                    sources=found.sources,
                )
            )
            continue
        if len(found.items) < 2 or not found.group:
            continue
        right = found.items[:MAX_RIGHT]
        about = found.about or ctx.topic
        kind = _plural(found.kind)
        same = [i for other in lists if other.group == found.group for i in other.items]
        pool = [
            i
            for other in lists
            if other.group and other.group != found.group
            for i in other.items
            if not _similar_to(i, same)
        ]
        wrong = _pick(ctx, right, pool)
        if len(wrong) >= 2:
            draft = _mc(
                ctx,
                f"Which of these are {kind} of {about}?",
                right,
                wrong,
                found.kind,
                found.quote,
                position,
                priority=5,
                origin="signs" if found.group == "outcome" else "other",
            )
            draft.key = (found.kind, about)
            draft.kind = ""
            draft.sources = found.sources
            drafts.append(draft)
        elif 2 <= len(found.items) <= MAX_RIGHT:
            drafts.append(
                Draft(
                    type="basic",
                    fields={
                        "front": f"What are the {len(found.items)} {kind} of {about}?",
                        "back": "; ".join(found.items) + ".",
                    },
                    section="signs" if found.group == "outcome" else "other",
                    quote=found.quote,
                    key=(found.kind, about),
                    priority=5,
                    position=position,
                    sources=found.sources,
                )
            )
    return drafts


def _term_cards(ctx: Context, found: FoundList, position: tuple[int, int]) -> list[Draft]:
    drafts = []
    for n, (term, desc) in enumerate(found.terms):
        first = (words(term) or [""])[0]
        shown = term if is_acronym(first) or first.isupper() else lower_first(term)
        drafts.append(
            Draft(
                type="basic",
                fields={
                    "front": f"What does “{shown}” mean?",
                    "back": upper_first(desc.rstrip(".")) + ".",
                },
                section="definition",
                quote=f"{term}: {desc}",
                key=(term,),
                priority=9,
                position=(position[0], position[1] + n),
            )
        )
    return drafts


def _plural(kind: str) -> str:
    """ "treatment" -> "treatments" for a kind named in the singular by a heading ("Treatment",
    "Cause"); a plural or a phrase stays as it is."""
    low = kind.lower()
    if _group(low) and not low.endswith("s") and " " not in low:
        return low + "s"
    return kind


def _some(draft: Draft | None) -> list[Draft]:
    return [draft] if draft is not None else []


def _matching_draft(ctx: Context, found: FoundList, position: tuple[int, int]) -> Draft | None:
    """One matching item for a "Term: description" list of three to six terms ("Which of these
    maps a name to an IPv4 address?", "Which of these matches the description “...”?"): the
    right answer is the term the description belongs to, the wrong choices the list's other
    terms. Siblings of one glossary list are alternatives to each other, so none of them can
    be a right answer too. Skipped when a description names a term of the list (the answer
    would be given away, or two choices would fit)."""
    terms = found.terms
    if not 3 <= len(terms) <= MAX_RIGHT:
        return None
    names = [_choice(t) for t, _ in terms]
    if len({n.lower() for n in names}) != len(names):
        return None
    term_words = [{w.lower() for w in words(t) if not _weak(w)} for t, _ in terms]
    for k, (term, desc) in enumerate(terms):
        desc = " ".join(desc.split()).rstrip(". ")
        low = {w.lower() for w in words(desc)}
        if any(tw and tw <= low for tw in term_words) or any(
            len(tw) == 1 and tw & low for tw in term_words
        ):
            continue
        first = (words(desc) or [""])[0]
        low_first = first.lower()
        if (
            not first[:1].isupper()
            and low_first.endswith("s")
            and low_first not in ("is", "was", "has")
            and can_be_finite_verb(low_first)
            and lemma(low_first) != low_first
        ):
            # "maps a name to an IPv4 address" reads as the question's own predicate
            prompt = f"Which of these {lower_first(desc)}?"
        else:
            # any other description is quoted whole: it may be a noun phrase or a clause
            what = f"these {_plural(found.kind)}" if found.group and found.about else "these"
            if found.group and found.about:
                what += f" of {found.about}"
            prompt = f"Which of {what} matches the description “{lower_first(desc)}”?"
        if len(words(prompt)) > 45:
            continue
        choices = sorted(
            names, key=lambda c: hashlib.sha256(f"{ctx.slug}\x1f{c}".encode()).hexdigest()
        )
        return Draft(
            type="multiple_choice",
            fields={
                "prompt": prompt,
                "choices": choices,
                "correct": [choices.index(names[k])],
                "multiple": False,
            },
            section="definition",
            quote=f"{term}: {desc}",
            explanation=f"{names[k]}: {desc}.",
            key=(term, "matching"),
            priority=8,
            position=(position[0], position[1] + len(terms)),
        )
    return None


def _weak(word: str) -> bool:
    return word.lower() in {"the", "a", "an", "of", "and", "or", "in", "to", "for"}
