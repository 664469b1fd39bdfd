"""`ketenwijs share`: assess a case, interview, validate and test rules, draw the infographic.

Exit codes follow spec §4.1: 0 on an assessment, 2 on invalid input (messages name the field),
1 when rule files are invalid or scenarios fail.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from ketenwijs.inputs import (
    InputTooLargeError,
    JsonInputError,
    JsonLimits,
    UndecodableTextError,
    decode_text,
    load_json,
    read_path_limited,
)
from ketenwijs.sharing import (
    Case,
    CaseError,
    ContentError,
    Interview,
    Question,
    VersionError,
    analyse_rulebook,
    compare_dates,
    evaluate,
    load_rulebook,
    load_scenarios,
    render_infographic_svg,
    render_infographic_text,
    run_scenario,
)

LANG = click.Choice(["nl", "en"])


def _rules(path: str | None, *, analyse: bool = False) -> Any:
    try:
        return analyse_rulebook(path) if analyse else load_rulebook(path)
    except ContentError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@click.group()
def share() -> None:
    """Delen: mag ik deze informatie delen? / May I share this information?"""


@share.command()
@click.option(
    "--case", "case_file", required=True, help="Case JSON file (spec §4.1), or - for stdin."
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option(
    "--lang", type=LANG, default="nl", show_default=True, help="Language of --format text."
)
@click.option("--rules", "rules_path", default=None, help="Rules folder (default: packaged rules).")
@click.option(
    "--compare-date",
    "compare_date",
    default=None,
    help="Also assess the case as on this date (YYYY-MM-DD) and show per check what changed "
    "and why (date A: the case's reference_date, or today).",
)
@click.option(
    "--law-text",
    "law_text",
    is_flag=True,
    help="With --format text: add each cited article's wording as read (or why it was not), "
    "with a link to the law as in force on the reference date. JSON always has it.",
)
def assess(
    case_file: str,
    fmt: str,
    lang: str,
    rules_path: str | None,
    compare_date: str | None,
    law_text: bool,
) -> None:
    """Assess a case and print the outcome with checks, sources, conditions and next steps."""
    data = _read_case(case_file)
    rulebook = _rules(rules_path)
    other = None
    if compare_date is not None:
        try:
            other = dt.date.fromisoformat(compare_date)
        except ValueError:
            click.echo(
                f"error: --compare-date: '{compare_date[:40]}' is not a date (YYYY-MM-DD)",
                err=True,
            )
            sys.exit(2)
    try:
        case = Case.from_dict(data)
        if other is not None:
            try:
                rulebook.version_for(other)
            except VersionError as exc:
                click.echo(f"error: --compare-date: {exc}", err=True)
                sys.exit(2)
            first = case.reference_date or dt.date.today()
            comparison = compare_dates(case, rulebook, first, other)
            if fmt == "json":
                click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
            else:
                click.echo(comparison.to_text(lang), nl=False)
            return
        assessment = evaluate(case, rulebook, explain=True)
    except CaseError as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        sys.exit(2)
    except VersionError as exc:
        click.echo(f"error: reference_date: {exc}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(assessment.to_text(lang, law_text=law_text), nl=False)


# A §4.1 case is about 1 kB; 64 kB leaves room for every optional fact and generous spacing.
MAX_CASE_BYTES = 64 * 1024
CASE_JSON_LIMITS = JsonLimits(max_chars=MAX_CASE_BYTES, max_depth=4, max_number_chars=20)


def _read_case(case_file: str) -> object:
    """Read and parse a case file (or stdin) within limits; exit 2 with one clear line if not."""
    source = "stdin" if case_file == "-" else case_file
    try:
        text = decode_text(read_path_limited(case_file, MAX_CASE_BYTES)).text
        return load_json(text, CASE_JSON_LIMITS)
    except OSError as exc:
        message = f"cannot read {source}: {exc.strerror or exc}"
    except InputTooLargeError as exc:
        message = f"{source} is {exc}; a case file is a few kB"
    except UndecodableTextError as exc:
        message = f"{source} is not readable text: {exc.detail}"
    except JsonInputError as exc:
        message = f"{source}: {exc}"
    click.echo(f"error: --case: {message}", err=True)
    sys.exit(2)


def _ask(question: Question, lang: str) -> tuple[str, object] | None:
    """Prompt once; return (fact, value), or None when the user typed 'back'/'terug'."""
    en = lang == "en"
    click.echo("")
    click.echo(getattr(question.text, lang))
    click.echo(f"  ({getattr(question.help, lang)})")
    back_words = {"back", "terug", "b", "t"}
    if question.type == "bool":
        hint = "yes/no" if en else "ja/nee"
        while True:
            raw = click.prompt(hint, default="", show_default=False).strip().lower()
            if raw in back_words:
                return None
            if raw in {"y", "yes", "j", "ja"}:
                return question.fact, True
            if raw in {"n", "no", "nee"}:
                return question.fact, False
            click.echo("Please answer yes or no." if en else "Antwoord met ja of nee.")
    keys = list(question.options)
    for i, key in enumerate(keys, start=1):
        click.echo(f"  {i}. {getattr(question.options[key], lang)}")
    many = question.type == "enum_list"
    hint = (
        ("numbers, comma-separated (empty: none)" if en else "nummers, met komma's (leeg: geen)")
        if many
        else ("number" if en else "nummer")
    )
    while True:
        raw = click.prompt(hint, default="", show_default=False).strip()
        if raw.lower() in back_words:
            return None
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        chosen: list[str] = []
        for part in parts:
            if part.isdigit() and 1 <= int(part) <= len(keys):
                chosen.append(keys[int(part) - 1])
            elif part in keys:
                chosen.append(part)
            else:
                chosen = []
                break
        if many and (chosen or not raw):
            return question.fact, sorted(set(chosen))
        if not many and len(chosen) == 1:
            return question.fact, chosen[0]
        click.echo("Choose from the list." if en else "Kies uit de lijst.")


@share.command()
@click.option("--lang", type=LANG, default="nl", show_default=True)
@click.option(
    "--date", "ref_date", default=None, help="Reference date YYYY-MM-DD (default: today)."
)
@click.option("--start", "start_at", default=None, help="Start at a step id (see the infographic).")
@click.option("--rules", "rules_path", default=None, help="Rules folder (default: packaged rules).")
def interview(
    lang: str, ref_date: str | None, start_at: str | None, rules_path: str | None
) -> None:
    """Ask the questions one at a time in the terminal, then print the assessment."""
    rulebook = _rules(rules_path)
    try:
        case = Case() if ref_date is None else Case().with_fact("reference_date", ref_date)
        state = Interview(rulebook, case, start_at=start_at)
    except CaseError as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(getattr(rulebook.title, lang))
    click.echo("(type 'back' to go back)" if lang == "en" else "(typ 'terug' om terug te gaan)")
    while (question := state.next_question()) is not None:
        progress = state.progress()
        click.echo(f"\n[{progress.answered + 1}/{progress.total}]", nl=False)
        answer = _ask(question, lang)
        try:
            state = state.back() if answer is None else state.answer(*answer)
        except CaseError as exc:
            # An answer that contradicts an earlier one (e.g. a BSN with 'pseudonymised'):
            # say why and ask the same question again; nothing is stored.
            for error in exc.errors:
                click.echo(f"error: {error}", err=True)
    click.echo("")
    click.echo(state.assessment(explain=True).to_text(lang), nl=False)


@share.group()
def rules() -> None:
    """Validate and test the sharing rule files."""


@rules.command("validate")
@click.argument("path", required=False)
def rules_validate(path: str | None) -> None:
    """Load the rules (default: packaged) and report the first problem with file and line."""
    rulebook = _rules(path, analyse=True)
    versions = ", ".join(v.version.id for v in rulebook.versions)
    click.echo(
        f"ok: {rulebook.id}: {len(rulebook.checks)} checks, {len(rulebook.questions)} questions, "
        f"versions {versions}, sha256 {rulebook.sha256}"
    )
    # The analysis already refused any conflict; say what was searched so the author knows.
    pairs = ", ".join(f"{a} -> {b}" for a, b in rulebook.route_pairs) or "none declared"
    click.echo(
        f"routes: no conflicting route in any version ({len(rulebook.route_pairs)} pairs: {pairs})"
    )


@rules.command("test")
@click.argument("path", required=False)
@click.option("--scenarios", "scenarios_path", default=None, help="Scenario file or folder.")
@click.option("-v", "--verbose", is_flag=True, help="Also print each scenario's file and origin.")
def rules_test(path: str | None, scenarios_path: str | None, verbose: bool) -> None:
    """Run the scenario files; print pass/fail per scenario; exit 1 if any fails."""
    rulebook = _rules(path)
    try:
        scenarios = load_scenarios(rulebook, scenarios_path)
    except ContentError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    failed = 0
    for scenario in scenarios:
        result = run_scenario(scenario, rulebook)
        mark = "PASS" if result.passed else "FAIL"
        click.echo(f"{mark}  {scenario.name}")
        if verbose:
            click.echo(f"      {scenario.path.name}:{scenario.line}")
            click.echo(f"      origin: {scenario.origin or '-'}")
        for problem in result.problems:
            click.echo(f"      {scenario.path.name}:{scenario.line}: {problem}")
        failed += not result.passed
    if verbose:
        with_origin = sum(1 for s in scenarios if s.origin is not None)
        click.echo(f"\n{with_origin} of {len(scenarios)} scenarios name their origin")
    click.echo(f"\n{len(scenarios) - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


@share.command()
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="SVG file to write."
)
@click.option(
    "--text",
    "text_out",
    default=None,
    type=click.Path(dir_okay=False),
    help="Also write the text version.",
)
@click.option(
    "--date", "ref_date", default=None, help="Show the rules as on this date (YYYY-MM-DD)."
)
@click.option("--lang", type=LANG, default="nl", show_default=True)
@click.option("--rules", "rules_path", default=None, help="Rules folder (default: packaged rules).")
def infographic(
    out: str, text_out: str | None, ref_date: str | None, lang: str, rules_path: str | None
) -> None:
    """Draw the decision structure (SVG, plus an accessible text version) from the rules."""
    rulebook = _rules(rules_path)
    version = None
    if ref_date is not None:
        try:
            version = rulebook.version_for(dt.date.fromisoformat(ref_date)).version.id
        except ValueError as exc:
            click.echo(f"error: --date: {exc}", err=True)
            sys.exit(2)
    outputs = [("--out", out, render_infographic_svg(rulebook, version, lang))]
    if text_out is not None:
        outputs.append(("--text", text_out, render_infographic_text(rulebook, version, lang)))
    # Every folder is checked before anything is written: no half-done output on an error.
    for option, target, _content in outputs:
        if not Path(target).resolve().parent.is_dir():
            click.echo(f"error: {option}: cannot write {target}: No such folder", err=True)
            sys.exit(2)
    for option, target, content in outputs:
        try:
            Path(target).write_text(content, encoding="utf-8")
        except OSError as exc:
            click.echo(f"error: {option}: cannot write {target}: {exc.strerror or exc}", err=True)
            sys.exit(2)
    click.echo(f"wrote {out}" + (f" and {text_out}" if text_out else ""))
