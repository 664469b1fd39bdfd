"""`ketenwijs learning`: check the Herkennen content (exit 0 when valid, 1 listing every error)."""

from __future__ import annotations

import sys

import click

from ketenwijs.learning import check_learning_content


@click.group()
def learning() -> None:
    """Herkennen: lesstof controleren / check the learning content."""


@learning.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
def validate(path: str | None) -> None:
    """Check every lesson, scenario, quiz, card and the explainer under PATH (default: packaged)."""
    content, errors = check_learning_content(path)
    if content is None:
        for error in errors:
            click.echo(f"error: {error}", err=True)
        click.echo(f"{len(errors)} error(s) in the learning content", err=True)
        sys.exit(1)
    click.echo(content.summary())
