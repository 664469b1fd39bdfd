"""Read Ketenwijs configuration from `KETENWIJS_*` environment variables, and nothing else.

Pure Python (no Django) so the CLI can report a bad variable in one line before anything starts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY_LENGTH = 50

# Rate limits (count per period) unless KETENWIJS_RATE_LIMITS overrides one; see README.
#   login: login and password-reset submissions per client address;
#   api: API calls per token (or per client address when no token is sent);
#   api_auth_failures: API answers 401 per client address, after which it is refused for a while;
#   public: public pages that look something up (certificate verification) per client address.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "login": (60, 60),
    "api": (600, 60),
    "api_auth_failures": (20, 60),
    "public": (60, 60),
    # Note files (.docx, .pdf) per user: each may cost up to the extraction fence (6 s CPU).
    "upload": (10, 60),
}
_RATE_PERIODS = {"s": 1, "m": 60, "h": 3600}
DEFAULT_CONTACT_EMAIL = "security@ketenwijs.invalid"


class ConfigError(ValueError):
    """A configuration variable is wrong; the message names it and what is expected."""


@dataclass(frozen=True)
class DatabaseConfig:
    """Connection settings in Django's DATABASES shape."""

    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.engine.endswith("postgresql")

    def describe(self) -> str:
        """Say where the database is without revealing the password."""
        if self.is_postgres:
            return f"PostgreSQL {self.name} on {self.host or 'localhost'}:{self.port or 5432}"
        return f"SQLite {self.name}"


@dataclass(frozen=True)
class Config:
    """All settings Ketenwijs reads from its environment."""

    env: str
    secret_key: str
    allowed_hosts: tuple[str, ...]
    data_dir: Path
    database: DatabaseConfig
    cache_url: str | None
    email_host: str | None
    email_port: int
    email_user: str
    email_password: str
    email_use_tls: bool
    email_from: str
    trusted_proxy: bool
    csrf_trusted_origins: tuple[str, ...]
    log_level: str
    rate_limits: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: dict(DEFAULT_RATE_LIMITS)
    )
    # Who answers security reports and API questions for this installation (security.txt,
    # the OpenAPI contact): KETENWIJS_CONTACT_EMAIL, else KETENWIJS_EMAIL_FROM when set, else
    # an address in the reserved .invalid domain (RFC 2606) that visibly says "not configured".
    contact_email: str = DEFAULT_CONTACT_EMAIL
    # Learners get a reminder this many days before an assigned track's deadline (and one after).
    learning_reminder_days: int = 7
    # Where the last head of each organisation's decision log is written outside the database
    # (rollback and wipe detection, issue 14); default DATA_DIR/audit-anchors.
    audit_anchor_dir: Path | None = None
    # The Ed25519 key that signs decision-log checkpoints (ADR 0019): PEM or base64 text, or a
    # file holding it. Never in the database. Development generates one into the data folder.
    audit_signing_key: str = ""
    audit_signing_key_file: Path | None = None
    # Days an unfinished Delen assessment (a draft: case facts only) is kept after its last
    # change; KETENWIJS_DRAFT_DAYS, 1 to 365.
    draft_days: int = 30

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r}: expected true or false")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a whole number") from None


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def _email(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    local, at, domain = raw.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain.strip(".")
        or len(raw) > 254
        or any(c.isspace() or c in '<>,;:"' for c in raw)
    ):
        raise ConfigError(f"{name}={raw!r}: expected one e-mail address, e.g. security@example.nl")
    return raw


def parse_rate_limits(raw: str) -> dict[str, tuple[int, int]]:
    """Read `login=30/m,api=600/m`: each named limit as (count, seconds); the rest stay default."""
    name = "KETENWIJS_RATE_LIMITS"
    limits = dict(DEFAULT_RATE_LIMITS)
    for part in (piece.strip() for piece in raw.split(",")):
        if not part:
            continue
        scope, _, rate = part.partition("=")
        scope = scope.strip()
        if scope not in DEFAULT_RATE_LIMITS:
            known = ", ".join(DEFAULT_RATE_LIMITS)
            raise ConfigError(f"{name}: unknown limit {scope!r} (known: {known})")
        count, _, unit = rate.strip().partition("/")
        if not count.isdigit() or int(count) < 1 or unit not in _RATE_PERIODS:
            raise ConfigError(
                f"{name}: {part!r} should be NAME=COUNT/s, /m or /h with COUNT at least 1 "
                "(e.g. login=30/m)"
            )
        limits[scope] = (int(count), _RATE_PERIODS[unit])
    return limits


