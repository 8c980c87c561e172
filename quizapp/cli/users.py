"""``quizapp user create EMAIL --role ROLE`` and ``quizapp user reset-link EMAIL``: accounts from
the command line."""

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
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.LEARNER.value,
    show_default=True,
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
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


@user_group.command("reset-link")
@click.argument("email")
@with_appcontext
def reset_link(email: str) -> None:
    """Print a one-time password-reset link for an account (valid 24 hours): for an admin who
    cannot sign in, on a site that sends no email."""
    from flask import current_app

    from quizapp.models import utcnow
    from quizapp.services import resets
    from quizapp.services.accounts import find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"There is no account with the email {email!r}.")
    issued = resets.issue_by_admin(user, by=None, now=utcnow())
    path = f"/auth/reset/{issued.token}"
    base = current_app.config.get("QUIZAPP_BASE_URL")
    click.echo(f"{base}{path}" if base else path)
    if not base:
        click.echo("(put your site's address in front; QUIZAPP_BASE_URL does it for you)", err=True)
    click.echo(
        f"for {user.email}; works once, until {issued.expires_at:%Y-%m-%d %H:%M} UTC", err=True
    )
