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
from quizapp.domain.articles.words import (
    has_finite_verb,
    is_acronym,
    is_stop,
    lower_first,
    upper_first,
    word_set,
    words,
    zipf,
)

from .clauses import ensure_period, good_subject, resolve_pronoun, strip_parentheticals
from .draft import Context, Draft

_DEFINES = re.compile(
    r"^(?P<term>[A-Z][\w\-’' ]{1,50}?)\s+(?:is|are|refers to|means)\s+"
    r"(?P<what>(?:the|a|an)\s+.+)$"
)
_PARENS = re.compile(r"\(([^()]{1,80})\)")
_OR_ABBR = re.compile(r", or ([A-Z][\w\-]{1,9})\b")
MAX_LONG_WORDS = 7
MAX_ABBREVIATIONS = 3


_WHAT_IS_HEADING = re.compile(
    r"^(?:\d+[.)]\s*)?what\s+(?P<verb>is|are|was|were|does)\s+"
    r"(?:an?\s+|the\s+)?(?P<term>[^?]{1,60}?)(?:\s+mean)?\s*\??$",
    re.I,
)


def heading_term(heading: str) -> tuple[str, str] | None:
    """``(term, verb)`` of a Q&A heading "What is X?" / "What are X?" / "What does X mean?"."""
    m = _WHAT_IS_HEADING.match(" ".join(heading.split()))
    if not m:
        return None
    term = m.group("term").strip()
    if (
        not term
        or term.lower() in ("it", "this", "that", "they", "these")
        or len(words(term)) > 6
        or has_finite_verb(term + ".")
    ):
        return None
    verb = "are" if m.group("verb").lower() in ("are", "were") else "is"
    return term, verb


def definition_draft(ctx: Context, index: int, section: Section) -> Draft | None:
    """ "What is <topic>?" from the first sentence of a definition section; under a Q&A heading
    "What is X?", "What is X?" with the section's answer."""
    sentences = section.sentences()
    if not sentences:
        return None
    sentence = sentences[0]
    asked = heading_term(section.heading)
    if asked and not _same_term(asked[0], ctx.topic):
        term, verb = asked
        found = define(sentence)
        back = (
            ensure_period(upper_first(found[1]))
            if found and _same_term(_bare(found[0]), _bare(term))
            else sentence
        )
        display = _display(term)
        draft = Draft(
            type="basic",
            fields={
                "front": f"What {verb} {_article_for(display, section.heading)}{display}?",
                "back": back,
            },
            section="definition",
            quote=sentence,
            key=(term,),
            priority=4,
            position=(index, 0),
            sources=(sentence,),
        )
        draft.heading_text = True
        return draft
    m = _DEFINES.match(sentence)
    back = sentence
    term = ctx.topic
    if m and _same_term(m.group("term"), ctx.topic):
        back = ensure_period(upper_first(m.group("what")))
    else:
        other = define(sentence)
        if other and not _same_term(_bare(other[0]), _bare(ctx.topic)):
            # The section opens by defining something else ("A Creative Commons licence is
            # ..."): that is not what the topic is (definitional_drafts asks about that term).
            return None
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


def _article_for(term: str, heading: str) -> str:
    """The article the heading put before the term ("What Is a Receptor?" -> "a ")."""
    m = re.match(
        r"^(?:\d+[.)]\s*)?what\s+(?:is|are|was|were|does)\s+(an?|the)\s+", heading.strip(), re.I
    )
    return f"{m.group(1).lower()} " if m else ""


