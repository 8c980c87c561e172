"""Hand-written questions and a small gold file for the detector tests."""

from __future__ import annotations

from pathlib import Path

from quizapp.evaluation.detectors import Context, Defect, detect
from quizapp.evaluation.gold import Definition, Fact, Gold, Myth, Sequence
from quizapp.evaluation.views import view

GOLD = Gold(
    path=Path("dns.gold.yaml"),
    source="dns.md",
    shape="docs",
    field="computing",
    topic="DNS",
    facts=[
        Fact(
            "dns",
            "definition",
            "DNS translates names into addresses.",
            ("domain name", "ip address"),
        )
    ],
    myths=[
        Myth(
            "Changing a DNS record takes effect everywhere at the same moment.",
            "Resolvers keep old answers until the TTL expires.",
            ("same moment",),
        )
    ],
    definitions=[Definition("resolver", ("resolver",))],
    lists=[Sequence("record types", ("A record", "MX record", "CNAME record"))],
    steps=[
        Sequence(
            "a lookup",
            (
                "The browser checks its cache",
                "The resolver asks a root server",
                "The root server names the TLD server",
                "The authoritative server returns the address",
            ),
        )
    ],
)
TITLE = "DNS for Beginners: How Your Browser Finds a Website"
HEADINGS = ["What is DNS?", "How a lookup works", "Common record types"]


def cloze(text: str, quote: str | None = None) -> dict:
    plain = text
    while "{{c" in plain:
        start = plain.index("{{c")
        inner = plain.index("::", start) + 2
        end = plain.index("}}", inner)
        plain = plain[:start] + plain[inner:end] + plain[end + 2 :]
    return {
        "type": "cloze",
        "text": text,
        "origin": {"section": "other", "quote": quote if quote is not None else plain},
    }


def true_false(statement: str, answer: bool, quote: str = "") -> dict:
    return {
        "type": "true_false",
        "statement": statement,
        "answer": answer,
        "origin": {"section": "misconception", "quote": quote or statement},
    }


def basic(front: str, back: str) -> dict:
    return {
        "type": "basic",
        "front": front,
        "back": back,
        "origin": {"section": "definition", "quote": back},
    }


def choice(prompt: str, right: list[str], wrong: list[str]) -> dict:
    return {
        "type": "multiple_choice",
        "prompt": prompt,
        "choices": right + wrong,
        "correct": list(range(len(right))),
    }


def ordering(steps: list[str], prompt: str = "Put these steps of a DNS lookup in order.") -> dict:
    return {"type": "ordering", "prompt": prompt, "steps": steps}


def defects(*questions: dict, title: str = TITLE) -> list[list[Defect]]:
    ctx = Context(
        title=title,
        gold=GOLD,
        headings=HEADINGS,
        questions=[view(i, q) for i, q in enumerate(questions)],
    )
    return detect(ctx)


def classes(question: dict, **kw) -> set[str]:
    """The defect classes found in one question asked alone."""
    return {d.cls for d in defects(question, **kw)[0]}
