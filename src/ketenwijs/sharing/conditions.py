"""The small, typed condition language of the sharing rules: checked at load, compiled to closures.

Forms (YAML):

- `{fact: purpose, is: human_trafficking}` / `{fact: purpose, in: [a, b]}` — single-valued facts
- `{fact: data_categories, contains_any: [tax, bibob]}` — list facts
- `{fact: consent, is_set: true}` — whether the fact is known at all
- `{check: legal_basis, is: not_met}` / `{check: x, in: [met, unknown]}` — a check's status
- `{param: wgs_in_force, is: true}` — a dated parameter, resolved per rule-set version
- `{outcome_in: [seek_advice]}` — only in conditions-to-fulfil and next steps
- `{all: [...]}`, `{any: [...]}`, `{not: {...}}`

Logic is three-valued (Kleene): a fact that is not known yet makes a comparison `None` (unknown),
so a check can report `unknown` instead of guessing. Conditions are compiled once per version into
plain Python closures with parameters folded into constants: evaluation takes microseconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ketenwijs.content import ContentError, LocatedData, suggest
from ketenwijs.sharing.case import FACT_SPECS, FactValue

Tri = bool | None
Facts = Mapping[str, FactValue]
Statuses = Mapping[str, str]
Compiled = Callable[[Facts, Statuses, str | None], Tri]
Loc = tuple[str | int, ...]

STATUSES = ("met", "not_met", "unknown", "not_applicable")
OUTCOMES = ("allowed", "allowed_with_conditions", "not_allowed", "seek_advice")
CONDITION_FACTS = {k: v for k, v in FACT_SPECS.items() if k != "reference_date"}


@dataclass(frozen=True)
class FactTest:
    """Compare one fact: op is `in` (also for `is`), `contains_any` or `is_set`."""

    fact: str
    op: str
    values: frozenset[Any]


@dataclass(frozen=True)
class CheckTest:
    """True when another check's status is one of `statuses`."""

    check: str
    statuses: frozenset[str]


@dataclass(frozen=True)
class ParamTest:
    """True when a dated parameter has one of `values` in the version being compiled."""

    param: str
    values: frozenset[Any]


@dataclass(frozen=True)
class OutcomeTest:
    """True when the assessment's outcome is one of `outcomes`."""

    outcomes: frozenset[str]


@dataclass(frozen=True)
class Combine:
    """`all`, `any` or `not` over child conditions."""

    op: str
    children: tuple[Node, ...]


Node = FactTest | CheckTest | ParamTest | OutcomeTest | Combine


@dataclass
class ParseContext:
    """What a condition at this place may refer to, for load-time validation with suggestions."""

    located: LocatedData
    checks: Iterable[str] | None  # None: check references not allowed here
    params: Mapping[str, tuple[Any, ...]]
    allow_outcome: bool = False


_KINDS = ("fact", "check", "param", "outcome_in", "all", "any", "not")


def parse(raw: Any, loc: Loc, ctx: ParseContext) -> Node:
    """Turn a YAML condition into a typed node, or raise ContentError at its line."""
    err = ctx.located.error
    if not isinstance(raw, dict):
        raise err(f"a condition must be a mapping with one of: {', '.join(_KINDS)}", loc)
    kinds = [k for k in _KINDS if k in raw]
    if len(kinds) != 1:
        unknown = [str(k) for k in raw if k not in (*_KINDS, "is", "in", "contains_any", "is_set")]
        if unknown:
            raise err(
                f"unknown condition key '{unknown[0]}'; allowed: {', '.join(_KINDS)}",
                (*loc, unknown[0]),
                suggestion=suggest(unknown[0], _KINDS),
            )
        raise err(f"a condition needs exactly one of: {', '.join(_KINDS)}", loc)
    kind = kinds[0]
    if kind in ("all", "any"):
        _only(raw, {kind}, loc, ctx)
        items = raw[kind]
        if not isinstance(items, list) or not items:
            raise err(f"'{kind}' needs a non-empty list of conditions", (*loc, kind))
        return Combine(kind, tuple(parse(c, (*loc, kind, i), ctx) for i, c in enumerate(items)))
    if kind == "not":
        _only(raw, {"not"}, loc, ctx)
        return Combine("not", (parse(raw["not"], (*loc, "not"), ctx),))
    if kind == "outcome_in":
        _only(raw, {"outcome_in"}, loc, ctx)
        if not ctx.allow_outcome:
            raise err("'outcome_in' is only allowed in conditions and next steps", loc)
        values = _value_list(raw["outcome_in"], OUTCOMES, (*loc, "outcome_in"), ctx, "outcome_in")
        return OutcomeTest(frozenset(values))
    if kind == "check":
        _only(raw, {"check", "is", "in"}, loc, ctx)
        if ctx.checks is None:
            raise err("check references are not allowed here", (*loc, "check"))
        name = str(raw["check"])
        known = list(ctx.checks)
        if name not in known:
            raise err(f"unknown check '{name}'", (*loc, "check"), suggestion=suggest(name, known))
        return CheckTest(
            name, frozenset(_is_or_in(raw, STATUSES, loc, ctx, f"the status of check '{name}'"))
        )
    if kind == "param":
        _only(raw, {"param", "is", "in"}, loc, ctx)
        name = str(raw["param"])
        if name not in ctx.params:
            raise err(
                f"unknown parameter '{name}'",
                (*loc, "param"),
                suggestion=suggest(name, ctx.params),
            )
        return ParamTest(
            name, frozenset(_is_or_in(raw, ctx.params[name], loc, ctx, f"parameter '{name}'"))
        )
    return _parse_fact(raw, loc, ctx)


