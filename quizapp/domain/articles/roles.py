"""Recognising what a heading is for: its *role*, whatever its exact wording.

"Common Misconception", "Common Misconceptions", "Myth", "Myths vs Facts" and "What People Get
Wrong" all play the misconception role; "3 Things to Remember", "Key Takeaways" and "Remember
This" the takeaway role; "The Mechanism" and "How It Works" the mechanism role. Each role has a
few keyword patterns, tried on the heading in lower case with numbers, the article's own topic
and punctuation removed; a heading that matches none is compared with every known heading by
rapidfuzz, so a typo ("Common Misconeption") still lands. Anything else is ``other``.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "takeaway",
        r"\b(things? to (remember|know|keep in mind)|take ?aways?|key (points?|facts|"
        r"lessons)|remember( this)?|to remember|tl ?dr|recap|in (short|summary|a nutshell)"
        r"|summary|bottom line|what to remember|cheat ?sheet)\b",
    ),
    (
        "misconception",
        r"\b(misconceptions?|myths?|misunderstandings?|mistakes? people make|"
        r"(people|everyone|most people) get wrong|misbeliefs?|debunked|"
        r"fact (vs|or|versus) fiction|truth about)\b",
    ),
    (
        "signs",
        r"\b(signs?|symptoms?|red flags?|warning|how to tell|indicators?|you might notice"
        r"|what it looks like)\b",
    ),
    (
        "improve",
        r"\b(how to (improve|support|boost|optimi[sz]e|increase|fix|restore|protect|"
        r"strengthen|reset)|what helps|what you can do|tips|practical steps|action steps"
        r"|protocol for|habits that help|strategies)\b",
    ),
    (
        "amplifiers",
        r"\b(amplif\w*|boost(er)?s|enhancers?|what (boosts|raises|strengthens)|"
        r"helps it)\b",
    ),
    (
        "suppressors",
        r"\b(suppress\w*|what (blunts|lowers|weakens|disrupts|hurts)|inhibitors?|"
        r"blockers?)\b",
    ),
    (
        "mechanism",
        r"\b(mechanisms?|how (it|this|they) works?|how \w+( \w+)? works?|the science|"
        r"the biology|the physiology|under the hood|what happens|the process|"
        r"step by step|behind the scenes)\b",
    ),
    (
        "why_it_matters",
        r"\b(why (it|this|they) matters?|why \w+( \w+)? matters?|why (it|this) is "
        r"important|why care|the stakes|importance|why you should care)\b",
    ),
    (
        "definition",
        r"\b(plain english|in plain (english|terms|words)|definition|defined|"
        r"what (is|are) (it|this|they)|what it is|simply put|in simple terms|overview|"
        r"the basics|meaning)\b|^what (is|are) [a-z' ]{2,40}$",
    ),
    ("appears_in", r"\b(appears in|featured in|used in|mentioned in)\b"),
    (
        "related",
        r"\b(related( terms| articles| reading| posts| topics)?|see also|further reading"
        r"|read next|more (articles|reading)|references|sources|citations)\b",
    ),
    (
        "cta",
        r"\b(get started|start (your )?free|sign up|subscribe|free trial|download (the|our)|"
        r"join (now|today|us)|try (it |\w+ )?(free|now|today)|book a (demo|call)|"
        r"into daily practice|newsletter|get (the|our|your) free)\b",
    ),
)
_COMPILED = tuple((role, re.compile(p)) for role, p in _PATTERNS)

#: Canonical headings for fuzzy matching of misspelt ones.
_CANONICAL = {
    "plain english": "definition",
    "definition": "definition",
    "the mechanism": "mechanism",
    "how it works": "mechanism",
    "why it matters": "why_it_matters",
    "common misconception": "misconception",
    "misconception": "misconception",
    "signs it is disrupted": "signs",
    "warning signs": "signs",
    "how to improve it": "improve",
    "things to remember": "takeaway",
    "key takeaways": "takeaway",
    "appears in": "appears_in",
    "related terms": "related",
}


def normalise_heading(heading: str, topic: str = "") -> str:
    """Lower case, without numbers, punctuation, the article's topic or a leading article."""
    text = heading.lower().replace("’", "'").replace("&", " and ")
    if topic:
        text = text.replace(topic.lower(), " ")
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = re.sub(
        r"\b(the|a|an)\b(?= (myth|misconception|signs?|definition|mechanism)\b)", " ", text
    )
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def heading_role(heading: str, topic: str = "") -> str:
    """The role of ``heading`` (one of :data:`.model.ROLES`); ``other`` when none fits."""
    text = normalise_heading(heading, topic)
    if not text:
        return "other"
    for role, pattern in _COMPILED:
        if pattern.search(text):
            return _refine(role, text)
    return _fuzzy(text)


def _refine(role: str, text: str) -> str:
    # "Signs of Recovery" is a signs list; "Why Sign Up" is not, but the CTA pattern needs to win
    # only when the heading is short and imperative.
    if role == "signs" and re.search(r"\bsign (up|in)\b", text):
        return "cta"
    return role


def _fuzzy(text: str) -> str:
    from rapidfuzz import fuzz, process

    match = process.extractOne(text, list(_CANONICAL), scorer=fuzz.ratio, score_cutoff=85)
    return _CANONICAL[match[0]] if match else "other"


def is_known_heading(heading: str) -> bool:
    """True when ``heading`` plays a role other than ``other``."""
    return heading_role(heading) != "other"
