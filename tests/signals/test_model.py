"""The learned second detector (signals/model.py, ADR 0012): reproducible, marked, in context."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ketenwijs.signals import default_library, find_indicators, scan_text
from ketenwijs.signals.model import (
    ARTEFACT,
    CORPUS_DIR,
    ModelError,
    build,
    corpus_hash,
    default_model,
    load_corpus,
    load_model,
)


def test_the_packaged_model_was_built_from_the_corpus_in_the_repository() -> None:
    # A corpus change without `make model` would ship weights nobody can reproduce.
    paths = sorted(CORPUS_DIR.glob("*.yaml"))
    assert default_model().corpus_sha256 == corpus_hash(paths), "run `make model`"


def test_a_rebuild_gives_the_same_artefact_byte_for_byte(tmp_path: Path) -> None:
    target = tmp_path / "model.json.gz"
    build(CORPUS_DIR, target)
    assert target.read_bytes() == ARTEFACT.read_bytes()


def test_a_corpus_with_an_unknown_indicator_is_refused_with_file_and_sentence(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("sentences:\n  - {text: 'Ze spijbelt.', topic: [spijbelen]}\n", "utf-8")
    with pytest.raises(ModelError, match=r"bad.yaml: sentence 1: unknown indicator 'spijbelen'"):
        load_corpus([path], default_library().indicators)


def test_a_missing_or_foreign_artefact_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make model"):
        load_model(tmp_path / "absent.json.gz")
    other = tmp_path / "other.json.gz"
    other.write_bytes(gzip.compress(json.dumps({"version": 99}).encode()))
    with pytest.raises(ModelError, match="version"):
        load_model(other)


def _model_findings(text: str) -> list[object]:
    return [f for f in scan_text(text).findings if f.rule_kind == "model"]


def test_model_findings_are_marked_with_a_confidence_and_never_repeat_a_rule_finding() -> None:
    library = default_library()
    examples = [e.sentence for e in library.examples if e.expect_match]
    seen_model = 0
    for sentence in examples:
        found = scan_text(sentence).findings
        rules = {f.indicator for f in found if f.rule_kind != "model"}
        for finding in found:
            if finding.rule_kind == "model":
                seen_model += 1
                assert finding.indicator not in rules
                assert finding.confidence is not None
                assert 0.5 < finding.confidence <= 1.0
                rule = finding.to_dict()["rule"]
                assert isinstance(rule, dict)
                assert rule["kind"] == "model"
                assert rule["confidence"] == finding.confidence
    assert seen_model < len(examples)  # the rules find their own examples; the model adds little


def test_without_the_model_only_rules_find() -> None:
    text = "Ze moet elke avond mee naar feestjes van zijn vrienden en krijgt daar geld voor."
    assert all(f.rule_kind != "model" for f in scan_text(text, use_model=False).findings)
    assert find_indicators(text, default_library()) == find_indicators(text)


def test_a_model_finding_takes_the_context_of_its_sentence() -> None:
    # Whatever the model reads in these sentences, a negation or a doubt in the sentence decides.
    for text, context in [
        ("Er zijn geen aanwijzingen dat zij voor hem moet werken of geld moet afgeven.", "negated"),
        ("We gaan na of zij voor hem moet werken en geld moet afgeven.", "hypothetical"),
        ("Moet zij voor hem werken en geld afgeven?", "hypothetical"),
    ]:
        for finding in scan_text(text).findings:
            assert finding.context == context or finding.rule_kind != "model", (text, finding)
