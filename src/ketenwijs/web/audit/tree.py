"""The Merkle tree and Ed25519 checkpoints of each organisation's decision log (ADR 0019).

`extend_tree` runs inside `record_decision`'s transaction (under the chain-head lock): it hashes
the new record's leaf, merges the tree's right edge (O(log n), no rebuild), stores the completed
nodes and one signed checkpoint. Proofs and bundles are built from the stored nodes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ketenwijs.audit.bundle import write_bundle
from ketenwijs.audit.chain import genesis
from ketenwijs.audit.merkle import (
    CompactRange,
    NodeGetter,
    ProofError,
    compact_range_for,
    consistency_proof,
    hash_leaf,
    inclusion_proof,
    leaf_data,
    leaf_data_from_chain_hash,
)
from ketenwijs.audit.signing import (
    key_id,
    load_private_key,
    private_key_pem,
    public_key_b64,
    sign_tree_checkpoint,
)
from ketenwijs.web.accounts.models import Organisation
from ketenwijs.web.audit.models import (
    DecisionRecord,
    LogEvent,
    MerkleNode,
    PurgeCheckpoint,
    SignedCheckpoint,
    SigningKey,
    chain_id,
)

DEV_KEY_FILE = "audit-signing-key.pem"
_key_lock = threading.Lock()
_key_cache: dict[tuple[str, str, str], Ed25519PrivateKey] = {}


# Decisions and log events share one chain and one sequence (ADR 0018): both are leaves.
ChainRow = DecisionRecord | LogEvent


def chain_rows_of(
    organisation_id: int, *, with_user: bool = False, **bounds: int
) -> Iterator[ChainRow]:
    """The organisation's chain rows of both kinds in sequence order, within `bounds`
    (`sequence__gt`, `sequence__lt`, `sequence__lte` as in a queryset filter)."""
    decisions_qs = DecisionRecord.objects.filter(organisation_id=organisation_id, **bounds)
    if with_user:
        decisions_qs = decisions_qs.select_related("user")
    decisions = decisions_qs.order_by("sequence", "pk").iterator(chunk_size=2000)
    events = (
        LogEvent.objects.filter(organisation_id=organisation_id, **bounds)
        .order_by("sequence", "pk")
        .iterator(chunk_size=2000)
    )
    return heapq.merge(decisions, events, key=lambda row: row.sequence)


def _sequence_hashes(organisation_id: int, **bounds: int) -> Iterator[tuple[int, str]]:
    """(sequence, chain_hash) of every chain row of both kinds, in order."""
    decisions = (
        DecisionRecord.objects.filter(organisation_id=organisation_id, **bounds)
        .order_by("sequence")
        .values_list("sequence", "chain_hash")
        .iterator(2000)
    )
    events = (
        LogEvent.objects.filter(organisation_id=organisation_id, **bounds)
        .order_by("sequence")
        .values_list("sequence", "chain_hash")
        .iterator(2000)
    )
    return heapq.merge(decisions, events, key=lambda row: row[0])


class TreeUnavailableError(RuntimeError):
    """The tree cannot be (re)built: records it needs are gone (purged before the tree existed)."""


def _development_key(data_dir: Path) -> str:
    """Read the generated development key, creating it (mode 0600) on first use."""
    path = data_dir / DEV_KEY_FILE
    try:
        return path.read_text(encoding="ascii")
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    pem = private_key_pem(Ed25519PrivateKey.generate())
    try:  # O_EXCL: two processes starting together must not each write their own key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(pem)
    return pem


def installation_key() -> Ed25519PrivateKey:
    """Return the installation's signing key (setting, key file, or the development key)."""
    text = str(getattr(settings, "KETENWIJS_AUDIT_SIGNING_KEY", "") or "")
    key_file = getattr(settings, "KETENWIJS_AUDIT_SIGNING_KEY_FILE", None)
    data_dir = Path(getattr(settings, "KETENWIJS_DATA_DIR", "data"))
    cache_key = (text, str(key_file or ""), str(data_dir))
    with _key_lock:
        cached = _key_cache.get(cache_key)
        if cached is not None:
            return cached
        if key_file:
            text = Path(key_file).read_text(encoding="ascii")
        elif not text:
            if getattr(settings, "PRODUCTION", False):
                raise ImproperlyConfigured(
                    "KETENWIJS_AUDIT_SIGNING_KEY or KETENWIJS_AUDIT_SIGNING_KEY_FILE is required "
                    "in production"
                )
            text = _development_key(data_dir)
        key = load_private_key(text)
        _key_cache[cache_key] = key
        return key


def register_public_key(private_key: Ed25519PrivateKey) -> str:
    """List the key's public half (once) so old checkpoints stay verifiable after rotation."""
    public = private_key.public_key()
    kid = key_id(public)
    # One indexed SELECT per append; no process-level cache, which a rolled-back transaction
    # would leave claiming a key is listed when it is not.
    SigningKey.objects.get_or_create(
        key_id=kid,
        defaults={"public_key": public_key_b64(public), "first_used_at": timezone.now()},
    )
    return kid


