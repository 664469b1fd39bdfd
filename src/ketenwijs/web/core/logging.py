"""One JSON object per log line, so logs are machine-readable and never carry request bodies."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Django attaches the request to error records; it may hold personal data, so it is dropped.
_DROPPED = {"request", "args"}


def json_logging_config(level: str, loggers: dict[str, dict[str, object]]) -> dict[str, object]:
    """The logging configuration of Django's settings and of gunicorn (`ketenwijs serve`): JSON
    lines on stderr, refused requests without tracebacks, and the given per-logger settings."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ketenwijs.web.core.logging.JsonFormatter"}},
        "filters": {
            "no_client_error_traceback": {"()": "ketenwijs.web.core.logging.ClientErrorFilter"}
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["no_client_error_traceback"],
            }
        },
        "root": {"level": level.upper(), "handlers": ["console"]},
        "loggers": loggers,
    }


class JsonFormatter(logging.Formatter):
    """Format a record as compact JSON with time, level, logger, message and safe extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _DROPPED:
                payload[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


class ClientErrorFilter(logging.Filter):
    """Keep 4xx lines (403, 404, 400) short: the client's mistake needs no traceback in the log.

    Django attaches the exception (PermissionDenied, SuspiciousOperation) to its "Forbidden" and
    "Bad Request" lines; a traceback per refused request only buries the real errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        client_error = isinstance(status, int) and 400 <= status < 500
        if record.name.startswith("django.security"):
            # Too many files or fields, a bad host: the client's doing, not the service's error.
            client_error = True
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        if record.exc_info and client_error:
            record.exc_info = None
            record.exc_text = None
        return True
