"""Honest scenario runs through HTTP (issue 13): no verdict or points while a run goes on, the
debrief at the end, and a good ending counts only from a first completed run or from a run
started at least 24 hours after the previous completed one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning import services
from ketenwijs.web.learning.models import ScenarioRun
from tests.web.learning.conftest import best_path, play

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]

VERDICTS = ("Deze keuze leverde punten op", "Deze keuze kostte punten", "Goed:", "punten")


@pytest.fixture
def learner(org_a: Organisation, user_factory: Factory) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def client(learner: User, client_for: ClientFor) -> Client:
    return client_for(learner)


def _page(client: Client, run_id: int) -> str:
    return client.get(reverse("learning:run", args=[run_id])).content.decode()


def test_no_step_of_a_run_shows_a_verdict_only_the_debrief_does(client: Client) -> None:
    scenario = load_learning_content().scenario("ze-ontkent")
    assert scenario is not None
    path = best_path(scenario)
    run_id = play(client, scenario.id, [])
    for step, choice_id in enumerate(path):
        page = _page(client, run_id)
        situation = page.split('<p class="situation">')[1].split("</p>")[0]
        assert situation  # the narrative: what happens next
        for verdict in VERDICTS:
            assert verdict not in page, (step, verdict)
        client.post(reverse("learning:run", args=[run_id]), {"choice": choice_id})
    page = _page(client, run_id)
    assert "Nabespreking" in page
    assert "Deze keuze leverde punten op." in page
    assert "Goed: je benoemt wat je ziet" in page


def test_a_costly_choice_shows_only_what_happened_until_the_end(client: Client) -> None:
    run_id = play(client, "ze-ontkent", ["streng"])
    page = _page(client, run_id)
    assert "Je koos:" in page
    assert "Deze keuze kostte punten." not in page
    assert "Je behandelt haar als het probleem." not in page  # the verdict waits for the debrief
    assert '<p class="time-passed">Twee weken later…</p>' in page


def test_the_scenario_page_states_the_counting_rule(client: Client) -> None:
    page = client.get(reverse("learning:scenarios")).content.decode()
    assert 'id="counting-rule"' in page
    assert "minstens 24 uur na je vorige afgeronde ronde" in page


def test_a_retry_right_after_the_debrief_does_not_count_but_one_a_day_later_does(
    client: Client, learner: User
) -> None:
    scenario = load_learning_content().scenario("geen-uitbuiting")
    assert scenario is not None
    first = play(client, scenario.id, ["meteen-melden"])  # poor ending, then the debrief
    retry = play(client, scenario.id)  # the best path, straight after
    assert ScenarioRun.objects.get(pk=retry).outcome == "good"
    assert scenario.id not in services.scenarios_ended_well(learner)
    assert services.counted_runs(learner) == {first}
    page = _page(client, retry)
    assert "Deze ronde telt niet mee voor je certificaat" in page
    listing = client.get(reverse("learning:scenarios")).content.decode()
    assert "goede afloop bereikt" not in listing
    # A day and more later (moved back in time here), a fresh run counts again.
    past = dt.timedelta(hours=25)
    for run in ScenarioRun.objects.filter(pk__in=[first, retry]):
        run.started_at -= past
        run.finished_at = run.finished_at - past if run.finished_at else None
        run.save()
    later = play(client, scenario.id)
    assert services.counted_runs(learner) == {first, later}
    assert scenario.id in services.scenarios_ended_well(learner)
    assert "Deze ronde telt mee voor je certificaat." in _page(client, later)


def test_a_first_good_run_counts(client: Client, learner: User) -> None:
    run_id = play(client, "geen-uitbuiting")
    assert services.scenarios_ended_well(learner) == {"geen-uitbuiting"}
    assert "Deze ronde telt mee voor je certificaat." in _page(client, run_id)
