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


def _default_base_url() -> tuple[str, bool]:
    """The first trusted origin (exact, port included), else https:// and the first allowed host
    that names one; the flag says whether the address is exact. An allowed host carries no port
    or scheme (Django's ALLOWED_HOSTS), so a link built from it is a guess that drops any port."""
    for origin in settings.CSRF_TRUSTED_ORIGINS:
        return str(origin).rstrip("/"), True
    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host:
            return f"https://{host.lstrip('.')}", False
    return "http://localhost:8000", False


class Command(BaseCommand):
    help = (
        "E-mail learners whose track deadline is within KETENWIJS_LEARNING_REMINDER_DAYS days "
        "or has passed and who are not certified; each stage is mailed once. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="",
            help="Address of this installation for the link in the mail, with scheme and port "
            "when not the default, such as https://ketenwijs.example.nl or "
            "http://localhost:8000 (default: the first KETENWIJS_CSRF_TRUSTED_ORIGINS entry; "
            "without one, https:// and the first allowed host, which has no port: a warning is "
            "printed then).",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Treat this date (YYYY-MM-DD) as today; for checking a schedule.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url, exact = options["base_url"], True
        if not base_url:
            base_url, exact = _default_base_url()
        if not exact:
            self.stderr.write(
                f"Warning: the link in the mail uses {base_url}, guessed without a port; if the "
                "site is served on another address or port, pass --base-url (for example "
                "--base-url http://localhost:8000) or set KETENWIJS_CSRF_TRUSTED_ORIGINS."
            )
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
