"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ketenwijs import __version__


def ketenwijs(request: HttpRequest) -> dict[str, Any]:
    """Footer version, language-switch path, the menu and the second-factor state."""
    from ketenwijs.web.accounts.middleware import needs_second_factor
    from ketenwijs.web.core.navigation import navigation_for

    missing = object()
    step = getattr(request, "second_factor_step", missing)
    if step is missing:  # a request that did not pass the middleware (error pages in tests)
        step = needs_second_factor(request)
    pending = step is not None
    authenticated = bool(getattr(request, "user", None) and request.user.is_authenticated)
    return {
        "nav_items": navigation_for(request) if authenticated and not pending else [],
        "ketenwijs_version": __version__,
        "current_path": request.get_full_path(),
        # While the second factor is pending the menu is hidden: its links would only bounce.
        "second_factor_pending": pending,
    }
