"""Causal chains: ordering items and "what happens next" questions.

A chain comes from "The Mechanism" (its numbered list, or its first paragraph that reads as a
sequence) and, in blog articles, from prose that narrates a sequence ("Once released, it binds
to receptors ... and activates pathways ..."; "The kidneys then turn ..."). Each sentence is cut
into steps, short self-contained phrases: brackets and trailing descriptions dropped, a leading
"After a session," dropped, ", which responds by ..." and ", where it binds ..." made steps of
their own with the right subject, "it" replaced by what it stands for. A chain of three to eight
distinct steps becomes an ordering item; chains of four or more also yield "what happens next"
multiple-choice items.
"""

from __future__ import annotations

import re

from quizapp.domain.articles import Section
from quizapp.domain.articles.words import (
    AUXILIARIES,
    can_be_finite_verb,
    has_finite_verb,
    is_stop,
    is_verb_only,
    pos,
    upper_first,
    word_set,
    words,
)

from .clauses import drop_leading_clause, strip_parentheticals, subject_of
from .draft import Context, Draft

MIN_STEPS, MAX_STEPS = 3, 8
MAX_STEP_WORDS = 15
#: Sentence openings that continue a sequence.
_SEQUENCE = re.compile(
    r"^(?:once|then|next|after that|afterwards|finally|in turn|as a result|"
    r"from there|subsequently|this (?:triggers|activates|signals|leads|"
    r"causes|prompts))\b",
    re.I,
)
#: A sentence's leading sequence marker ("First,", "Then", "Next,", "Finally,"), dropped from
#: its step.
_MARKER = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|next|then|finally|lastly|"
    r"after that|afterwards|subsequently|eventually|in turn|as a result|"
    r"to begin with|at last)\b,?\s+(?=[A-Za-z])",
    re.I,
)
#: Openings that say a sentence carries on from the one before.
_CONTINUES = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|next|then|finally|lastly|"
    r"after that|afterwards|subsequently|eventually|in turn|as a result|"
    r"once|in response|this|that|these|those|it|they|the result|"
    r"the resulting|after (?:the|a|an|that|this|each|several|some|about|"
    r"\d)|later|within (?:the next|\d|minutes|hours|days|a few)|"
    r"over the (?:next|following)|during the (?:next|following)|by the time"
    r")\b",
    re.I,
)
_THEN = re.compile(r"\b(?:then|finally|next|in turn|subsequently)\b", re.I)
_LEADING = re.compile(
    r"^(?P<marker>after|when|once|as|during|inside|within|between|before|while|"
    r"following|in response to|over time|at night|later)\b(?P<body>[^,]{0,90}),"
    r"\s+",
    re.I,
)
_NAMING = re.compile(r"^(?:this|that|it) is (?:called|known as|named)\b", re.I)
_CLAUSE_VERBS = word_set("""
    lets allows means makes causes leads helps explains enables gives is are was were
""")
_DETERMINERS = word_set("a an the its their his her this these that those some")
_ADVERBS = re.compile(
    r"\s+\b(?:then|finally|also|first|next|now|subsequently|in turn)\b(?=\s)", re.I
)
_STEP_IS = re.compile(
    r"^the\s+(?:most important|first|next|final|last|key|critical|main|"
    r"crucial)\s+step\b[^,]*?\s+(?:is|was)\s+(?P<what>.+)$",
    re.I,
)
_TRAIL = re.compile(
    r",\s+(?:the|a|an|especially|which is why|allowing|cutting|letting|making|"
    r"so that|whether)\b.*$|\s+(?:using|via)\s+.*$"
)


def steps_from(sentences: list[str], *, split_and: bool = True) -> list[str]:
    """The steps a run of sentences narrates, in order."""
    steps: list[str] = []
    subject: str | None = None
    for i, sentence in enumerate(sentences):
        # "A drop of water can follow this path: first, the Sun heats ..." starts at "first".
        sentence = re.sub(
            r"^[^:]{3,80}:\s+(?=(?:first|firstly|to begin with)\b)",
            "",
            sentence.strip(),
            flags=re.I,
        )
        sentence = upper_first(_MARKER.sub("", sentence, count=1))
        for part in re.split(r";\s+", strip_parentheticals(sentence).rstrip(".")):
            for step, subj in _clause_steps(part, subject, first=i == 0, split_and=split_and):
                steps.append(step)
                subject = subj or subject
    return _distinct(steps)


