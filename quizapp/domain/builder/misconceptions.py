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
from quizapp.domain.articles.words import (
    can_be_finite_verb,
    has_finite_verb,
    is_stop,
    lemma,
    lower_first,
    third_person,
    upper_first,
    word_set,
    words,
)

from .clauses import (
    _past,
    affirm,
    drop_leading_clause,
    ensure_period,
    good_subject,
    subject_of,
)
from .draft import Context, Draft
from .terms import key_spans

_BELIEVERS = (
    r"(?:many |most |some |a lot of )?(?:people|athletes|lifters|runners|adults|"
    r"patients|parents|coaches|beginners|folks|we|you|many|most|some)"
)
#: Who else states beliefs in explicit myth framings ("Many students believe that ...",
#: "Popular accounts sometimes claim that ...").
_HOLDERS = (
    r"(?:(?:many|most|some|a lot of|plenty of)\s+)?(?:\w+\s+)?(?:people|students|"
    r"learners|pupils|historians|parents|patients|consumers|investors|drivers|cooks|"
    r"bakers|gardeners|programmers|developers|users|readers|writers|doctors|voters|"
    r"adults|children|kids|beginners|players|owners|accounts|textbooks|sources|books|"
    r"articles|websites|films|movies|headlines|commentators|critics|experts|scientists)"
)
_BELIEF = [
    re.compile(
        rf"^(?:{_BELIEVERS})\s+(?:often |commonly |usually |still |generally |"
        r"mistakenly |wrongly |tend to |may |might )*(?:think|believe|assume|say|"
        r"imagine|expect|feel|are told|hear)\s+(?!about\b|of\b|so\b|twice\b)(?:that\s+)?"
        r"(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:a|one|the most)\s+(?:common|popular|widespread|persistent|frequent|"
        r"classic|big)\s+(?:myth|misconception|belief|mistake|assumption|"
        r"misunderstanding)\s+is\s+(?:that\s+)?(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^it\s+is\s+(?:a\s+)?(?:common(?:ly)?|widely|often|popularly)\s+(?:myth|"
        r"believed|assumed|thought|held|said)\s+that\s+(?P<belief>.+)$",
        re.I,
    ),
    re.compile(r"^(?:myth|misconception)\s*:\s*(?P<belief>.+)$", re.I),
    re.compile(
        r"^you (?:might|may) (?:think|believe|assume|have heard)\s+(?:that\s+)?"
        r"(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^it(?: is|'s|’s) (?:often |commonly |widely )?(?:said|claimed|believed|assumed)"
        r"\s+that\s+(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:the|a) (?:common |popular |widespread )?(?:belief|idea|claim|notion) that\s+"
        r"(?P<belief>.+?)\s+is\s+(?:wrong|false|a myth|mistaken|not true|misleading)$",
        re.I,
    ),
    re.compile(
        rf"^(?:popular accounts|popular culture|conventional wisdom|common wisdom|"
        rf"folk wisdom|{_HOLDERS})\s+(?:often |commonly |usually |still |sometimes |"
        rf"generally |mistakenly |wrongly |widely |tend to |may |might |will )*"
        rf"(?:think|believe|assume|say|claim|imagine|suppose|hold|insist|state|suggest|"
        rf"are told|hear)\s+(?!about\b|of\b|so\b|twice\b)(?:that\s+)?(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:a|one|the most|another|the)\s+(?:\w+\s+){0,2}(?:error|mistake|"
        r"misconception|myth|misunderstanding|confusion|fallacy)\b[^,]{0,40}?\s+is\s+"
        r"(?:to\s+(?:say|think|believe|assume|claim|write|argue)\s+)?(?:that\s+)?"
        r"(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:it is|it[’']s)\s+(?:a\s+(?:\w+\s+)?(?:myth|misconception|mistake)|"
        r"(?:simply |just )?(?:not true|untrue|false|wrong))\s+(?:to think\s+)?that\s+"
        r"(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        rf"^(?:{_HOLDERS}|we|everyone)\s+(?:\w+ly\s+)?(?:used to|once|long)\s+"
        r"(?:think|thought|believe|believed|assume|assumed)\s+(?:that\s+)?(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^it\s+(?:was|used to be)\s+(?:once\s+|long\s+|widely\s+|commonly\s+)*"
        r"(?:thought|believed|assumed|held)\s+that\s+(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:there (?:was|has been) a time when|at one time|once upon a time|for (?:a long "
        r"time|centuries|decades|years)|in the past|historically|long ago),?\s+"
        r"(?:many |most |some )?(?:people|scientists|doctors|experts|physicians|"
        r"researchers|economists|we|everyone)\s+(?:\w+ly\s+)?(?:thought|believed|"
        r"assumed|held|taught|were taught)\s+(?:that\s+)?(?P<belief>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:a|one|the most|another)\s+(?:(?:common|popular|widespread|persistent|"
        r"frequent|classic|big|stubborn|widely held)\s+)+(?:myth|misconception|belief|"
        r"mistake|assumption|misunderstanding|misbelief)\s+(?:about\s+[^,]{1,40}?\s+)?"
        r"(?:is|holds)\s+(?:that\s+)?(?P<belief>.+)$",
        re.I,
    ),
]
_DENIAL = re.compile(
    r"^(?:it|this|that)\s+(?:is|does|did|was|has|can)\s*(?:not|n't)\b|"
    r"^(?:not (?:so|true|quite|really)|wrong|false|nope|in reality|actually|"
    r"that is (?:a myth|false|wrong)|this is (?:a myth|false|wrong))\b",
    re.I,
)
_NEGATED = re.compile(r"\b(?:is|are|does|do|was|were)\s*(?:not|n't)\b", re.I)
_THIS_IS_WHY = re.compile(r"^(?:.*?\b)?(?:which|this|that) is why\s+", re.I)
_CONTRAST = re.compile(r"^(?P<neg>[^;:]+?)\s*[;:]\s+(?P<pos>[^;:]+)$")
# "X isn't Y — it's Z", "X does not V, but it W": the same contrast with other punctuation.
_SEPARATOR = re.compile(
    r"\s+[—–]\s+(?=(?:it|they|instead|rather)\b)|\s*—\s*(?=(?:it|they)\b)|"
    r",\s+but\s+(?=(?:it|they|rather|instead)\b)",
    re.I,
)
_NEXT_CORRECTS = re.compile(
    r"^(?:it|they)\s+(?:is|are|does|do|only|actually|simply|just)?\b|"
    r"^(?:instead|rather|in reality|in fact),\s+",
    re.I,
)
_PRONOUN_HEAD = re.compile(r"^(?:it|they)\s+", re.I)
MAX_EXPLANATION_SENTENCES = 2


