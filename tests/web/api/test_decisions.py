"""The decision log over HTTP: the token's organisation only, paged and filtered as the web list."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

import pytest

from ketenwijs.audit import canonical_json
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit.models import DecisionRecord
from tests.web.api.conftest import MakeToken, api_client
from tests.web.audit.conftest import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def logs(
    org_a: Organisation, org_b: Organisation, user_factory: Callable[..., User]
) -> dict[str, User]:
    alice = user_factory(Role.PROFESSIONAL, org_a, username="alice")
    bob = user_factory(Role.PROFESSIONAL, org_a, username="bob")
    make_record(alice)
    make_record(bob, recipient="veilig_thuis", purpose="victim_protection")
    make_record(alice, sender="police", recipient="municipality")
    other = user_factory(Role.PROFESSIONAL, org_b, username="bee")
    for _ in range(5):
        make_record(other, motivation="Besluit van organisatie B.")
    return {"alice": alice, "bob": bob, "other": other}


@pytest.fixture
def client_a(token_factory: MakeToken, org_a: Organisation):  # type: ignore[no-untyped-def]
    _token, secret = token_factory(org_a, scopes=["decisions:read"], role=Role.AUDITOR)
    return api_client(secret)


def _decision_sequences(organisation_id: int) -> list[int]:
    """Decisions share the chain's numbering with the log's other records (issue 14), so the
    numbers of an organisation's decisions need not be 1, 2, 3."""
    return list(
        DecisionRecord.objects.filter(organisation_id=organisation_id)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )


def test_list_shows_only_the_token_organisation(client_a, logs) -> None:  # type: ignore[no-untyped-def]
    response = client_a.get("/api/v1/decisions")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    sequences = _decision_sequences(logs["alice"].organisation_id)
    assert [r["content"]["sequence"] for r in body["records"]] == sequences
    organisation_a = logs["alice"].organisation_id
    assert {r["content"]["organisation"] for r in body["records"]} == {
        f"organisation:{organisation_a}"
    }
    assert "Besluit van organisatie B." not in response.content.decode()


def test_record_has_the_json_export_shape(client_a, logs) -> None:  # type: ignore[no-untyped-def]
    first = _decision_sequences(logs["alice"].organisation_id)[0]
    record = DecisionRecord.objects.get(organisation=logs["alice"].organisation, sequence=first)
    body = client_a.get(f"/api/v1/decisions/{first}").json()
    assert body == {
        "content": json.loads(canonical_json(record.chain_content())),
        "content_hash": record.content_hash,
        "prev_hash": record.prev_hash,
        "chain_hash": record.chain_hash,
        "motivation": record.motivation,
        "motivation_salt": record.motivation_salt,
    }
    content = body["content"]
    assert set(content["ruleset"]) == {"id", "version", "valid_on", "sha256"}
    assert content["facts"]["sender"] == "municipality"
    assert content["decision_maker"] == {
        "username": "alice",
        "role": "professional",
        "id": logs["alice"].pk,
    }
    # The content as served re-hashes to the stored content hash (no key added or dropped).
    assert hashlib.sha256(canonical_json(content)).hexdigest() == record.content_hash


def test_sequence_of_another_organisation_is_404(client_a, logs) -> None:  # type: ignore[no-untyped-def]
    """Organisation B has decisions 1-5; A's token sees A's decisions, never B's numbers."""
    sequences = _decision_sequences(logs["alice"].organisation_id)
    response = client_a.get(f"/api/v1/decisions/{sequences[-1]}")
    assert response.status_code == 200
    assert response.json()["content"]["decision_maker"]["username"] == "alice"
    others = set(_decision_sequences(logs["other"].organisation_id)) - set(sequences)
    for sequence in (*sorted(others), 999):
        response = client_a.get(f"/api/v1/decisions/{sequence}")
        assert response.status_code == 404
        assert response.json()["detail"] == "Not found."


def test_token_of_organisation_b_never_sees_a(token_factory: MakeToken, logs) -> None:  # type: ignore[no-untyped-def]
    _token, secret = token_factory(
        logs["other"].organisation, scopes=["decisions:read"], role=Role.AUDITOR
    )
    body = api_client(secret).get("/api/v1/decisions?limit=200").json()
    assert body["count"] == 5
    assert {r["content"]["decision_maker"]["username"] for r in body["records"]} == {"bee"}


def test_paging_with_limit_and_offset(client_a, logs) -> None:  # type: ignore[no-untyped-def]
    body = client_a.get("/api/v1/decisions?limit=2&offset=1").json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 1)
    sequences = _decision_sequences(logs["alice"].organisation_id)
    assert [r["content"]["sequence"] for r in body["records"]] == sequences[1:]
    assert client_a.get("/api/v1/decisions?offset=10").json()["records"] == []


@pytest.mark.parametrize(
    "query", ["partner=veilig_thuis", "partner=police", "purpose=victim_protection", "user=alice"]
)
def test_filters_narrow_like_the_web_list(client_a, logs, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client_a.get(f"/api/v1/decisions?{query}")
    assert response.status_code == 200, response.json()
    expected = [
        r.sequence
        for r in DecisionRecord.objects.filter(organisation=logs["alice"].organisation)
        if _matches(r, query)
    ]
    assert expected, "the filter selects something"
    assert [r["content"]["sequence"] for r in response.json()["records"]] == expected
    assert response.json()["count"] == len(expected)


def _matches(record: DecisionRecord, query: str) -> bool:
    key, value = query.split("=")
    if key == "partner":
        return value in (record.sender, record.recipient)
    if key == "purpose":
        return record.purpose == value
    return record.decision_maker["username"] == value


def test_date_filters(client_a, logs) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today().isoformat()
    assert client_a.get(f"/api/v1/decisions?date_from={today}").json()["count"] == 3
    assert client_a.get("/api/v1/decisions?date_to=2000-01-01").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("offset=-1", "offset"),
        ("date_from=2025-13-01", "date_from"),
        ("outcome=maybe", "outcome"),
        ("partner=buurman", "partner"),
        ("user=bee", "user"),  # a user of another organisation is unknown here
        ("date_from=2025-06-02&date_to=2025-06-01", "date_to"),
    ],
)
def test_invalid_filters_are_422_per_field(client_a, logs, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    response = client_a.get(f"/api/v1/decisions?{query}")
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}, response.json()


@pytest.mark.parametrize("sequence", ["0", "-1", "abc", str(2**63)])
def test_impossible_sequence_is_4xx(client_a, sequence: str) -> None:  # type: ignore[no-untyped-def]
    assert client_a.get(f"/api/v1/decisions/{sequence}").status_code in {404, 422}
