"""`ketenwijs manage purge_api_calls [--days N]`: drop API call-log rows older than N days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenwijs.web.api.services import purge_call_log

DEFAULT_DAYS = 90


class Command(BaseCommand):
    help = (
        f"Delete API call-log entries older than --days (default {DEFAULT_DAYS}); run it daily, "
        "next to `ketenwijs audit purge`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Keep this many days of the call log (at least 1; default {DEFAULT_DAYS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = purge_call_log(days)
        self.stdout.write(f"API call log: {deleted} entries older than {days} days deleted.")