def _statement(belief: str, *, believers_are_you: bool = True) -> str | None:
    belief = belief.strip().rstrip(".")
    subject = subject_of(ensure_period(upper_first(belief)), strict=False) or ""
    plural_subject = bool(re.search(r"[^s]s$", subject)) and not re.match(r"^they\b", belief, re.I)
    if believers_are_you and not plural_subject:
        # "Athletes assume glycogen refills whatever they eat" -> "... whatever you eat"; but
        # in "Students think plants get their mass from the soil", "their" is the plants'.
        belief = re.sub(
            r"\b(they|their|them|themselves)\b",
            lambda m: {"they": "you", "their": "your", "them": "you", "themselves": "yourself"}[
                m.group(1)
            ],
            belief,
        )
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
        if not kept:  # "In fact, spreading study ..." -> "Spreading study ..."
            sentence = upper_first(
                re.sub(r"^(?:in fact|actually|in reality|in truth),\s+", "", sentence, flags=re.I)
            )
        if (
            re.match(r"^(?:this|that) is why\b", sentence, re.I)
            or len(kept) >= MAX_EXPLANATION_SENTENCES
            or _states_myth(sentence)
        ):
            break
        kept.append(sentence)
    return " ".join(kept)


def section_drafts(ctx: Context, index: int, section: Section) -> list[Draft]:
    """True/false items from a misconception section: its stated beliefs, a myth stated in its
    heading ("Myth: ..."), and the items of a myths list."""
    return _belief_drafts(ctx, index, section) + explicit_drafts(ctx, index, section)


def _belief_drafts(ctx: Context, index: int, section: Section) -> list[Draft]:
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
        explanation = _correction(sentences[n + 1 :])
        if statement and explanation:
            drafts.append(
                _draft(
                    statement,
                    explanation,
                    sentence,
                    priority=1,
                    position=(index, n),
                    sources=(sentence,),
                )
            )
    return drafts


def _plain_apostrophes(text: str) -> str:
    if "'" not in text and "’" not in text:
        return text
    text = text.replace("’", "'")
    for short, long in _CONTRACTIONS:
        text = re.sub(short, long, text)
    return text


_CONTRACTIONS = (
    (r"\b([Ii]t)'s\b", r"\1 is"),
    (r"\b([Tt]hey)'re\b", r"\1 are"),
    (r"\b([Tt]hat)'s\b", r"\1 is"),
)


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
    negation = re.search(
        r"\b(?:is|are|does|do|did|was|were|can|will)\s*(?:not|n't)\b|\bcannot\b", neg, re.I
    )
    if negation:
        subject = neg[: negation.start()].strip()
        if not good_subject(subject) or "," in subject:
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
    named = subject_of(ensure_period(neg))
    if not named:
        return None
    affirmed = affirm(pos[head.end() :])
    if affirmed is None:
        return None
    statement = ensure_period(upper_first(f"{named} {lower_first(affirmed)}"))
    return statement, ensure_period(upper_first(neg))


