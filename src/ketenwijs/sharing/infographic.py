"""Render the decision structure as an accessible SVG and a plain-text version, from the same rules.

Because both are generated from the loaded rulebook (for one dated version), the infographic can
never drift from the engine. Every step is an SVG group with the stable id `step-<id>` (and, with
`link`, a link such as `/delen/interview?start=<id>`) so a web page can start the assessment there.
Colour is never the only cue: each effect and outcome also has a symbol and a word.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

from ketenwijs.sharing import conditions as cond
from ketenwijs.sharing.rulebook import Check, CompiledVersion, Rulebook, Source

# (symbol, label nl, label en, text colour, fill) — text/fill pairs have contrast above 7:1.
EFFECTS: dict[str, tuple[str, str, str, str, str]] = {
    "urgent": ("!", "spoed: eerst handelen", "urgent: act first", "#6b0f1a", "#fde8ec"),
    "blocks": ("✕", "kan blokkeren", "can block", "#8a1111", "#fde8e8"),
    "advice": ("?", "kan advies vragen", "may need advice", "#6b4400", "#fff3d6"),
    "condition": ("✓", "voorwaarde", "condition", "#0b4a80", "#e6f0fa"),
    "info": ("i", "uitleg", "explanation", "#333333", "#f2f2f2"),
}
# outcome -> (symbol, fill); white text on these fills has contrast above 4.5:1.
OUTCOME_STYLE: dict[str, tuple[str, str]] = {
    "allowed": ("✓", "#1b5e20"),
    "allowed_with_conditions": ("✓!", "#0b4a80"),
    "not_allowed": ("✕", "#8a1111"),
    "seek_advice": ("?", "#6b4400"),
}

WIDTH = 1000
LINE = 18
# Check titles start right of the widest effect badge ("[! spoed: eerst handelen]").
TEXT_X = 236


def _version(rulebook: Rulebook, version: str | None) -> CompiledVersion:
    if version is None:
        return rulebook.versions[-1]
    return rulebook.version(version)


def _visible_checks(rulebook: Rulebook, compiled: CompiledVersion, step: str) -> list[Check]:
    """Checks of `step` that can apply in this version (e.g. covenant rules only before WGS)."""
    return [
        c
        for c in rulebook.checks.values()
        if c.step == step
        and (c.applies_when is None or cond.is_satisfiable(c.applies_when, compiled.params))
    ]


def _articles(sources: tuple[Source, ...], lang: str) -> str:
    seen: list[str] = []
    for s in sources:
        label = s.cite + (
            "" if s.verified else (" (niet geverifieerd)" if lang == "nl" else " (not verified)")
        )
        if label not in seen:
            seen.append(label)
    return "; ".join(seen)


def render_infographic_text(
    rulebook: Rulebook, version: str | None = None, lang: str = "nl"
) -> str:
    """Return the accessible text version of the infographic for one version."""
    compiled = _version(rulebook, version)
    v = compiled.version
    en = lang == "en"
    lines = [
        getattr(rulebook.title, lang),
        f"{'Version' if en else 'Versie'} {v.id}: {getattr(v.label, lang)}",
        "",
        "Outcomes:" if en else "Uitkomsten:",
    ]
    for key, out in rulebook.outcomes.items():
        symbol = OUTCOME_STYLE[key][0]
        lines.append(f"  [{symbol}] {getattr(out.label, lang)}: {getattr(out.description, lang)}")
    for n, step in enumerate(rulebook.steps, start=1):
        lines += ["", f"{n}. {getattr(step.title, lang)}  (step id: {step.id})"]
        lines.append(f"   {getattr(step.description, lang)}")
        for check in _visible_checks(rulebook, compiled, step.id):
            symbol, nl_label, en_label = EFFECTS[check.effect][:3]
            lines.append(
                f"   [{symbol} {en_label if en else nl_label}] {getattr(check.title, lang)}"
                f" — {_articles(check.sources, lang)}"
            )
    lines += ["", getattr(rulebook.disclaimer, lang)]
    return "\n".join(lines) + "\n"


def render_infographic_svg(
    rulebook: Rulebook, version: str | None = None, lang: str = "nl", link: str | None = None
) -> str:
    """Return an SVG of the steps, checks, outcomes and articles for one version.

    `link` is an optional URL template with `{step}`, e.g. `/delen/interview?start={step}`.
    """
    compiled = _version(rulebook, version)
    v = compiled.version
    en = lang == "en"
    body: list[str] = []
    y = 30
    title = f"{getattr(rulebook.title, lang)} — {getattr(v.label, lang)}"
    # Title and version on two lines: one line would run past the canvas in Dutch.
    body.append(
        f'<text x="20" y="{y}" class="h1">{escape(getattr(rulebook.title, lang))}</text>'
        f'<text x="20" y="{y + 22}" class="t">{escape(getattr(v.label, lang))}</text>'
    )
    y += 48
    # Legend: outcomes, each with symbol + word on a dark fill.
    x = 20
    for key, out in rulebook.outcomes.items():
        symbol, fill = OUTCOME_STYLE[key]
        label = f"{symbol} {getattr(out.label, lang)}"
        # Bold 13 px text needs about 8.5 px per character; the rest is padding.
        w = 20 + round(8.5 * len(label))
        body.append(
            f'<g class="outcome" id="outcome-{key}"><rect x="{x}" y="{y}" width="{w}" height="26" '
            f'rx="4" fill="{fill}"/>'
            f'<text x="{x + 8}" y="{y + 18}" class="inv">{escape(label)}</text></g>'
        )
        x += w + 10
    y += 40
    for n, step in enumerate(rulebook.steps, start=1):
        checks = _visible_checks(rulebook, compiled, step.id)
        rows: list[str] = []
        inner_y = 52
        for check in checks:
            symbol, nl_label, en_label, color, fill = EFFECTS[check.effect]
            badge = f"{symbol} {en_label if en else nl_label}"
            arts = _articles(check.sources, lang)
            wrapped = textwrap.wrap(arts, 110) or [""]
            height = 22 + LINE * len(wrapped)
            rows.append(
                f'<g class="check" id="check-{check.id}">'
                f'<rect x="16" y="{inner_y}" width="{WIDTH - 72}" height="{height}" rx="3" '
                f'fill="{fill}" stroke="{color}"/>'
                f'<text x="26" y="{inner_y + 16}" fill="{color}" class="b">[{escape(badge)}]</text>'
                f'<text x="{TEXT_X}" y="{inner_y + 16}" class="t">'
                f"{escape(getattr(check.title, lang))}</text>"
                + "".join(
                    f'<text x="{TEXT_X}" y="{inner_y + 16 + LINE * (k + 1)}" class="s">'
                    f"{escape(part)}</text>"
                    for k, part in enumerate(wrapped)
                )
                + "</g>"
            )
            inner_y += height + 6
        box_h = inner_y + 6
        group = (
            f'<g class="step" id="step-{step.id}" transform="translate(20,{y})">'
            f"<title>{escape(getattr(step.title, lang))}</title>"
            f"<desc>{escape(getattr(step.description, lang))}</desc>"
            f'<rect x="0" y="0" width="{WIDTH - 40}" height="{box_h}" rx="6" fill="#ffffff" '
            f'stroke="#1a1a1a"/>'
            f'<text x="16" y="24" class="h2">{n}. {escape(getattr(step.title, lang))}</text>'
            f'<text x="16" y="42" class="s">{escape(getattr(step.description, lang))}</text>'
            + "".join(rows)
            + "</g>"
        )
        if link is not None:
            href = escape(link.format(step=step.id), {'"': "&quot;"})
            group = f'<a href="{href}">{group}</a>'
        body.append(group)
        y += box_h + 16
    for k, part in enumerate(textwrap.wrap(getattr(rulebook.disclaimer, lang), 140)):
        body.append(f'<text x="20" y="{y + 10 + LINE * k}" class="s">{escape(part)}</text>')
        y += LINE
    height = y + 30
    desc = (
        "Steps of the sharing assessment with their checks, effect and articles; "
        "a text version is available."
        if en
        else "Stappen van de deeltoets met toetsen, effect en artikelen; er is ook een tekstversie."
    )
    style = (
        "text{font-family:'Segoe UI',Arial,sans-serif;fill:#1a1a1a}"
        ".h1{font-size:20px;font-weight:700}.h2{font-size:16px;font-weight:700}"
        ".t{font-size:14px}.s{font-size:12px}.b{font-size:12px;font-weight:700}"
        ".inv{fill:#ffffff;font-size:13px;font-weight:700}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title desc" '
        f'lang="{lang}" data-version="{escape(v.id)}" data-sha256="{rulebook.sha256}">'
        f'<title id="title">{escape(title)}</title><desc id="desc">{escape(desc)}</desc>'
        f"<style>{style}</style>"
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>\n"
    )
