"""Evaluation plans: one rule-set version compiled to a single generated Python function.

The closures in `conditions.compile_node` stay the reference semantics (the interview, the
infographic and load-time analysis use them). For `evaluate`, each version is additionally
generated as straight-line Python source at first use: every fact is read once into a local,
parameters are folded into constants (so `all`/`any` branches that cannot hold in this version
disappear), check statuses live in locals, and the outcome, reasons, conditions and next steps are
decided by plain if-statements in the order the rules define. Check results are interned: there
are only (checks x statuses) distinct `CheckResult` objects, built once per version.

Kleene (three-valued) logic is emitted inline: a fact that is absent gives `None`; `all` is
`False` if any part is `False`, else `None` if any part is `None`, else `True` (`any` the mirror
image). Expressions that read no fact (or only `is_set`) are two-valued and emitted as plain
`and`/`or`/`not`. Rule content reaches the source only as `repr()` of strings and booleans (safe
literals); sets and the interned objects are passed in as named constants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ketenwijs.sharing import conditions as cond
from ketenwijs.sharing.case import FactValue
from ketenwijs.sharing.rulebook import CompiledVersion, Condition, NextStep, Rulebook

_DECIDING = frozenset({"urgent", "blocks", "advice", "condition"})

# What the generated function returns: outcome, check results (in check order), reasons,
# conditions, next steps, urgent. Check results are whatever `make_result` built (CheckResult).
RunResult = tuple[
    str, tuple[Any, ...], tuple[Any, ...], tuple[Condition, ...], tuple[NextStep, ...], bool
]
Run = Callable[[Mapping[str, FactValue]], RunResult]


@dataclass(frozen=True)
class Plan:
    """One version's generated evaluator, with what `evaluate` needs around it."""

    compiled: CompiledVersion
    version_id: str
    first_day: dt.date
    last_day: dt.date
    run: Run
    source: str  # the generated Python, for debugging and tests


class _Expr:
    """An emitted condition in two forms.

    `plain` is two-valued Python, valid when every fact variable in `needs` is known (not None);
    `tri` is the full Kleene form, valid always. `code` picks `plain` when the facts are known.
    """

    __slots__ = ("needs", "plain", "tri")

    def __init__(self, plain: str, needs: tuple[str, ...] = (), tri: str | None = None) -> None:
        self.plain = plain
        self.needs = needs
        self.tri = plain if tri is None else tri

    @property
    def const(self) -> bool | None:
        """Return True/False when the expression is a folded constant, else None."""
        return {"True": True, "False": False}.get(self.plain) if not self.needs else None

    @property
    def code(self) -> str:
        """Return a three-valued expression: fast two-valued path when all facts are known."""
        if not self.needs:
            return self.plain
        if self.tri == f"(None if {self.needs[0]} is None else {self.plain})":
            return self.tri  # a single fact test: already as tight as it gets
        known = " and ".join(f"{v} is not None" for v in self.needs)
        return f"(({self.plain}) if {known} else {self.tri})"


_TRUE = _Expr("True")
_FALSE = _Expr("False")