def prose_drafts(ctx: Context, index: int, section: Section) -> list[Draft]:
    """True/false items from contrast sentences anywhere in a section, and (outside
    misconception sections, which :func:`section_drafts` reads) from explicit myths."""
    drafts = [] if section.role == "misconception" else explicit_drafts(ctx, index, section)
    sentences = section.sentences()
    for n, sentence in enumerate(sentences):
        quote, found = sentence, None
        if (
            ";" in sentence
            or ":" in sentence
            or "—" in sentence
            or "–" in sentence
            or ", but " in sentence
        ):
            found = contrast(sentence)
        if (
            found is None
            and n + 1 < len(sentences)
            and _NEXT_CORRECTS.match(sentences[n + 1])
            and _NEGATED.search(sentence)
        ):
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
        drafts.append(
            _draft(
                statement,
                explanation,
                quote,
                priority=7,
                position=(index, 50 + n),
                sources=() if embedded else (sentence,),
            )
        )
    return drafts


def _draft(
    statement: str,
    explanation: str,
    quote: str,
    *,
    priority: int,
    position: tuple[int, int],
    sources: tuple[str, ...],
    answer: bool = False,
) -> Draft:
    return Draft(
        type="true_false",
        fields={"statement": statement, "answer": answer},
        section="misconception",
        quote=quote,
        explanation=explanation,
        key=tuple(s.text for s in key_spans(statement)[:2]),
        priority=priority,
        position=position,
        sources=sources,
    )


# --- explicit myths anywhere -------------------------------------------------------------------
#
# Real pages state myths in many shapes: a heading "Myth: X" (or "3. Myth #3: X") with the truth
# under it, a "Myths about X" list whose items carry their truth after a dash or in the next
# sentence, an FAQ heading "Is it true that X?" answered "No, ...", and prose: "A common
# misconception is that X.", "Contrary to popular belief, Y.", "There was a time when people
# thought X.", "Many people believe X, but Y.", "It is a myth that X.". Each becomes a true/false
# item whose statement is the myth as a plain sentence (answer false) and whose explanation is
# the truth. The sentences that state a myth are never made into clozes (see
# :func:`myth_sentences`).

_MYTH_HEADING = re.compile(
    r"^(?:\d+[.)]\s*)?(?:myth|misconception|misbelief)\s*(?:#?\s*\d+)?\s*[:.\-–—]\s*"
    r"(?P<claim>.{8,})$",
    re.I,
)
_MYTHS_LIST_HEADING = re.compile(
    r"\b(?:myths|misconceptions|misbeliefs|misunderstandings|"
    r"mistakes|myth)\b",
    re.I,
)
_IS_IT_TRUE = re.compile(
    r"^(?:\d+[.)]\s*)?(?:is it true|is it a fact|do you really need to|"
    r"is it really true)\s+that\s+(?P<claim>.+?)\?*$",
    re.I,
)
_ANSWER_NO = re.compile(
    r"^(?:no|not (?:really|quite|exactly)|false|nope|myth)\b[,.:;!—–-]*\s*", re.I
)
_SAY_WHY = re.compile(
    r"^.*?\bwhy (?P<fact>[^,]{5,80}?),?\s+(?:and\s+)?(?:many|most|some)"
    r"(?: people)? (?:will|would) (?:say|tell you|answer|guess)\s+(?:that\s+)?"
    r"it(?:'s|’s| is) because (?P<because>.+?)\.?$",
    re.I,
)
_OPINION = re.compile(
    r"^it(?:'s|’s| is) (?:a |an )?(?:also )?(?:reasonable|natural|common|"
    r"understandable|easy|wrong|false|not true|mistaken|incorrect)\b",
    re.I,
)
_TRUTH_LABEL = re.compile(
    r"^(?:fact|truth|the truth|the fact|reality|in reality|verdict|"
    r"the reality|actually)\s*[:—–-]\s*",
    re.I,
)
_INLINE_TRUTH = re.compile(
    r"\s+[—–]\s+|\s+-\s+|;\s+(?:in fact|actually|in reality|"
    r"instead|but)?,?\s*|,\s+but\s+(?:in fact,?\s+|actually,?\s+)?",
    re.I,
)
_CONTRARY = re.compile(
    r"^(?:contrary to (?:a |the )?(?:popular|common|widespread|widely held|"
    r"general|what many people|what most people|what you might think)"
    r"[^,]{0,30}|despite what (?:many|most) people (?:think|believe)|"
    r"contrary to the (?:popular|common) (?:belief|view|idea|myth)),\s+"
    r"(?P<truth>.+)$",
    re.I,
)
_FACT_OPEN = re.compile(r"^(?:fact|truth|reality)\s*:", re.I)
_MYTH_OPEN = re.compile(r"^(?:myth|misconception)\s*(?:#?\s*\d+)?\s*:", re.I)


