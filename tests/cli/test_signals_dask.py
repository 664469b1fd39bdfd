"""`ketenwijs signals scan --engine dask`: a real local cluster gives the local engine's output."""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ketenwijs.cli import dask_engine
from ketenwijs.cli.main import cli

distributed = pytest.importorskip("distributed")

NOTES = Path(__file__).parent.parent / "signals" / "notes"
KETENWIJS = Path(sys.executable).parent / "ketenwijs"
FILLER = [
    "Gesprek gevoerd met cliënte op kantoor.",
    "Volgende afspraak staat op donderdag om tien uur.",
    "Vader is telefonisch op de hoogte gebracht.",
]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["signals", "scan", *args])
    return result.exit_code, result.stdout, result.stderr


def _local_cluster(**options: object) -> Iterator[distributed.LocalCluster]:
    """A scheduler and two worker processes on loopback, closed with every process it started."""
    local = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        **options,
    )
    try:
        yield local
    finally:
        local.close()


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    yield from _local_cluster()


def _documents() -> int:
    """Documents the corpus yields: five rounds of every note, three extra records, the .txt."""
    count = sum(
        len(yaml.safe_load(path.read_text(encoding="utf-8"))["notes"])
        for path in NOTES.glob("*.yaml")
    )
    return 5 * count + 4


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A JSONL corpus of five rounds of the annotated notes and more, plus a .txt file.

    Variants: filler around notes, documents without findings, an empty text, unicode, numeric
    and missing ids, one malformed line and one line that is not an object.
    """
    rng = random.Random(7)
    notes = [
        note["text"]
        for path in sorted(NOTES.glob("*.yaml"))
        for note in yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]
    ]
    records: list[dict[str, object] | str] = []
    for round_ in range(5):
        for index, text in enumerate(notes):
            if round_ == 1:
                text = f"{rng.choice(FILLER)} {text} {rng.choice(FILLER)}"
            elif round_ == 2:
                text = f"Cliënte \u2013 👩‍👧 „{text}” ☎️ 日本語"
            elif round_ == 3:
                text = text.upper()
            records.append({"id": f"r{round_}-{index}", "text": text})
    records[10:10] = [{"id": 42, "text": " ".join(FILLER)}, {"text": ""}, "{kapot", "[1, 2]"]
    records.append({"id": "no-findings", "text": "Gesprek gevoerd. Alles gaat goed."})
    root = tmp_path_factory.mktemp("corpus")
    jsonl = root / "notes.jsonl"
    jsonl.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records),
        encoding="utf-8",
    )
    txt = root / "losse-notitie.txt"
    txt.write_text("Ze moet van hem seks hebben met zijn vrienden.", encoding="utf-8")
    return [str(jsonl), str(txt)]


@pytest.mark.parametrize(
    ("fmt", "partition_size"),
    [("jsonl", "16"), ("json", "16"), ("json", "500"), ("text", "7"), ("csv", "50")],
)
def test_dask_output_equals_the_local_engine_byte_for_byte(
    cluster: distributed.LocalCluster, corpus: list[str], fmt: str, partition_size: str
) -> None:
    common = [*corpus, "--format", fmt, "--no-progress", "--lang", "en"]
    local = _run(*common)
    remote = _run(
        *common,
        "--engine",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
        "--partition-size",
        partition_size,
    )
    assert remote == local
    code, out, err = local
    assert code == 1  # the malformed lines are input failures in both engines
    assert err.splitlines() == [
        f"ketenwijs signals scan: {corpus[0]}:13: invalid JSON (Expecting property name "
        "enclosed in double quotes); line skipped",
        f'ketenwijs signals scan: {corpus[0]}:14: expected an object {{"id": ..., "text": "..."}}',
        f"ketenwijs signals scan: 2 input(s) failed; {_documents()} document(s) scanned",
    ]
    if fmt == "jsonl":
        docs = [json.loads(line) for line in out.splitlines()]
        assert [d["id"] for d in docs[9:13]] == ["r0-9", "42", f"{corpus[0]}:12", "r0-10"]
        assert docs[-1]["id"] == corpus[1]
        assert sum(1 for d in docs if not d["findings"]) >= 3
        assert sum(1 for d in docs if d["findings"]) > 250


def test_dask_engine_prints_a_progress_count_when_asked(
    cluster: distributed.LocalCluster, corpus: list[str]
) -> None:
    code, _, err = _run(
        corpus[1], "--engine", "dask", "--scheduler", cluster.scheduler_address, "--progress"
    )
    assert code == 0
    assert "Scannen" in err


def test_every_worker_must_have_the_same_indicator_library(
    cluster: distributed.LocalCluster,
) -> None:
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        dask_engine.check_workers(client, dask_engine.library_identity())
        with pytest.raises(dask_engine.DaskEngineError, match="install the same ketenwijs"):
            dask_engine.check_workers(client, ("0.0+context-0", "0" * 64))


def test_a_failing_partition_stops_the_run_with_one_line(
    cluster: distributed.LocalCluster,
) -> None:
    documents = [("ok", "Ze spijbelt."), ("bad", None)]  # a text the scanner cannot take
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        results = dask_engine.scan_on_cluster(
            client,
            documents,  # type: ignore[arg-type]
            minor=None,
            encoded=True,
            partition_size=1,
        )
        first = next(results)
        assert json.loads(first)["id"] == "ok"
        with pytest.raises(dask_engine.DaskEngineError, match="a partition failed on the cluster"):
            next(results)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    note = tmp_path / "n.txt"
    note.write_text("Ze spijbelt.", encoding="utf-8")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    command = [str(KETENWIJS), "signals", "scan", str(note), "--engine", "dask"]
    done = subprocess.run(
        [*command, "--scheduler", address, "--connect-timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        f"ketenwijs signals scan: cannot reach the Dask scheduler at {address}: "
    )
    assert time.monotonic() - start < 20


def test_a_scheduler_without_workers_is_reported() -> None:
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=":0"
    ) as empty:
        address = empty.scheduler_address
        code, out, err = _run(
            "-", "--engine", "dask", "--scheduler", address, "--connect-timeout", "0.5"
        )
    assert code == 2
    assert out == ""
    assert err == (
        f"ketenwijs signals scan: the Dask scheduler at {address} has no workers (waited 0.5 s)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "dask"], "--engine dask needs --scheduler tls://HOST:PORT."),
        (["--engine", "dask", "--scheduler", "localhost"], "expected tls://HOST:PORT"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask."),
        (["--partition-size", "10"], "--partition-size needs --engine dask."),
        (
            ["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"],
            "--workers is for the local engine",
        ),
        (
            ["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--partition-size", "0"],
            "Invalid value for '--partition-size'",
        ),
        (
            ["--engine", "dask", "--scheduler", "tls://127.0.0.1:8786"],
            "a tls:// scheduler needs --tls-ca-file, --tls-cert, --tls-key.",
        ),
        (
            ["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--tls-key", __file__],
            "--tls-ca-file, --tls-cert, --tls-key need a tls:// scheduler.",
        ),
        (["--tls-cert", __file__], "--tls-cert needs --engine dask."),
        (
            ["--engine", "dask", "--scheduler", "tls://127.0.0.1:8786", "--tls-cert", "nope.pem"],
            "Invalid value for '--tls-cert': File 'nope.pem' does not exist.",
        ),
    ],
)
def test_engine_options_that_do_not_fit_are_usage_errors(args: list[str], message: str) -> None:
    code, out, err = _run("-", *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_without_dask_installed_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    code, _, err = _run("-", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786")
    assert code == 2
    assert "pip install 'ketenwijs[dask]'" in err


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """A throw-away self-signed certificate: its own CA, used by scheduler, workers and client."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    names = ["-subj", "/CN=ketenwijs-test", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(["openssl", *request, *names], check=True, capture_output=True)
    return str(cert), str(cert), str(key)


