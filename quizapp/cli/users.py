"""``quizapp user create EMAIL --role ROLE``: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from quizapp.models import Role
from quizapp.services.accounts import AccountError, create_user


@click.group("user")
def user_group() -> None:
    """Manage user accounts."""


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value,
              show_default=True)
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of prompting.")
@with_appcontext
def create(email: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password comes from a prompt, or stdin when not a terminal."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {user.email} ({user.role})")
