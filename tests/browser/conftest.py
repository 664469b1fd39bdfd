"""Playwright driving Debian's /usr/bin/chromium (Playwright's own download does not work here)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Flags that keep Chromium off the (closed) network and quiet in a container as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# next to it, although the calls really are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test`, which installs axe-core from npm")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Runs before any page script: records every Content-Security-Policy violation of the page.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(
        event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') +
        ' (' + (event.sourceFile || '') + ':' + event.lineNumber + ')'
    );
});
"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # The CSP stays on (no bypass_csp): a blocked script or style must fail the test, not hide.
    context = browser.new_context(locale="nl-NL")
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    yield page
    assert csp_violations(page) == []
    context.close()


def csp_violations(page: Any) -> list[str]:
    """Return the CSP violations the current page reported so far."""
    found: list[str] = page.evaluate("() => window.__cspViolations || []")
    return found


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current page; return the WCAG 2.1 A/AA violations.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern; a
    <script> tag would be (rightly) refused by `script-src 'self'`.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)
            }));
        }"""
    )
    return violations


@pytest.fixture(autouse=True)
def _audit_anchor_dir(settings: Any, tmp_path: Path) -> None:
    """Each test's decision-log anchors in its own folder (see tests/web/conftest.py)."""
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"
