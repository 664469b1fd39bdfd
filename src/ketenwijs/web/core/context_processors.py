"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ketenwijs import __version__


def ketenwijs(request: HttpRequest) -> dict[str, Any]:
    """Version for the footer and the current path for the language switch."""
    return {"ketenwijs_version": __version__, "current_path": request.get_full_path()}
