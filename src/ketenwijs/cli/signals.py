"""`ketenwijs signals`: scan case notes for exploitation signals; check the indicator content."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click

from ketenwijs.content import ContentError

SCAN_SUFFIXES = (".txt", ".md", ".jsonl")
PROGRESS_THRESHOLD = 200  # documents; above this a bar is shown even when stderr is not a TTY
MINOR_CHOICES = {"yes": True, "no": False, "unknown": None}


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


def _read_jsonl(path: Path, text: str, errors: _Errors) -> Iterator[_Document]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.report(f"{path}:{number}", f"invalid JSON ({exc.msg}); line skipped")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            errors.report(f"{path}:{number}", 'expected an object {"id": ..., "text": "..."}')
            continue
        doc_id = record.get("id", f"{path}:{number}")
        yield _Document(str(doc_id), record["text"])


def _read_file(path: Path, errors: _Errors) -> Iterator[_Document]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.report(str(path), "not UTF-8 text; file skipped")
        return
    except OSError as exc:
        errors.report(str(path), f"cannot read ({exc.strerror or exc}); file skipped")
        return
    if path.suffix == ".jsonl":
        yield from _read_jsonl(path, text, errors)
    else:
        yield _Document(str(path), text)


def _documents(paths: tuple[str, ...], errors: _Errors) -> Iterator[_Document]:
    """Yield documents from files, folders (recursively: .txt, .md, .jsonl) and '-' (stdin)."""
    for raw in paths:
        if raw == "-":
            yield _Document("-", sys.stdin.read())
            continue
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.suffix in SCAN_SUFFIXES):
                if file.is_file():
                    yield from _read_file(file, errors)
        elif path.exists():
            yield from _read_file(path, errors)
        else:
            errors.report(raw, "no such file or folder")


def _scan_one(job: tuple[_Document, bool | None]) -> dict[str, Any]:
    from ketenwijs.signals import scan_text

    document, minor = job
    return scan_text(document.text, minor=minor, doc_id=document.id).to_dict()


def _write_text(out: IO[str], data: dict[str, Any], lang: str) -> None:
    affirmed = [f for f in data["findings"] if f["context"] == "affirmed"]
    out.write(f"== {data['id']}: {len(affirmed)} of {len(data['findings'])} findings affirmed\n")
    for f in data["findings"]:
        reason = ""
        if f["trigger"]:
            reason = f" ({f['trigger']['kind']}: {f['trigger']['text']!r})"
        out.write(
            f"  {f['start']:>6}-{f['end']:<6} {f['context']:<12} {f['indicator']} "
            f"[{f['dimension']}, {f['strength']}] {f['text']!r}{reason}\n"
        )
    for dimension, summary in data["summary"].items():
        if summary["count"]:
            positive = " (ILO rule: positive)" if summary["ilo_rule_positive"] else ""
            names = ", ".join(summary["indicators"])
            out.write(f"  summary {dimension}: {names}{positive}\n")
    if data["vulnerability"]:
        out.write(f"  vulnerability: {', '.join(data['vulnerability'])}\n")
    out.write(f"  {data['combination']['guidance'][lang]}\n")
    for step in data["next_steps"]:
        out.write(f"  - {step['text'][lang]}\n")


_CSV_FIELDS = ["id", "indicator", "category", "dimension", "strength", "context", "start", "end"]
_CSV_FIELDS += ["text", "trigger"]


def _write_csv(writer: Any, data: dict[str, Any]) -> None:
    for f in data["findings"]:
        trigger = f"{f['trigger']['kind']}:{f['trigger']['text']}" if f["trigger"] else ""
        writer.writerow([data["id"], *(f[k] for k in _CSV_FIELDS[1:-1]), trigger])


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
    "--progress/--no-progress",
    default=None,
    help=f"Progress bar on stderr (default: stderr is a terminal or > {PROGRESS_THRESHOLD} docs).",
)
def scan(
    paths: tuple[str, ...],
    fmt: str,
    workers: int,
    minor: str,
    lang: str,
    progress: bool | None,
) -> None:
    """Scan text files, folders (.txt, .md, .jsonl) or '-' (stdin) for signals, in memory.

    Exit status: 0 when every input was scanned, 1 when an input failed (the others are still
    scanned and printed), 2 on a usage error.
    """
    from ketenwijs.signals import default_library

    errors = _Errors()
    documents = list(_documents(paths, errors))
    try:
        default_library()  # load once, before workers fork, so a content error stops early
    except ContentError as exc:
        raise click.ClickException(f"indicator content is invalid: {exc}") from exc
    jobs = [(d, MINOR_CHOICES[minor]) for d in documents]
    show = (
        progress
        if progress is not None
        else (sys.stderr.isatty() or len(jobs) > PROGRESS_THRESHOLD)
    )
    out = sys.stdout
    writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
    if writer is not None:
        writer.writerow(_CSV_FIELDS)
    if fmt == "json":
        out.write("[")

    def emit(index: int, data: dict[str, Any]) -> None:
        if fmt == "json":
            out.write(("\n" if index == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
        elif fmt == "jsonl":
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            _write_csv(writer, data)
        else:
            _write_text(out, data, lang)

    pool = multiprocessing.Pool(workers) if workers > 1 and len(jobs) > 1 else None
    try:
        results: Iterator[dict[str, Any]]
        if pool is not None:
            results = pool.imap(
                _scan_one, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8)))
            )
        else:
            results = map(_scan_one, jobs)
        bar_file: IO[str] = sys.stderr if show else io.StringIO()
        with click.progressbar(results, length=len(jobs), label="Scannen", file=bar_file) as bar:
            for index, data in enumerate(bar):
                emit(index, data)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    if fmt == "json":
        out.write("\n]\n" if jobs else "]\n")
    out.flush()
    if errors.count:
        click.echo(
            f"ketenwijs signals scan: {errors.count} input(s) failed; "
            f"{len(jobs)} document(s) scanned",
            err=True,
        )
        sys.exit(1)


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