def _same_term(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def _bare(term: str) -> str:
    return re.sub(r"^(?:the|an?)\s+", "", term.strip(), flags=re.I)


# "X is a/an/the Y ...", "X refers to Y", "X means Y", "X, also called Y, is ...", "X (Y) is ...".
_ALIAS = re.compile(
    r"^(?P<term>[A-Z][^,()]{1,60}?)(?:\s+\((?P<paren>[^()]{1,60})\))?,\s+"
    r"(?:also|sometimes|often|commonly)?\s*(?:called|known as|referred to as|"
    r"abbreviated(?: as)?|or)\s+(?P<alias>[^,]{1,50}),\s+(?P<verb>is|are|refers to|"
    r"means)\s+(?P<what>.+)$"
)
_PAREN_TERM = re.compile(
    r"^(?P<term>[A-Z][^,()]{1,60}?)\s+\((?P<paren>[^()]{1,60})\)\s+"
    r"(?P<verb>is|are|refers to|means|describes)\s+(?P<what>.+)$"
)
_REFERS = re.compile(
    r"^(?P<term>[A-Z][^,()]{1,60}?)\s+(?P<verb>refers to|refer to|means|"
    r"is defined as|are defined as|is the name for|describes)\s+(?P<what>.+)$"
)
_IS_A = re.compile(
    r"^(?P<term>[A-Z][^,()]{1,60}?)\s+(?P<verb>is|are)\s+"
    r"(?P<what>(?:a|an|the)\s+.+)$"
)
_ARE_PLURAL = re.compile(
    r"^(?P<term>[A-Z][^,()]{1,60}?s)\s+(?P<verb>are)\s+(?P<what>[a-z][\w\-]+"
    r"(?:\s+[a-z][\w\-]+)?\s+(?:that|which|who|used|made|found|produced)\b.+)$"
)
#: Predicates that evaluate or rank rather than define: "is a sign of", "is the most common".
_NOT_A_DEFINITION = re.compile(
    r"^(?:a|an|the)\s+(?:(?:most|least|best|worst|main|first|last|only|biggest|largest|"
    r"smallest|primary|key|major|important|big|good|great|bad|common|leading|top|same|next|"
    r"real|true|whole|other|single|simple|easy|hard|better|worse|\w+est)\b|"
    r"(?:sign|signal|result|reason|cause|consequence|symptom|problem|part|way|matter|question|"
    r"lot|bit|number|case|time|goal|idea|example|step|thing|risk|factor|foundation|basis|heart|"
    r"core|cornerstone|backbone|engine|driver|key|essence|hallmark|source|root|secret|enemy|"
    r"friend)\s+(?:of|that|for|to|"
    r"why|in)\b)|^(?:one|some|many|all|both)\s+of\b",
    re.I,
)
_GENERIC_TERMS = word_set("""
    result goal aim point idea thing things process answer reason difference truth problem
    question fact way part lot approach body system cell cells people person everyone something
    anything everything nothing one ones other others rest first second last next latter former
    key secret trick catch bottom line upshot outcome effect difference
""")
MAX_TERM_WORDS = 5


_CALLED = re.compile(
    r"^(?P<what>[A-Z][^;]{4,120}?),?\s+(?P<verb>is|are|was|were)\s+"
    r"(?:now\s+|also\s+|usually\s+|often\s+|sometimes\s+)?"
    r"(?:called|known as|termed|named)\s+"
    r"(?P<term>(?:an?\s+|the\s+)?[^,;:()]{2,40}?)(?:[,;]\s*(?P<rest>.*))?$"
)
_HAPPENS = re.compile(
    r"^(?P<term>[A-Z][^,()]{1,50}?)\s+(?:happens|occurs|arises|takes place)\s+"
    r"(?P<what>(?:when|if)\s.+)$"
)
_COLON = re.compile(r"^(?P<term>[A-Z][\w\-’' ]{1,40}):\s+(?P<what>(?:the|a|an)\s.+)$")
_BARE_IS = re.compile(
    r"^(?P<term>[A-Z][\w\-]+(?:\s[\w\-]+){0,2})\s+(?P<verb>is|are)\s+"
    r"(?P<what>[a-z][\w\-]+\s.+)$"
)
_APPOSITIVE = re.compile(
    r"(?:^|\s)(?P<term>(?:[\w\-]+\s){0,2}[\w\-]+),\s+(?P<what>(?:an?|the|"
    r"small|tiny|large|short|long|special|single|thin|simple)\s[^,;]+?)"
    r"(?=,|;|$|\s[—–]\s)"
)


def _glued_heading(text: str) -> str:
    """ "Invitation to treat An invitation to treat is ..." (a glossary term glued to its
    definition) -> "An invitation to treat is ..."."""
    toks = text.split()
    for n in range(1, min(6, len(toks) // 2) + 1):
        head = " ".join(toks[:n]).lower()
        rest = toks[n:]
        for skip in (0, 1):
            if (
                len(rest) > n + skip
                and " ".join(rest[skip : skip + n]).lower() == head
                and (skip == 0 or rest[0].lower() in ("a", "an", "the"))
            ):
                return " ".join(rest)
    return text


def defines_by_name(sentence: str) -> list[tuple[str, str, bool]]:
    """``(term, definition, plural)`` from "Very rapid inflation is called hyperinflation." and
    appositives "... on plasmids, small loops of DNA that ...": the term after the name
    word or before the comma, the definition the noun phrase it names."""
    out: list[tuple[str, str, bool]] = []
    text = strip_parentheticals(sentence.strip()).rstrip(".")
    for clause in re.split(r",\s+and\s+(?=the\s|a\s|an\s)", text):
        m = _CALLED.match(upper_first(clause.strip()))
        if m:
            what, term = m.group("what").strip(" ,"), m.group("term").strip()
            first = (words(what) or [""])[0].lower()
            if (
                first not in ("this", "that", "these", "those", "it", "they", "which")
                and len(words(term)) <= 4
                and 2 <= len(words(what)) <= 20
            ):
                out.append((term, what, m.group("verb") in ("are", "were")))
    for m in _APPOSITIVE.finditer(text):
        what = m.group("what").strip()
        toks = list(words(m.group("term")))
        while toks and (
            is_stop(toks[0])
            or len(toks) > 1
            and is_stop(toks[1])
            or len(toks) > 1
            and "VERB" in _pos(toks[0].lower())
            and "NOUN" not in _pos(toks[0].lower())
        ):
            toks = toks[1:]  # "Octopuses are cephalopods" -> "cephalopods"
        if (
            not toks
            or any(is_stop(t) for t in toks)
            or not any(is_acronym(t) or zipf(t) < 3.6 for t in toks)
        ):
            continue
        term = " ".join(toks)
        head = re.split(r"\s(?:that|which|who|in which|where)\s", what)[0]
        if (
            not 4 <= len(words(what)) <= 20
            or _NOT_A_DEFINITION.match(what)
            or re.search(r"\b(?:is|are|was|were|has|have|had|can|will|would|do|does|did)\b", head)
            or re.match(
                r"^(?:an?|the)\s+(?:\S+\s+){0,2}(?:called|known as|"
                r"termed|named|dubbed)\b",
                what,
            )
        ):
            # "... in the compost, a zone called the perched water table": the appositive names
            # a new term; it does not define the noun before the comma
            continue
        out.append((term, what, term.endswith("s") and not term.endswith("ss")))
    return out


def define(sentence: str) -> tuple[str, str, str] | None:
    """``(term, definition, alias)`` when ``sentence`` defines a term, else None.

    Guards: the term is a short noun phrase (no pronoun, no verb, no generic noun such as
    "the result", "it", "this"), and the predicate defines rather than evaluates ("is a sign
    of", "is the most common ..." are not definitions).
    """
    text = _glued_heading(sentence.strip())
    if "?" in text or not text.endswith("."):
        return None
    m = _HAPPENS.match(text)
    if m and _definable(m.group("term")):
        return m.group("term").strip(), upper_first(m.group("what").rstrip(".")), ""
    m = _COLON.match(text)
    if m and _definable(m.group("term")) and len(words(m.group("term"))) <= 4:
        return m.group("term").strip(), m.group("what").rstrip("."), ""
    m = _BARE_IS.match(text)
    if m and _bare_definition(m.group("term"), m.group("what")):
        return m.group("term"), re.split(r";\s+", m.group("what"))[0].rstrip("."), ""
    for pattern in (_ALIAS, _PAREN_TERM, _REFERS, _IS_A, _ARE_PLURAL):
        m = pattern.match(text)
        if not m:
            continue
        term = m.group("term").strip()
        what = re.split(r";\s+|\s+[—–]\s+", m.group("what").strip())[0].rstrip(".")
        alias = (m.groupdict().get("alias") or m.groupdict().get("paren") or "").strip()
        if not _definable(term) or len(words(what)) < 3:
            return None
        if (
            pattern in (_IS_A, _PAREN_TERM, _ALIAS)
            and m.group("verb") in ("is", "are")
            and (
                _NOT_A_DEFINITION.match(what)
                or not re.match(r"^(?:a|an|the)\s", what)
                and pattern is not _ARE_PLURAL
                and not _noun_start(what)
            )
        ):
            return None
        if re.search(r"\b(?:not|n't|never)\b", what.split(",")[0]):
            return None
        return term, what, alias
    return None


def _bare_definition(term: str, what: str) -> bool:
    """ "Precipitation is water falling from clouds ...": a rare one-to-three-word term and a
    predicate that starts with a noun (not "rare", not "part of")."""
    toks = words(term)
    if not toks or toks[0].lower() in ("the", "a", "an") or not _definable(term):
        return False
    if not all(is_acronym(t) or zipf(t) < 4.0 for t in toks if not is_stop(t)):
        return False
    first = (words(what) or [""])[0].lower()
    parts = _pos(first)
    return (
        "NOUN" in parts
        and "ADJ" not in parts
        and first not in _GENERIC_TERMS
        and len(words(what)) >= 4
        and not is_stop(first)
    )


def _noun_start(what: str) -> bool:
    first = (words(what) or [""])[0].lower()
    return (
        bool(first)
        and not is_stop(first)
        and "ADJ" not in _pos(first)
        or first in ("a", "an", "the")
    )


def _pos(word: str) -> frozenset[str]:
    from quizapp.domain.articles.words import pos

    return pos(word)


def _definable(term: str) -> bool:
    toks = words(term)
    if not 1 <= len(toks) <= MAX_TERM_WORDS or not good_subject(term):
        return False
    low = [t.lower() for t in toks]
    if low[0] in (
        "it",
        "this",
        "that",
        "these",
        "those",
        "they",
        "there",
        "here",
        "he",
        "she",
        "we",
        "you",
        "i",
        "such",
        "each",
        "every",
        "any",
        "another",
        "our",
        "your",
        "its",
        "their",
        "his",
        "her",
        "my",
    ):
        return False
    content = [t for t in low if not is_stop(t)]
    if not content or all(t in _GENERIC_TERMS for t in content):
        return False
    if low[0] not in ("the", "a", "an") and has_finite_verb(term + " x."):
        return False
    if low[0] == "the":
        # "The consumer price index" is a term; "the body" or "the system" is not.
        rare = [t for t in toks[1:] if not is_stop(t) and (is_acronym(t) or zipf(t) < 4.8)]
        if not rare and len(content) < 2:
            return False
    return True


def definitional_drafts(
    ctx: Context, index: int, section: Section, section_name: str, *, limit: int = 6
) -> list[Draft]:
    """ "What is X?" cards from sentences that define a term anywhere in the section: "X is a
    Y that ...", "X refers to Y", "X means Y", "X, also called Y, is ...", "X (Y) is ..."."""
    drafts = []
    previous = None
    for n, sentence in enumerate(section.sentences()):
        resolved = resolve_pronoun(sentence, previous)
        previous = sentence
        if resolved is None or resolved != sentence:
            continue  # "It is a ..." defines whatever "it" was: not safe to ask
        found = define(sentence)
        named = [] if found else defines_by_name(sentence)
        if not found and not named:
            continue
        if named:
            for term, what, plural in named:
                display = _display(term)
                drafts.append(
                    Draft(
                        type="basic",
                        fields={
                            "front": f"What {'are' if plural else 'is'} {display}?",
                            "back": ensure_period(upper_first(what)),
                        },
                        section=section_name,
                        quote=sentence,
                        key=(_bare(term),),
                        priority=9,
                        position=(index, 200 + n),
                        sources=(sentence,),
                    )
                )
            if len(drafts) >= limit:
                break
            continue
        if not found:  # (never: a name was defined above, or nothing was)
            continue
        term, what, alias = found
        display = _display(term)
        verb = (
            "are"
            if re.search(
                r"\s(?:are|refer to|are defined as)\s", sentence[len(term) : len(term) + 20]
            )
            else "is"
        )
        extra = (
            f" ({alias})"
            if alias and alias.lower() not in display.lower() and is_acronym(alias)
            else ""
        )
        drafts.append(
            Draft(
                type="basic",
                fields={
                    "front": f"What {verb} {display}{extra}?",
                    "back": ensure_period(upper_first(what)),
                },
                section=section_name,
                quote=sentence,
                key=(_bare(term),),
                priority=9,
                position=(index, 200 + n),
                sources=(sentence,),
            )
        )
        if len(drafts) >= limit:
            break
    return drafts


def _display(term: str) -> str:
    """The term as it reads mid-sentence: "A resolver" -> "a resolver", "DNS" -> "DNS"."""
    m = re.match(r"^(A|An|The)\s+(.+)$", term)
    if m:
        return f"{m.group(1).lower()} {_display(m.group(2))}"
    return term if _keeps_case(term) else lower_first(term)


def _keeps_case(term: str) -> bool:
    """An acronym, a mixed-case or numbered word, or a name of several capitalised words
    ("Creative Commons licence") keeps its capital mid-sentence."""
    parts = words(term)
    first = parts[0] if parts else ""
    return (
        any(c.isupper() for c in first[1:])
        or any(c.isdigit() for c in first)
        or first.isupper()
        or (len(parts) > 1 and parts[1][:1].isupper())
    )


def abbreviation_drafts(ctx: Context) -> list[Draft]:
    """ "What does CRH stand for?" for abbreviations the article spells out."""
    drafts: list[Draft] = []
    seen: set[str] = set()
    for index, section in enumerate(ctx.article.sections):
        for n, sentence in enumerate(section.sentences()):
            for abbr, long in _abbreviations(sentence):
                if abbr.lower() in seen or len(drafts) >= MAX_ABBREVIATIONS:
                    continue
                seen.add(abbr.lower())
                drafts.append(
                    Draft(
                        type="basic",
                        fields={"front": f"What does {abbr} stand for?", "back": upper_first(long)},
                        section="definition",
                        quote=sentence,
                        key=(abbr, "abbreviation"),
                        priority=9,
                        position=(index, 300 + n),
                    )
                )
    return drafts


def _abbreviations(sentence: str) -> list[tuple[str, str]]:
    """``(abbreviation, long form)`` pairs the sentence spells out: "long form (ABBR)",
    "ABBR (long form)" and "long form, or ABBR"."""
    found: list[tuple[str, str]] = []
    if "(" not in sentence and ", or " not in sentence:
        return found
    for m in _PARENS.finditer(sentence):
        inner = m.group(1).strip()
        before = sentence[: m.start()].split()[-MAX_LONG_WORDS:]
        if " " not in inner and is_acronym(inner):
            long = _initials_match(" ".join(before), inner)
            if long:
                found.append((inner, long))
        elif (
            before
            and is_acronym(before[-1])
            and inner[:1].islower()
            and _initials_match(inner, before[-1]) == inner
        ):
            found.append((before[-1], inner))
    for m in _OR_ABBR.finditer(sentence):
        before = sentence[: m.start()].split()[-MAX_LONG_WORDS:]
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
    if (
        quote_block is None
        and paragraphs
        and len(words(paragraphs[0].text)) <= 25
        and len(paragraphs) > 1
    ):
        quote_block = paragraphs[0]
    rest = [
        s for b in section.blocks if b is not quote_block and b.kind != "list" for s in b.sentences
    ]
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
