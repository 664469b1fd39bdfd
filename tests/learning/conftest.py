"""Helpers for learning-core tests: small scenarios built in code."""

from __future__ import annotations

from typing import Any

from ketenwijs.learning.schema import ScenarioFile


def text(value: str) -> dict[str, str]:
    return {"nl": value, "en": value}


def choice(choice_id: str, next_node: str, *effects: str) -> dict[str, Any]:
    return {
        "id": choice_id,
        "text": text(choice_id),
        "feedback": text(f"feedback {choice_id}"),
        "next": next_node,
        "effects": list(effects),
    }


def ending(outcome: str = "good") -> dict[str, Any]:
    return {"situation": text("end"), "ending": {"outcome": outcome, "consequence": text("c")}}


def scenario(nodes: dict[str, Any], start: str = "start", **extra: Any) -> ScenarioFile:
    return ScenarioFile.model_validate(
        {
            **extra,
            "id": "test",
            "order": 1,
            "title": text("t"),
            "summary": text("s"),
            "breaks_stereotype": text("b"),
            "is_exploitation": True,
            "start": start,
            "debrief": [text("d")],
            "sources": ["ckm-2021"],
            "nodes": nodes,
        }
    )


def node(*choices: dict[str, Any]) -> dict[str, Any]:
    return {"situation": text("situation"), "choices": list(choices)}