_GENERIC_PERSON = (
    (
        r"\b[Yy]ou(?= (?:can|could|will|would|should|must|need|have|are|were|"
        r"do|don't|can't|get|lose|burn|catch|sleep|feel|eat|drink|become|"
        r"\w+))",
        "people",
    ),
    (r"\byourself\b", "themselves"),
    (r"\byour\b", "their"),
    (r"\bYour\b", "Their"),
    (r"\b(?:I|we)\b(?= )", "people"),
    (r"\b(?:my|our)\b", "a"),
    (r"\bMy\b", "A"),
    (r"\bme\b", "people"),
    (r"\byou\b", "people"),
)


def _third_person_myth(text: str) -> str:
    """A myth in the second or first person said of people in general: "Alcohol helps you
    sleep" -> "Alcohol helps people sleep"; "my child" -> "a child"."""
    if re.search(r"\b(?:[Ww]e|us)\b", text):
        # "We only use ten per cent of our brains" -> "People only use ... of their brains"
        text = re.sub(r"\bour\b", "their", re.sub(r"\bourselves\b", "themselves", text))
        text = re.sub(r"^We\b", "People", text)
    for pattern, repl in _GENERIC_PERSON:
        text = re.sub(pattern, repl, text)
    return upper_first(text)


def explicit_drafts(ctx: Context, index: int, section: Section) -> list[Draft]:
    """True/false items for every explicit myth of ``section`` (see above), and for the
    "True or false?" questions a page asks and answers itself."""
    drafts = []
    following: list[str] = []
    if index + 1 < len(ctx.article.sections):
        after = ctx.article.sections[index + 1]
        if _TRUTH_HEADING.search(after.heading):
            following = after.sentences()[:MAX_EXPLANATION_SENTENCES]
    found = _explicit_myths(
        section, myth_page=is_myth_page(ctx.article, index), following=following
    )
    for n, (belief, truth, quote, sources, from_heading, answer) in enumerate(found):
        statement = _statement(_third_person_myth(belief.strip()), believers_are_you=False)
        truth = ensure_period(upper_first(truth.strip())) if truth.strip() else ""
        if not statement or not truth or _same(statement, truth):
            continue
        draft = _draft(
            statement,
            truth,
            quote,
            priority=1,
            position=(index, 20 + n),
            sources=sources,
            answer=answer,
        )
        draft.heading_text = from_heading
        drafts.append(draft)
    return drafts


#: A title or heading that says the numbered headings under it are myths: "6 Memory Myths That
#: Refuse to Die", "Myths about vaccines", "Common misconceptions", "Sleep myths, debunked".
_MYTH_PAGE = re.compile(
    r"\b(?:myths?|misconceptions?|misbeliefs?|misunderstandings?|"
    r"debunk(?:ed|ing)?|myth-?bust(?:ing|ers?)?|old wives'? tales?)\b",
    re.I,
)
_NUMBERED = re.compile(r"^(?:#\s*)?\d{1,2}\s*[.):\-–—]\s*(?P<claim>[^?]{8,})$")
#: An answer that confirms a claim: the numbered heading is a fact, not a myth.
_AFFIRMED = re.compile(
    r"^(?:true|yes|fact|correct|it(?:'s|’s| is) true|this (?:one )?is true|"
    r"partly true|mostly true)\b",
    re.I,
)


def is_myth_page(article, index: int) -> bool:
    """Whether the numbered headings of section ``index`` state myths: the article's title says
    it lists myths, or the heading they sit under ("Common myths") or the nearest unnumbered
    heading before them does."""
    if _MYTH_PAGE.search(article.title or "") or _MYTH_PAGE.search(article.sections[index].parent):
        return True
    for section in reversed(article.sections[:index]):
        heading = " ".join(section.heading.split())
        if heading and not _NUMBERED.match(heading):
            return bool(_MYTH_PAGE.search(heading))
    return False


#: "True or false: X?", "Fact or fiction? X", "X. True or false?", "Myth or fact: X".
_QUIZ_LEAD = re.compile(
    r"^(?:\d{1,2}[.):]\s*)?(?:true or false|fact or fiction|myth or fact|"
    r"fact or myth|myth or reality|myth or truth)\s*[:?.—–-]\s*"
    r"(?P<claim>.{8,}?)[?.!]?$",
    re.I,
)
_QUIZ_TAIL = re.compile(
    r"^(?:\d{1,2}[.):]\s*)?(?P<claim>.{8,}?)[.!?]?\s+\(?(?:true or false|"
    r"fact or fiction|myth or fact|fact or myth)\s*\??\)?$",
    re.I,
)
#: The page's own answer: "False.", "Myth!", "Not true:" ... or "True.", "Fact.", "Yes,".
_QUIZ_FALSE = re.compile(
    r"^(?:false|fiction|myth|no|nope|not true|wrong|incorrect)\s*[.!,:—–-]"
    r"\s*",
    re.I,
)
_QUIZ_TRUE = re.compile(r"^(?:true|fact|yes|correct|it(?:'s|’s| is) true)\s*[.!,—–-]\s*", re.I)


