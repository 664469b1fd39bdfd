"""Benchmark batch scanning on Dask: `ketenwijs signals scan` docs/s, local against Dask, one run.

Usage: .venv/bin/python bench/signals_dask.py [--docs 20000] [--seed 7] [--partition-size 500]

Builds a JSONL corpus of case-note-like documents (one to three annotated notes from
tests/signals/notes/ with filler sentences, ≈300 characters each) in a temporary folder, then runs
the real command end to end (process start, library load, reading, scanning, JSONL written to a
file) for:
- the local engine in one process (the baseline) and with `--workers 2`;
- `--engine dask` on a LocalCluster on 127.0.0.1 (worker processes, one thread each) with 1 and
  with 2 workers, started before the clock runs.
Each first runs on a one-document corpus: its time is the fixed start-up cost (on Dask it also
loads the library on the fresh workers), so the large run sees warm workers, as on a standing
cluster. Prints docs/s, the ratio to the baseline and whether the output is byte-equal to the
baseline's. No thresholds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KETENWIJS = Path(sys.executable).parent / "ketenwijs"
FILLER = [
    "Gesprek gevoerd met cliënte op kantoor.",
    "Moeder was ook aanwezig bij het huisbezoek.",
    "Afgesproken dat we over twee weken opnieuw contact hebben.",
    "De mentor meldt dat het in de klas redelijk gaat.",
    "Het plan van aanpak is besproken en ondertekend.",
    "Volgende afspraak staat op donderdag om tien uur.",
]


def write_corpus(path: Path, count: int, seed: int) -> int:
    """Write `count` JSONL documents built from the annotated notes; return the characters."""
    rng = random.Random(seed)
    notes = [
        " ".join(str(note["text"]).split())
        for file in sorted((ROOT / "tests" / "signals" / "notes").glob("*.yaml"))
        for note in yaml.safe_load(file.read_text(encoding="utf-8"))["notes"]
    ]
    chars = 0
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            parts = rng.sample(notes, rng.randint(1, 3)) + rng.sample(FILLER, rng.randint(0, 3))
            rng.shuffle(parts)
            text = " ".join(parts)
            chars += len(text)
            out.write(json.dumps({"id": f"doc-{index}", "text": text}, ensure_ascii=False) + "\n")
    return chars


def _scan(corpus: Path, output: Path, extra: Iterable[str]) -> float:
    """Run `ketenwijs signals scan` once, JSONL into `output`; return the wall-clock seconds."""
    command = [str(KETENWIJS), "signals", "scan", str(corpus), "--format", "jsonl"]
    command += ["--no-progress", *extra]
    start = time.perf_counter()
    with output.open("wb") as out:
        subprocess.run(command, stdout=out, check=True)  # noqa: S603
    return time.perf_counter() - start


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def _load() -> str:
    """The 1-minute load average: on a shared machine it says how far to trust the figures."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def main(argv: Iterable[str] | None = None) -> None:
    """Run the benchmark and print docs/s per engine, the ratio to local and output equality."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents in the corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--partition-size", type=int, default=500, help="documents per Dask task")
    args = parser.parse_args(list(argv) if argv is not None else None)

    from distributed import LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="ketenwijs-bench-") as tmp:
        folder = Path(tmp)
        corpus, one = folder / "corpus.jsonl", folder / "one.jsonl"
        chars = write_corpus(corpus, args.docs, args.seed)
        write_corpus(one, 1, args.seed)
        print(
            f"corpus: {args.docs} documents, {chars / 1e6:.1f} MB ({chars // args.docs} characters "
            f"per document), JSONL; {os.cpu_count()} CPU cores; partitions of "
            f"{args.partition_size} documents; load average {_load()} at the start\n"
        )
        runs: list[tuple[str, float, float, str, int]] = []

        def measure(name: str, extra: list[str]) -> None:
            output = folder / "out.jsonl"
            startup = _scan(one, output, extra)
            seconds = _scan(corpus, output, extra)
            runs.append((name, seconds, startup, _digest(output), output.stat().st_size))
            output.unlink()

        measure("local engine, 1 process (baseline)", [])
        measure("local engine, --workers 2", ["--workers", "2"])
        for workers in (1, 2):
            with LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=":0",
            ) as cluster:
                dask = ["--engine", "dask", "--scheduler", cluster.scheduler_address]
                dask += ["--partition-size", str(args.partition_size)]
                measure(f"dask engine, {workers} worker{'s' if workers > 1 else ''}", dask)

    _, base_seconds, _, base_digest, size = runs[0]
    print(f"output: {size / 1e6:.0f} MB of JSONL per run; load average {_load()} at the end\n")
    header = f"{'run':<36} {'seconds':>8} {'docs/s':>8} {'÷ local':>8} {'start-up s':>11}  output"
    print(header)
    for name, seconds, startup, digest, _ in runs:
        same = "equal" if digest == base_digest else "DIFFERENT"
        print(
            f"{name:<36} {seconds:>8.1f} {args.docs / seconds:>8.0f} "
            f"{base_seconds / seconds:>7.2f}x {startup:>11.1f}  {same}"
        )
    if any(digest != base_digest for *_, digest, _ in runs):
        sys.exit("outputs differ from the local engine's")


if __name__ == "__main__":
    main()
