"""Tracks through HTTP: a learner chooses a track, earns the track's certificate (never by always
choosing the first option or submitting nothing), and must repeat it when the track's material
version changes; the verify page says whether a certificate is current."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ketenwijs.learning import LearningContent, issue_code, load_learning_content
from ketenwijs.learning.schema import ALL_TRACK, MaterialChange, Text, Track
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning import services
from ketenwijs.web.learning.models import Certificate, LearnerTrack, QuizAttempt
from tests.web.learning.conftest import complete_module, open_quiz, play, quiz_answers
from tests.web.learning.test_honest_assessment import _first_option_everywhere, _play_first_option

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]


@pytest.fixture
def learner(org_a: Organisation, user_factory: Factory) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def client(learner: User, client_for: ClientFor) -> Client:
    return client_for(learner)


def _track(track_id: str) -> Track:
    track = load_learning_content().track(track_id)
    assert track is not None
    return track


def _complete_track(client: Client, track: Track) -> None:
    for lesson_id in track.lessons:
        assert client.post(reverse("learning:lesson", args=[lesson_id])).status_code == 302
    for scenario_id in track.scenarios:
        play(client, scenario_id)
    assert client.post(reverse("learning:quiz"), quiz_answers(client)).status_code == 302


def _verify(code: str) -> str:
    return Client().get(reverse("learning:verify"), {"code": code}).content.decode()


def test_a_learner_chooses_a_track_and_the_overview_shows_its_progress(
    client: Client, learner: User
) -> None:
    response = client.post(reverse("learning:tracks"), {"track": "horeca-hotel"})
    assert response.status_code == 302
    assert LearnerTrack.objects.get(user=learner).track_id == "horeca-hotel"
    page = client.get(reverse("learning:index")).content.decode()
    track = _track("horeca-hotel")
    assert "Horeca en hotel" in page
    assert f"Lessen gelezen: 0 van {len(track.lessons)}" in page
    assert f"Scenario's met een goede afloop: 0 van {len(track.scenarios)}" in page
    assert page.count('href="/learning/lessons/') == len(track.lessons)
    scenarios = client.get(reverse("learning:scenarios")).content.decode()
    assert scenarios.count("telt mee voor je route") == len(track.scenarios)


def test_an_unknown_track_is_refused_and_nothing_changes(client: Client, learner: User) -> None:
    response = client.post(reverse("learning:tracks"), {"track": "brandweer"})
    assert response.status_code == 400
    assert "Kies een van de leerroutes." in response.content.decode()
    assert not LearnerTrack.objects.filter(user=learner).exists()


def test_the_tracks_page_lists_every_track(client: Client) -> None:
    page = client.get(reverse("learning:tracks")).content.decode()
    for track in load_learning_content().tracks:
        assert track.title.nl in page


def test_a_track_certificate_needs_the_tracks_work_only(client: Client, learner: User) -> None:
    track = _track("horeca-hotel")
    client.post(reverse("learning:tracks"), {"track": track.id})
    _complete_track(client, track)
    client.post(reverse("learning:certificate"))
    cert = Certificate.objects.get(user=learner)
    assert (cert.track_id, cert.material_version) == (track.id, 1)
    assert len(cert.track_fingerprint) == 64
    # The module-wide track is not complete: lessons outside the hotel track were never read.
    assert not services.progress_for(learner, _track(ALL_TRACK)).is_complete
    pdf = client.get(reverse("learning:certificate_pdf", args=[cert.pk])).content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Horeca en hotel (versie 1)" in text
    assert "elke les van de route gelezen" in text
    page = _verify(cert.code)
    assert "Geldig certificaat." in page
    assert "Horeca en hotel" in page
    assert "Ja: behaald op het huidige lesmateriaal van de route." in page


def test_always_the_first_option_earns_no_track_certificate(client: Client, learner: User) -> None:
    track = _track("politie")
    client.post(reverse("learning:tracks"), {"track": track.id})
    for lesson_id in track.lessons:
        client.post(reverse("learning:lesson", args=[lesson_id]))
    for scenario_id in track.scenarios:
        _play_first_option(client, scenario_id)
    client.post(reverse("learning:quiz"), _first_option_everywhere(client))
    assert not QuizAttempt.objects.get(user=learner).passed
    client.post(reverse("learning:certificate"))
    assert not Certificate.objects.exists()


def test_submitting_nothing_earns_no_track_certificate(client: Client, learner: User) -> None:
    track = _track("school")
    client.post(reverse("learning:tracks"), {"track": track.id})
    for lesson_id in track.lessons:
        client.post(reverse("learning:lesson", args=[lesson_id]))
    for scenario_id in track.scenarios:
        play(client, scenario_id)
    draw_id, _ = open_quiz(client)
    assert client.post(reverse("learning:quiz"), {"draw": str(draw_id)}).status_code == 400
    client.post(reverse("learning:certificate"))
    assert not Certificate.objects.exists()


def test_a_certificate_from_before_tracks_still_verifies_as_the_whole_module(
    learner: User,
) -> None:
    content = load_learning_content()
    today = timezone.localdate()
    code = issue_code(services._certificate_key(), content.module.id, today)
    # A row as the earlier version stored it: no track fields given, so the defaults apply.
    Certificate.objects.create(
        user=learner,
        organisation=learner.organisation,
        module_id=content.module.id,
        code=code,
        issued_on=today,
        content_sha256=content.sha256,
    )
    page = _verify(code)
    assert "Geldig certificaat." in page
    assert "Hele module" in page
    assert "Ja: behaald op het huidige lesmateriaal" in page


def _bumped(content: LearningContent, track_id: str, on: dt.date) -> LearningContent:
    """The content with one material change added to a track (as an editor would add it)."""
    tracks = []
    for track in content.tracks:
        if track.id == track_id:
            change = MaterialChange(
                version=track.material_version + 1,
                date=on,
                text=Text(
                    nl="De les over wat je doet is herschreven: nieuwe meldroute.",
                    en="The lesson on what to do was rewritten: new reporting route.",
                ),
            )
            track = track.model_copy(
                update={
                    "material_version": change.version,
                    "changes": [*track.changes, change],
                }
            )
        tracks.append(track)
    return dataclasses.replace(content, tracks=tuple(tracks))


def test_a_material_change_asks_holders_to_repeat_and_shows_what_changed(
    client: Client, learner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    complete_module(client)
    client.post(reverse("learning:certificate"))
    first = Certificate.objects.get(user=learner)
    assert (first.track_id, first.material_version) == (ALL_TRACK, 1)
    # The pass happened before the change.
    QuizAttempt.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    today = timezone.localdate()
    changed = _bumped(load_learning_content(), ALL_TRACK, today)
    monkeypatch.setattr(services, "content", lambda: changed)

    index = client.get(reverse("learning:index")).content.decode()
    assert "Herhaling nodig" in index
    certificate_page = client.get(reverse("learning:certificate")).content.decode()
    assert "Herhaling nodig" in certificate_page
    assert "herhaling nodig" in certificate_page  # the old certificate's status
    changes = client.get(reverse("learning:track_changes", args=[ALL_TRACK])).content.decode()
    assert "De les over wat je doet is herschreven: nieuwe meldroute." in changes
    assert "versie 2" in changes
    verify_old = _verify(first.code)
    assert "Geldig certificaat." in verify_old
    assert "Nee: het lesmateriaal van de route is gewijzigd" in verify_old

    # The old quiz pass does not renew it; a new pass after the change does.
    client.post(reverse("learning:certificate"))
    assert Certificate.objects.filter(user=learner).count() == 1
    assert client.post(reverse("learning:quiz"), quiz_answers(client)).status_code == 302
    client.post(reverse("learning:certificate"))
    renewed = Certificate.objects.filter(user=learner).order_by("-material_version").first()
    assert renewed is not None
    assert renewed.material_version == 2
    assert "Ja: behaald op het huidige lesmateriaal" in _verify(renewed.code)
    assert "Herhaling nodig" not in client.get(reverse("learning:index")).content.decode()


def test_an_unknown_tracks_changes_page_is_404(client: Client) -> None:
    assert client.get(reverse("learning:track_changes", args=["brandweer"])).status_code == 404