def quiz_claim(text: str) -> str | None:
    """The claim of a "True or false?" question the page asks, or None."""
    text = " ".join(text.split())
    m = _QUIZ_LEAD.match(text) or _QUIZ_TAIL.match(text)
    if not m:
        return None
    claim = m.group("claim").strip().rstrip("?.! ")
    return claim if has_finite_verb(ensure_period(claim)) else None


def quiz_answer(text: str) -> tuple[bool, str] | None:
    """``(answer, explanation)`` when ``text`` opens with the page's verdict ("False. Controlled
    studies found ..."), else None. A "Fact:" label is not a verdict (it introduces a truth)."""
    text = text.strip()
    if re.match(r"^fact\s*:", text, re.I):
        return None
    for pattern, answer in ((_QUIZ_FALSE, False), (_QUIZ_TRUE, True)):
        m = pattern.match(text)
        if m:
            return answer, upper_first(text[m.end() :].strip())
    return None


def myth_sentences(article) -> frozenset[str]:
    """Every sentence of the article that states a myth (framing included): no cloze and no
    true statement may be made from one, since it would teach the myth."""
    if "myth_sentences" not in article.memo:
        found: set[str] = set()
        for section in article.sections:
            found.update(x for q in _quiz_items(section) for x in q[3])
            sentences = section.sentences()
            for n, sentence in enumerate(sentences):
                if (
                    _myth_claim(sentence)
                    or _CONTRARY.match(sentence)
                    or _MYTH_OPEN.match(sentence)
                    or quiz_claim(sentence)
                    or section.role == "misconception"
                    and n == 0
                    and len(sentences) > 1
                    and _DENIAL.match(sentences[1])
                ):
                    found.add(sentence)
        article.memo["myth_sentences"] = frozenset(found)
    return article.memo["myth_sentences"]


def _states_myth(sentence: str) -> bool:
    return bool(_myth_claim(sentence) or _CONTRARY.match(sentence) or _MYTH_OPEN.match(sentence))


def _myth_claim(sentence: str) -> str | None:
    for pattern in _BELIEF:
        m = pattern.match(sentence.strip())
        if m:
            return m.group("belief")
    return None


Found = tuple[str, str, str, tuple[str, ...], bool, bool]


#: A heading that answers the myth the section before it ended on ("The real reason: axial
#: tilt", "What actually happens", "The truth").
_TRUTH_HEADING = re.compile(
    r"\b(?:real|actual|actually|true|truth|reality|really|the facts?)\b", re.I
)


def _explicit_myths(
    section: Section, *, myth_page: bool = False, following: list[str] | None = None
) -> list[Found]:
    """``(myth, truth, quote, source sentences, from a heading, answer)`` for the section's
    myths (answer False) and self-answered "True or false?" questions (either answer)."""
    out: list[Found] = []
    heading = " ".join(section.heading.split())
    sentences = section.sentences()
    m = _MYTH_HEADING.match(heading)
    claim = m.group("claim").rstrip("?. ") if m else None
    opening = next((b.text for b in section.blocks if b.kind in ("paragraph", "quote")), "")
    if claim is None and heading.endswith("?") and _ANSWER_NO.match(opening.strip()):
        claim = question_statement(heading)  # an FAQ question answered "No."
    quizzes = _quiz_items(section)
    out += quizzes
    if quizzes and quizzes[0][4] and sentences and quizzes[0][1].startswith(sentences[0]):
        sentences = sentences[1:]  # the heading's answer
    if not (quizzes and quizzes[0][4]) and claim is None and myth_page and sentences:
        numbered = _NUMBERED.match(heading)
        if (
            numbered
            and not _MYTH_HEADING.match(heading)
            and has_finite_verb(ensure_period(numbered.group("claim")))
            and not _AFFIRMED.match(opening.strip())
            and not _states_myth(sentences[0])
        ):
            # "4. Forgetting means a memory is gone for good" under "6 Memory Myths ...": the
            # heading is the myth, the section's opening the truth ("Not at all." skipped).
            body = [
                x
                for x in sentences[: MAX_EXPLANATION_SENTENCES + 1]
                if not (_DENIAL.match(x) or _ANSWER_NO.match(x)) or len(words(x)) > 6
            ]
            truth = _truth_text(body[:MAX_EXPLANATION_SENTENCES])
            out.append(
                (
                    numbered.group("claim").rstrip(". "),
                    truth,
                    f"{heading} {sentences[0]}",
                    (sentences[0],),
                    True,
                    False,
                )
            )
    if claim and sentences:
        first = sentences[0]
        if re.match(r"^no\s", first, re.I) and re.match(r"^no[.,!]", opening.strip(), re.I):
            sentences = [upper_first(first[3:])] + sentences[1:]  # "No." joined to the answer
        truth = _truth_text(sentences[:MAX_EXPLANATION_SENTENCES])
        out.append((claim, truth, f"{heading} {first}", (first,), True, False))
    items = section.items()
    if (_MYTHS_LIST_HEADING.search(heading) or any(_MYTH_OPEN.match(i) for i in items)) and not m:
        # a "Myths about X" list, or any list of "Myth: ..." / "Fact: ..." items
        for k, item in enumerate(items):
            found = _list_myth(item, items[k + 1] if k + 1 < len(items) else None)
            if found:
                out.append((*found, item, (), False, False))
    quizzed = {x for q in quizzes for x in q[3]}
    for k, sentence in enumerate(sentences):
        if sentence in quizzed or quiz_claim(sentence):
            continue
        after = sentences[k + 1 : k + 5]  # denials and "a reasonable guess" are skipped
        if k + 5 > len(sentences) and following:
            after = after + following  # the next section, headed "The real reason", answers it
        found = _prose_myth(sentence, after)
        if found:
            out.append((found[0], found[1], sentence, (sentence,), False, False))
    return out