def _parse_fact(raw: dict[str, Any], loc: Loc, ctx: ParseContext) -> FactTest:
    err = ctx.located.error
    _only(raw, {"fact", "is", "in", "contains_any", "is_set"}, loc, ctx)
    name = str(raw["fact"])
    spec = CONDITION_FACTS.get(name)
    if spec is None:
        raise err(
            f"unknown fact '{name}'", (*loc, "fact"), suggestion=suggest(name, CONDITION_FACTS)
        )
    ops = [k for k in ("is", "in", "contains_any", "is_set") if k in raw]
    if len(ops) != 1:
        raise err(f"fact '{name}' needs exactly one of: is, in, contains_any, is_set", loc)
    op = ops[0]
    if op == "is_set":
        if not isinstance(raw["is_set"], bool):
            raise err("'is_set' must be true or false", (*loc, "is_set"))
        return FactTest(name, "is_set", frozenset([raw["is_set"]]))
    allowed: tuple[Any, ...] = (True, False) if spec.type == "bool" else spec.values
    if spec.type == "enum_list":
        if op != "contains_any":
            raise err(f"'{op}' does not work on list fact '{name}'; use 'contains_any'", (*loc, op))
        values = _value_list(raw[op], allowed, (*loc, op), ctx, f"fact '{name}'")
        return FactTest(name, "contains_any", frozenset(values))
    if op == "contains_any":
        raise err(f"'contains_any' works on list facts only; '{name}' has one value: use 'in'", loc)
    values = _is_or_in(raw, allowed, loc, ctx, f"fact '{name}'")
    return FactTest(name, "in", frozenset(values))


def _only(raw: dict[str, Any], keys: set[str], loc: Loc, ctx: ParseContext) -> None:
    for key in raw:
        if key not in keys:
            raise ctx.located.error(
                f"unknown key '{key}' in this condition; allowed: {', '.join(sorted(keys))}",
                (*loc, key),
                suggestion=suggest(str(key), keys),
            )


def _is_or_in(
    raw: dict[str, Any], allowed: tuple[Any, ...], loc: Loc, ctx: ParseContext, what: str
) -> list[Any]:
    if ("is" in raw) == ("in" in raw):
        raise ctx.located.error("use exactly one of 'is' or 'in'", loc)
    if "is" in raw:
        return _value_list([raw["is"]], allowed, (*loc, "is"), ctx, what)
    return _value_list(raw["in"], allowed, (*loc, "in"), ctx, what)


def _value_list(
    raw: Any, allowed: tuple[Any, ...], loc: Loc, ctx: ParseContext, what: str
) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        raise ctx.located.error(f"expected a non-empty list of values for {what}", loc)
    for value in raw:
        if value not in allowed or isinstance(value, bool) != isinstance(allowed[0], bool):
            shown = ", ".join(str(a).lower() if isinstance(a, bool) else str(a) for a in allowed)
            raise ctx.located.error(
                f"unknown value '{value}' for {what}; allowed: {shown}",
                loc,
                suggestion=suggest(str(value), [str(a) for a in allowed]),
            )
    return list(raw)


