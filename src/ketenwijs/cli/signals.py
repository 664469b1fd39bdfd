"""`ketenwijs signals`: scan case notes for exploitation signals; check the indicator content."""

from __future__ import annotations

import codecs
import csv
import io
import json
import multiprocessing
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, NoReturn, TextIO

import click

from ketenwijs.content import ContentError
from ketenwijs.inputs import (
    InputTooLargeError,
    JsonInputError,
    JsonLimits,
    JsonSyntaxError,
    UndecodableTextError,
    decode_text,
    load_json,
    parse_size,
    read_limited,
)
from ketenwijs.inputs.reading import describe_size

SCAN_SUFFIXES = (".txt", ".md", ".jsonl")
PROGRESS_THRESHOLD = 200  # documents; above this a bar is shown even when stderr is not a TTY
MINOR_CHOICES = {"yes": True, "no": False, "unknown": None}
SCHEDULER_ADDRESS = re.compile(r"(tcp|tls)://[^\s/]+:\d+")


@dataclass(frozen=True)
class _Document:
    id: str
    text: str


class _Errors:
    """Collect per-file problems; they go to stderr and set the exit code, the batch goes on."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, where: str, reason: str) -> None:
        self.count += 1
        click.echo(f"ketenwijs signals scan: {where}: {reason}", err=True)


# One text file or one JSON Lines record: a case note is a few pages; 10 MB is a book. A batch
# of any size is read record by record, so only this much is ever held for one document.
DEFAULT_MAX_SIZE = "10MB"
RECORD_JSON_LIMITS = JsonLimits(max_chars=1024**3, max_depth=20, max_number_chars=40)


def _read_jsonl(path: Path, stream: BinaryIO, limit: int, errors: _Errors) -> Iterator[_Document]:
    # JSON Lines ends records at "\n" only: splitting at other line breaks would also cut at
    # U+2028 or U+0085, which JSON written with ensure_ascii=False may carry inside a text.
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of this record
                line = stream.readline(1024 * 1024)
            errors.report(
                f"{path}:{number}",
                f"record larger than {describe_size(limit)} (raise it with --max-size); "
                "line skipped",
            )
            continue
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if not line.strip():
            continue
        try:
            record = load_json(line.decode("utf-8"), RECORD_JSON_LIMITS)
        except UnicodeDecodeError:
            errors.report(f"{path}:{number}", "not UTF-8 (JSON Lines is UTF-8); line skipped")
            continue
        except JsonSyntaxError as exc:  # one record per line: the column is enough
            errors.report(f"{path}:{number}", f"invalid JSON ({exc.reason}); line skipped")
            continue
        except JsonInputError as exc:
            errors.report(f"{path}:{number}", f"{exc}; line skipped")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            errors.report(f"{path}:{number}", 'expected an object {"id": ..., "text": "..."}')
            continue
        doc_id = record.get("id", f"{path}:{number}")
        yield _Document(str(doc_id), record["text"])


def _read_text(label: str, stream: BinaryIO, limit: int, errors: _Errors) -> str | None:
    """Read one text document by the shared decoding policy; report and return None if not."""
    try:
        return decode_text(read_limited(stream, limit)).text
    except InputTooLargeError:
        errors.report(
            label,
            f"larger than {describe_size(limit)} (raise it with --max-size); file skipped",
        )
    except UndecodableTextError as exc:
        errors.report(label, f"not readable text ({exc.detail}); file skipped")
    return None


def _read_file(path: Path, limit: int, errors: _Errors) -> Iterator[_Document]:
    try:
        with path.open("rb") as stream:
            if path.suffix == ".jsonl":
                yield from _read_jsonl(path, stream, limit, errors)
                return
            text = _read_text(str(path), stream, limit, errors)
    except OSError as exc:
        errors.report(str(path), f"cannot read ({exc.strerror or exc}); file skipped")
        return
    if text is not None:
        yield _Document(str(path), text)


def _documents(paths: tuple[str, ...], limit: int, errors: _Errors) -> Iterator[_Document]:
    """Yield documents from files, folders (recursively: .txt, .md, .jsonl) and '-' (stdin)."""
    for raw in paths:
        if raw == "-":
            text = _read_text("stdin", sys.stdin.buffer, limit, errors)
            if text is not None:
                yield _Document("-", text)
            continue
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.suffix in SCAN_SUFFIXES):
                if file.is_file():
                    yield from _read_file(file, limit, errors)
        elif path.exists():
            yield from _read_file(path, limit, errors)
        else:
            errors.report(raw, "no such file or folder")


def _scan_one(job: tuple[_Document, bool | None, bool]) -> dict[str, Any] | str:
    """Scan one document; with `encoded`, return its JSON line (made in the pool's process)."""
    from ketenwijs.signals import scan_text
    from ketenwijs.signals.batch import encode

    document, minor, encoded = job
    data = scan_text(document.text, minor=minor, doc_id=document.id).to_dict()
    # JSON is most of the work for a short note (docs/PERFORMANCE.md): do it where the scan ran,
    # so `--workers` spreads it too, and the parent only writes lines.
    return encode(data) if encoded else data


def _write_text(out: IO[str], data: dict[str, Any], lang: str) -> None:
    affirmed = [f for f in data["findings"] if f["context"] == "affirmed"]
    out.write(f"== {data['id']}: {len(affirmed)} of {len(data['findings'])} findings affirmed\n")
    for f in data["findings"]:
        reason = ""
        if f["trigger"]:
            reason = f" ({f['trigger']['kind']}: {f['trigger']['text']!r})"
        who = f" role={f['role']}"
        if f["actor"]:
            who += f" ({f['actor']['text']!r})"
        if f["reported_by"]:
            who += f" reported_by={f['reported_by']['text']!r}"
        rule = f["rule"]
        found_by = (
            f"learned detector, score {rule['confidence']:.2f} (no written rule: read the "
            "sentence yourself)"
            if rule["kind"] == "model"
            else f"{rule['kind']} {rule['id']!r} ({rule['file']})"
        )
        out.write(
            f"  {f['start']:>6}-{f['end']:<6} {f['context']:<12} {f['indicator']} "
            f"[{f['dimension']}, {f['strength']}] {f['text']!r}{reason}{who}\n"
            f"                {found_by}\n"
        )
    for dimension, summary in data["summary"].items():
        if summary["count"]:
            positive = " (ILO rule: positive)" if summary["ilo_rule_positive"] else ""
            names = ", ".join(summary["indicators"])
            out.write(f"  summary {dimension}: {names}{positive}\n")
    if data["vulnerability"]:
        out.write(f"  vulnerability: {', '.join(data['vulnerability'])}\n")
    minor = data["minor"]
    evidence = minor["evidence"]
    said = f", text says {evidence['text']!r}" if evidence else ""
    out.write(f"  minor: {minor['value']} ({minor['source']}{said})\n")
    out.write(f"  {data['combination']['guidance'][lang]}\n")
    for step in data["next_steps"]:
        out.write(f"  - {step['text'][lang]}\n")


_CSV_FIELDS = ["id", "indicator", "category", "dimension", "strength", "context", "start", "end"]
_CSV_FIELDS += ["text", "trigger", "role", "rule"]


def _write_csv(writer: Any, data: dict[str, Any]) -> None:
    for f in data["findings"]:
        trigger = f"{f['trigger']['kind']}:{f['trigger']['text']}" if f["trigger"] else ""
        rule = f"{f['rule']['kind']}:{f['rule']['id']}"
        writer.writerow([data["id"], *(f[k] for k in _CSV_FIELDS[1:-3]), trigger, f["role"], rule])


@click.group()
def signals() -> None:
    """Signaleren: vind signalen van uitbuiting in casusnotities (scan) en beheer de indicatoren."""


@signals.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "text", "csv"]),
    default="json",
    show_default=True,
    help="json: one array; jsonl: one document per line; text: readable; csv: one row per finding.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parallel processes; results keep the input order.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: this machine (with --workers); dask: partitions on a Dask cluster (--scheduler).",
)
@click.option(
    "--scheduler",
    metavar="tls://HOST:PORT",
    help=(
        "Address of the Dask scheduler (required with --engine dask). tls:// encrypts the case "
        "notes on the way (with --tls-ca-file, --tls-cert, --tls-key); tcp:// does not."
    ),
)
@click.option(
    "--tls-ca-file",
    type=click.Path(exists=True, dir_okay=False),
    help="CA certificate (PEM) that signed the cluster's certificates (tls:// only).",
)
@click.option(
    "--tls-cert",
    type=click.Path(exists=True, dir_okay=False),
    help="This client's certificate (PEM), signed by that CA (tls:// only).",
)
@click.option(
    "--tls-key",
    type=click.Path(exists=True, dir_okay=False),
    help="The private key of --tls-cert (PEM) (tls:// only).",
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Documents per Dask task (--engine dask).",
)
@click.option(
    "--connect-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to reach the Dask scheduler and find a worker (--engine dask).",
)
@click.option(
    "--minor",
    type=click.Choice(list(MINOR_CHOICES)),
    default="unknown",
    show_default=True,
    help="Is the person a minor? 'unknown' lets the text decide (e.g. '15-jarige').",
)
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), default="nl", help="Language of text output."
)
@click.option(
    "--max-size",
    default=DEFAULT_MAX_SIZE,
    show_default=True,
    help="Largest text file or JSON Lines record (e.g. 10MB, 1GB); larger ones are skipped.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help=(
        f"Progress bar on stderr (default: stderr is a terminal, or > {PROGRESS_THRESHOLD} docs "
        "with the local engine)."
    ),
)
def scan(
    paths: tuple[str, ...],
    fmt: str,
    workers: int,
    engine: str,
    scheduler: str | None,
    tls_ca_file: str | None,
    tls_cert: str | None,
    tls_key: str | None,
    partition_size: int,
    connect_timeout: float,
    minor: str,
    lang: str,
    max_size: str,
    progress: bool | None,
) -> None:
    """Scan text files, folders (.txt, .md, .jsonl) or '-' (stdin) for signals, in memory.

    With --engine dask the documents are read here and scanned in partitions on the Dask cluster
    at --scheduler; the output is the local engine's, byte for byte, in the same order.

    Exit status: 0 when every input was scanned, 1 when an input failed (the others are still
    scanned and printed), 2 on a usage error or when the Dask cluster is unreachable or fails.
    """
    from ketenwijs.signals import default_library

    tls = _check_engine_options(engine, scheduler, (tls_ca_file, tls_cert, tls_key))
    try:
        limit = parse_size(max_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-size") from exc
    errors = _Errors()
    documents = list(_documents(paths, limit, errors)) if engine == "local" else []
    try:
        default_library()  # load once, before workers fork, so a content error stops early
    except ContentError as exc:
        raise click.ClickException(f"indicator content is invalid: {exc}") from exc
    out = sys.stdout
    writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
    # Both engines encode JSON where the document was scanned; the other formats need the dict.
    encoded = fmt in ("json", "jsonl")

    def emit(index: int, data: dict[str, Any] | str) -> None:
        """Write one scanned document: its JSON line (json, jsonl) or its dict (text, csv)."""
        if encoded:
            assert isinstance(data, str)
            out.write((("\n" if index == 0 else ",\n") + data) if fmt == "json" else data + "\n")
        elif fmt == "csv":
            assert isinstance(data, dict)
            _write_csv(writer, data)
        else:
            assert isinstance(data, dict)
            _write_text(out, data, lang)

    address = scheduler or ""  # given whenever engine == "dask" (_check_engine_options)
    client = _connect_dask(address, connect_timeout, tls) if engine == "dask" else None
    if writer is not None:
        writer.writerow(_CSV_FIELDS)
    if fmt == "json":
        out.write("[")
    if client is not None:
        show = progress if progress is not None else sys.stderr.isatty()
        try:
            scanned = _scan_dask(
                client,
                address,
                _documents(paths, limit, errors),
                emit,
                minor=MINOR_CHOICES[minor],
                encoded=encoded,
                partition_size=partition_size,
                show=show,
            )
        finally:
            client.close()
    else:
        jobs = [(d, MINOR_CHOICES[minor], encoded) for d in documents]
        show = (
            progress
            if progress is not None
            else (sys.stderr.isatty() or len(jobs) > PROGRESS_THRESHOLD)
        )
        _scan_local(jobs, workers, emit, show)
        scanned = len(jobs)
    if fmt == "json":
        out.write("\n]\n" if scanned else "]\n")
    out.flush()
    if errors.count:
        click.echo(
            f"ketenwijs signals scan: {errors.count} input(s) failed; "
            f"{scanned} document(s) scanned",
            err=True,
        )
        sys.exit(1)


def _check_engine_options(
    engine: str, scheduler: str | None, tls_files: tuple[str | None, str | None, str | None]
) -> tuple[str, str, str] | None:
    """Refuse option combinations that belong to the other engine (usage error, exit 2).

    Return the TLS files (CA, certificate, key) for a tls:// scheduler, None for tcp://.
    """
    ctx = click.get_current_context()
    tls_options = ("--tls-ca-file", "--tls-cert", "--tls-key")

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)

    if engine == "dask":
        if scheduler is None:
            raise click.UsageError("--engine dask needs --scheduler tls://HOST:PORT.")
        match = SCHEDULER_ADDRESS.fullmatch(scheduler)
        if match is None:
            raise click.BadParameter(
                f"expected tls://HOST:PORT or tcp://HOST:PORT, not {scheduler!r}",
                param_hint="'--scheduler'",
            )
        if given("workers"):
            raise click.UsageError(
                "--workers is for the local engine; with --engine dask the cluster's workers scan."
            )
        ca_file, cert, key = tls_files
        if match.group(1) == "tcp":
            if any(tls_files):
                raise click.UsageError(f"{', '.join(tls_options)} need a tls:// scheduler.")
            return None
        if ca_file is None or cert is None or key is None:
            missing = [o for o, value in zip(tls_options, tls_files, strict=True) if value is None]
            raise click.UsageError(f"a tls:// scheduler needs {', '.join(missing)}.")
        return ca_file, cert, key
    for name in (
        "scheduler",
        "tls_ca_file",
        "tls_cert",
        "tls_key",
        "partition_size",
        "connect_timeout",
    ):
        if given(name):
            option = "--" + name.replace("_", "-")
            raise click.UsageError(f"{option} needs --engine dask.")
    return None


