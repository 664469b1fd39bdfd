"""`ketenwijs learning`: check the Herkennen content (exit 0 when valid, 1 listing every error)."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ketenwijs.learning import check_learning_content
from ketenwijs.learning.content import overdue_reviews


@click.group()
def learning() -> None:
    """Herkennen: lesstof controleren / check the learning content."""


@learning.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date to compare review dates with (default: today).",
)
def validate(path: str | None, today: dt.datetime | None) -> None:
    """Check every lesson, scenario, quiz, card and the explainer under PATH (default: packaged).

    Time-sensitive facts whose review date has passed are warnings: the content still loads.
    """
    content, errors = check_learning_content(path)
    if content is None:
        for error in errors:
            click.echo(f"error: {error}", err=True)
        click.echo(f"{len(errors)} error(s) in the learning content", err=True)
        sys.exit(1)
    for warning in overdue_reviews(content, today.date() if today else dt.date.today()):
        click.echo(f"warning: {warning}", err=True)
    click.echo(content.summary())