@pytest.fixture(scope="module")
def tls_cluster(tls_files: tuple[str, str, str]) -> Iterator[distributed.LocalCluster]:
    """A scheduler and two workers that speak only TLS and accept only certificates of the CA."""
    from distributed.security import Security

    ca_file, cert, key = tls_files
    security = Security(
        tls_ca_file=ca_file,
        tls_scheduler_cert=cert,
        tls_scheduler_key=key,
        tls_worker_cert=cert,
        tls_worker_key=key,
        tls_client_cert=cert,
        tls_client_key=key,
        require_encryption=True,
    )
    yield from _local_cluster(protocol="tls://", security=security)


def test_a_tls_cluster_gives_the_same_output_and_refuses_plain_tcp(
    tls_cluster: distributed.LocalCluster, tls_files: tuple[str, str, str], corpus: list[str]
) -> None:
    address = tls_cluster.scheduler_address
    assert address.startswith("tls://127.0.0.1:")
    ca_file, cert, key = tls_files
    common = [*corpus, "--format", "jsonl", "--no-progress"]
    local = _run(*common)
    remote = _run(
        *common,
        "--engine",
        "dask",
        "--scheduler",
        address,
        "--tls-ca-file",
        ca_file,
        "--tls-cert",
        cert,
        "--tls-key",
        key,
    )
    assert remote == local
    # The same port over plain TCP: the scheduler does not talk to it.
    plain = address.replace("tls://", "tcp://")
    code, out, err = _run("-", "--engine", "dask", "--scheduler", plain, "--connect-timeout", "2")
    assert (code, out) == (2, "")
    assert err.startswith(f"ketenwijs signals scan: cannot reach the Dask scheduler at {plain}")