def _scan_local(
    jobs: list[tuple[_Document, bool | None, bool]],
    workers: int,
    emit: Callable[[int, dict[str, Any] | str], None],
    show: bool,
) -> None:
    """Scan on this machine, in this process or a multiprocessing pool; emit in input order."""
    pool = multiprocessing.Pool(workers) if workers > 1 and len(jobs) > 1 else None
    try:
        results: Iterator[dict[str, Any] | str]
        if pool is not None:
            results = pool.imap(
                _scan_one, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8)))
            )
        else:
            results = map(_scan_one, jobs)
        bar_file: TextIO = sys.stderr if show else io.StringIO()
        with click.progressbar(results, length=len(jobs), label="Scannen", file=bar_file) as bar:
            for index, data in enumerate(bar):
                emit(index, data)
    finally:
        if pool is not None:
            pool.close()
            pool.join()


def _connect_dask(scheduler: str, timeout: float, tls: tuple[str, str, str] | None) -> Any:
    """Return a Dask client; a missing extra is a usage error, no scheduler is one line, exit 2."""
    from ketenwijs.cli import dask_engine

    try:
        return dask_engine.connect(scheduler, timeout, tls)
    except dask_engine.DaskUnavailableError as exc:
        raise click.UsageError(
            f"--engine dask needs Dask, which is not installed ({exc}); "
            "install it with: pip install 'ketenwijs[dask]'"
        ) from exc
    except dask_engine.SchedulerUnreachableError as exc:
        _fail(f"cannot reach the Dask scheduler at {scheduler}: {exc}")
    except dask_engine.DaskEngineError as exc:
        _fail(str(exc))


