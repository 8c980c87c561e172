"""True/false questions from misconceptions: stated beliefs and "X is not simply Y; it is Z".

A misconception section states a belief ("People often think muscle is built during the
workout."), denies it ("It is not.") and corrects it. The belief becomes the statement, as a
plain declarative sentence ("Muscle is built during the workout."), the answer is false and the
correction is the explanation. The same shape hides in prose: "Repair is not simply patching up
tissue; it is an opportunity for structural improvement", "Creatine does not build muscle
directly; it lets you do more work", "...which is why disrupted sleep does not just leave you
tired: it reduces the growth hormone pulse". The negation is removed to make the false
statement and the second clause, with its pronoun replaced by the subject, is the explanation.
"""

from __future__ import annotations

import re

from quizapp.domain.articles import Section
from quizapp.domain.articles.words import has_finite_verb, lower_first, upper_first, words

from .clauses import affirm, drop_leading_clause, ensure_period, good_subject, subject_of
from .draft import Context, Draft
from .terms import key_spans

_BELIEVERS = (r"(?:many |most |some |a lot of )?(?:people|athletes|lifters|runners|adults|"
              r"patients|parents|coaches|beginners|folks|we|you|many|most|some)")
_BELIEF = [
    re.compile(rf"^(?:{_BELIEVERS})\s+(?:often |commonly |usually |still |generally |"
               r"mistakenly |wrongly |tend to |may |might )*(?:think|believe|assume|say|"
               r"imagine|expect|feel|are told|hear)\s+(?:that\s+)?(?P<belief>.+)$", re.I),
    re.compile(r"^(?:a|one|the most)\s+(?:common|popular|widespread|persistent|frequent|"
               r"classic|big)\s+(?:myth|misconception|belief|mistake|assumption|"
               r"misunderstanding)\s+is\s+(?:that\s+)?(?P<belief>.+)$", re.I),
    re.compile(r"^it\s+is\s+(?:a\s+)?(?:common(?:ly)?|widely|often|popularly)\s+(?:myth|"
               r"believed|assumed|thought|held|said)\s+that\s+(?P<belief>.+)$", re.I),
    re.compile(r"^(?:myth|misconception)\s*:\s*(?P<belief>.+)$", re.I),
    re.compile(r"^you (?:might|may) (?:think|believe|assume|have heard)\s+(?:that\s+)?"
               r"(?P<belief>.+)$", re.I),
    re.compile(r"^it(?: is|'s|’s) (?:often |commonly |widely )?(?:said|claimed|believed|assumed)"
               r"\s+that\s+(?P<belief>.+)$", re.I),
    re.compile(r"^(?:the|a) (?:common |popular |widespread )?(?:belief|idea|claim|notion) that\s+"
               r"(?P<belief>.+?)\s+is\s+(?:wrong|false|a myth|mistaken|not true|misleading)$",
               re.I),
]
_DENIAL = re.compile(r"^(?:it|this|that)\s+(?:is|does|did|was|has|can)\s*(?:not|n't)\b|"
                     r"^(?:not (?:so|true|quite|really)|wrong|false|nope|in reality|actually|"
                     r"that is (?:a myth|false|wrong)|this is (?:a myth|false|wrong))\b", re.I)
_NEGATED = re.compile(r"\b(?:is|are|does|do|was|were)\s*(?:not|n't)\b", re.I)
_THIS_IS_WHY = re.compile(r"^(?:.*?\b)?(?:which|this|that) is why\s+", re.I)
_CONTRAST = re.compile(r"^(?P<neg>[^;:]+?)\s*[;:]\s+(?P<pos>[^;:]+)$")
# "X isn't Y — it's Z", "X does not V, but it W": the same contrast with other punctuation.
_SEPARATOR = re.compile(r"\s+[—–]\s+(?=(?:it|they|instead|rather)\b)|\s*—\s*(?=(?:it|they)\b)|"
                        r",\s+but\s+(?=(?:it|they|rather|instead)\b)", re.I)
_NEXT_CORRECTS = re.compile(r"^(?:it|they)\s+(?:is|are|does|do|only|actually|simply|just)?\b|"
                            r"^(?:instead|rather|in reality|in fact),\s+", re.I)
_PRONOUN_HEAD = re.compile(r"^(?:it|they)\s+", re.I)
MAX_EXPLANATION_SENTENCES = 2


def _statement(belief: str) -> str | None:
    belief = belief.strip().rstrip(".")
    belief = re.sub(r"\b(they|their|them|themselves)\b", lambda m: {
        "they": "you", "their": "your", "them": "you", "themselves": "yourself"}[m.group(1)],
        belief)
    statement = ensure_period(upper_first(belief))
    if not has_finite_verb(statement) or len(words(statement)) < 3:
        return None
    return statement


def _correction(after: list[str]) -> str:
    """The sentences after a belief that correct it: denials skipped, "This is why" ends it."""
    kept: list[str] = []
    for sentence in after:
        if _DENIAL.match(sentence) and len(words(sentence)) <= 6:
            continue
        sentence = re.sub(r"^(?:fact|truth|reality)\s*:\s*", "", sentence, flags=re.I)
        if re.match(r"^(?:this|that) is why\b", sentence, re.I) or len(kept) >= \
                MAX_EXPLANATION_SENTENCES:
            break
        kept.append(sentence)
    return " ".join(kept)


