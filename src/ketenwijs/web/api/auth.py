"""Bearer-token authentication with scopes; session cookies are never accepted by the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from ketenwijs.web.api import services
from ketenwijs.web.api.constants import SCOPES
from ketenwijs.web.api.models import ApiToken


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer kw_…`: no or unknown or revoked token -> 401, missing scope -> 403."""

    openapi_bearerFormat = "kw_…"  # noqa: N815 -- ninja reads `openapi_*` attributes verbatim
    openapi_description = (
        "An API token of your organisation, created by an organisation admin under "
        "/api-tokens/. Each token has scopes: " + ", ".join(SCOPES) + "."
    )

    def __init__(self, scope: str) -> None:
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = services.find_active_token(token.strip())
        if found is None:
            return None
        request.api_token = found  # type: ignore[attr-defined] -- read by the call log
        if not found.has_scope(self.scope):
            raise AuthorizationError(message=f"this token lacks the scope '{self.scope}'")
        return found


def token_of(request: HttpRequest) -> ApiToken:
    """Return the token ninja authenticated for this request."""
    token: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token
