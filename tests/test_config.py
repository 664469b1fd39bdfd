"""Configuration comes only from KETENWIJS_* variables; a wrong one is a one-line error."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from ketenwijs.config import ConfigError, load_config

STRONG_KEY = "k" * 20 + "Q7w!e9R$t2Y#u4I%o6P^a8S&d0F*g1H(j3"


def test_defaults_are_development_on_sqlite_in_data_folder() -> None:
    config = load_config({})
    assert config.env == "development"
    assert config.database.engine == "django.db.backends.sqlite3"
    assert config.database.name == str(Path("data") / "ketenwijs.sqlite3")
    assert "127.0.0.1" in config.allowed_hosts


def test_postgres_url_is_parsed() -> None:
    config = load_config(
        {
            "KETENWIJS_DATABASE_URL": "postgresql://kw:geh%40im@db.local:5433/ketenwijs?sslmode=require"
        }
    )
    db = config.database
    assert (db.engine, db.user, db.password, db.host, db.port, db.name) == (
        "django.db.backends.postgresql",
        "kw",
        "geh@im",
        "db.local",
        "5433",
        "ketenwijs",
    )
    assert db.options == {"sslmode": "require"}
    assert "geh@im" not in db.describe()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KETENWIJS_ENV": "prod"}, "KETENWIJS_ENV='prod': expected development or production"),
        (
            {"KETENWIJS_ENV": "production"},
            "KETENWIJS_SECRET_KEY is required when KETENWIJS_ENV=production",
        ),
        (
            {"KETENWIJS_ENV": "production", "KETENWIJS_SECRET_KEY": "short"},
            "KETENWIJS_SECRET_KEY is too weak",
        ),
        (
            {"KETENWIJS_ENV": "production", "KETENWIJS_SECRET_KEY": STRONG_KEY},
            "KETENWIJS_ALLOWED_HOSTS is required when KETENWIJS_ENV=production",
        ),
        (
            {"KETENWIJS_DATABASE_URL": "mysql://x/y"},
            "KETENWIJS_DATABASE_URL='mysql://x/y': expected postgresql://",
        ),
        (
            {"KETENWIJS_DATABASE_URL": "postgresql://host/"},
            "KETENWIJS_DATABASE_URL: the URL names no database",
        ),
        (
            {"KETENWIJS_CACHE_URL": "memcached://x"},
            "KETENWIJS_CACHE_URL='memcached://x': expected redis://",
        ),
        ({"KETENWIJS_EMAIL_PORT": "abc"}, "KETENWIJS_EMAIL_PORT='abc': expected a whole number"),
        (
            {"KETENWIJS_EMAIL_USE_TLS": "misschien"},
            "KETENWIJS_EMAIL_USE_TLS='misschien': expected true or false",
        ),
        (
            {"KETENWIJS_RATE_LIMITS": "logins=5/m"},
            "KETENWIJS_RATE_LIMITS: unknown limit 'logins' (known: login, api,",
        ),
        (
            {"KETENWIJS_RATE_LIMITS": "login=5/day"},
            "KETENWIJS_RATE_LIMITS: 'login=5/day' should be NAME=COUNT/s, /m or /h",
        ),
        (
            {"KETENWIJS_RATE_LIMITS": "api=0/m"},
            "KETENWIJS_RATE_LIMITS: 'api=0/m' should be NAME=COUNT/s",
        ),
        (
            {"KETENWIJS_SECRETKEY": "x"},
            "KETENWIJS_SECRETKEY: unknown setting (did you mean KETENWIJS_SECRET_KEY?)",
        ),
    ],
)
def test_wrong_configuration_names_variable_and_expectation(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as excinfo:
        load_config(env)
    assert str(excinfo.value).startswith(message)
    assert "\n" not in str(excinfo.value)


AUDIT_KEY = base64.b64encode(bytes(range(32))).decode()  # a raw Ed25519 seed, base64


def test_production_with_key_and_hosts_loads() -> None:
    config = load_config(
        {
            "KETENWIJS_ENV": "production",
            "KETENWIJS_SECRET_KEY": STRONG_KEY,
            "KETENWIJS_ALLOWED_HOSTS": "a.nl, b.nl",
            "KETENWIJS_AUDIT_SIGNING_KEY": AUDIT_KEY,
        }
    )
    assert config.is_production
    assert config.allowed_hosts == ("a.nl", "b.nl")
    assert config.audit_signing_key == AUDIT_KEY


def test_production_needs_a_readable_audit_signing_key(tmp_path: Path) -> None:
    base = {
        "KETENWIJS_ENV": "production",
        "KETENWIJS_SECRET_KEY": STRONG_KEY,
        "KETENWIJS_ALLOWED_HOSTS": "a.nl",
    }
    with pytest.raises(ConfigError, match="KETENWIJS_AUDIT_SIGNING_KEY or KETENWIJS_AUDIT_SIG"):
        load_config(base)
    with pytest.raises(ConfigError, match="KETENWIJS_AUDIT_SIGNING_KEY: the signing key is nei"):
        load_config({**base, "KETENWIJS_AUDIT_SIGNING_KEY": "not-a-key!"})
    missing = str(tmp_path / "none.pem")
    with pytest.raises(ConfigError, match="cannot read the key file"):
        load_config({**base, "KETENWIJS_AUDIT_SIGNING_KEY_FILE": missing})
    key_file = tmp_path / "audit.key"
    key_file.write_text(AUDIT_KEY, encoding="ascii")
    config = load_config({**base, "KETENWIJS_AUDIT_SIGNING_KEY_FILE": str(key_file)})
    assert config.audit_signing_key_file == key_file
    # Development without a key is fine: one is generated into the data folder on first use.
    assert load_config({}).audit_signing_key == ""


def test_rate_limits_default_and_override_one_by_one() -> None:
    assert load_config({}).rate_limits == {
        "login": (60, 60),
        "api": (600, 60),
        "api_auth_failures": (20, 60),
        "public": (60, 60),
        "upload": (10, 60),
    }
    limits = load_config({"KETENWIJS_RATE_LIMITS": " login=1000/h , api=50/s,"}).rate_limits
    assert limits["login"] == (1000, 3600)
    assert limits["api"] == (50, 1)
    assert limits["public"] == (60, 60)


def test_contact_email_defaults_to_the_sender_or_a_visibly_unset_address() -> None:
    assert load_config({}).contact_email == "security@ketenwijs.invalid"
    sender = {"KETENWIJS_EMAIL_FROM": "ketenwijs@gemeente.example.nl"}
    assert load_config(sender).contact_email == "ketenwijs@gemeente.example.nl"
    chosen = {**sender, "KETENWIJS_CONTACT_EMAIL": "csirt@gemeente.example.nl"}
    assert load_config(chosen).contact_email == "csirt@gemeente.example.nl"


@pytest.mark.parametrize("value", ["csirt", "a b@example.nl", "<x@example.nl>", "x@localhost"])
def test_contact_email_must_be_one_address(value: str) -> None:
    with pytest.raises(ConfigError, match="KETENWIJS_CONTACT_EMAIL"):
        load_config({"KETENWIJS_CONTACT_EMAIL": value})


def test_learning_reminder_days_default_and_bounds() -> None:
    assert load_config({}).learning_reminder_days == 7
    assert load_config({"KETENWIJS_LEARNING_REMINDER_DAYS": "14"}).learning_reminder_days == 14
    for value in ("0", "61", "soon"):
        with pytest.raises(ConfigError, match="KETENWIJS_LEARNING_REMINDER_DAYS"):
            load_config({"KETENWIJS_LEARNING_REMINDER_DAYS": value})
