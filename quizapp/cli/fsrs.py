"""``quizapp fsrs optimize``: fit learners' FSRS parameters (a nightly job, or one learner)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from quizapp.domain import optimizer
from quizapp.extensions import db
from quizapp.models import User, utcnow
from quizapp.services import optimize
from quizapp.services.errors import ServiceError


@click.group("fsrs")
def fsrs_group() -> None:
    """Spaced-repetition scheduling: per-learner parameters."""


def _describe(email: str, row) -> str:
    if row.fitted_log_loss is None:
        return f"{email}: {row.review_count:,} reviews; {row.reason}"
    verdict = "accepted" if row.accepted else "kept the defaults"
    return (
        f"{email}: {row.review_count:,} reviews, {row.scored_count:,} scored; log loss "
        f"{row.default_log_loss:.4f} -> {row.fitted_log_loss:.4f}, RMSE(bins) "
        f"{row.default_rmse_bins:.4f} -> {row.fitted_rmse_bins:.4f}: {verdict}"
    )


@fsrs_group.command("optimize")
@click.argument("emails", nargs=-1)
@click.option(
    "--all",
    "everyone",
    is_flag=True,
    help="Every learner never fitted, or whose reviews grew by 20% since.",
)
@click.option("--force", is_flag=True, help="With --all: refit every learner with enough reviews.")
@with_appcontext
def optimize_command(emails: tuple[str, ...], everyone: bool, force: bool) -> None:
    """Fit FSRS parameters on each learner's own reviews; use them only where they predict better.

    Needs fsrs-rs-python (a dependency of quizapp). Without it, nothing changes and study keeps
    the default parameters.
    """
    if not optimizer.available():
        raise click.ClickException("fsrs-rs-python is not installed: nothing was fitted")
    if everyone == bool(emails):
        raise click.UsageError("name learners by email, or pass --all")
    if everyone:
        refits = optimize.optimize_all(utcnow(), force=force)
        for refit in refits:
            click.echo(_describe(refit.email, refit.row))
        click.echo(f"{len(refits)} learner(s) fitted")
        return
    failed = False
    for email in emails:
        user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
        if user is None:
            click.echo(f"{email}: no such account", err=True)
            failed = True
            continue
        try:
            click.echo(_describe(user.email, optimize.optimize_learner(user.id, utcnow())))
        except ServiceError as exc:
            click.echo(f"{email}: {exc.message}", err=True)
            failed = True
    if failed:
        raise SystemExit(1)
