"""Assignments: a trainer assigns a track with a deadline to colleagues of the own organisation
only, sees their named progress and a `;`-separated CSV; reminders go out once per stage."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning import services
from ketenwijs.web.learning.models import (
    AssignedLearner,
    Certificate,
    LearnerTrack,
    ReminderSent,
    TrackAssignment,
)
from tests.web.learning.conftest import play

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]


@pytest.fixture
def trainer(org_a: Organisation, user_factory: Factory) -> User:
    return user_factory(Role.TRAINER, org_a)


@pytest.fixture
def learners(org_a: Organisation, user_factory: Factory) -> list[User]:
    users = []
    for first, last in (("Anna", "Bakker"), ("Bram", "Claes")):
        user = user_factory(Role.PROFESSIONAL, org_a)
        user.first_name, user.last_name = first, last
        user.save()
        users.append(user)
    return users


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _assign(client: Client, users: list[User], track: str = "school", days: int = 14) -> int:
    response = client.post(
        reverse("learning:assignments"),
        {"track": track, "deadline": _in(days), "learners": [u.pk for u in users]},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    return TrackAssignment.objects.latest("pk").pk


def test_a_trainer_assigns_a_track_and_sees_named_progress(
    trainer: User, learners: list[User], client_for: ClientFor
) -> None:
    client = client_for(trainer)
    assignment_id = _assign(client, learners)
    assignment = TrackAssignment.objects.get(pk=assignment_id)
    assert assignment.track_id == "school"
    assert {row.user_id for row in assignment.learners.all()} == {u.pk for u in learners}
    assert {t.track_id for t in LearnerTrack.objects.filter(user__in=learners)} == {"school"}
    anna = client_for(learners[0])
    play(anna, "alleen-online")  # a scenario of the school track, best path
    page = client.get(reverse("learning:assignment", args=[assignment_id])).content.decode()
    assert "Anna Bakker" in page
    assert "Bram Claes" in page
    assert "1/4" in page
    assert "0/4" in page
    index = anna.get(reverse("learning:index")).content.decode()
    assert "Toegewezen: Onderwijs, deadline" in index


def test_assigning_to_all_colleagues_includes_every_active_member(
    trainer: User, learners: list[User], org_a: Organisation, client_for: ClientFor
) -> None:
    gone = learners[1]
    gone.is_active = False
    gone.save()
    client = client_for(trainer)
    response = client.post(
        reverse("learning:assignments"),
        {"track": "jeugdzorg", "deadline": _in(30), "all_learners": "on"},
    )
    assert response.status_code == 302
    assigned = set(AssignedLearner.objects.values_list("user_id", flat=True))
    assert assigned == {trainer.pk, learners[0].pk}


def test_a_trainer_of_another_organisation_cannot_see_or_assign(
    trainer: User,
    learners: list[User],
    org_b: Organisation,
    user_factory: Factory,
    client_for: ClientFor,
) -> None:
    assignment_id = _assign(client_for(trainer), learners)
    outsider = client_for(user_factory(Role.TRAINER, org_b))
    assert outsider.get(reverse("learning:assignment", args=[assignment_id])).status_code == 404
    assert outsider.get(reverse("learning:assignment_csv", args=[assignment_id])).status_code == 404
    listing = outsider.get(reverse("learning:assignments")).content.decode()
    assert "Anna Bakker" not in listing
    response = outsider.post(
        reverse("learning:assignments"),
        {"track": "politie", "deadline": _in(10), "learners": [learners[0].pk]},
    )
    assert response.status_code == 400
    assert TrackAssignment.objects.count() == 1
    assert LearnerTrack.objects.get(user=learners[0]).track_id == "school"


def test_the_service_refuses_learners_of_another_organisation(
    trainer: User, org_b: Organisation, user_factory: Factory
) -> None:
    stranger = user_factory(Role.PROFESSIONAL, org_b)
    with pytest.raises(services.AssignmentError, match="own organisation"):
        services.record_assignment(
            trainer, "school", timezone.localdate() + dt.timedelta(days=5), [stranger]
        )
    assert not TrackAssignment.objects.exists()


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.CONTENT_EDITOR])
def test_non_trainers_cannot_assign(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor, role: str
) -> None:
    client = client_for(user_factory(role, org_a))
    assert client.get(reverse("learning:assignments")).status_code == 403


def test_a_past_deadline_or_no_learners_is_refused_at_the_field(
    trainer: User, learners: list[User], client_for: ClientFor
) -> None:
    client = client_for(trainer)
    response = client.post(
        reverse("learning:assignments"),
        {"track": "school", "deadline": _in(-1), "learners": [learners[0].pk]},
    )
    assert response.status_code == 400
    assert "De deadline kan niet in het verleden liggen." in response.content.decode()
    response = client.post(reverse("learning:assignments"), {"track": "school", "deadline": _in(3)})
    assert response.status_code == 400
    assert "Kies minstens één collega, of alle collega&#x27;s." in response.content.decode()
    assert not TrackAssignment.objects.exists()


def test_the_csv_is_semicolon_separated_with_dutch_headers(
    trainer: User, learners: list[User], client_for: ClientFor
) -> None:
    learners[1].first_name = "=HYPERLINK(1)"
    learners[1].save()
    client = client_for(trainer)
    assignment_id = _assign(client, learners, track="politie")
    response = client.get(reverse("learning:assignment_csv", args=[assignment_id]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Naam", "Gebruikersnaam", "Route", "Deadline", "Lessen gelezen", "Lessen totaal",
        "Quiz gehaald", "Casussen goed", "Casussen totaal", "Gecertificeerd", "Te laat",
    ]  # fmt: skip
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Anna Bakker"][2] == "Politie"
    assert by_name["Anna Bakker"][6:] == ["nee", "0", "4", "nee", "nee"]
    assert "'=HYPERLINK(1) Claes" in by_name  # a formula is neutralised


def _certify(user: User, track_id: str) -> None:
    track = services.content().track(track_id)
    assert track is not None
    Certificate.objects.create(
        user=user,
        organisation=user.organisation,
        module_id="herkennen",
        code=f"KW-TEST-{user.pk}",
        issued_on=timezone.localdate(),
        content_sha256="0" * 64,
        track_id=track.id,
        material_version=track.material_version,
    )


def test_reminders_go_once_per_stage_and_skip_the_certified(
    trainer: User, learners: list[User], client_for: ClientFor, settings: pytest.FixtureRequest
) -> None:
    settings.KETENWIJS_LEARNING_REMINDER_DAYS = 7  # type: ignore[attr-defined]
    anna, bram = learners
    _assign(client_for(trainer), learners, days=10)
    _certify(bram, "school")
    today = timezone.localdate()
    out = io.StringIO()

    call_command(
        "send_learning_reminders", today=today, base_url="https://kw.example.nl", stdout=out
    )
    assert mail.outbox == []  # ten days left: not yet
    assert "0 e-mail(s) sent" in out.getvalue()

    soon = today + dt.timedelta(days=4)
    call_command("send_learning_reminders", today=soon, base_url="https://kw.example.nl")
    assert [m.to for m in mail.outbox] == [[anna.email]]
    message = mail.outbox[0]
    assert "herinnering aan je leerroute" in message.subject
    assert "Onderwijs" in message.body
    assert "School and education" in message.body
    assert "over 6 dagen" in message.body
    assert "in 6 days" in message.body
    assert "https://kw.example.nl/learning/" in message.body
    html, mime = message.alternatives[0]  # type: ignore[attr-defined]
    assert mime == "text/html"
    assert "<strong>Onderwijs</strong>" in str(html)

    call_command("send_learning_reminders", today=soon + dt.timedelta(days=1))
    assert len(mail.outbox) == 1  # the same stage is not mailed again

    late = today + dt.timedelta(days=11)
    call_command("send_learning_reminders", today=late, base_url="https://kw.example.nl")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [anna.email]
    assert "verstreken" in mail.outbox[1].subject
    call_command("send_learning_reminders", today=late + dt.timedelta(days=3))
    assert len(mail.outbox) == 2
    assert sorted(ReminderSent.objects.values_list("stage", flat=True)) == [
        "due_soon",
        "overdue",
    ]


def test_the_progress_page_marks_overdue_learners(
    trainer: User, learners: list[User], client_for: ClientFor
) -> None:
    assignment_id = _assign(client_for(trainer), learners, days=1)
    assignment = TrackAssignment.objects.get(pk=assignment_id)
    _certify(learners[1], "school")
    rows = services.assignment_progress(
        assignment, today=timezone.localdate() + dt.timedelta(days=2)
    )
    overdue = {row.user.first_name: row.overdue for row in rows}
    assert overdue == {"Anna": True, "Bram": False}
    assert {row.user.first_name: row.certified for row in rows} == {"Anna": False, "Bram": True}


def test_a_refused_mail_is_not_recorded_and_goes_out_on_the_next_run(
    trainer: User, learners: list[User], client_for: ClientFor, settings: pytest.FixtureRequest
) -> None:
    _assign(client_for(trainer), learners[:1], days=2)
    # A real SMTP backend pointed at a closed port: the connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 2  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("send_learning_reminders", base_url="https://kw.example.nl")
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    call_command("send_learning_reminders", base_url="https://kw.example.nl")
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_the_mail_link_keeps_the_port_of_the_trusted_origin_and_warns_when_guessed(
    trainer: User, learners: list[User], client_for: ClientFor, settings: pytest.FixtureRequest
) -> None:
    _assign(client_for(trainer), learners[:1], days=2)
    settings.CSRF_TRUSTED_ORIGINS = ["http://kw.example.nl:8443"]  # type: ignore[attr-defined]
    err = io.StringIO()
    call_command("send_learning_reminders", stdout=io.StringIO(), stderr=err)
    assert "http://kw.example.nl:8443/learning/" in mail.outbox[0].body
    assert err.getvalue() == ""

    ReminderSent.objects.all().delete()
    settings.CSRF_TRUSTED_ORIGINS = []  # type: ignore[attr-defined]
    settings.ALLOWED_HOSTS = ["kw.example.nl"]  # type: ignore[attr-defined]
    call_command("send_learning_reminders", stdout=io.StringIO(), stderr=err)
    assert "https://kw.example.nl/learning/" in mail.outbox[1].body
    assert "without a port" in err.getvalue()
    assert "--base-url" in err.getvalue()