def references(node: Node) -> tuple[set[str], set[str]]:
    """Return the (facts, checks) a condition reads, for relevance and cycle analysis."""
    facts: set[str] = set()
    checks: set[str] = set()

    def walk(n: Node) -> None:
        if isinstance(n, FactTest):
            facts.add(n.fact)
        elif isinstance(n, CheckTest):
            checks.add(n.check)
        elif isinstance(n, Combine):
            for child in n.children:
                walk(child)

    walk(node)
    return facts, checks


def parameters_read(node: Node) -> set[str]:
    """Return the dated parameters a condition reads (to explain a difference between dates)."""
    if isinstance(node, ParamTest):
        return {node.param}
    if isinstance(node, Combine):
        return set().union(*(parameters_read(child) for child in node.children))
    return set()


def _const(value: Tri) -> Compiled:
    return lambda facts, statuses, outcome: value


def compile_node(node: Node, params: Mapping[str, Any]) -> Compiled:
    """Compile a node into a closure for one version (parameters become constants)."""
    if isinstance(node, FactTest):
        name, values = node.fact, node.values
        if node.op == "is_set":
            want = True in values
            return lambda facts, statuses, outcome: (name in facts) is want
        if node.op == "contains_any":

            def contains_any(facts: Facts, statuses: Statuses, outcome: str | None) -> Tri:
                value = facts.get(name)
                if value is None:
                    return None
                assert isinstance(value, frozenset)
                return not values.isdisjoint(value)

            return contains_any
        if len(values) == 1:
            (only,) = values

            def equals(facts: Facts, statuses: Statuses, outcome: str | None) -> Tri:
                value = facts.get(name)
                return None if value is None else value == only

            return equals

        def member(facts: Facts, statuses: Statuses, outcome: str | None) -> Tri:
            value = facts.get(name)
            return None if value is None else value in values

        return member
    if isinstance(node, CheckTest):
        check, statuses_ok = node.check, node.statuses
        return lambda facts, statuses, outcome: statuses[check] in statuses_ok
    if isinstance(node, ParamTest):
        return _const(params[node.param] in node.values)
    if isinstance(node, OutcomeTest):
        outcomes = node.outcomes
        return lambda facts, statuses, outcome: outcome in outcomes
    children = [compile_node(c, params) for c in node.children]
    if node.op == "not":
        (child,) = children

        def negate(facts: Facts, statuses: Statuses, outcome: str | None) -> Tri:
            value = child(facts, statuses, outcome)
            return None if value is None else not value

        return negate
    return _combine(node.op == "all", children)


def _combine(is_all: bool, children: list[Compiled]) -> Compiled:
    """Kleene and/or with short-circuit on the deciding value."""
    decisive = not is_all  # `all` is decided by a False, `any` by a True
    parts = tuple(children)

    def combined(facts: Facts, statuses: Statuses, outcome: str | None) -> Tri:
        unknown = False
        for part in parts:
            value = part(facts, statuses, outcome)
            if value is None:
                unknown = True
            elif value is decisive:
                return decisive
        return None if unknown else not decisive

    return combined


def is_satisfiable(node: Node, params: Mapping[str, Any], limit: int = 200_000) -> bool:
    """Return whether some complete assignment of the facts/checks it reads makes `node` true.

    Enumerates only the variables the condition mentions (list facts: subsets of the values it
    mentions), so it is exact and cheap for rule-sized conditions; beyond `limit` it assumes yes.
    """
    facts, checks = references(node)
    mentioned: dict[str, set[Any]] = {}
    outcome_values: set[str] = set()

    def collect(n: Node) -> None:
        if isinstance(n, FactTest):
            mentioned.setdefault(n.fact, set()).update(n.values)
        elif isinstance(n, OutcomeTest):
            outcome_values.update(n.outcomes)
        elif isinstance(n, Combine):
            for c in n.children:
                collect(c)

    collect(node)
    domains: list[tuple[str, list[Any]]] = []
    for fact in sorted(facts):
        spec = CONDITION_FACTS[fact]
        if spec.type == "bool":
            domains.append((fact, [True, False]))
        elif spec.type == "enum":
            domains.append((fact, list(spec.values)))
        else:
            vals = sorted(str(v) for v in mentioned.get(fact, set()))
            subsets = [
                frozenset(combo)
                for r in range(len(vals) + 1)
                for combo in itertools.combinations(vals, r)
            ]
            domains.append((fact, subsets))
    check_list = sorted(checks)
    outcomes: list[str | None] = list(OUTCOMES) if outcome_values else [None]
    size = len(outcomes) * 4 ** len(check_list)
    for _, dom in domains:
        size *= len(dom)
    if size > limit:
        return True
    fn = compile_node(node, params)
    for fact_values in itertools.product(*(d for _, d in domains)):
        assignment = {name: v for (name, _), v in zip(domains, fact_values, strict=True)}
        for status_values in itertools.product(STATUSES, repeat=len(check_list)):
            statuses = dict(zip(check_list, status_values, strict=True))
            for outcome in outcomes:
                if fn(assignment, statuses, outcome) is True:
                    return True
    return False