def _scan_dask(
    client: Any,
    scheduler: str,
    documents: Iterator[_Document],
    emit: Callable[[int, Any], None],
    *,
    minor: bool | None,
    encoded: bool,
    partition_size: int,
    show: bool,
) -> int:
    """Scan in partitions on the cluster, emit in input order; return the number of documents."""
    from ketenwijs.cli import dask_engine

    results = dask_engine.scan_on_cluster(
        client,
        ((d.id, d.text) for d in documents),
        minor=minor,
        encoded=encoded,
        partition_size=partition_size,
    )
    bar_file: TextIO = sys.stderr if show else io.StringIO()
    scanned = 0
    try:
        with click.progressbar(results, label="Scannen", file=bar_file, show_pos=True) as bar:
            for data in bar:
                emit(scanned, data)
                scanned += 1
    except dask_engine.DaskEngineError as exc:
        sys.stdout.flush()
        _fail(f"on the Dask cluster at {scheduler}: {exc}")
    return scanned


def _fail(message: str) -> NoReturn:
    """One line on stderr and exit status 2: the run could not be done (or finished)."""
    click.echo(f"ketenwijs signals scan: {message}", err=True)
    sys.exit(2)


@signals.group()
def indicators() -> None:
    """Toon en controleer de indicatorenbibliotheek (content)."""


