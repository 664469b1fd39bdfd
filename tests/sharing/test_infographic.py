"""The infographic is generated from the rules: steps with stable ids, accessible, dated."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ketenwijs.sharing import Rulebook, render_infographic_svg, render_infographic_text

NS = "{http://www.w3.org/2000/svg}"


def test_svg_is_well_formed_with_title_desc_and_a_group_per_step(rulebook: Rulebook) -> None:
    root = ET.fromstring(render_infographic_svg(rulebook))  # noqa: S314 - our own output
    assert root.find(f"{NS}title") is not None
    assert root.find(f"{NS}desc") is not None
    ids = {g.get("id") for g in root.iter(f"{NS}g")}
    assert {f"step-{s.id}" for s in rulebook.steps} <= ids
    assert {f"outcome-{o}" for o in rulebook.outcomes} <= ids


def test_each_effect_has_a_word_not_only_a_colour(rulebook: Rulebook) -> None:
    svg = render_infographic_svg(rulebook, lang="en")
    assert "can block" in svg
    assert "condition" in svg
    assert "Seek advice" in svg


def test_links_let_a_web_page_start_at_a_step(rulebook: Rulebook) -> None:
    svg = render_infographic_svg(rulebook, link="/delen/interview?start={step}")
    assert 'href="/delen/interview?start=secrecy"' in svg


def test_version_before_wgs_shows_the_covenant_check_and_not_the_wgs_one(
    rulebook: Rulebook,
) -> None:
    old = render_infographic_text(rulebook, "2018-05-25", "en")
    new = render_infographic_text(rulebook, "2025-03-01", "en")
    assert "Covenant before the WGS" in old
    assert "Covenant before the WGS" not in new
    assert "Partnership under the WGS" in new
    assert "Partnership under the WGS" not in old


def test_text_version_marks_unverified_articles(rulebook: Rulebook) -> None:
    assert "Wpg 19 (niet geverifieerd)" in render_infographic_text(rulebook)
