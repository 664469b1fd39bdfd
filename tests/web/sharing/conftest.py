"""Helpers for Delen web tests: start an assessment and answer its questions through HTTP."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User

# Answers that lead to `allowed_with_conditions` (a municipality shares in an RIEC case under
# the WGS); the other outcomes change one or two answers.
WITH_CONDITIONS: dict[str, object] = {
    "acute_danger": False,
    "sender": "municipality",
    "recipient": "riec",
    "purpose": "human_trafficking",
    "setting": "riec_case",
    "pattern": "incidental",
    "personal_data": "identifiable",
    "data_categories": ["ordinary", "criminal"],
    "data_subject_minor": False,
    "consent": "not_asked",
    "authorisation": "none",
    # Optional facts of Delen 2: asked only when the sender, setting or recipient make them
    # matter (or are not known yet, when the interview starts at a later step).
    "wpg20_decision": False,
    "supervision_order": False,
    "domestic_violence": False,
    # Optional facts of Delen 3 (who consented for a minor; asked for care providers only).
    "minor_age_band": "12_to_15",
    "consent_by": "data_subject",
    "minor_capable": True,
    "board_task_necessary": True,
    # FG review 3: a public body giving to a private party needs a specific basis.
    "private_disclosure_basis": False,
    "agreement": "wgs",
    "necessity.purpose_specified": True,
    "necessity.less_intrusive_possible": False,
    "necessity.minimised": True,
    "dpia": "not_needed",
    "data_subject_informed": "restriction_applies",
}
ANSWERS: dict[str, dict[str, object]] = {
    "allowed": {
        **WITH_CONDITIONS,
        "recipient": "police",
        "setting": "bilateral",
        "purpose": "organised_crime",
        "personal_data": "none",
        "data_categories": ["ordinary"],
    },
    "allowed_with_conditions": WITH_CONDITIONS,
    "not_allowed": {**WITH_CONDITIONS, "necessity.less_intrusive_possible": True},
    "seek_advice": {**WITH_CONDITIONS, "purpose": "other"},
}


def form_value(value: object) -> object:
    """Return an answer as the browser posts it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return value or ["none"]
    return value


def start(client: Client, entry: str = "normal", **data: object) -> str:
    """Start an assessment; return its question URL."""
    response = client.post(reverse("sharing:start"), {"entry": entry, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def current_fact(client: Client, url: str) -> str | None:
    """Return the fact asked on the question page, or None when it redirects to the summary
    (check your answers) or, on the urgency path, to the result."""
    response = client.get(url)
    if response.status_code == 302:
        assert response["Location"].endswith(("/check/", "/result/")), response["Location"]
        return None
    assert response.status_code == 200
    return str(response.context["question"].fact)


def answer(client: Client, url: str, fact: str, value: object) -> None:
    response = client.post(url, {"action": "answer", "fact": fact, "value": form_value(value)})
    assert response.status_code == 302, response.content.decode()[:2000]


def complete(client: Client, url: str, answers: Mapping[str, object]) -> list[str]:
    """Answer every question the wizard asks; return the facts in the order they were asked."""
    asked = []
    while (fact := current_fact(client, url)) is not None:
        asked.append(fact)
        answer(client, url, fact, answers[fact])
        assert len(asked) < 40, asked
    return asked


def result_url(question_url: str) -> str:
    return question_url + "result/"


@pytest.fixture
def professional(org_a: Organisation, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def client(professional: User, client_for: Callable[[User], Client]) -> Client:
    return client_for(professional)
