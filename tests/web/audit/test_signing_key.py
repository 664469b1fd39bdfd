"""Where the checkpoint key comes from: setting, file, or a generated development key."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from ketenwijs.audit.bundle import Status, verify_bundle
from ketenwijs.audit.signing import key_id, load_private_key, load_public_keys, private_key_pem
from ketenwijs.cli.audit import audit as audit_cli
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.audit import tree
from ketenwijs.web.audit.models import MerkleNode, SignedCheckpoint
from ketenwijs.web.audit.tree import DEV_KEY_FILE, export_bundle, installation_key
from tests.web.audit.conftest import make_record


def test_development_key_is_generated_once_into_the_data_folder(
    settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings.KETENWIJS_AUDIT_SIGNING_KEY = ""  # type: ignore[attr-defined]
    settings.KETENWIJS_AUDIT_SIGNING_KEY_FILE = None  # type: ignore[attr-defined]
    settings.KETENWIJS_DATA_DIR = tmp_path  # type: ignore[attr-defined]
    first = installation_key()
    key_file = tmp_path / DEV_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_id(load_private_key(key_file.read_text()).public_key()) == key_id(first.public_key())
    tree._key_cache.clear()  # as a new process: the key is read back from the file, not regenerated
    assert key_id(installation_key().public_key()) == key_id(first.public_key())


def test_production_without_a_key_is_a_clear_error(
    settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings.KETENWIJS_AUDIT_SIGNING_KEY = ""  # type: ignore[attr-defined]
    settings.KETENWIJS_AUDIT_SIGNING_KEY_FILE = None  # type: ignore[attr-defined]
    settings.KETENWIJS_DATA_DIR = tmp_path / "prod"  # type: ignore[attr-defined]
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="KETENWIJS_AUDIT_SIGNING_KEY"):
        installation_key()
    assert not (tmp_path / "prod").exists()


def test_key_file_setting_is_read(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    key_file = tmp_path / "audit.pem"
    key_file.write_text(private_key_pem(key), encoding="ascii")
    settings.KETENWIJS_AUDIT_SIGNING_KEY = ""  # type: ignore[attr-defined]
    settings.KETENWIJS_AUDIT_SIGNING_KEY_FILE = key_file  # type: ignore[attr-defined]
    assert key_id(installation_key().public_key()) == key_id(key.public_key())


def test_public_key_and_generate_key_commands(
    org_a: Organisation, user_factory: Callable[..., User], settings: pytest.FixtureRequest
) -> None:
    key = Ed25519PrivateKey.generate()
    settings.KETENWIJS_AUDIT_SIGNING_KEY = private_key_pem(key)  # type: ignore[attr-defined]
    make_record(user_factory(Role.PROFESSIONAL, org_a))
    runner = CliRunner()
    pem = runner.invoke(audit_cli, ["public-key"])
    assert pem.exit_code == 0, pem.output
    assert list(load_public_keys(pem.output)) == [key_id(key.public_key())]
    listed = json.loads(runner.invoke(audit_cli, ["public-key", "--json"]).output)
    assert [k["key_id"] for k in listed["keys"]] == [key_id(key.public_key())]
    generated = runner.invoke(audit_cli, ["generate-key"])
    assert generated.exit_code == 0
    assert load_private_key(generated.output) is not None


def test_records_from_before_the_tree_are_added_on_the_next_append(
    org_a: Organisation,
    user_factory: Callable[..., User],
    settings: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    key = Ed25519PrivateKey.generate()
    settings.KETENWIJS_AUDIT_SIGNING_KEY = private_key_pem(key)  # type: ignore[attr-defined]
    user = user_factory(Role.PROFESSIONAL, org_a)
    for _ in range(3):
        make_record(user)
    # As after an upgrade: records exist, the tree does not.
    SignedCheckpoint.objects.filter(organisation=org_a).delete()
    MerkleNode.objects.filter(organisation=org_a).delete()
    make_record(user)
    assert list(
        SignedCheckpoint.objects.filter(organisation=org_a).values_list("tree_size", flat=True)
    ) == [4]
    bundle = tmp_path / "bundle.jsonl"
    with bundle.open("w", encoding="utf-8") as out:
        export_bundle(org_a, out)
    keys = load_public_keys(_b64(key))
    assert verify_bundle(bundle, keys).status == Status.INTACT  # type: ignore[arg-type]


def _b64(key: Ed25519PrivateKey) -> str:
    from ketenwijs.audit.signing import public_key_b64

    return public_key_b64(key.public_key())
