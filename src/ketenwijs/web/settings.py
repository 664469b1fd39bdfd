"""Django settings, derived only from `KETENWIJS_*` environment variables (see ketenwijs.config)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from ketenwijs.config import load_config
from ketenwijs.web.core.logging import json_logging_config

CONFIG = load_config()
PRODUCTION = CONFIG.is_production
PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR / "web"

DEBUG = False
# Development without a configured key gets a per-data-folder random key (see _dev_secret_key),
# never a fixed one: a fixed key in the source would be a key every installation shares.


def _dev_secret_key() -> str:
    import secrets

    key_file = CONFIG.data_dir / "dev-secret-key"
    try:
        return key_file.read_text(encoding="utf-8").strip()
    except OSError:
        key = secrets.token_urlsafe(64)
        try:
            CONFIG.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(key, encoding="utf-8")
            key_file.chmod(0o600)
        except OSError:
            pass  # a read-only folder still gets a working (per-process) key
        return key


SECRET_KEY = CONFIG.secret_key or _dev_secret_key()
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(CONFIG.csrf_trusted_origins)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ketenwijs.web.accounts",
    "ketenwijs.web.core",
    "ketenwijs.web.sharing",
    "ketenwijs.web.signals",
    "ketenwijs.web.learning",
    "ketenwijs.web.audit",
    "ketenwijs.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ketenwijs.web.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ketenwijs.web.core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication (its 413 page shows the menu); no middleware before it reads the body
    # (CSRF reads it in process_view, which runs after every middleware's request part).
    "ketenwijs.web.core.middleware.RequestBudgetMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ketenwijs.web.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # AxesMiddleware last, as django-axes documents: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ketenwijs.web.urls"
WSGI_APPLICATION = "ketenwijs.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ketenwijs.web.core.context_processors.ketenwijs",
            ],
        },
    }
]

_db = CONFIG.database
DATABASES = {
    "default": {
        "ENGINE": _db.engine,
        "NAME": _db.name,
        "USER": _db.user,
        "PASSWORD": _db.password,
        "HOST": _db.host,
        "PORT": _db.port,
        "OPTIONS": dict(_db.options),
        # Every request in one transaction: a crash mid-write leaves nothing half-stored.
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": 60 if _db.is_postgres else 0,
        "CONN_HEALTH_CHECKS": _db.is_postgres,
        "TEST": {"NAME": f"test_{_db.name}"} if _db.is_postgres else {},
    }
}
if not _db.is_postgres:
    # Wait for a concurrent writer instead of failing at once ("database is locked").
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)  # type: ignore[union-attr]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

if CONFIG.cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG.cache_url,
            "KEY_PREFIX": "ketenwijs",
        }
    }
    # Sessions are read from Redis and written through to the database: any web server can
    # answer any request, and a Redis restart does not log everyone out or lose a wizard.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One process, one cache: fine for the development server, not for several workers
    # (each would count rate limits on its own); production sets KETENWIJS_CACHE_URL.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Authentication ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend first: it refuses locked-out credentials before any hash is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:landing"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The client address as the rate limits see it: behind the trusted proxy, the address that proxy
# put in X-Forwarded-For. Without this, axes counted every failure under the proxy's own address,
# so anyone could lock any account for everyone behind the balancer.
AXES_CLIENT_IP_CALLABLE = "ketenwijs.web.core.ratelimit.client_address"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Ketenwijs"

# Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "ketenwijs_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Decision log: the last head of each chain, written outside the database (DEPLOYMENT.md).
AUDIT_ANCHOR_DIR = CONFIG.audit_anchor_dir or CONFIG.data_dir / "audit-anchors"

# Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
# Production serves collected files (`ketenwijs manage collectstatic`); development serves them
# straight from the apps through WhiteNoise's finders, so no folder needs to exist.
STATIC_ROOT = CONFIG.data_dir / "static" if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# E-mail -----------------------------------------------------------------------------------
if CONFIG.email_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = CONFIG.email_host
    EMAIL_PORT = CONFIG.email_port
    EMAIL_HOST_USER = CONFIG.email_user
    EMAIL_HOST_PASSWORD = CONFIG.email_password
    EMAIL_USE_TLS = CONFIG.email_use_tls
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = CONFIG.email_from
# Security reports and API questions (/.well-known/security.txt, the OpenAPI info.contact).
KETENWIJS_CONTACT_EMAIL = CONFIG.contact_email
KETENWIJS_LEARNING_REMINDER_DAYS = CONFIG.learning_reminder_days
# Days an unfinished Delen assessment is kept after its last change (KETENWIJS_DRAFT_DAYS).
KETENWIJS_DRAFT_DAYS = CONFIG.draft_days
SERVER_EMAIL = CONFIG.email_from

# Security headers -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ketenwijs.web.core.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if CONFIG.trusted_proxy:
        # Only behind a proxy that sets this header itself (Django docs: SECURE_PROXY_SSL_HEADER).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The health check must answer plain HTTP probes from a load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Logging: structured, one JSON object per line, never request bodies. ----------------------
LOGGING = json_logging_config(
    CONFIG.log_level,
    {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # PDF rendering narrates every step at INFO; only its problems belong in the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Uploads: one note file per request, kept in memory and dropped beyond its limit (never spilled
# to a temporary file: a case note must not reach the disk); bodies above 4 MB are refused before
# they are read (core.middleware.RequestBudgetMiddleware). More files or fields than this is 400.
FILE_UPLOAD_HANDLERS = ["ketenwijs.web.signals.uploads.MemoryOnlyUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FILES = 1
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Decision-log checkpoint signing (ADR 0019): the Ed25519 private key, from the environment only.
KETENWIJS_AUDIT_SIGNING_KEY = CONFIG.audit_signing_key
KETENWIJS_AUDIT_SIGNING_KEY_FILE = CONFIG.audit_signing_key_file
KETENWIJS_DATA_DIR = CONFIG.data_dir