def _clause_steps(
    text: str, subject: str | None, *, first: bool, split_and: bool
) -> list[tuple[str, str | None]]:
    if _NAMING.match(text):
        return []
    out: list[tuple[str, str | None]] = []
    lead = _LEADING.match(text)
    lead_subject = None
    if lead:
        body = lead.group("body").strip()
        marker = lead.group("marker").lower()
        if has_finite_verb(body) and len(words(body)) >= 2:
            lead_subject = subject_of(body + " x.", strict=False) or None
            personal = (words(body) or [""])[0].lower() in ("you", "we", "i", "they", "it")
            if (marker in ("once", "as") or first and marker in ("when", "after")) and not personal:
                out.append((_finish(body), lead_subject))
        text = text[lead.end() :]
    text = _resolve(text, lead_subject or subject)
    m = _STEP_IS.match(text)
    if m:
        text = m.group("what")
    main_subject = subject_of(text + ".", strict=False) or subject
    # ", which is why ..." and descriptions end the step; ", which V" / ", where it V" start one.
    rel = re.search(r",\s+(?P<kind>which|where)\s+(?P<rest>.+)$", text)
    tail: list[tuple[str, str | None]] = []
    if rel:
        head, rest = text[: rel.start()], rel.group("rest")
        first_word = (words(rest) or [""])[0].lower()
        if (
            rel.group("kind") == "which"
            and first_word not in _CLAUSE_VERBS
            and can_be_finite_verb(first_word)
        ):
            antecedent = _last_noun_phrase(head)
            if antecedent:
                if main_subject:
                    shown = (
                        main_subject
                        if re.match(r"^[A-Z][A-Z0-9\-]+\b", main_subject)
                        else main_subject[:1].lower() + main_subject[1:]
                    )
                    rest = re.sub(r"\b(?:it)\b", shown, rest, count=1)
                tail.append((_finish(f"{antecedent} {rest}"), antecedent))
        elif (
            rel.group("kind") == "where"
            and re.match(r"^(?:it|they)\s", rest, re.I)
            and main_subject
        ):
            tail.extend(_split_and(_resolve(rest, main_subject), main_subject, split_and))
        text = head
    out.extend(_split_and(text, main_subject, split_and))
    out.extend(tail)
    return [(s, subj) for s, subj in out if s]


def _split_and(text: str, subject: str | None, enabled: bool) -> list[tuple[str, str | None]]:
    text = _TRAIL.sub("", text).strip()
    if enabled and subject:
        # "binds to receptors ... and triggers a cascade": two steps.
        for m in re.finditer(r",?\s+and\s+(?P<verb>[a-z]+)\s+(?P<next>\w+)", text):
            verb, after = m.group("verb"), m.group("next").lower()
            splits = is_verb_only(verb) or can_be_finite_verb(verb) and after in _DETERMINERS
            if verb.endswith("s") and verb not in AUXILIARIES and splits:
                left, right = text[: m.start()], text[m.start("verb") + len(verb) :]
                return [(_finish(left), subject), (_finish(f"{subject} {verb}{right}"), subject)]
        joined = re.search(r",\s+and\s+(?P<clause>.+)$", text)
        if joined and has_finite_verb(joined.group("clause")):
            clause_subject = subject_of(joined.group("clause") + ".", strict=False)
            if clause_subject:
                return [
                    (_finish(text[: joined.start()]), subject),
                    (_finish(joined.group("clause")), clause_subject),
                ]
    return [(_finish(text), subject)]


def _resolve(text: str, subject: str | None) -> str:
    m = re.match(r"^(?:it|they)\s+", text, re.I)
    if m and subject:
        return f"{subject} {text[m.end() :]}"
    return text


def _last_noun_phrase(text: str) -> str | None:
    m = re.search(r"\b(?:the|a|an)\s+(?P<np>(?:[\w\-]+\s+){0,3}[\w\-]+)$", text.strip(), re.I)
    if m:
        return "the " + m.group("np")
    toks = words(text)
    if not toks or "NOUN" not in pos(toks[-1]) and pos(toks[-1]):
        return None
    tail = [toks[-1]]
    for word in reversed(toks[:-1]):  # "activates brown fat" -> "brown fat"
        if is_stop(word) or len(tail) == 3 or "VERB" in pos(word) and "NOUN" not in pos(word):
            break
        tail.insert(0, word)
    return " ".join(tail)


def _finish(step: str) -> str:
    step = _ADVERBS.sub("", " " + step).strip(" ,.")
    step = _TRAIL.sub("", step).strip(" ,.")
    if len(words(step)) > MAX_STEP_WORDS:
        cut = re.split(r",\s+|\s+(?:using|by|because|so|while|without|and)\s+", step, maxsplit=1)[0]
        if len(words(cut)) >= 3:
            step = cut
    step = upper_first(step)
    return step if len(words(step)) >= 2 and len(words(step)) <= MAX_STEP_WORDS + 3 else ""


def _distinct(steps: list[str]) -> list[str]:
    from rapidfuzz import fuzz

    out: list[str] = []
    for step in steps:
        if step and all(fuzz.ratio(step.lower(), s.lower()) < 85 for s in out):
            out.append(step)
    return out


