"""The OpenAPI document as committed in docs/api/openapi.json (a test keeps the two equal)."""

from __future__ import annotations

import json
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[4] / "docs" / "api" / "openapi.json"


def openapi_text() -> str:
    """Return the document the running app serves, serialised stably (sorted keys, 2 spaces)."""
    from ketenwijs.web.api.api import api

    schema = api.get_openapi_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