@indicators.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_indicators(fmt: str) -> None:
    """List every indicator with category, ILO dimension, strength and Dutch label."""
    from ketenwijs.signals import default_library

    library = default_library()
    rows = [
        {
            "id": spec.id,
            "kind": spec.kind,
            "category": spec.category,
            "ilo_dimension": spec.ilo_dimension,
            "strength": spec.strength,
            "label": {"nl": spec.label.nl, "en": spec.label.en},
            "patterns": len(spec.patterns),
        }
        for spec in library.indicators.values()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['id']:<32} {row['category']}  {row['ilo_dimension']:<26} "
            f"{row['strength']:<7} {row['label']['nl']}"  # type: ignore[index]
        )
    click.echo(f"{len(rows)} indicators, library {library.version}")


@indicators.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def validate_indicators(path: Path | None) -> None:
    """Check the library (a folder) or one indicator file: schema, names, patterns, examples.

    Without PATH the packaged library is checked. Exit status 1 lists every problem as
    `file:line: reason`.
    """
    from ketenwijs.signals.checks import check_examples
    from ketenwijs.signals.library import load_indicator_file, load_library

    try:
        if path is not None and path.is_file():
            specs, _examples = load_indicator_file(path)
            click.echo(
                f"OK: {path}: {len(specs)} indicator(s) valid "
                f"(examples are run when you validate the whole folder)"
            )
            return
        library = load_library(path)
    except ContentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    problems = check_examples(library)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(1)
    patterns = sum(len(s.patterns) for s in library.indicators.values())
    click.echo(
        f"OK: {len(library.signals)} signals, {len(library.vulnerabilities)} vulnerability items, "
        f"{patterns} patterns, {len(library.examples)} examples pass; "
        f"library {library.version} sha256 {library.sha256[:12]}"
    )