def chain_steps(sentences: list[str]) -> list[str]:
    steps = steps_from(sentences)
    if len(steps) > MAX_STEPS:
        steps = steps_from(sentences, split_and=False)
    return steps[:MAX_STEPS]


def mechanism_chains(section: Section) -> list[tuple[list[str], list[str]]]:
    """``(steps, source sentences)`` of a mechanism section: its ordered list, or the first
    paragraph with a chain of at least three steps."""
    for block in section.blocks:
        if block.kind == "list" and len(block.items) >= MIN_STEPS:
            steps = list_steps(block.items)
            if len(steps) >= MIN_STEPS:
                return [(steps[:MAX_STEPS], list(block.items))]
    for block in section.paragraphs():
        for run in linked_runs(block.sentences):
            steps = chain_steps(run)
            if len(steps) >= MIN_STEPS and not _is_list_sentence(run[0]):
                return [(steps, run)]
    return []


def list_steps(items: list[str]) -> list[str]:
    """The steps of a numbered list: each item cut into its steps, or kept whole when it is a
    short name ("Stimulus", "Signal transduction")."""
    steps = []
    for item in items:
        text = " ".join(item.split()).strip(" .;:")
        main = drop_leading_clause(text)  # "If nothing is cached, the resolver asks ..."
        if main != text and has_finite_verb(main):
            item = upper_first(main)
        cut = steps_from([item], split_and=False)[:1]
        if not cut and text and len(words(text)) <= 6 and not has_finite_verb(text + "."):
            cut = [upper_first(text)]
        steps += cut
    return _distinct(steps)


def sequence_lists(section: Section) -> list[tuple[list[str], list[str]]]:
    """Numbered lists that give an explicit order outside a mechanism section: under a heading
    or after a sentence that speaks of steps, stages or phases ("The Response in Three Steps")."""
    out = []
    intro = section.heading
    for block in section.blocks:
        if block.kind != "list":
            intro = " ".join(block.sentences[-1:]) or intro
            continue
        if block.ordered and len(block.items) >= MIN_STEPS and _SEQUENCE_WORDS.search(intro):
            steps = list_steps(block.items)
            if len(steps) >= MIN_STEPS:
                out.append((steps[:MAX_STEPS], list(block.items)))
    return out


_SEQUENCE_WORDS = re.compile(
    r"\b(?:steps?|stages?|phases?|sequence|in order|in this order|"
    r"order of|process|procedure|how to|cycle|timeline|chain)\b",
    re.I,
)


def linked_runs(sentences: list[str]) -> list[list[str]]:
    """The sentences cut into runs where each sentence carries on from the one before (see
    :func:`linked`); a run of one sentence is kept too (its clauses may chain)."""
    runs: list[list[str]] = []
    for sentence in sentences:
        if runs and linked(runs[-1][-1], sentence):
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    return runs


def linked(previous: str, sentence: str) -> bool:
    """True when ``sentence`` continues a causal chain from ``previous``: it opens with a
    sequence word or a reference back ("Then", "Next,", "This triggers"), or what it starts
    from (its opening clause and subject) is something ``previous`` ended with (its object or
    outcome: "... releases growth hormone." -> "Growth hormone travels ...")."""
    if _CONTINUES.match(sentence.strip()):
        return True
    main = drop_leading_clause(sentence)
    lead = sentence[: len(sentence) - len(main)]
    subject = subject_of(main, strict=False) or " ".join(words(main)[:4])
    starts = _stems(f"{lead} {subject}")
    # "The pancreas responds to the rising blood glucose": it starts from what it responds to.
    reaction = _RESPONDS.search(main)
    if reaction:
        starts |= _stems(" ".join(words(main[reaction.end() :])[:5]))
    prev_subject = subject_of(drop_leading_clause(previous), strict=False) or ""
    at = previous.find(prev_subject) + len(prev_subject) if prev_subject else 0
    outcome = _stems(previous[at:])
    if re.match(r"^the\s", main, re.I):
        # "The signal from the skin ...": a definite subject may name anything just mentioned.
        outcome |= _stems(previous)
    return bool(starts & outcome)


_RESPONDS = re.compile(
    r"\b(?:respond(?:s|ed)?|react(?:s|ed)?|reply|replies|answers?) to\b|"
    r"\b(?:senses|detects|notices|registers|picks up)\b",
    re.I,
)


def _stems(text: str) -> set[str]:
    out = set()
    for word in words(text.lower()):
        if is_stop(word) or len(word) < 3:
            continue
        out.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return out


def _is_list_sentence(sentence: str) -> bool:
    return bool(re.search(r"\b(?:amplified|suppressed|boosted|blunted)\b", sentence))


