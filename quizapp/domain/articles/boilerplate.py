"""Recognising text that is page furniture, not article content.

Calls to action ("Get started free", "Sign up", "All in one place"), cookie notices, copyright
lines and "read more" links are boilerplate: they never become questions. Strong phrases count
in any short block; weak ones ("learn more", "click here") only in a block of a few words, so
that a sentence such as "Athletes learn more quickly when..." stays content.
"""

from __future__ import annotations

import re

_STRONG = re.compile(
    r"\b(get started|start (your )?free|sign ?up\b|subscribe|free trial|try (it|\w+) (for )?free|"
    r"download (the|our) app|join (now|today|us|the|\d[\d,]*)|book a (demo|call)|all in one place"
    r"|in your inbox|cookies?\b|privacy policy|terms of (use|service)|all rights reserved|"
    r"daily health score|turn what you've learned|unsubscribe|promo code|discount code|"
    r"add to cart|buy now|shop now|order now)",
    re.I,
)
_WEAK = re.compile(
    r"\b(learn more|read more|click here|continue reading|share this|"
    r"follow us|back to top|next post|previous post|home|menu|log ?in)\b",
    re.I,
)
MAX_STRONG_WORDS = 40
MAX_WEAK_WORDS = 6


_HINT = re.compile(
    r"get |start|sign|subscri|free|download|join|book a|all in one|inbox|"
    r"cookie|privacy|terms of|rights reserved|health score|learned|promo|"
    r"discount|cart|buy now|shop now|order now"
)


def is_boilerplate(text: str) -> bool:
    """True when ``text`` (a paragraph, list item or heading) is furniture, not content."""
    if ("©" in text or "&copy;" in text) and not text.rstrip().endswith("?"):
        return True  # a footer's notice; "Do I have to use the © symbol ...?" is an FAQ
    if len(text) > MAX_STRONG_WORDS * 12:
        return False  # far longer than any call to action
    low = text.lower()
    n = len(text.split())
    if n <= MAX_WEAK_WORDS and _WEAK.search(text):
        return True
    if not _HINT.search(low):
        return False
    return n <= MAX_STRONG_WORDS and bool(_STRONG.search(low.replace("’", "'")))
