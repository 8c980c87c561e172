"""Basic cards: the definition, abbreviations, definitional sentences and the pull quote.

- "Plain English" (or any definition heading) and the tagline: "What is IGF-1 signaling?" with
  the defining sentence as the answer and the tagline as the explanation;
- an abbreviation defined in the text ("insulin-like growth factor 1 (IGF-1)", "calcidiol, or
  ...") becomes "What does IGF-1 stand for?";
- in blog articles, a sentence of the form "Protein synthesis is the process by which ..."
  becomes "What is protein synthesis?";
- "Why It Matters": one card whose answer is the section's pull quote.
"""

from __future__ import annotations

import re

from quizapp.domain.articles import Section
from quizapp.domain.articles.words import is_acronym, is_stop, upper_first, words

from .clauses import ensure_period, good_subject, resolve_pronoun
from .draft import Context, Draft

_DEFINES = re.compile(r"^(?P<term>[A-Z][\w\-’' ]{1,50}?)\s+(?:is|are|refers to|means)\s+"
                      r"(?P<what>(?:the|a|an)\s+.+)$")
_DEFINITIONAL = re.compile(r"^(?:the|a|an)\s+(?:[\w\-]+\s+){0,4}?(?:by which|through which|"
                           r"in which|that|which|who|used to)\b", re.I)
_PARENS = re.compile(r"\(([^()]{1,80})\)")
_OR_ABBR = re.compile(r", or ([A-Z][\w\-]{1,9})\b")
MAX_LONG_WORDS = 7
MAX_ABBREVIATIONS = 3


def definition_draft(ctx: Context, index: int, section: Section) -> Draft | None:
    """"What is <topic>?" from the first sentence of a definition section."""
    sentences = section.sentences()
    if not sentences:
        return None
    sentence = sentences[0]
    m = _DEFINES.match(sentence)
    back = sentence
    term = ctx.topic
    if m and _same_term(m.group("term"), ctx.topic):
        back = ensure_period(upper_first(m.group("what")))
    explanation = ensure_period(upper_first(ctx.article.tagline)) if ctx.article.tagline else ""
    return Draft(
        type="basic",
        fields={"front": f"What is {term}?", "back": back},
        section="definition",
        quote=sentence,
        explanation=explanation,
        key=(term,),
        priority=4,
        position=(index, 0),
        sources=(sentence,),
    )


