"""Entry point of the `ketenwijs` command; sub-command groups load lazily so `share` stays fast."""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> "module:attribute" of a click command or group. Loaded only when used, so a domain
# command (e.g. `share assess`) never pays for importing Django.
SUBCOMMANDS: dict[str, str] = {
    "serve": "ketenwijs.cli.web:serve",
    "manage": "ketenwijs.cli.web:manage",
    "audit": "ketenwijs.cli.audit:audit",
    "share": "ketenwijs.cli.share:share",
    "privacy": "ketenwijs.cli.privacy:privacy",
    "learning": "ketenwijs.cli.learning:learning",
    "signals": "ketenwijs.cli.signals:signals",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SUBCOMMANDS:
            module_name, attr = SUBCOMMANDS[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module_name), attr)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ketenwijs")
def cli() -> None:
    """Ketenwijs: deel informatie rechtmatig, herken uitbuiting, verantwoord besluiten."""


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI (console-script entry point)."""
    return cli.main(args=argv, prog_name="ketenwijs")