def section_drafts(ctx: Context, index: int, section: Section) -> list[Draft]:
    """True/false items from a misconception section's stated beliefs."""
    sentences = section.sentences()
    drafts = []
    for n, sentence in enumerate(sentences):
        belief = None
        for pattern in _BELIEF:
            m = pattern.match(sentence)
            if m:
                belief = m.group("belief")
                break
        if belief is None and n == 0 and len(sentences) > 1 and _DENIAL.match(sentences[1]):
            belief = sentence  # the section opens with the belief itself
        if belief is None:
            continue
        statement = _statement(belief)
        explanation = _correction(sentences[n + 1:])
        if statement and explanation:
            drafts.append(_draft(statement, explanation, sentence, priority=1,
                                 position=(index, n), sources=(sentence,)))
    return drafts


def _plain_apostrophes(text: str) -> str:
    if "'" not in text and "’" not in text:
        return text
    text = text.replace("’", "'")
    for short, long in _CONTRACTIONS:
        text = re.sub(short, long, text)
    return text


_CONTRACTIONS = ((r"\b([Ii]t)'s\b", r"\1 is"), (r"\b([Tt]hey)'re\b", r"\1 are"),
                 (r"\b([Tt]hat)'s\b", r"\1 is"))


def contrast(sentence: str) -> tuple[str, str] | None:
    """``(false statement, correction)`` from "X is not Y; it is Z" and its relatives
    ("X doesn't V — it W", "X does not V, but it W", "X V; it does not W")."""
    text = _plain_apostrophes(sentence.strip().rstrip("."))
    text = _SEPARATOR.sub("; ", text, count=1)
    m = _CONTRAST.match(text)
    if not m:
        return None
    neg, pos = m.group("neg").strip(), m.group("pos").strip()
    neg = drop_leading_clause(_THIS_IS_WHY.sub("", neg))
    negation = re.search(r"\b(?:is|are|does|do|did|was|were|can|will)\s*(?:not|n't)\b|\bcannot\b",
                         neg, re.I)
    if negation:
        subject = neg[:negation.start()].strip()
        if not good_subject(subject):
            return None
        affirmed = affirm(neg)
        if affirmed is None:
            return None
        statement = ensure_period(upper_first(affirmed))
        pos = re.sub(r"^(?:instead|rather|in reality|in fact),?\s+", "", pos, flags=re.I)
        if re.search(r"\b(?:not|n't)\b", pos.split(",")[0]) or not has_finite_verb(pos):
            return None  # "it is not only X" - no plain correction to show
        explanation = _PRONOUN_HEAD.sub(subject + " ", pos, count=1)
        return statement, ensure_period(upper_first(explanation))
    # "Caffeine masks sleep pressure ...; it does not remove the adenosine."
    head = _PRONOUN_HEAD.match(pos)
    if not head or not re.search(r"\b(?:not|n't|cannot)\b", pos):
        return None
    subject = subject_of(ensure_period(neg))
    if not subject:
        return None
    affirmed = affirm(pos[head.end():])
    if affirmed is None:
        return None
    statement = ensure_period(upper_first(f"{subject} {lower_first(affirmed)}"))
    return statement, ensure_period(upper_first(neg))


def prose_drafts(ctx: Context, index: int, section: Section) -> list[Draft]:
    """True/false items from contrast sentences anywhere in a section."""
    drafts = []
    sentences = section.sentences()
    for n, sentence in enumerate(sentences):
        quote, found = sentence, None
        if ";" in sentence or ":" in sentence or "—" in sentence or "–" in sentence or \
                ", but " in sentence:
            found = contrast(sentence)
        if found is None and n + 1 < len(sentences) and _NEXT_CORRECTS.match(
                sentences[n + 1]) and _NEGATED.search(sentence):
            # "Soreness is not a sign of growth. It is a sign of unfamiliar stress."
            found = contrast(f"{sentence.rstrip('.')}; {sentences[n + 1]}")
            quote = f"{sentence} {sentences[n + 1]}"
        if found is None:
            continue
        statement, explanation = found
        if not has_finite_verb(statement):
            continue
        # A contrast embedded after "..., which is why" leaves the sentence's first clause to
        # a cloze of its own; otherwise the sentence is this question's.
        embedded = bool(re.search(r",\s+which is why\b", sentence.split(";")[0].split(":")[0]))
        drafts.append(_draft(statement, explanation, quote, priority=7,
                             position=(index, 50 + n), sources=() if embedded else (sentence,)))
    return drafts


def _draft(statement: str, explanation: str, quote: str, *, priority: int,
           position: tuple[int, int], sources: tuple[str, ...]) -> Draft:
    return Draft(
        type="true_false",
        fields={"statement": statement, "answer": False},
        section="misconception",
        quote=quote,
        explanation=explanation,
        key=tuple(s.text for s in key_spans(statement)[:2]),
        priority=priority,
        position=position,
        sources=sources,
    )
