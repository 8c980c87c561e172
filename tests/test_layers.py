"""The layers of docs/architecture.md, read from the code's syntax trees (not grepped text, so a
comment or a string cannot pass or fail them): the domain imports no Flask, SQLAlchemy or models,
and only services commit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"

#: What the domain never imports (top-level names and quizapp modules).
DOMAIN_FORBIDDEN = (
    "flask",
    "flask_",
    "sqlalchemy",
    "werkzeug",
    "quizapp.models",
    "quizapp.extensions",
    "quizapp.services",
    "quizapp.web",
)

#: Code outside services that calls ``commit()`` on something other than the app's database, and
#: why. Anything else outside services that commits fails the test.
COMMITS_ALLOWED = {
    "domain/anki/package.py": "commits the in-memory SQLite collection of the Anki package it "
    "builds, not the app's database",
    "bench/seed.py": "the benchmark harness seeds its own database through a raw connection",
    "bench/run.py": "the benchmark harness sets up its own table through a raw connection",
    "bench/floor.py": "the benchmark's floor endpoint (registered only by `quizapp bench`) "
    "measures one bare write",
}


def _modules(folder: str = "") -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """Every module ``path`` (in the package at ``root``) imports, relative imports resolved,
    with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            # ``from quizapp import models`` imports the module too.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _forbidden(name: str) -> bool:
    return any(
        name == f or name.startswith(f + ".") or (f.endswith("_") and name.startswith(f))
        for f in DOMAIN_FORBIDDEN
    )


def test_the_domain_imports_no_flask_sqlalchemy_or_models():
    offending = [
        f"{path.relative_to(PACKAGE)}:{line}: imports {name}"
        for path in _modules("domain")
        for line, name in _imports(path)
        if _forbidden(name)
    ]
    assert offending == []


def _commits(path: Path) -> list[int]:
    """The lines calling ``<something>.commit()`` without arguments: a session's or a
    connection's commit (``yamlio.commit(staged)``, writing staged files, is not one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        and not node.args
        and not node.keywords
    ]


def test_only_services_commit():
    offending = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in _modules()
        if path.relative_to(PACKAGE).parts[0] != "services"
        and str(path.relative_to(PACKAGE)) not in COMMITS_ALLOWED
        for line in _commits(path)
    ]
    assert offending == []


def test_every_allowed_commit_is_still_there():
    """An exception that is no longer needed is removed from the list, not left to excuse a
    later one."""
    for name in COMMITS_ALLOWED:
        assert _commits(PACKAGE / name), f"{name} no longer commits: remove it from the list"


@pytest.mark.parametrize(
    "source, name, expected",
    [
        ("import flask\n", "domain/x.py", True),
        ("from sqlalchemy.orm import Session\n", "domain/x.py", True),
        ("from ...models import Deck\n", "domain/questions/x.py", True),
        ("from quizapp import models\n", "domain/x.py", True),
        ("from flask_login import current_user\n", "domain/x.py", True),
        ("from . import scheduling\n", "domain/x.py", False),
        ("# import flask\nx = 'from sqlalchemy import select'\n", "domain/x.py", False),
    ],
)
def test_the_import_scan_reads_code_not_text(tmp_path, source, name, expected):
    """The scan itself: relative imports resolved, comments and strings ignored."""
    root = tmp_path / "quizapp"
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    assert any(_forbidden(found) for _, found in _imports(path, root)) is expected


@pytest.mark.parametrize(
    "source, commits",
    [
        ("db.session.commit()\n", [1]),
        ("def f(s):\n    s.commit()\n", [2]),
        ("yamlio.commit(staged)\n", []),
        ("# db.session.commit()\nx = 'db.session.commit()'\n", []),
    ],
)
def test_the_commit_scan_reads_code_not_text(tmp_path, source, commits):
    path = tmp_path / "x.py"
    path.write_text(source, encoding="utf-8")
    assert _commits(path) == commits