def prose_chains(section: Section) -> list[tuple[list[str], list[str]]]:
    """Sequences narrated in prose: a sentence opening with "Once"/"Then"... or carrying "then",
    with the sentence before it when the sequence continues its subject."""
    sentences = section.sentences()
    chains: list[tuple[list[str], list[str]]] = []
    i = 1
    while i < len(sentences):
        s = sentences[i]
        if not (_SEQUENCE.match(s) or _THEN.search(s.split(",")[0])):
            i += 1
            continue
        start = i
        lead = _LEADING.match(s)
        if (
            not lead
            or not has_finite_verb(lead.group("body"))
            or len(words(lead.group("body"))) < 2
        ) and linked(sentences[i - 1], s):
            start = i - 1  # "Once released, it binds": continues the previous sentence
        end = i + 1
        while end < len(sentences) and (
            _SEQUENCE.match(sentences[end]) or _THEN.search(sentences[end].split(",")[0])
        ):
            end += 1
        run = sentences[start:end]
        steps = chain_steps(run)
        while (
            len(steps) < MIN_STEPS
            and end < len(sentences)
            and _continues(sentences[end])
            and linked(sentences[end - 1], sentences[end])
        ):
            end += 1  # "Once plasma volume falls, ..." + "Stroke volume drops, and ..."
            run = sentences[start:end]
            steps = chain_steps(run)
        if len(steps) >= MIN_STEPS:
            chains.append((steps, run))
        i = end
    return chains


def _continues(sentence: str) -> bool:
    """A plain statement that can go on a sequence: no pronoun opening, no contrast."""
    first = (words(sentence) or [""])[0].lower()
    return first not in (
        "this",
        "that",
        "these",
        "those",
        "it",
        "they",
        "but",
        "however",
    ) and not re.search(r"\b(?:not|n't)\b|;", sentence)


def ordering_draft(
    ctx: Context,
    steps: list[str],
    sources: list[str],
    *,
    position: tuple[int, int],
    about: str,
    heading: str = "",
) -> Draft:
    prompt = (
        f"Put the steps of {about} in the order they happen."
        if about == ctx.topic and ctx.article.kind == "term"
        else f"Put these steps about {about} in the order they happen."
    )
    return Draft(
        type="ordering",
        fields={"prompt": prompt, "steps": steps},
        section="mechanism",
        quote=ctx.quote(sources),
        key=(_key_of(steps[0]), _key_of(steps[-1])),
        kind="order",
        priority=2,
        position=position,
        heading=heading,
    )


def distinct_prompts(orderings: list[Draft]) -> None:
    """Two chains about the same topic: each prompt names the section it comes from."""
    prompts = [d.fields["prompt"] for d in orderings]
    for draft in orderings:
        if prompts.count(draft.fields["prompt"]) > 1 and draft.heading:
            draft.fields["prompt"] = draft.fields["prompt"].rstrip(".") + f" ({draft.heading})."


def next_drafts(
    ctx: Context, steps: list[str], sources: list[str], *, position: tuple[int, int]
) -> list[Draft]:
    """ "What happens next?" items for a chain of four or more steps."""
    if len(steps) < 4:
        return []
    picks = sorted({1, len(steps) // 2}) if len(steps) >= 5 else [1]
    drafts = []
    for i in picks:
        if i + 1 >= len(steps):
            continue
        others = [
            j
            for j in (i + 2, i - 1, i + 3, i - 2, i + 4, i - 3)
            if 0 <= j < len(steps) and j not in (i, i + 1)
        ][:3]
        if len(others) < 2:
            continue
        indices = sorted([i + 1, *others])
        choices = [steps[j] for j in indices]
        drafts.append(
            Draft(
                type="multiple_choice",
                fields={
                    "prompt": f"{steps[i]}. What happens next?",
                    "choices": choices,
                    "correct": [indices.index(i + 1)],
                },
                section="mechanism",
                quote=ctx.quote(sources),
                explanation=f"Next: {steps[i + 1][:1].lower() + steps[i + 1][1:]}."
                if not _keeps_case(steps[i + 1])
                else f"Next: {steps[i + 1]}.",
                key=(_key_of(steps[i]),),
                kind="next",
                priority=8,
                position=(position[0], position[1] + 1 + i),
            )
        )
    return drafts


def _keeps_case(step: str) -> bool:
    first = (words(step) or [""])[0]
    return any(c.isupper() for c in first[1:]) or any(c.isdigit() for c in first)


def _key_of(step: str) -> str:
    from .terms import key_spans

    spans = key_spans(step)
    return spans[0].text if spans else " ".join(words(step)[:2])


__all__ = [
    "chain_steps",
    "linked",
    "linked_runs",
    "list_steps",
    "mechanism_chains",
    "next_drafts",
    "ordering_draft",
    "prose_chains",
    "sequence_lists",
    "steps_from",
]