_QUIZ_ONLY = re.compile(
    r"^\(?(?:true or false|fact or fiction|myth or fact|fact or myth)"
    r"\s*\??\)?$",
    re.I,
)


def _quiz_items(section: Section) -> list[Found]:
    """ "True or false?" questions the page asks and answers: a heading or a sentence "True or
    false: X", "X. True or false?" or "Fact or fiction? X", followed by the verdict ("False.",
    "True.", "Myth!") and its reason. Read from the raw paragraphs, since a bare "False." is no
    sentence a question could be made from."""
    heading = " ".join(section.heading.split())
    raw: list[str] = []
    for block in section.blocks:
        if block.kind in ("paragraph", "quote") and block.text.strip():
            raw += [x for x in re.split(r"(?<=[.!?])\s+", " ".join(block.text.split())) if x]
    out: list[Found] = []
    quiz = quiz_claim(heading) if heading else None
    opening = quiz_answer(raw[0]) if quiz and raw else None
    if quiz and opening:
        answer, first = opening
        truth = _truth_text(([first] if first else []) + raw[1 : MAX_EXPLANATION_SENTENCES + 1])
        out.append((quiz, _limit(truth), f"{heading} {raw[0]}", (heading,), True, answer))
        raw = raw[1:]
    for k, sentence in enumerate(raw):
        sources: tuple[str, ...]
        quiz, sources = quiz_claim(sentence), (sentence,)
        if quiz is None and _QUIZ_ONLY.match(sentence) and k > 0:
            quiz, sources = quiz_claim(f"{raw[k - 1]} {sentence}"), (raw[k - 1], sentence)
        reply = quiz_answer(raw[k + 1]) if quiz is not None and k + 1 < len(raw) else None
        if quiz is None or reply is None:
            continue
        answer, first = reply
        rest = []
        for x in raw[k + 2 :]:
            if (
                quiz_claim(x)
                or _QUIZ_ONLY.match(x)
                or k + 3 < len(raw)
                and x == raw[k + 2]
                and _QUIZ_ONLY.match(raw[k + 3])
            ):
                break
            rest.append(x)
        truth = _truth_text(([first] if first else []) + rest)
        out.append(
            (quiz, _limit(truth), f"{' '.join(sources)} {raw[k + 1]}", sources, False, answer)
        )
    return out


def _limit(text: str) -> str:
    """At most :data:`MAX_EXPLANATION_SENTENCES` sentences."""
    parts = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(parts[:MAX_EXPLANATION_SENTENCES])


def _truth_text(sentences: list[str]) -> str:
    kept = []
    for sentence in sentences:
        sentence = _ANSWER_NO.sub("", _TRUTH_LABEL.sub("", sentence), count=1)
        if _MYTH_OPEN.match(sentence) or re.match(r"^(?:this|that) is why\b", sentence, re.I):
            break
        if sentence:
            kept.append(upper_first(sentence))
        if _FACT_OPEN.match(sentences[0]) and len(kept) == 1:
            break
    return " ".join(kept)