def raise_at(located: LocatedData, message: str, loc: Loc, hint: str | None = None) -> ContentError:
    """Build an error at `loc` (kept here so rulebook code reads uniformly)."""
    return located.error(message, loc, suggestion=hint)


def inline_checks(node: Node, checks: Mapping[str, tuple[Node | None, Node | None]]) -> Node:
    """Replace every `{check: x, ...}` by the fact conditions that give x that status.

    `checks` maps a check id to its (applies_when, met_when). For complete fact assignments a
    check is `not_applicable` when it does not apply, else `met` or `not_met`; `unknown` cannot
    arise, so a test for it becomes false. Used by the route-conflict analysis, which must reason
    about facts only (a free check status would invent cases no facts can produce).
    """
    if isinstance(node, CheckTest):
        applies, met = checks[node.check]
        a = _TRUE_NODE if applies is None else inline_checks(applies, checks)
        m = _TRUE_NODE if met is None else inline_checks(met, checks)
        parts: list[Node] = []
        if "met" in node.statuses:
            parts.append(Combine("all", (a, m)))
        if "not_met" in node.statuses:
            parts.append(Combine("all", (a, Combine("not", (m,)))))
        if "not_applicable" in node.statuses:
            parts.append(Combine("not", (a,)))
        return Combine("any", tuple(parts)) if parts else Combine("not", (_TRUE_NODE,))
    if isinstance(node, Combine):
        return Combine(node.op, tuple(inline_checks(c, checks) for c in node.children))
    return node


# An always-true condition (a fact is either set or not).
_TRUE_NODE: Node = Combine(
    "any",
    (
        FactTest("personal_data", "is_set", frozenset([True])),
        FactTest("personal_data", "is_set", frozenset([False])),
    ),
)


def find_witness(
    node: Node, params: Mapping[str, Any], limit: int = 2_000_000
) -> dict[str, Any] | None:
    """Return an assignment of the facts `node` reads that makes it true, or None if none does.

    Depth-first over the facts, pruning a branch as soon as three-valued evaluation of the
    partial assignment is already false (a missing fact is unknown, never a guess). Exact; the
    node budget `limit` guards load time and raises RuntimeError rather than answering wrongly.
    """
    facts, checks = references(node)
    if checks:
        raise ValueError("inline check references first (inline_checks)")
    mentioned: dict[str, set[Any]] = {}

    def collect(n: Node) -> None:
        if isinstance(n, FactTest) and n.op != "is_set":
            mentioned.setdefault(n.fact, set()).update(n.values)
        elif isinstance(n, Combine):
            for c in n.children:
                collect(c)

    collect(node)
    domains: list[tuple[str, list[Any]]] = []
    for fact in sorted(facts):
        spec = CONDITION_FACTS[fact]
        if spec.type == "bool":
            domains.append((fact, [True, False]))
        elif spec.type == "enum":
            domains.append((fact, list(spec.values)))
        else:
            vals = sorted(str(v) for v in mentioned.get(fact, set()))
            domains.append(
                (
                    fact,
                    [
                        frozenset(combo)
                        for r in range(len(vals) + 1)
                        for combo in itertools.combinations(vals, r)
                    ],
                )
            )
    fn = compile_node(node, params)
    budget = [limit]

    def search(i: int, assignment: dict[str, Any]) -> dict[str, Any] | None:
        budget[0] -= 1
        if budget[0] < 0:
            raise RuntimeError("condition too large for an exact search")
        value = fn(assignment, {}, None)
        if value is False:
            return None
        if i == len(domains):
            return dict(assignment) if value is True else None
        name, values = domains[i]
        for v in values:
            assignment[name] = v
            found = search(i + 1, assignment)
            if found is not None:
                return found
        del assignment[name]
        return None

    return search(0, {})
