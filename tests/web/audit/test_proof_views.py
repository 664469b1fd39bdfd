"""A record's PDF and JSON carry its inclusion proof; the public keys page serves the keys."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ketenwijs.audit.merkle import verify_inclusion
from ketenwijs.audit.signing import TreeCheckpoint, checkpoint_signature_ok, load_public_keys
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit import tree
from tests.web.audit.conftest import make_record


def _proof_holds(inclusion: dict[str, object], keys: dict[str, object]) -> bool:
    checkpoint = TreeCheckpoint.from_dict(inclusion["checkpoint"])
    return checkpoint_signature_ok(checkpoint, keys) and verify_inclusion(  # type: ignore[arg-type]
        bytes.fromhex(str(inclusion["leaf_hash"])),
        int(inclusion["leaf_index"]),  # type: ignore[call-overload]
        checkpoint.tree_size,
        [bytes.fromhex(h) for h in inclusion["inclusion_proof"]],  # type: ignore[attr-defined]
        bytes.fromhex(checkpoint.root_hash),
    )


def _keys() -> dict[str, object]:
    response = Client().get(reverse("audit:public_keys"), {"format": "json"})
    return load_public_keys(response.content.decode())  # type: ignore[return-value]


def test_json_export_carries_verifiable_inclusion_proofs(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    author = user_factory(Role.PROFESSIONAL, org_a)
    for _ in range(5):
        make_record(author)
    data = json.loads(
        client_for(user_factory(Role.AUDITOR, org_a)).get(reverse("audit:export_json")).content
    )
    keys = _keys()
    assert len(data["records"]) == 5
    for item in data["records"]:
        assert item["inclusion"]["checkpoint"]["tree_size"] == 5
        assert _proof_holds(item["inclusion"], keys)
    forged = dict(data["records"][1]["inclusion"], leaf_index=2)
    assert not _proof_holds(forged, keys)


def test_pdf_prints_the_inclusion_proof_and_signed_checkpoint(
    org_a: Organisation, user_factory: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = user_factory(Role.PROFESSIONAL, org_a)
    records = [make_record(user) for _ in range(3)]
    # The proof the PDF prints is against the checkpoint before its own print record is appended.
    inclusion = tree.inclusion_for(records[1])
    assert inclusion is not None
    response = client_for(user).get(reverse("audit:pdf", kwargs={"sequence": 2}))
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = "".join("\n".join(page.extract_text() for page in pages).split())
    assert records[1].sequence == 2
    assert "Bewijsvanopnameinhetondertekendelogboek" in text or "inclusion" in text.lower()
    assert inclusion["checkpoint"]["root_hash"] in text
    assert all(node in text for node in inclusion["inclusion_proof"])
    assert inclusion["checkpoint"]["signature"] in text


def test_public_keys_page_is_public_and_lists_the_current_key(db: None) -> None:
    client = Client()
    page = client.get(reverse("audit:public_keys"))
    assert page.status_code == 200
    keys = json.loads(client.get(reverse("audit:public_keys"), {"format": "json"}).content)
    assert [key["current"] for key in keys["keys"]][-1] is True
    assert keys["keys"][-1]["public_key"] in page.content.decode()
