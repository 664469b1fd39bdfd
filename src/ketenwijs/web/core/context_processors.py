"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ketenwijs import __version__


def ketenwijs(request: HttpRequest) -> dict[str, Any]:
    """Version for the footer, the path for the language switch, and the second-factor state."""
    from ketenwijs.web.accounts.middleware import needs_second_factor

    return {
        "ketenwijs_version": __version__,
        "current_path": request.get_full_path(),
        # While the second factor is pending the menu is hidden: its links would only bounce.
        "second_factor_pending": needs_second_factor(request) is not None,
    }