def _same_term(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def definitional_drafts(ctx: Context, index: int, section: Section, section_name: str,
                        *, limit: int = 2) -> list[Draft]:
    """"What is X?" cards from sentences that define a term ("X is the process by which")."""
    drafts = []
    previous = None
    for n, sentence in enumerate(section.sentences()):
        resolved = resolve_pronoun(sentence, previous)
        previous = sentence
        if resolved is None:
            continue
        m = _DEFINES.match(resolved)
        if not m or not _DEFINITIONAL.match(m.group("what")):
            continue
        term = m.group("term").strip()
        if not good_subject(term) or len(words(term)) > 4 or term.lower().startswith("the "):
            continue
        display = term if _keeps_case(term) else term[:1].lower() + term[1:]
        drafts.append(Draft(
            type="basic",
            fields={"front": f"What is {display}?",
                    "back": ensure_period(upper_first(m.group("what")))},
            section=section_name,
            quote=sentence,
            key=(term,),
            priority=9,
            position=(index, 200 + n),
            sources=(sentence,),
        ))
        if len(drafts) >= limit:
            break
    return drafts


def _keeps_case(term: str) -> bool:
    first = words(term)[0] if words(term) else ""
    return any(c.isupper() for c in first[1:]) or any(c.isdigit() for c in first) or \
        first.isupper()


def abbreviation_drafts(ctx: Context) -> list[Draft]:
    """"What does CRH stand for?" for abbreviations the article spells out."""
    drafts: list[Draft] = []
    seen: set[str] = set()
    for index, section in enumerate(ctx.article.sections):
        for n, sentence in enumerate(section.sentences()):
            for abbr, long in _abbreviations(sentence):
                if abbr.lower() in seen or len(drafts) >= MAX_ABBREVIATIONS:
                    continue
                seen.add(abbr.lower())
                drafts.append(Draft(
                    type="basic",
                    fields={"front": f"What does {abbr} stand for?", "back": upper_first(long)},
                    section="definition",
                    quote=sentence,
                    key=(abbr, "abbreviation"),
                    priority=9,
                    position=(index, 300 + n),
                ))
    return drafts


def _abbreviations(sentence: str) -> list[tuple[str, str]]:
    """``(abbreviation, long form)`` pairs the sentence spells out: "long form (ABBR)",
    "ABBR (long form)" and "long form, or ABBR"."""
    found: list[tuple[str, str]] = []
    if "(" not in sentence and ", or " not in sentence:
        return found
    for m in _PARENS.finditer(sentence):
        inner = m.group(1).strip()
        before = sentence[:m.start()].split()[-MAX_LONG_WORDS:]
        if " " not in inner and is_acronym(inner):
            long = _initials_match(" ".join(before), inner)
            if long:
                found.append((inner, long))
        elif before and is_acronym(before[-1]) and inner[:1].islower() and \
                _initials_match(inner, before[-1]) == inner:
            found.append((before[-1], inner))
    for m in _OR_ABBR.finditer(sentence):
        before = sentence[:m.start()].split()[-MAX_LONG_WORDS:]
        long = _initials_match(" ".join(before), m.group(1))
        if long:
            found.append((m.group(1), long))
    return found


def _initials_match(phrase: str, abbr: str) -> str | None:
    """The shortest tail of ``phrase`` whose word initials spell ``abbr`` ("insulin-like growth
    factor 1" for IGF-1), or None."""
    letters = [c.lower() for c in abbr if c.isalpha()]
    toks = phrase.split()
    parts: list[tuple[int, str]] = []  # (token index, sub-word) from the end
    for ti in range(len(toks) - 1, -1, -1):
        for sub in reversed(re.split(r"-", toks[ti])):
            parts.append((ti, sub))
    need = list(reversed(letters))
    k = 0
    start = None
    for ti, sub in parts:
        if not sub or sub.isdigit():
            continue
        if k < len(need) and sub[0].lower() == need[k]:
            k += 1
            start = ti
            if k == len(need):
                break
        elif k < len(need) and start is not None and sub[0].lower() == letters[0]:
            k = len(need)  # one long word covering the rest ("adrenocorticotropic")
            start = ti
            break
        elif is_stop(sub):
            continue
        else:
            return None
    if k < len(need) or start is None:
        return None
    return " ".join(toks[start:])


def pull_quote_draft(ctx: Context, index: int, section: Section) -> Draft | None:
    """One card for "Why It Matters": its pull quote (a quote block, or a short first
    paragraph), with the section's first plain sentence as the explanation."""
    quote_block = next((b for b in section.blocks if b.kind == "quote"), None)
    paragraphs = section.paragraphs()
    if quote_block is None and paragraphs and len(words(paragraphs[0].text)) <= 25 and \
            len(paragraphs) > 1:
        quote_block = paragraphs[0]
    rest = [s for b in section.blocks if b is not quote_block and b.kind != "list"
            for s in b.sentences]
    if quote_block is None:
        if not rest:
            return None
        back, explanation, quote = rest[0], " ".join(rest[1:2]), rest[0]
    else:
        back, quote = quote_block.text, quote_block.text
        explanation = rest[0] if rest else ""
    return Draft(
        type="basic",
        fields={"front": f"Why does {ctx.topic} matter?", "back": back},
        section="why_it_matters",
        quote=quote,
        explanation=explanation,
        key=(),
        priority=6,
        position=(index, 0),
        sources=(quote,),
    )