def public_keys() -> list[dict[str, Any]]:
    """Every key that has signed a checkpoint here, oldest first, current key included."""
    register_public_key(installation_key())
    current = key_id(installation_key().public_key())
    return [
        {
            "key_id": row.key_id,
            "public_key": row.public_key,
            "algorithm": "Ed25519",
            "first_used_at": row.first_used_at.astimezone(dt.UTC).isoformat(),
            "current": row.key_id == current,
        }
        for row in SigningKey.objects.all()
    ]


def stored_node_getter(organisation_id: int) -> NodeGetter:
    """Read perfect-subtree hashes from the database one by one (proofs for a single record)."""
    cache: dict[tuple[int, int], bytes] = {}

    def get(level: int, index: int) -> bytes:
        if (level, index) not in cache:
            row = MerkleNode.objects.filter(
                organisation_id=organisation_id, level=level, index=index
            ).first()
            if row is None:
                raise TreeUnavailableError(f"tree node {level}/{index} is missing")
            cache[(level, index)] = bytes.fromhex(row.hash)
        return cache[(level, index)]

    return get


def all_nodes_getter(organisation_id: int) -> NodeGetter:
    """Load every node of the organisation at once (exports: ~2 per record)."""
    nodes = {
        (level, index): bytes.fromhex(value)
        for level, index, value in MerkleNode.objects.filter(
            organisation_id=organisation_id
        ).values_list("level", "index", "hash")
    }

    def get(level: int, index: int) -> bytes:
        try:
            return nodes[(level, index)]
        except KeyError:
            raise TreeUnavailableError(f"tree node {level}/{index} is missing") from None

    return get


def _right_edge(organisation_id: int, latest: SignedCheckpoint | None) -> CompactRange:
    """The tree's right edge from the latest checkpoint row (no node reads on append)."""
    if latest is None:
        return CompactRange.empty()
    size = latest.tree_size
    levels = [level for level in range(size.bit_length() - 1, -1, -1) if size >> level & 1]
    edge = latest.right_edge
    if isinstance(edge, list) and len(edge) == len(levels):
        tree = CompactRange(
            size, [(lvl, bytes.fromhex(h)) for lvl, h in zip(levels, edge, strict=True)]
        )
    else:  # a row without its edge: read the nodes, one indexed lookup per perfect subtree
        tree = compact_range_for(size, stored_node_getter(organisation_id))
    tree.check()
    return tree


def latest_checkpoint(organisation_id: int) -> SignedCheckpoint | None:
    return (
        SignedCheckpoint.objects.filter(organisation_id=organisation_id)
        .order_by("-tree_size")
        .first()
    )


def extend_tree(record: ChainRow) -> SignedCheckpoint:
    """Add `record` (just saved, under the head lock) to its organisation's tree and sign it.

    Records saved before the tree existed are added first, in order, so the leaf index is always
    the sequence minus one.
    """
    organisation_id = record.organisation_id
    latest = latest_checkpoint(organisation_id)
    size = latest.tree_size if latest else 0
    if record.sequence <= size:
        raise TreeUnavailableError(
            f"record {record.sequence} is already in the tree ({size} leaves)"
        )
    pending: list[ChainRow] = []
    if record.sequence > size + 1:
        pending = list(
            chain_rows_of(organisation_id, sequence__gt=size, sequence__lt=record.sequence)
        )
        if [r.sequence for r in pending] != list(range(size + 1, record.sequence)):
            raise TreeUnavailableError(
                f"records {size + 1} to {record.sequence - 1} are not all present (purged before "
                "the tree existed?); the tree cannot be built"
            )
    tree = _right_edge(organisation_id, latest)
    new_nodes: list[MerkleNode] = []
    for item in [*pending, record]:
        for node in tree.append(hash_leaf(leaf_data(item.as_link()))):
            new_nodes.append(
                MerkleNode(
                    organisation_id=organisation_id,
                    level=node.level,
                    index=node.index,
                    hash=node.hash.hex(),
                )
            )
    MerkleNode.objects.bulk_create(new_nodes)
    private_key = installation_key()
    register_public_key(private_key)
    signed = sign_tree_checkpoint(
        private_key,
        log_id=chain_id(organisation_id),
        tree_size=tree.size,
        root_hash=tree.root(),
        timestamp=record.created_at,
    )
    return SignedCheckpoint.objects.create(
        organisation_id=organisation_id,
        tree_size=signed.tree_size,
        root_hash=signed.root_hash,
        timestamp=signed.timestamp,
        key_id=signed.key_id,
        signature=signed.signature,
        right_edge=[peak.hex() for _level, peak in tree.peaks],
    )


def inclusion_for(record: ChainRow, getter: NodeGetter | None = None) -> dict[str, Any] | None:
    """The record's inclusion proof against the latest signed checkpoint (None: not yet in it)."""
    latest = latest_checkpoint(record.organisation_id)
    if latest is None or record.sequence > latest.tree_size:
        return None
    get = getter or stored_node_getter(record.organisation_id)
    try:
        path = inclusion_proof(record.sequence - 1, latest.tree_size, get)
    except (ProofError, TreeUnavailableError):
        return None
    return {
        "leaf_index": record.sequence - 1,
        "leaf_hash": hash_leaf(leaf_data(record.as_link())).hex(),
        "inclusion_proof": [h.hex() for h in path],
        "checkpoint": latest.as_checkpoint().to_dict(),
    }


