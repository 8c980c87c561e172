"""No code decides anything by a question type's name: it asks the type.

Study, quizzes, the editor, import/export and analytics ask the type (``get_type(name)``, its
methods and flags, ``qtype.template(part)``); a comparison against ``"cloze"`` is a switch that
the next type would have to be added to. Inside the registry too a type is asked, not named (the
linter calls each type's ``lint``), so only the deck builder's side is allowed (``ALLOWED``).
The scan is over the syntax tree (comparisons, ``match`` cases and dict keys whose value is a
registered type name) and over the templates (a type name in quotes next to ``==``, ``!=``, ``in``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from quizapp.domain.questions import QUESTION_TYPES

ROOT = Path(__file__).resolve().parents[1]
NAMES = set(QUESTION_TYPES)

#: Where deciding by a type's name is the job itself, each with the reason.
ALLOWED = {
    "quizapp/domain/builder/": "the deck builder's generators write questions of a given type, "
    "and its quality rules judge those generated drafts",
    "quizapp/evaluation/": "the builder's evaluation against the gold corpus: judges what the "
    "generators of each type wrote",
    "quizapp/bench/": "benchmark seeders and load clients that write questions and answers of "
    "each type, as a user would",
}


def _allowed(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in ALLOWED)


def _names_in(node: ast.AST) -> list[str]:
    """Type names among the constants of ``node`` (a constant, or a tuple/list/set of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES:
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [n for e in node.elts for n in _names_in(e)]
    return []


def type_name_uses(source: str) -> list[tuple[int, str]]:
    """``(line, name)`` of each comparison, ``match`` case or dict key on a type name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found += [(node.lineno, n) for n in _names_in(side)]
        elif isinstance(node, ast.MatchValue):
            found += [(node.lineno, n) for n in _names_in(node.value)]
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    found += [(key.lineno, n) for n in _names_in(key)]
    return sorted(found)


TEMPLATE_USE = re.compile(
    r"""(?:==|!=|\bin)\s*\(?\s*(?:['"]\w+['"]\s*,\s*)*['"](?P<name>\w+)['"]"""
    r"""|['"](?P<left>\w+)['"]\s*(?:==|!=)"""
)


def template_uses(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for tag in re.findall(r"{[{%].*?[%}]}", line):
            for m in TEMPLATE_USE.finditer(tag):
                name = m["name"] or m["left"]
                if name in NAMES:
                    found.append((number, name))
            # every quoted name inside an `in (...)` list, not only the last
            for group in re.findall(r"\bin\s*\(([^)]*)\)", tag):
                found += [
                    (number, n)
                    for n in re.findall(r"""['"](\w+)['"]""", group)
                    if n in NAMES and (number, n) not in found
                ]
    return found


def python_files() -> list[Path]:
    return sorted((ROOT / "quizapp").rglob("*.py"))


def test_no_code_compares_a_type_name():
    offenders = []
    for path in python_files():
        rel = path.relative_to(ROOT).as_posix()
        if _allowed(rel):
            continue
        offenders += [
            f"{rel}:{line}: {name!r}"
            for line, name in type_name_uses(path.read_text(encoding="utf-8"))
        ]
    assert offenders == [], (
        "decide by asking the question type (get_type(name) and its methods), not by its "
        "name:\n" + "\n".join(offenders)
    )


def test_no_template_compares_a_type_name():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        rel = path.relative_to(ROOT).as_posix()
        offenders += [
            f"{rel}:{line}: {name!r}"
            for line, name in template_uses(path.read_text(encoding="utf-8"))
        ]
    assert offenders == [], (
        "include the type's own template (question_type(name).template(part)) instead:\n"
        + "\n".join(offenders)
    )


def test_every_type_has_its_template_folder():
    for name, qtype in QUESTION_TYPES.items():
        for part in ("ask", "feedback", "preview", "edit", "quiz"):
            assert (ROOT / "templates" / qtype.template(part)).is_file(), (name, part)
        if qtype.can_reveal:
            assert (ROOT / "templates" / qtype.template("reveal")).is_file(), name


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('if q.type == "cloze": pass', [(1, "cloze")]),
        ('x = t in ("basic", "ordering")', [(1, "basic"), (1, "ordering")]),
        ('d = {"true_false": 1}', [(1, "true_false")]),
        ('match t:\n    case "multiple_choice": pass', [(2, "multiple_choice")]),
        ('Draft(type="basic")', []),  # writing a question of a type is not deciding by its name
        ('if q.type == "clozet": pass', []),
        ("x = get_type(q.type).revealable", []),
    ],
)
def test_the_scan_finds_what_it_should(source, expected):
    assert type_name_uses(source) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{% if card.type == 'cloze' %}", [(1, "cloze")]),
        ('{% elif item.kind in ("multiple_choice", "basic_choice") %}', [(1, "multiple_choice")]),
        ("{{ x|join(' → ' if question.type == 'ordering' else '; ') }}", [(1, "ordering")]),
        ('{% include question_type(card.type).template("ask") %}', []),
        ("<p>basic</p>", []),
    ],
)
def test_the_template_scan_finds_what_it_should(line, expected):
    assert template_uses(line) == expected
