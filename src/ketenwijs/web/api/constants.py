"""Scopes, limits and token format of the HTTP API; one place so views, docs and tests agree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a token may do; an organisation admin grants any subset."""

    SHARING = "sharing", _("Assess sharing cases (Delen)")
    SIGNALS = "signals", _("Scan texts for signals (Signaleren)")
    PRIVACY = "privacy", _("Check texts for personal data (privacy guard)")
    DECISIONS_READ = "decisions:read", _("Read the organisation's decision log")


SCOPES: tuple[str, ...] = tuple(Scope.values)

# Secrets look like `kw_` + 43 URL-safe characters (32 random bytes); only a SHA-256 is stored.
TOKEN_PREFIX = "kw_"  # noqa: S105 -- a public marker, not a secret
TOKEN_BYTES = 32
# How many characters of the secret are kept in clear so admins can tell tokens apart.
DISPLAY_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6

# A request body above this many bytes is refused with 413 before it is read.
MAX_BODY_BYTES = 1_000_000
# A text to scan or check may hold at most this many characters (about 50 pages of notes); the
# body limit above still holds for texts full of escaped characters.
MAX_TEXT_CHARS = 100_000
# Token lifetimes an admin can choose, in days; the form proposes the default.
LIFETIME_CHOICES = (30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
# Decision log paging.
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# The full version of the API (semver; the URI carries only the major, /api/v1/). Sent in the
# `API-Version` header of every answer (NL API Design Rules, /core/version-header). 1.1.0 added
# problem details, the header itself and the camelCase query keys; nothing was removed.
API_VERSION = "1.1.0"
API_VERSION_HEADER = "API-Version"
