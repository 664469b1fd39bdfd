"""Shared pytest set-up. Translations are compiled by the core app at start-up (apps.py)."""
