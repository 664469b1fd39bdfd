"""`ketenwijs manage send_learning_reminders`: mail learners whose assigned track is due soon or
overdue and not yet certified, once per stage; run it daily."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ketenwijs.web.learning.services import send_learning_reminders


def _default_base_url() -> str:
    """The first trusted origin, else https:// and the first allowed host that names one."""
    for origin in settings.CSRF_TRUSTED_ORIGINS:
        return str(origin)
    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host:
            return f"https://{host.lstrip('.')}"
    return "http://localhost:8000"


class Command(BaseCommand):
    help = (
        "E-mail learners whose track deadline is within KETENWIJS_LEARNING_REMINDER_DAYS days "
        "or has passed and who are not certified; each stage is mailed once. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="",
            help="Address of this installation for the link in the mail (default: the first "
            "KETENWIJS_CSRF_TRUSTED_ORIGINS entry, else the first allowed host).",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this date (YYYY-MM-DD) as today; for checking a schedule.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = options["base_url"] or _default_base_url()
        if urlsplit(base_url).scheme not in {"http", "https"}:
            raise CommandError("--base-url must start with https:// or http://")
        days = int(settings.KETENWIJS_LEARNING_REMINDER_DAYS)
        today = options["today"] or timezone.localdate()
        run = send_learning_reminders(today, days, base_url)
        self.stdout.write(f"Learning reminders: {run.sent} e-mail(s) sent.")
        if run.failed:
            raise CommandError(
                f"{run.failed} reminder(s) could not be sent (mail server); they are retried on "
                "the next run"
            )
