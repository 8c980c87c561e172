"""``python -m quizapp`` is the ``quizapp`` console script."""

from quizapp.cli import cli

cli()