class _Generator:
    """Emits the source of one version's `run(facts)`."""

    def __init__(self, params: Mapping[str, Any], status_var: Mapping[str, str]) -> None:
        self.params = params
        self.status_var = status_var
        self.namespace: dict[str, Any] = {}
        self.fact_var: dict[str, str] = {}
        self.isset_var: dict[str, str] = {}
        self._consts: dict[tuple[type, Any], str] = {}
        self._temps = 0

    def const(self, value: Any) -> str:
        key = (type(value), value)
        name = self._consts.get(key)
        if name is None:
            name = f"K{len(self._consts)}"
            self._consts[key] = name
            self.namespace[name] = value
        return name

    def temp(self) -> str:
        self._temps += 1
        return f"t{self._temps}"

    def fact(self, name: str) -> str:
        if name not in self.fact_var:
            self.fact_var[name] = f"f{len(self.fact_var)}"
        return self.fact_var[name]

    def literal(self, value: Any) -> str:
        """Spell a str/bool inline (repr is a safe literal for these), anything else as a const."""
        if isinstance(value, bool | str):
            return repr(value)
        return self.const(value)

    # -- expressions ------------------------------------------------------------------------

    def expr(self, node: cond.Node, outcome_var: str | None) -> _Expr:
        if isinstance(node, cond.FactTest):
            return self._fact(node)
        if isinstance(node, cond.CheckTest):
            var = self.status_var[node.check]
            tests = [f"{var} is {_ref(var, st)}" for st in cond.STATUSES if st in node.statuses]
            return _Expr(" or ".join(tests))
        if isinstance(node, cond.ParamTest):
            return _TRUE if self.params[node.param] in node.values else _FALSE
        if isinstance(node, cond.OutcomeTest):
            if outcome_var is None:  # pragma: no cover - rejected at load for checks
                raise ValueError("outcome_in outside conditions and next steps")
            if node.outcomes >= set(cond.OUTCOMES):  # the outcome is always one of these
                return _TRUE
            return _Expr(f"{outcome_var} in {self.const(node.outcomes)}")
        children = [self.expr(c, outcome_var) for c in node.children]
        if node.op == "not":
            return self._not(children[0])
        return self._combine(node.op == "all", children)

    def _fact(self, node: cond.FactTest) -> _Expr:
        if node.op == "is_set":
            if node.fact not in self.isset_var:
                self.isset_var[node.fact] = f"p{len(self.isset_var)}"
            var = self.isset_var[node.fact]
            return _Expr(var if True in node.values else f"not {var}")
        var = self.fact(node.fact)
        if node.op == "contains_any":
            test = f"not {self.const(node.values)}.isdisjoint({var})"
        elif len(node.values) == 1:
            (only,) = node.values
            test = f"{var} == {self.literal(only)}"
        else:
            test = f"{var} in {self.const(node.values)}"
        return _Expr(test, (var,), f"(None if {var} is None else {test})")

    def _not(self, child: _Expr) -> _Expr:
        if child.const is not None:
            return _FALSE if child.const else _TRUE
        if not child.needs:
            return _Expr(f"not ({child.plain})")
        t = self.temp()
        return _Expr(
            f"not ({child.plain})",
            child.needs,
            f"(None if ({t} := {child.tri}) is None else not {t})",
        )

    def _combine(self, is_all: bool, children: list[_Expr]) -> _Expr:
        decisive = not is_all  # `all` is decided by a False, `any` by a True
        parts: list[_Expr] = []
        for child in children:
            if child.const is decisive:
                return _TRUE if decisive else _FALSE
            if child.const is None:
                parts.append(child)
        if not parts:
            return _FALSE if decisive else _TRUE
        if len(parts) == 1:
            return parts[0]
        joiner = " or " if decisive else " and "
        plain = joiner.join(f"({p.plain})" for p in parts)
        needs = tuple(dict.fromkeys(v for p in parts for v in p.needs))
        if not needs:
            return _Expr(plain)
        hits: list[str] = []
        unknowns: list[str] = []
        for p in parts:
            if p.needs:
                t = self.temp()
                hits.append(f"({t} := {p.tri}) is {decisive}")
                unknowns.append(f"{t} is None")
            else:
                hits.append(f"({p.plain})" if decisive else f"not ({p.plain})")
        tri = (
            f"({decisive} if ({' or '.join(hits)}) "
            f"else (None if ({' or '.join(unknowns)}) else {not decisive}))"
        )
        return _Expr(plain, needs, tri)


def build_plan(
    rulebook: Rulebook, compiled: CompiledVersion, make_result: Callable[[Any, str], Any]
) -> Plan:
    """Generate and compile `run(facts)` for one version; `make_result(check, status)`."""
    checks = [c.check for c in compiled.checks]
    status_var = {c.id: f"s{i}" for i, c in enumerate(checks)}
    gen = _Generator(compiled.params, status_var)
    body: list[str] = []
    emit = body.append

    # check statuses, in dependency order
    for check in checks:
        s = status_var[check.id]
        applies = None if check.applies_when is None else gen.expr(check.applies_when, None)
        met = None if check.met_when is None else gen.expr(check.met_when, None)
        emit(f"# {check.id!r} ({check.effect!r})")
        if applies is not None and applies.const is True:
            applies = None
        if met is not None and met.const is True:
            met = None
        if applies is not None and applies.const is False:
            emit(f"{s} = {_ref(s, 'not_applicable')}")
        elif applies is None and met is None:
            emit(f"{s} = {_ref(s, 'met')}")
        else:
            _emit_status(emit, s, applies, met)
        for st in cond.STATUSES:
            gen.namespace[_ref(s, st)] = make_result(check, st)

    # outcome, first match wins (see engine module docstring)
    def reasons_for(wanted: Callable[[str], tuple[str, ...] | None], pad: str) -> None:
        for check in checks:
            statuses = wanted(check.effect)
            if statuses is not None:
                s = status_var[check.id]
                test = " or ".join(f"{s} is {_ref(s, st)}" for st in statuses)
                emit(f"{pad}if {test}: reasons.append({s})")

    emit("reasons = []")
    reasons_for(lambda e: ("met",) if e == "urgent" else None, "")
    emit("if reasons:")
    emit("    outcome = 'allowed_with_conditions'")
    emit("    urgent = True")
    emit("else:")
    emit("    urgent = False")
    reasons_for(lambda e: ("not_met",) if e == "blocks" else None, "    ")
    emit("    if reasons:")
    emit("        outcome = 'not_allowed'")
    emit("    else:")

    def advice(effect: str) -> tuple[str, ...] | None:
        if effect == "advice":
            return ("not_met", "unknown")
        return ("unknown",) if effect in _DECIDING else None

    reasons_for(advice, "        ")
    allowed = " and ".join(
        f"{status_var[c]} is {_ref(status_var[c], 'met')}" for c in rulebook.allowed_only_if
    )
    emit("        if reasons:")
    emit("            outcome = 'seek_advice'")
    emit(f"        elif {allowed or 'True'}:")
    emit("            outcome = 'allowed'")
    emit("        else:")
    emit("            outcome = 'allowed_with_conditions'")

    # conditions to fulfil: only for these two outcomes; when urgent, only the urgency ones
    def item_test(node: cond.Node) -> str | None:
        e = gen.expr(node, "outcome")
        if e.const is not None:
            return "True" if e.const else None
        return f"{e.code} is True" if e.needs else e.plain

    conditions = [c for c, _ in compiled.conditions]
    for j, c in enumerate(conditions):
        gen.namespace[f"C{j}"] = c
    emit("conditions = []")
    emit("if outcome == 'allowed_with_conditions' or outcome == 'seek_advice':")
    for branch, urgent in (("    if urgent:", True), ("    else:", False)):
        emit(branch)
        emit("        pass")
        for j, c in enumerate(conditions):
            test = item_test(c.when) if (c.urgency or not urgent) else None
            if test is not None:
                emit(f"        if {test}: conditions.append(C{j})")

    emit("next_steps = []")
    for j, (n, _) in enumerate(compiled.next_steps):
        gen.namespace[f"N{j}"] = n
        test = item_test(n.when)
        if test is not None:
            emit(f"if {test}: next_steps.append(N{j})")
    all_results = "".join(f"{status_var[c.id]}, " for c in checks)
    emit(
        f"return (outcome, ({all_results}), tuple(reasons), tuple(conditions), "
        "tuple(next_steps), urgent)"
    )

    head = ["def run(facts):", "    g = facts.get"]
    head += [f"    {var} = g({name!r})" for name, var in gen.fact_var.items()]
    head += [f"    {var} = {name!r} in facts" for name, var in gen.isset_var.items()]
    source = "\n".join(head + ["    " + line for line in body]) + "\n"
    namespace = gen.namespace
    exec(compile(source, f"<delen rules {compiled.version.id}>", "exec"), namespace)  # noqa: S102
    v = compiled.version
    return Plan(
        compiled=compiled,
        version_id=v.id,
        first_day=v.valid_from,
        last_day=v.valid_until or dt.date.max,
        run=namespace["run"],
        source=source,
    )


