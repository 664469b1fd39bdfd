"""The OpenAPI document as committed in docs/api/openapi.json (a test keeps the two equal)."""

from __future__ import annotations

import json
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[4] / "docs" / "api" / "openapi.json"


def openapi_text() -> str:
    """Return the document the app serves, as JSON with 2-space indents, in code order."""
    from ketenwijs.web.api.api import api

    schema = api.get_openapi_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