def _earlier_checkpoints(
    organisation_id: int, latest: SignedCheckpoint, get: NodeGetter
) -> Iterator[tuple[Any, list[bytes]]]:
    """Checkpoints at (or just below) each power of two, each with its consistency proof."""
    seen: set[int] = set()
    size = 1
    while size < latest.tree_size:
        row = (
            SignedCheckpoint.objects.filter(organisation_id=organisation_id, tree_size__lte=size)
            .order_by("-tree_size")
            .first()
        )
        if row is not None and row.tree_size not in seen:
            seen.add(row.tree_size)
            yield row.as_checkpoint(), consistency_proof(row.tree_size, latest.tree_size, get)
        size *= 2


def export_bundle(organisation: Organisation, out: IO[str]) -> int:
    """Write the organisation's bundle: records up to the latest checkpoint, with proofs."""
    with transaction.atomic():  # one snapshot: the checkpoint and the records it covers
        latest = latest_checkpoint(organisation.pk)
        if latest is None:
            raise TreeUnavailableError(
                "this organisation has no signed checkpoint yet (no decisions)"
            )
        get = all_nodes_getter(organisation.pk)
        bound = {"sequence__lte": latest.tree_size}
        first = next(chain_rows_of(organisation.pk, **bound), None)
        first_sequence = first.sequence if first else latest.tree_size + 1
        record_count = (
            DecisionRecord.objects.filter(organisation=organisation, **bound).count()
            + LogEvent.objects.filter(organisation=organisation, **bound).count()
        )
        prefix = compact_range_for(first_sequence - 1, get)
        purge = PurgeCheckpoint.objects.filter(organisation=organisation).first()
        prev = genesis(chain_id(organisation.pk))
        if first_sequence > 1:
            prev = first.prev_hash if first else (purge.chain_hash if purge else "")
        keys = {row["key_id"]: row["public_key"] for row in public_keys()}

        def lines() -> Iterable[dict[str, Any]]:
            for record in chain_rows_of(organisation.pk, **bound):
                item = record.export_dict()
                item["sequence"] = record.sequence
                item["inclusion_proof"] = [
                    h.hex() for h in inclusion_proof(record.sequence - 1, latest.tree_size, get)
                ]
                yield item

        return write_bundle(
            out,
            log_id=chain_id(organisation.pk),
            checkpoint=latest.as_checkpoint(),
            earlier=list(_earlier_checkpoints(organisation.pk, latest, get)),
            prefix_peaks=[peak for _level, peak in prefix.peaks],
            prefix_prev_chain_hash=prev,
            first_sequence=first_sequence,
            record_count=record_count,
            public_keys=keys,
            records=lines(),
        )


def verify_tree(organisation: Organisation) -> tuple[bool, str]:
    """Check the stored records against the latest signed checkpoint, as a bundle verifier would.

    Recomputes every remaining record's leaf from its chain hash (the purged ones from their
    stored nodes) and compares the root and the Ed25519 signature with the listed public keys.
    """
    from ketenwijs.audit.signing import checkpoint_signature_ok, load_public_keys

    latest = latest_checkpoint(organisation.pk)
    has_records = (
        DecisionRecord.objects.filter(organisation=organisation).exists()
        or LogEvent.objects.filter(organisation=organisation).exists()
    )
    if latest is None:
        if has_records:
            return False, "records without a signed checkpoint (not appended through Ketenwijs?)"
        return True, "no records, no checkpoint"
    keys = load_public_keys("\n".join(row["public_key"] for row in public_keys()))
    if not checkpoint_signature_ok(latest.as_checkpoint(), keys):
        return False, f"the checkpoint of size {latest.tree_size} has no valid signature"
    bound = {"sequence__lte": latest.tree_size}
    first_row = next(_sequence_hashes(organisation.pk, **bound), None)
    start = (first_row[0] if first_row else latest.tree_size + 1) - 1
    try:
        tree = compact_range_for(start, stored_node_getter(organisation.pk))
    except TreeUnavailableError as exc:
        return False, f"the hashes of the purged records are incomplete ({exc})"
    for sequence, chain in _sequence_hashes(organisation.pk, **bound):
        if sequence != tree.size + 1:
            return False, f"record {tree.size + 1} is missing"
        tree.append(hash_leaf(leaf_data_from_chain_hash(chain)))
    if tree.size != latest.tree_size:
        first_missing, last_missing = tree.size + 1, latest.tree_size
        which = (
            f"record {first_missing} is"
            if first_missing == last_missing
            else f"records {first_missing}\u2013{last_missing} are"
        )
        return False, f"{which} missing (the signed checkpoint holds {latest.tree_size})"
    if tree.root().hex() != latest.root_hash:
        return False, "the records do not add up to the signed root (changed or replaced)"
    return True, f"{tree.size} records match the signed checkpoint (key {latest.key_id})"
