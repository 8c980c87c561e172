"""The article's topic: the phrase prompts name ("Why does DNS matter?"), from its title.

A page title is rarely the topic itself: "What Is the Circadian Rhythm and How Does It Affect
Sleep?", "DNS for Beginners: A Simple Guide to How the Internet Works", "Inflation 101: What You
Need to Know". :func:`topic_from_title` removes the subtitle and the framing around the subject
(questions, "How X works", "Why X matters", "The complete guide to X", "X for beginners", "X 101",
"Everything you need to know about X", "N myths about X", "X explained") and returns what is left
when that is a short phrase, else None (the caller then falls back to the title's best key term).
"""

from __future__ import annotations

import re

#: Where a subtitle starts: a colon, a dash between spaces, a pipe.
_SUBTITLE = re.compile(r"\s*(?::|\s[-–—|]\s|\|)\s*|(?<=[?!])\s+")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: Framings, tried in order on each part of the title; group ``t`` is the topic.
_FRAMES = [
    re.compile(p, re.I)
    for p in (
        r"^(?:what|who)\s+(?:is|are|was|were)\s+(?P<t>.+?)(?:,?\s+and\s+(?:how|why|what|when|"
        r"where|does|do|is|are|should|can)\b.*)?\??$",
        r"^why\s+(?:do|does|did|is|are)\s+(?:we|you|people|i)\s+(?:have|get|need|feel|see|use|"
        r"make|lose|gain)\s+(?P<t>.+?)\??$",
        r"^how\s+to\s+(?P<t>.+?)\??$",
        r"^(?:\d+|a\s+few|some|ten|five|seven|three)\s+(?P<t>.+?)\s+(?:myths|facts|tips|signs|things|"
        r"mistakes|ways|questions|truths|misconceptions)\b(?!\s+(?:of|about|on|for|to)\b).*$",
        r"^how\s+(?:does|do|did|can|could|should)\s+(?P<t>.+?)\s+(?:work|happen|function|matter|"
        r"affect\b.*|change\b.*|help\b.*)\??$",
        r"^how\s+(?P<t>.+?)\s+(?:works?|happens?|functions?|(?:is|are)\s+made|affects?\b.*)\??$",
        r"^why\s+(?:does|do|is|are)?\s*(?P<t>.+?)\s+(?:matters?|is\s+important|are\s+important|"
        r"counts?)\??$",
        r"^why\s+(?P<t>.+?)\s+(?:matters?|counts?)\??$",
        r"^(?:(?:the|a|an|your)\s+)?(?:(?:complete|ultimate|definitive|quick|short|simple|easy|"
        r"practical|essential|beginner['’]?s?|beginners['’]|plain[- ]english|no[- ]nonsense|"
        r"illustrated)\s+)*(?:guide|introduction|intro|primer|overview|handbook|cheat\s*sheet)\s+"
        r"(?:to|on|for)\s+(?P<t>.+)$",
        r"^(?:everything|all|what)\s+(?:you\s+)?(?:need|want|should|ought)\s+to\s+know\s+(?:about|"
        r"on)\s+(?P<t>.+)$",
        r"^(?:understanding|explaining|introducing|demystifying|exploring|discovering)\s+(?P<t>.+)$",
        r"^(?:\d+|a\s+few|some|ten|five|seven|three)\s+(?:\w+\s+)?(?:things|facts|myths|"
        r"misconceptions|questions|tips|ways|reasons|signs|truths)\s+(?:to\s+know\s+)?(?:about|"
        r"on|of|for)\s+(?P<t>.+)$",
        r"^(?:(?:the\s+)?(?:myths?|facts?|truth|science|basics|fundamentals|abcs?)\s+(?:and|&|vs\.?|"
        r"versus)\s+)?(?:the\s+)?(?:myths?|facts?|truth|science|basics|fundamentals|abcs?|chemistry|"
        r"physics|biology|psychology|history|economics|mathematics|maths|math|story|anatomy|"
        r"mechanics|neuroscience|secrets?)\s+(?:of|about|behind)\s+(?P<t>.+)$",
        r"^what\s+(?P<t>.+?)\s+(?:means?|are\s+\w+ing|is\s+\w+ing|can\s+\w+|tells?|teach(?:es)?|"
        r"reveals?|does|do)\b.*$",
        r"^how\s+(?:the\s+|a\s+|an\s+)?(?P<t>[\w’'-]+(?:\s+[\w’'-]+)?)\s+(?:\w+ed|\w+s|built|"
        r"made|became|began|grew|took|won|lost|fell|rose)\b(?<!ss)(?<!\bis)(?<!\bhas)(?<!\bwas)"
        r"(?<!\bdoes).*$",
        r"^(?P<t>.+?)\s+(?:faqs?|glossary|q\s*&\s*a|myths(?:\s+(?:and|&|vs\.?|versus)\s+facts)?|"
        r"facts(?:\s+(?:and|&|vs\.?|versus)\s+myths)?|questions\s+answered|terms)$",
        r"^(?P<t>.+?)[,:]?\s+(?:101|explained|demystified|basics|made\s+simple|made\s+easy|in\s+"
        r"plain\s+english|in\s+a\s+nutshell|at\s+a\s+glance|an?\s+overview|an?\s+primer|"
        r"for\s+(?:beginners|dummies|everyone|newcomers|kids|students|non[- ]experts))$",
    )
]
_QUESTION_WORD = re.compile(
    r"^(?:what|why|how|when|where|who|which|is|are|does|do|can|should|"
    r"will|it|it['’]s|this|that|there|here|they|we|you)\b",
    re.I,
)
_VAGUE = re.compile(
    r"^(?:what\s+you\s+need\s+to\s+know|everything\s+you\s+need\s+to\s+know|"
    r"(?:an?|the)\s+(?:(?:simple|quick|short|complete|practical|step-by-step|beginner['’]?s)\s+)+"
    r"(?:guide|method|introduction|primer|overview|walkthrough)|explained|the\s+basics|"
    r"an?\s+(?:overview|introduction|primer)|how\s+it\s+works|why\s+it\s+matters|"
    r"faqs?|q\s*&\s*a)$",
    re.I,
)
MAX_TOPIC_WORDS = 6