def parse_database_url(url: str, data_dir: Path) -> DatabaseConfig:
    """Turn `postgresql://user:pw@host:5432/name` or `sqlite:///path` into a DatabaseConfig."""
    name = "KETENWIJS_DATABASE_URL"
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        db_name = unquote(parts.path.lstrip("/"))
        if not db_name:
            raise ConfigError(f"{name}: the URL names no database (expected .../DATABASE_NAME)")
        try:
            port = str(parts.port) if parts.port else ""
        except ValueError:
            raise ConfigError(f"{name}: the port is not a number") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return DatabaseConfig(
            engine="django.db.backends.postgresql",
            name=db_name,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=unquote(parts.hostname or ""),
            port=port,
            options=options,
        )
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        if raw_path.startswith("//"):
            raw_path = raw_path[1:]  # sqlite:////abs/path
        elif raw_path.startswith("/"):
            raw_path = raw_path[1:]  # sqlite:///relative/path
        path = Path(raw_path) if raw_path else data_dir / "ketenwijs.sqlite3"
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=str(path))
    raise ConfigError(
        f"{name}={url!r}: expected postgresql://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH"
    )


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """Read and check every KETENWIJS_* variable; raise ConfigError on the first wrong one."""
    env = os.environ if env is None else env
    unknown = sorted(
        key for key in env if key.startswith("KETENWIJS_") and key not in KNOWN_VARIABLES
    )
    if unknown:
        from difflib import get_close_matches

        near = get_close_matches(unknown[0], KNOWN_VARIABLES, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise ConfigError(f"{unknown[0]}: unknown setting{hint}")

    environment = env.get("KETENWIJS_ENV", "development").strip() or "development"
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"KETENWIJS_ENV={environment!r}: expected development or production")
    production = environment == "production"

    data_dir = Path(env.get("KETENWIJS_DATA_DIR", "") or "data").expanduser()
    secret_key = env.get("KETENWIJS_SECRET_KEY", "")
    allowed_hosts = _list(env, "KETENWIJS_ALLOWED_HOSTS")
    if production:
        if not secret_key:
            raise ConfigError(
                "KETENWIJS_SECRET_KEY is required when KETENWIJS_ENV=production "
                f"(a random string of at least {MIN_SECRET_KEY_LENGTH} characters)"
            )
        if len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
            raise ConfigError(
                f"KETENWIJS_SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} "
                "random characters"
            )
        if not allowed_hosts:
            raise ConfigError(
                "KETENWIJS_ALLOWED_HOSTS is required when KETENWIJS_ENV=production "
                "(comma-separated host names, e.g. ketenwijs.example.nl)"
            )
    elif not allowed_hosts:
        allowed_hosts = ("127.0.0.1", "localhost", "[::1]")

    db_url = env.get("KETENWIJS_DATABASE_URL", "").strip()
    database = (
        parse_database_url(db_url, data_dir)
        if db_url
        else DatabaseConfig(
            engine="django.db.backends.sqlite3", name=str(data_dir / "ketenwijs.sqlite3")
        )
    )

    cache_url = env.get("KETENWIJS_CACHE_URL", "").strip() or None
    if cache_url is not None and urlsplit(cache_url).scheme not in {"redis", "rediss"}:
        raise ConfigError(
            f"KETENWIJS_CACHE_URL={cache_url!r}: expected redis://HOST:PORT/DB or rediss://..."
        )

    log_level = env.get("KETENWIJS_LOG_LEVEL", "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(
            f"KETENWIJS_LOG_LEVEL={log_level!r}: expected DEBUG, INFO, WARNING or ERROR"
        )

    origins = _list(env, "KETENWIJS_CSRF_TRUSTED_ORIGINS")
    for origin in origins:
        if urlsplit(origin).scheme not in {"http", "https"}:
            raise ConfigError(
                f"KETENWIJS_CSRF_TRUSTED_ORIGINS: {origin!r} must start with https:// or http://"
            )

    audit_key, audit_key_file = _audit_signing_key(env, production)

    email_from = env.get("KETENWIJS_EMAIL_FROM", "") or "ketenwijs@localhost"
    reminder_days = _int(env, "KETENWIJS_LEARNING_REMINDER_DAYS", 7)
    if not 1 <= reminder_days <= 60:
        raise ConfigError(
            f"KETENWIJS_LEARNING_REMINDER_DAYS={reminder_days}: expected 1 to 60 days"
        )
    contact_default = env.get("KETENWIJS_EMAIL_FROM", "").strip() or DEFAULT_CONTACT_EMAIL
    return Config(
        env=environment,
        secret_key=secret_key,
        allowed_hosts=allowed_hosts,
        data_dir=data_dir,
        database=database,
        cache_url=cache_url,
        email_host=env.get("KETENWIJS_EMAIL_HOST", "").strip() or None,
        email_port=_int(env, "KETENWIJS_EMAIL_PORT", 587),
        email_user=env.get("KETENWIJS_EMAIL_USER", ""),
        email_password=env.get("KETENWIJS_EMAIL_PASSWORD", ""),
        email_use_tls=_bool(env, "KETENWIJS_EMAIL_USE_TLS", True),
        email_from=email_from,
        trusted_proxy=_bool(env, "KETENWIJS_TRUSTED_PROXY", False),
        csrf_trusted_origins=origins,
        log_level=log_level,
        rate_limits=parse_rate_limits(env.get("KETENWIJS_RATE_LIMITS", "")),
        contact_email=_email(env, "KETENWIJS_CONTACT_EMAIL", contact_default),
        learning_reminder_days=reminder_days,
        audit_anchor_dir=Path(
            env.get("KETENWIJS_AUDIT_ANCHOR_DIR", "") or data_dir / "audit-anchors"
        ).expanduser(),
        audit_signing_key=audit_key,
        audit_signing_key_file=audit_key_file,
        draft_days=_draft_days(env),
    )