_PREFIX = {"met": "MET", "not_met": "NOT", "unknown": "UNK", "not_applicable": "NA"}


def _ref(var: str, status: str) -> str:
    """Name of the interned result for status `status` of the check held in `var` (`s<i>`)."""
    return _PREFIX[status] + var[1:]


def _emit_status(
    emit: Callable[[str], None], s: str, applies: _Expr | None, met: _Expr | None
) -> None:
    """Emit the result of one check into variable `s` (applies and met not both absent)."""
    met_, not_met, unknown, na = (_ref(s, st) for st in cond.STATUSES)
    needs = tuple(dict.fromkeys((*(applies.needs if applies else ()), *(met.needs if met else ()))))
    pad = ""
    if needs:  # fast path: every fact both conditions read is known, so plain logic suffices
        emit("if " + " and ".join(f"{v} is not None" for v in needs) + ":")
        pad = "    "
    if met is None:
        fast = met_
    elif met.const is False:
        fast = not_met
    else:
        fast = f"({met_} if {met.plain} else {not_met})"
    if applies is not None:
        fast = f"{fast} if {applies.plain} else {na}"
    emit(f"{pad}{s} = {fast}")
    if not needs:
        return
    emit("else:")  # some fact is unknown: three-valued logic, as in conditions.compile_node
    inner = "    "
    if applies is not None:
        emit(f"    a = {applies.tri}")
        emit(f"    if a is None: {s} = {unknown}")
        emit(f"    elif not a: {s} = {na}")
        emit("    else:")
        inner = "        "
    if met is None:
        emit(f"{inner}{s} = {met_}")
    elif met.const is False:
        emit(f"{inner}{s} = {not_met}")
    else:
        emit(f"{inner}m = {met.tri}")
        emit(f"{inner}{s} = {unknown} if m is None else ({met_} if m else {not_met})")


def compile_expression(node: cond.Node, params: Mapping[str, Any]) -> cond.Compiled:
    """Generate one condition on its own, with the closures' signature (for equivalence tests)."""
    _, checks = cond.references(node)
    status_var = {c: f"s{i}" for i, c in enumerate(sorted(checks))}
    gen = _Generator(params, status_var)
    code = gen.expr(node, "outcome").code
    lines = ["def fn(facts, statuses, outcome):", "    g = facts.get"]
    for c, var in status_var.items():
        for st in cond.STATUSES:
            gen.namespace[_ref(var, st)] = st
        lines.append(f"    {var} = {{'met': MET{var[1:]}, 'not_met': NOT{var[1:]},")
        lines.append(
            f"        'unknown': UNK{var[1:]}, 'not_applicable': NA{var[1:]}}}[statuses[{c!r}]]"
        )
    lines += [f"    {var} = g({name!r})" for name, var in gen.fact_var.items()]
    lines += [f"    {var} = {name!r} in facts" for name, var in gen.isset_var.items()]
    lines.append(f"    return {code}")
    namespace = gen.namespace
    exec(compile("\n".join(lines) + "\n", "<delen condition>", "exec"), namespace)  # noqa: S102
    fn: cond.Compiled = namespace["fn"]
    return fn