def _list_myth(item: str, following: str | None) -> tuple[str, str] | None:
    """A myths list item: "Myth — truth", "Myth. Truth.", or "Myth" with "Fact: ..." next."""
    item = " ".join(item.split())
    if _FACT_OPEN.match(item):
        return None
    item = _MYTH_OPEN.sub("", item).strip()
    parts = _INLINE_TRUTH.split(item, maxsplit=1)
    if len(parts) == 2 and has_finite_verb(parts[0]) and has_finite_verb(parts[1]):
        return parts[0], _TRUTH_LABEL.sub("", parts[1])
    fact = re.search(r"\s(?:fact|truth|reality)\s*:\s*", item, re.I)
    if fact:
        return item[: fact.start()].rstrip(" .;,"), item[fact.end() :]
    pieces = re.split(r"(?<=[.!])\s+(?=[A-Z])", item, maxsplit=1)
    if len(pieces) == 2:
        return pieces[0], _TRUTH_LABEL.sub("", pieces[1])
    if following and _FACT_OPEN.match(following.strip()):
        return item, _TRUTH_LABEL.sub("", following.strip())
    return None


def _prose_myth(sentence: str, after: list[str]) -> tuple[str, str] | None:
    """``(myth, truth)`` from one framed sentence and the ones after it."""
    text = _LABEL.sub("", sentence.strip())
    if text != sentence.strip() and _NEGATED.search(text) and after:
        # "Remember: clouds are not made of water vapour." and the truth after it
        myth = affirm(text.rstrip("."))
        if myth and has_finite_verb(myth):
            return upper_first(myth), after[0]
    m = _SAY_WHY.match(text)
    if m:  # "Ask adults why summer is warmer, and many will say it is because X."
        truth = _correction([a for a in after if not _OPINION.match(a)])
        if truth:
            return f"{m.group('fact')} because {m.group('because')}", truth
    m = _CONTRARY.match(text)
    if m:
        truth = m.group("truth")
        cleft = _CLEFT.match(truth.rstrip("."))
        no_basis = _NO_BASIS.match(truth.rstrip("."))
        if cleft:  # "it is the bacteria that become resistant, not the people who ..."
            myth = f"{upper_first(cleft.group('wrong'))} {cleft.group('verb')}"
        elif no_basis:  # "there is no scientific basis for the rule that X"
            myth = no_basis.group("claim")
        else:
            myth = negate(truth.rstrip("."))
        if myth and re.search(r"\b(?:this|these|those|such)\b", " ".join(myth.split()[:4]), re.I):
            return None  # "confidence in these memories ...": leans on the sentence before
        return (myth, truth) if myth else None
    m = _CONFUSED.match(text)
    if m:  # "X is often confused with Y, but they are different processes."
        truth = " ".join([m.group("rest")] + after[:1]) if m.group("rest") else " ".join(after[:2])
        return f"{m.group('x')} is the same as {m.group('y')}", truth
    m = _DESCRIBED.match(text)
    if m:  # "There was a time when historians described the press as the single cause of X."
        return f"{upper_first(m.group('x'))} was {m.group('y')}", _correction(after)
    if _MYTH_OPEN.match(text):
        opened = _MYTH_OPEN.sub("", text).strip()
        parts = re.split(r"\s+(?:fact|truth|reality)\s*:\s*", opened, maxsplit=1, flags=re.I)
        if len(parts) == 2:
            return parts[0], parts[1]
        truth = _truth_text(after) if after and not _MYTH_OPEN.match(after[0]) else ""
        return (opened, truth) if truth else None
    claim = _myth_claim(text)
    if claim is None:
        return None
    parts = _INLINE_TRUTH.split(claim, maxsplit=1)
    if len(parts) == 2 and has_finite_verb(parts[1]):
        claim, truth = parts
        subject = subject_of(ensure_period(upper_first(claim)), strict=False)
        if subject:
            subject = re.sub(r"(?:\s+\w+ly)+$", "", subject)
            lead = re.match(
                r"^(?:[^,]{0,30},\s+|in the long run\s+|in fact\s+|"
                r"actually\s+|really\s+)?(?P<pronoun>it|they)\b",
                truth,
                re.I,
            )
            if lead:
                pronoun_at = lead.start("pronoun")
                truth = truth[:pronoun_at] + lower_first(subject) + truth[lead.end() :]
        return claim, truth
    truth = _correction(after)
    return (claim, truth) if truth else None