def _audit_signing_key(env: Mapping[str, str], production: bool) -> tuple[str, Path | None]:
    """Read the checkpoint signing key setting; in production it is required and checked now,
    so a missing or unreadable key stops the start rather than the first saved decision."""
    key = env.get("KETENWIJS_AUDIT_SIGNING_KEY", "").strip()
    raw_file = env.get("KETENWIJS_AUDIT_SIGNING_KEY_FILE", "").strip()
    if key and raw_file:
        raise ConfigError(
            "KETENWIJS_AUDIT_SIGNING_KEY and KETENWIJS_AUDIT_SIGNING_KEY_FILE are both set: "
            "give the key one way"
        )
    key_file = Path(raw_file).expanduser() if raw_file else None
    if not key and key_file is None:
        if production:
            raise ConfigError(
                "KETENWIJS_AUDIT_SIGNING_KEY or KETENWIJS_AUDIT_SIGNING_KEY_FILE is required when "
                "KETENWIJS_ENV=production (an Ed25519 private key; create one with "
                "`ketenwijs audit generate-key`)"
            )
        return "", None
    name = "KETENWIJS_AUDIT_SIGNING_KEY"
    text = key
    if key_file is not None:
        name = "KETENWIJS_AUDIT_SIGNING_KEY_FILE"
        try:
            text = key_file.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}={raw_file!r}: cannot read the key file ({exc})") from None
    from ketenwijs.audit.signing import SigningKeyError, load_private_key

    try:
        load_private_key(text)
    except SigningKeyError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    return key, key_file


def _draft_days(env: Mapping[str, str]) -> int:
    days = _int(env, "KETENWIJS_DRAFT_DAYS", 30)
    if not 1 <= days <= 365:
        raise ConfigError(f"KETENWIJS_DRAFT_DAYS={days}: expected a number of days from 1 to 365")
    return days


# Every variable Ketenwijs reads; a misspelt one is an error rather than silently ignored.
KNOWN_VARIABLES = (
    "KETENWIJS_ENV",
    "KETENWIJS_SECRET_KEY",
    "KETENWIJS_ALLOWED_HOSTS",
    "KETENWIJS_DATA_DIR",
    "KETENWIJS_DATABASE_URL",
    "KETENWIJS_CACHE_URL",
    "KETENWIJS_EMAIL_HOST",
    "KETENWIJS_EMAIL_PORT",
    "KETENWIJS_EMAIL_USER",
    "KETENWIJS_EMAIL_PASSWORD",
    "KETENWIJS_EMAIL_USE_TLS",
    "KETENWIJS_EMAIL_FROM",
    "KETENWIJS_TRUSTED_PROXY",
    "KETENWIJS_CSRF_TRUSTED_ORIGINS",
    "KETENWIJS_LOG_LEVEL",
    "KETENWIJS_RATE_LIMITS",
    "KETENWIJS_LEARNING_REMINDER_DAYS",
    "KETENWIJS_AUDIT_SIGNING_KEY",
    "KETENWIJS_AUDIT_SIGNING_KEY_FILE",
    "KETENWIJS_DRAFT_DAYS",
    "KETENWIJS_CONTACT_EMAIL",
    "KETENWIJS_AUDIT_ANCHOR_DIR",
)
