"""RFC 9457 problem details: the one shape of every error answer under `/api/v1/`.

`{"type": "about:blank", "title": <status phrase>, "status", "detail", "errors": [...]}` with
`Content-Type: application/problem+json`, plus `invalid-params` ({"name", "reason"}) when a field
or parameter is at fault. `detail` and `errors` ({"field", "message"}) are the v1 shape, kept so
existing clients keep working (spec §4: extend, never rename).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpResponseBase, JsonResponse

from ketenwijs.web.api.constants import API_VERSION, API_VERSION_HEADER

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemError(Exception):
    """Raised by an operation to answer with a problem (400 or 422 with field errors)."""

    def __init__(
        self, status: int, detail: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def problem_body(
    status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The problem object; `title` is the status phrase, as RFC 9457 §4.2.1 asks of about:blank."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": list(errors or []),
    }
    if errors:
        body["invalid-params"] = [{"name": e["field"], "reason": e["message"]} for e in errors]
    return body


def problem(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> JsonResponse:
    """An `application/problem+json` answer carrying the API-Version header."""
    response = JsonResponse(
        problem_body(status, detail, errors), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    return with_version(response)


def with_version(response: HttpResponseBase) -> HttpResponseBase:
    """Set `API-Version` (NL API Design Rules /core/version-header) and return the response."""
    response[API_VERSION_HEADER] = API_VERSION
    return response


def is_problem(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith(PROBLEM_CONTENT_TYPE)
