"""The domain core never imports Django: it must run (and be tested) without the web layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import ketenwijs

CORE_PACKAGES = [
    "sharing",
    "signals",
    "learning",
    "privacy",
    "audit",
    "content",
    "inputs",
    "site",
]
PACKAGE_ROOT = Path(ketenwijs.__file__).parent
# Also pure: the configuration reader, so a bad variable is reported before Django starts.
CORE_MODULES = ["ketenwijs.config"]


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_core_package_source_has_no_django_import(package: str) -> None:
    for source in (PACKAGE_ROOT / package).rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not _is_forbidden(name), f"{source}:{node.lineno} imports {name}"


def _is_forbidden(module: str) -> bool:
    """Django, and the layers that wrap the core (web, cli), are off limits to the core."""
    return module == "django" or module.startswith(("django.", "ketenwijs.web", "ketenwijs.cli"))


def test_importing_every_core_module_loads_no_django() -> None:
    """Import every module of the core in a fresh interpreter and check sys.modules."""
    modules = [*CORE_MODULES]
    for package in CORE_PACKAGES:
        for source in sorted((PACKAGE_ROOT / package).rglob("*.py")):
            relative = source.relative_to(PACKAGE_ROOT.parent).with_suffix("")
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules.append(".".join(parts))
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Django imported by the core: {result.stdout.strip()}"
    assert len(modules) > len(CORE_PACKAGES)