def _unframe(part: str) -> str:
    """``part`` without the framing around its subject (several framings may nest)."""
    part = part.strip().strip("\"'“”‘’").rstrip(".!")
    for _ in range(3):
        for frame in _FRAMES:
            m = frame.match(part)
            if m and m.group("t").strip():
                part = m.group("t").strip().rstrip("?.!")
                break
        else:
            break
    return part


_TRAILING_CLAUSE = re.compile(
    r"\s+(?:that|which|who|you|we|i|and\s+what|and\s+how|and\s+why)\b"
    r".*$|\s*\(.*\)\s*$",
    re.I,
)


def title_topics(title: str) -> list[tuple[str, int, bool]]:
    """``(subject, part number, framing removed)`` for every part of the title that names a
    subject; parts whose framing was removed first."""
    parts = [p for p in _SUBTITLE.split(title.strip()) if p and p.strip()]
    out = []
    for index, part in enumerate(parts):
        if _VAGUE.match(part.strip().rstrip("?.!")):
            continue  # "Everything you need to know: inflation": only framing
        unframed = _unframe(part)
        framed = unframed != part.strip().strip("\"'“”‘’").rstrip(".!")
        topic = _ARTICLE.sub("", _TRAILING_CLAUSE.sub("", unframed)).strip(" ,;")
        if not topic or "?" in topic or _QUESTION_WORD.match(topic):
            continue
        if len(topic.split()) > MAX_TOPIC_WORDS:
            continue
        out.append((topic, index, framed))
    # A part whose framing was removed names the subject more surely than a bare phrase.
    return [t for t in out if t[2]] + [t for t in out if not t[2]]


def topic_from_title(title: str, text: str = "") -> str | None:
    """The subject the title names, without subtitle, framing or a leading article; None when
    no part of the title is a short phrase. With the article's ``text``, the candidate the
    article mentions most wins ("Superbugs on the Rise: What Antibiotic Resistance Means..."
    is about antibiotic resistance)."""
    found = title_topics(title)
    if not found:
        return None
    if found[0][1] == 0 and found[0][2] or not text or len(found) == 1:
        return found[0][0]  # the main title, its framing removed
    low = text.lower()
    counts = [low.count(t.lower()) for t, _, _ in found]
    best = max(counts)
    return found[counts.index(best)][0] if best else found[0][0]
