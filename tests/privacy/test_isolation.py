"""The privacy and audit cores stay pure: importing them never imports Django."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module", ["ketenwijs.privacy", "ketenwijs.audit", "ketenwijs.cli.privacy"]
)
def test_core_package_does_not_import_django(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert completed.returncode == 0, completed.stderr
