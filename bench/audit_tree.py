"""Benchmark the decision log's Merkle tree: append latency at 100,000 records, export, verify.

Run: .venv/bin/python bench/audit_tree.py [--records 100000] [--appends 200]
On a fresh SQLite database in a temporary data folder (removed at the end):
1. Fill one organisation with N records in bulk: real chain hashes (the core's `make_link`), the
   tree's nodes and one signed checkpoint. A real record holds its whole assessment (about 80 KB
   of JSON); N of those would make an 8 GB database, so the filler records hold the facts and a
   one-line motivation only. The tree's cost depends on N, not on the size of a record; the
   records appended in step 2 and the sample in step 4 are real-size.
2. Append decisions through `record_decision` (privacy guard, chain, Merkle update, Ed25519
   signature, one transaction) on the empty log of a second organisation and on the full one;
   p50/p95 of each, so the cost of the tree at size N shows as the difference.
3. `export_bundle` of the N records, then `verify_bundle` (package) and the reference verifier
   (tools/verify_audit_bundle.py), with the bundle's size.
4. The same for a sample of real-size records (`--sample`, through `record_decision`), to give
   the per-record cost that content hashing adds for real records.
Target (issue 14): append p95 < 20 ms with 100,000 records; verify-bundle of 100,000 < 10 s.
Output is printed as each step ends (flushed), so a long run shows progress.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=200)
    parser.add_argument("--sample", type=int, default=1000)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="kw-bench-audit-"))
    os.environ["KETENWIJS_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ketenwijs.web.settings"
    try:
        run(args.records, args.appends, args.sample, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(count: int, appends: int, sample: int, data_dir: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from ketenwijs.audit import genesis, make_link, sign_head
    from ketenwijs.audit.bundle import verify_bundle
    from ketenwijs.audit.merkle import build_nodes, hash_leaf, leaf_data
    from ketenwijs.audit.signing import load_public_keys, public_key_b64, sign_tree_checkpoint
    from ketenwijs.sharing import Case, evaluate, load_rulebook
    from ketenwijs.web.accounts.constants import Role
    from ketenwijs.web.accounts.models import Organisation, User
    from ketenwijs.web.audit import services
    from ketenwijs.web.audit.models import (
        ChainHead,
        DecisionRecord,
        MerkleNode,
        SignedCheckpoint,
        chain_id,
    )
    from ketenwijs.web.audit.tree import export_bundle, installation_key, register_public_key

    case = Case.from_dict(
        {
            "reference_date": "2025-06-01",
            "sender": "municipality",
            "recipient": "police",
            "purpose": "human_trafficking",
            "setting": "riec_case",
            "pattern": "incidental",
            "personal_data": "identifiable",
            "data_categories": ["ordinary"],
            "data_subject_minor": False,
            "consent": "not_asked",
            "acute_danger": False,
        }
    )
    assessment = evaluate(case, load_rulebook())
    full = Organisation.objects.create(name="Bench vol")
    empty = Organisation.objects.create(name="Bench leeg")
    users = {
        org.pk: User.objects.create_user(
            username=f"bench{org.pk}", password=None, organisation=org, role=Role.PROFESSIONAL
        )
        for org in (full, empty)
    }
    user = users[full.pk]

    # 1. Fill.
    started = time.perf_counter()
    created = timezone.now().replace(microsecond=0)
    prev = genesis(chain_id(full.pk))
    rows: list[DecisionRecord] = []
    leaves: list[bytes] = []
    for sequence in range(1, count + 1):
        record = DecisionRecord(
            organisation=full,
            sequence=sequence,
            created_at=created,
            user=user,
            decision_maker={"username": user.username, "role": user.role},
            ruleset_id=assessment.ruleset_id,
            ruleset_version=assessment.version,
            ruleset_valid_on=assessment.valid_on,
            ruleset_sha256=assessment.sha256,
            sender="municipality",
            recipient="police",
            purpose="human_trafficking",
            outcome=assessment.outcome,
            facts=case.to_dict(),
            assessment={"outcome": assessment.outcome},
            motivation=f"Besluit {sequence} na het casusoverleg.",
        )
        link = make_link(sequence, record.chain_content(), prev)
        record.content_hash, record.prev_hash, record.chain_hash = (
            link.content_hash,
            link.prev_hash,
            link.chain_hash,
        )
        prev = link.chain_hash
        leaves.append(hash_leaf(leaf_data(link)))
        rows.append(record)
        if len(rows) == 5000:
            DecisionRecord.objects.bulk_create(rows)
            rows = []
    DecisionRecord.objects.bulk_create(rows)
    tree, nodes = build_nodes(leaves)
    MerkleNode.objects.bulk_create(
        (
            MerkleNode(organisation=full, level=lvl, index=i, hash=h.hex())
            for (lvl, i), h in nodes.items()
        ),
        batch_size=5000,
    )
    key = installation_key()
    register_public_key(key)
    signed = sign_tree_checkpoint(
        key, log_id=chain_id(full.pk), tree_size=tree.size, root_hash=tree.root(), timestamp=created
    )
    SignedCheckpoint.objects.create(
        organisation=full,
        tree_size=signed.tree_size,
        root_hash=signed.root_hash,
        timestamp=signed.timestamp,
        key_id=signed.key_id,
        signature=signed.signature,
        right_edge=[peak.hex() for _level, peak in tree.peaks],
    )
    ChainHead.objects.create(
        organisation=full,
        last_sequence=count,
        last_chain_hash=prev,
        signature=sign_head(chain_id(full.pk), count, prev, services._head_key()),
    )
    print(f"fill: {count} records in {time.perf_counter() - started:.1f} s")

    # 2. Appends. The tree's share (leaf, right edge, nodes, Ed25519 signature) is timed apart.
    from ketenwijs.web.audit import tree as tree_module

    tree_times: list[float] = []

    def timed_extend(record: DecisionRecord) -> SignedCheckpoint:
        t0 = time.perf_counter()
        try:
            return tree_module.extend_tree(record)
        finally:
            tree_times.append((time.perf_counter() - t0) * 1000)

    services.extend_tree = timed_extend  # type: ignore[assignment]

    def appends_ms(org: Organisation) -> list[float]:
        times = []
        tree_times.clear()
        for i in range(appends):
            t0 = time.perf_counter()
            services.record_decision(
                user=users[org.pk], case=case, assessment=assessment, motivation=f"Nog een {i}."
            )
            times.append((time.perf_counter() - t0) * 1000)
        return times

    for label, org in (("empty log", empty), (f"log of {count}", full)):
        times = appends_ms(org)
        print(
            f"append ({label}): p50 {statistics.median(times):.2f} ms, "
            f"p95 {_percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms over {appends}; "
            f"of which tree + signature p50 {statistics.median(tree_times):.2f} ms, "
            f"p95 {_percentile(tree_times, 0.95):.2f} ms"
        )
    size = count + appends
    assert services.verify_organisation(full).ok

    # 3. Export and verify.
    bundle = data_dir / "bundle.jsonl"
    t0 = time.perf_counter()
    with bundle.open("w", encoding="utf-8") as out:
        written = export_bundle(full, out)
    print(
        f"export: {written} records in {time.perf_counter() - t0:.1f} s, "
        f"{bundle.stat().st_size / 1e6:.0f} MB"
    )
    keys = load_public_keys(public_key_b64(key.public_key()))
    t0, c0 = time.perf_counter(), time.process_time()
    result = verify_bundle(bundle, keys)
    print(
        f"verify-bundle (package): {time.perf_counter() - t0:.1f} s wall, "
        f"{time.process_time() - c0:.1f} s CPU (the CPU figure holds on a busy machine): "
        f"{result.message}"
    )
    assert result.records == size, result.message
    t0 = time.perf_counter()
    reference = subprocess.run(  # noqa: S603 -- our own script, fixed arguments
        [
            sys.executable,
            str(REPO / "tools" / "verify_audit_bundle.py"),
            str(bundle),
            public_key_b64(key.public_key()),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    print(
        f"verify (reference verifier): {time.perf_counter() - t0:.1f} s: "
        f"{(reference.stdout or reference.stderr).strip()}"
    )

    # 4. Real-size records: the per-record cost of export and verification.
    real = Organisation.objects.create(name="Bench echt")
    real_user = User.objects.create_user(
        username="benchreal", password=None, organisation=real, role=Role.PROFESSIONAL
    )
    for i in range(sample):
        services.record_decision(
            user=real_user, case=case, assessment=assessment, motivation=f"Besluit {i}."
        )
    bundle = data_dir / "real.jsonl"
    t0 = time.perf_counter()
    with bundle.open("w", encoding="utf-8") as out:
        export_bundle(real, out)
    export_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = verify_bundle(bundle, keys)
    verify_s = time.perf_counter() - t0
    print(
        f"real-size sample of {sample}: {bundle.stat().st_size / sample / 1e3:.0f} KB per record; "
        f"export {export_s * 1000 / sample:.2f} ms and verify {verify_s * 1000 / sample:.2f} ms "
        f"per record ({result.status.name})"
    )


if __name__ == "__main__":
    main()
