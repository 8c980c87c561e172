"""Where the project's data folders are: inside the installed package, or beside it in a checkout.

A wheel carries ``templates/``, ``decks/`` and ``migrations/`` inside ``quizapp/`` (see
pyproject.toml); a source checkout keeps them at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``templates``, ``decks`` or ``migrations``) of this installation."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"quizapp is installed without its {name}/ folder")
