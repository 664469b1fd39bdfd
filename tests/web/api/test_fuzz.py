"""Schemathesis against the OpenAPI document, in process (WSGI): no 5xx, answers as documented.

Bounded: at most MAX_EXAMPLES generated requests per operation, no shrinking deadline; the whole
module runs in well under a minute on two cores. Uses a token with every scope and a small log.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.api.constants import SCOPES
from ketenwijs.web.api.openapi import openapi_text
from tests.web.api.conftest import make_token
from tests.web.audit.conftest import make_record
from tests.web.factories import make_organisation, make_user

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(json.loads(openapi_text()))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Do what Django's test client does: the real WSGI handler would close the connection
    after each request (the test transaction looks like a stale connection to it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings: Any) -> None:
    """Hundreds of calls (many 401s) from one address: limits are tested in test_rate_limits.py."""
    settings.CONFIG = dataclasses.replace(
        settings.CONFIG,
        rate_limits=dict.fromkeys(settings.CONFIG.rate_limits, (100_000, 60)),
    )


@pytest.fixture
def secret(db: None) -> str:
    organisation = make_organisation("Gemeente Fuzzdam")
    professional = make_user(Role.PROFESSIONAL, organisation, username="fuzzer")
    make_record(professional)
    make_record(professional, recipient="veilig_thuis", purpose="victim_protection")
    _token, secret = make_token(organisation, scopes=SCOPES)
    return secret


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_document(case: Any, secret: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
