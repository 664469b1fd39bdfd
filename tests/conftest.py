"""Shared pytest set-up: fast password hashing in tests, compiled translations, isolated data."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Translations are compiled from the committed .po files, as `ketenwijs serve` does.
    from ketenwijs.web.core.translations import compile_translations

    compile_translations()
