"""Accounts: organisations, users with one role each, login with lockout and TOTP."""
