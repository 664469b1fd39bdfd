"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ketenwijs import __version__


def ketenwijs(request: HttpRequest) -> dict[str, Any]:
    """Version for the footer, the path for the language switch, and the second-factor state."""
    from ketenwijs.web.accounts.middleware import needs_second_factor

    missing = object()
    step = getattr(request, "second_factor_step", missing)
    if step is missing:  # a request that did not pass the middleware (error pages in tests)
        step = needs_second_factor(request)
    return {
        "ketenwijs_version": __version__,
        "current_path": request.get_full_path(),
        # While the second factor is pending the menu is hidden: its links would only bounce.
        "second_factor_pending": step is not None,
    }
