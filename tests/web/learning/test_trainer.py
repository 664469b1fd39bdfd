"""Trainer view: own organisation only, anonymous aggregates above a group minimum, individual
results only when the organisation enables them (set by its organisation admin)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning.models import LearningSettings, ScenarioRun
from tests.web.learning.conftest import play, quiz_answers

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]


def _learners(org: Organisation, n: int, factory: Factory, client_for: ClientFor) -> list[User]:
    users = []
    for i in range(n):
        user = factory(Role.PROFESSIONAL, org)
        user.first_name = f"Leerling{i}"
        user.save()
        client = client_for(user)
        play(client, "geen-uitbuiting", ["meteen-melden"])  # a wrong choice
        client.post(reverse("learning:quiz"), quiz_answers(client, correct=False))
        users.append(user)
    return users


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.CONTENT_EDITOR, Role.AUDITOR])
def test_non_trainers_are_refused(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor, role: str
) -> None:
    user = user_factory(role, org_a, with_device=role == Role.AUDITOR)
    assert client_for(user).get(reverse("learning:trainer")).status_code == 403


def test_small_groups_are_hidden(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    _learners(org_a, 4, user_factory, client_for)
    trainer = client_for(user_factory(Role.TRAINER, org_a))
    page = trainer.get(reverse("learning:trainer")).content.decode()
    assert "totalen zijn verborgen" in page
    assert "Zwakste quizvragen" not in page
    assert "Leerling0" not in page


def test_trainer_sees_aggregates_of_own_organisation_only(
    org_a: Organisation, org_b: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    _learners(org_a, 5, user_factory, client_for)
    _learners(org_b, 2, user_factory, client_for)
    trainer_a = client_for(user_factory(Role.TRAINER, org_a))
    page = trainer_a.get(reverse("learning:trainer")).content.decode()
    assert "Leerresultaten van Gemeente Aa" in page
    assert "Politie Bee" not in page
    assert "Zwakste quizvragen" in page
    assert "Je collega heeft gelijk: je meldt meteen" in page  # the common wrong choice
    assert "100%" in page  # all five made it
    assert "Leerling0" not in page  # no individuals by default

    trainer_b = client_for(user_factory(Role.TRAINER, org_b))
    page_b = trainer_b.get(reverse("learning:trainer")).content.decode()
    assert "totalen zijn verborgen" in page_b  # org B has 2 learners: hidden, not mixed with A


def test_individual_results_only_when_the_organisation_enables_them(
    org_a: Organisation, org_b: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    _learners(org_a, 2, user_factory, client_for)
    _learners(org_b, 2, user_factory, client_for)
    admin = client_for(user_factory(Role.ORG_ADMIN, org_a, with_device=True))
    response = admin.post(reverse("learning:settings"), {"show_individual_results": "on"})
    assert response.status_code == 302
    assert LearningSettings.objects.get(organisation=org_a).show_individual_results is True
    page = client_for(user_factory(Role.TRAINER, org_a)).get(reverse("learning:trainer"))
    text = page.content.decode()
    assert "Individuele resultaten" in text
    assert "Leerling0" in text
    assert text.count("Leerling") == 2  # only org A's two learners, never org B's
    # Org B did not enable it: its trainer sees no names.
    page_b = client_for(user_factory(Role.TRAINER, org_b)).get(reverse("learning:trainer"))
    assert "Leerling" not in page_b.content.decode()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PROFESSIONAL])
def test_only_organisation_admins_change_the_setting(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor, role: str
) -> None:
    client = client_for(user_factory(role, org_a))
    assert client.get(reverse("learning:settings")).status_code == 403
    client.post(reverse("learning:settings"), {"show_individual_results": "on"})
    assert not LearningSettings.objects.filter(show_individual_results=True).exists()


def test_organisation_admin_setting_applies_to_own_organisation_only(
    org_a: Organisation, org_b: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    admin_b = client_for(user_factory(Role.ORG_ADMIN, org_b, with_device=True))
    admin_b.post(reverse("learning:settings"), {"show_individual_results": "on"})
    assert not LearningSettings.objects.filter(organisation=org_a).exists()
    assert LearningSettings.objects.get(organisation=org_b).show_individual_results is True


def test_trainer_card_on_home_for_trainers_only(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    url = reverse("learning:trainer")
    trainer_home = client_for(user_factory(Role.TRAINER, org_a)).get(reverse("core:home"))
    learner_home = client_for(user_factory(Role.PROFESSIONAL, org_a)).get(reverse("core:home"))
    assert url in trainer_home.content.decode()
    assert url not in learner_home.content.decode()


def test_individual_scenario_counts_are_good_endings_only(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor
) -> None:
    poor, good = _learners(org_a, 2, user_factory, client_for)  # both ended poorly once
    trainer = client_for(user_factory(Role.TRAINER, org_a))
    total = len(load_learning_content().scenarios)
    LearningSettings.objects.create(organisation=org_a, show_individual_results=True)

    def rows() -> dict[str, str]:
        text = trainer.get(reverse("learning:trainer")).content.decode()
        assert "Scenario's met goede afloop" in text
        return {
            name: text[text.index(name) :].split("</tr>")[0] for name in ("Leerling0", "Leerling1")
        }

    play(client_for(good), "geen-uitbuiting")  # the best path, straight after the poor run
    assert (
        f"<td>0/{total}</td>" in rows()[good.first_name]
    )  # issue 13: a quick retry does not count
    for run in ScenarioRun.objects.filter(user=good):
        assert run.finished_at is not None
        run.started_at -= dt.timedelta(hours=25)
        run.finished_at -= dt.timedelta(hours=25)
        run.save()
    play(client_for(good), "geen-uitbuiting")  # a day later: a good ending that counts
    assert f"<td>0/{total}</td>" in rows()[poor.first_name]
    assert f"<td>1/{total}</td>" in rows()[good.first_name]
