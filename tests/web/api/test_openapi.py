"""The OpenAPI document: served, committed in docs/api/openapi.json, and equal to what runs."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ketenwijs.sharing import FACT_SPECS
from ketenwijs.sharing.case import CASE_FIELDS, NECESSITY_FIELDS
from ketenwijs.web.api.openapi import COMMITTED, openapi_text

pytestmark = pytest.mark.django_db


def test_committed_document_equals_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "docs/api/openapi.json is out of date: run `ketenwijs manage write_openapi`"
    )


def test_document_is_served_without_a_token(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(openapi_text())


def test_api_index_points_to_the_document(client: Client) -> None:
    assert client.get("/api/v1/").json()["openapi"].endswith("/api/v1/openapi.json")


def test_case_schema_uses_the_contract_field_names() -> None:
    schemas = json.loads(openapi_text())["components"]["schemas"]
    assert list(schemas["Case"]["properties"]) == list(CASE_FIELDS)
    assert schemas["Case"]["additionalProperties"] is False
    assert list(schemas["Necessity"]["properties"]) == list(NECESSITY_FIELDS)
    sender = schemas["Case"]["properties"]["sender"]["anyOf"][0]
    assert tuple(sender["enum"]) == FACT_SPECS["sender"].values


def test_output_schemas_name_the_contract_fields() -> None:
    schemas = json.loads(openapi_text())["components"]["schemas"]
    assert {"outcome", "ruleset", "checks", "conditions", "next_steps"} <= set(
        schemas["AssessmentOut"]["properties"]
    )
    assert set(schemas["RulesetRef"]["properties"]) == {"id", "version", "valid_on", "sha256"}
    assert {"id", "status", "explanation", "sources"} <= set(schemas["CheckOut"]["properties"])
    assert {"law", "article", "url", "precedent"} <= set(schemas["LegalSource"]["properties"])
    assert {"findings", "summary"} <= set(schemas["ScanOut"]["properties"])
    assert {"indicator", "dimension", "strength", "start", "end", "text", "context"} <= set(
        schemas["FindingOut"]["properties"]
    )
    assert set(schemas["HitOut"]["properties"]) == {"kind", "start", "end", "text"}
    assert set(schemas["FieldErrorOut"]["properties"]) == {"field", "message"}


def test_every_operation_declares_bearer_auth_and_its_errors() -> None:
    document = json.loads(openapi_text())
    assert document["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"ApiTokenAuth": []}], (method, path)
            assert {"200", "401", "403"} <= set(operation["responses"]), (method, path)
            assert "Scope: `" in operation["description"], (method, path)