_LABEL = re.compile(
    r"^(?:note|tip|remember|warning|heads up|careful|fun fact|did you know)"
    r"\s*[:!]\s*",
    re.I,
)
_CLEFT = re.compile(r"^it is (?P<right>.+?) (?:that|who) (?P<verb>.+?), not (?P<wrong>.+)$", re.I)
_NO_BASIS = re.compile(
    r"^there is (?:no|little) (?:\w+ )?(?:basis|evidence|proof|support|"
    r"reason)\s+(?:for|behind|to)\s+(?:the\s+(?:rule|idea|claim|belief|"
    r"notion|advice)\s+)?(?:that\s+)?(?P<claim>.+)$",
    re.I,
)
_CONFUSED = re.compile(
    r"^(?P<x>[A-Z][^,]{2,50}?) (?:is|are) (?:often |commonly |sometimes |"
    r"easily |frequently )?(?:confused|mixed up|equated|conflated) with "
    r"(?P<y>[^,;]+?)(?:[,;]\s*but\s+(?P<rest>.+))?$"
)
_DESCRIBED = re.compile(
    r"^(?:there (?:was|has been) a time when|at one time|in the past|"
    r"historically|for (?:centuries|decades|years)),?\s+(?:\w+\s+)?"
    r"(?:historians|scientists|people|doctors|experts|textbooks|writers|"
    r"scholars)\s+(?:\w+ly\s+)?(?:described|saw|regarded|treated|"
    r"presented|portrayed)\s+(?P<x>.+?)\s+as\s+(?P<y>.+)$",
    re.I,
)
_YES_NO = re.compile(
    r"^(?:(?P<lead>(?:if|when|once|after)\s[^,]+),\s+)?(?P<aux>is|are|does|do|"
    r"did|can|will|should|must|was|were)\s+(?P<rest>.+?)\??$",
    re.I,
)
_PREDICATE_START = word_set("""
    the a an same always really automatically better worse safe true bad good necessary possible
    more less as made caused just only dangerous harmful healthy enough different equal
    responsible needed required
""")


def question_statement(question: str) -> str | None:
    """The claim a yes/no question asks about, as a statement: "Is compound interest the same
    as a high return?" -> "Compound interest is the same as a high return"; "Do I have to
    register a work?" -> "I have to register a work"; "Is it true that X?" -> "X". None when
    the question has another shape."""
    text = re.sub(r"^\d+[.)]\s*", "", " ".join(question.split())).rstrip("? ")
    m = _IS_IT_TRUE.match(text + "?")
    if m:
        return m.group("claim")
    m = _YES_NO.match(text)
    if not m:
        return None
    aux, rest = m.group("aux").lower(), m.group("rest")
    toks = rest.split()
    lead = f"{m.group('lead')}, " if m.group("lead") else ""
    if aux in ("is", "are", "was", "were", "can", "will", "should", "must"):
        for i in range(1, len(toks)):
            word = toks[i].lower().strip(",")
            if (
                word in _PREDICATE_START
                or aux in ("can", "will", "should", "must")
                and can_be_finite_verb(word)
                and lemma(word) == word
            ):
                subject, predicate = " ".join(toks[:i]), " ".join(toks[i:])
                return f"{lead}{subject} {aux} {predicate}"
        return None
    # do/does/did: the first base-form verb after the subject takes the tense
    for i in range(1, len(toks)):
        word = toks[i].lower()
        if (
            can_be_finite_verb(word)
            and lemma(word) == word
            and not is_stop(word)
            or word in ("have", "need")
        ):
            subject, verb, tail = " ".join(toks[:i]), toks[i], " ".join(toks[i + 1 :])
            if aux == "does":
                verb = third_person(verb)
            elif aux == "did":
                verb = _past(verb) or verb
            return f"{lead}{subject} {verb} {tail}".strip()
    return None


def negate(clause: str) -> str | None:
    """ "Moderate inflation is normal" -> "Moderate inflation is not normal"; "Y rises" ->
    "Y does not rise"; an already negative clause is affirmed. None when unsure."""
    if re.search(r"\b(?:not|n't|cannot|never)\b", clause):
        return affirm(clause)
    m = re.search(r"\b(is|are|was|were|can|could|will|would|should|must|has|have|had)\b", clause)
    subject = subject_of(ensure_period(clause), strict=False)
    if subject and m and m.start() <= len(subject) + 1 and m.group(1) not in ("has", "have", "had"):
        return f"{clause[: m.end()]} not{clause[m.end() :]}"
    if not subject:
        return None
    rest = clause[len(subject) :].strip()
    verb, _, tail = rest.partition(" ")
    low = verb.lower()
    if m and m.start() <= len(subject) + 1:  # has/have/had as main verb
        aux = {"has": "does", "have": "do", "had": "did"}[m.group(1)]
        return f"{subject} {aux} not have {tail}".strip()
    if not can_be_finite_verb(low):
        return None
    base = lemma(low)
    if low.endswith("ed") and base != low:
        aux = "did"
    elif low.endswith("s") and base != low:
        aux = "does"
    elif base == low:
        aux = "do"
    else:
        return None
    return f"{subject} {aux} not {base} {tail}".strip()


def _same(statement: str, truth: str) -> bool:
    return statement.rstrip(".").lower() == truth.rstrip(".").lower()
