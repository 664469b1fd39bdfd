"""Progress, completion and certificates: PDF for the holder, public check without personal data."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning.models import Certificate
from tests.web.learning.conftest import complete_module, quiz_answers

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]


@pytest.fixture
def learner(org_a: Organisation, user_factory: Factory) -> User:
    user = user_factory(Role.PROFESSIONAL, org_a)
    user.first_name, user.last_name = "Fatima", "de Vries"
    user.save()
    return user


def test_progress_counts_lessons_scenarios_and_quiz(learner: User, client_for: ClientFor) -> None:
    client = client_for(learner)
    lesson = load_learning_content().lessons[0]
    client.post(reverse("learning:lesson", args=[lesson.id]))
    page = client.get(reverse("learning:index")).content.decode()
    total = len(load_learning_content().lessons)
    assert f"Lessen gelezen: 1 van {total}" in page
    assert "Quiz: nog niet gehaald" in page


def test_no_certificate_before_completion(learner: User, client_for: ClientFor) -> None:
    client = client_for(learner)
    client.post(reverse("learning:quiz"), quiz_answers(client))  # quiz alone is not enough
    response = client.post(reverse("learning:certificate"), follow=True)
    assert "Rond eerst de module af." in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_failed_quiz_does_not_complete_the_module(learner: User, client_for: ClientFor) -> None:
    client = client_for(learner)
    complete_module(client)
    Certificate.objects.all().delete()
    from ketenwijs.web.learning.models import QuizAttempt

    QuizAttempt.objects.all().delete()
    client.post(reverse("learning:quiz"), quiz_answers(client, correct=False))
    client.post(reverse("learning:certificate"))
    assert not Certificate.objects.exists()


def test_completed_module_gives_a_pdf_certificate_with_all_fields(
    learner: User, client_for: ClientFor
) -> None:
    client = client_for(learner)
    complete_module(client)
    assert "Maak mijn certificaat" in client.get(reverse("learning:certificate")).content.decode()
    client.post(reverse("learning:certificate"))
    client.post(reverse("learning:certificate"))  # a second click gives the same certificate
    certificate = Certificate.objects.get(user=learner)
    content = load_learning_content()
    assert certificate.content_sha256 == content.sha256
    assert certificate.organisation_id == learner.organisation_id

    response = client.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Fatima de Vries" in text
    assert "Gemeente Aa" in text
    assert content.module.title.nl in text
    assert certificate.code in text
    assert content.sha256[:32] in text.replace("\n", "")


def test_only_the_holder_can_download_the_pdf(
    learner: User, client_for: ClientFor, org_b: Organisation, user_factory: Factory
) -> None:
    client = client_for(learner)
    complete_module(client)
    client.post(reverse("learning:certificate"))
    certificate = Certificate.objects.get()
    url = reverse("learning:certificate_pdf", args=[certificate.pk])
    colleague = client_for(user_factory(Role.TRAINER, learner.organisation))
    stranger = client_for(user_factory(Role.ORG_ADMIN, org_b, with_device=True))
    assert colleague.get(url).status_code == 404
    assert stranger.get(url).status_code == 404


def test_public_verify_page_shows_only_validity_module_and_date(
    learner: User, client_for: ClientFor
) -> None:
    client = client_for(learner)
    complete_module(client)
    client.post(reverse("learning:certificate"))
    certificate = Certificate.objects.get()
    anonymous = Client()
    page = anonymous.get(
        reverse("learning:verify"), {"code": certificate.code.lower().replace("-", " ")}
    ).content.decode()
    assert "Geldig certificaat." in page
    assert load_learning_content().module.title.nl in page
    for personal in ("Fatima", "Vries", "Gemeente Aa", learner.username):
        assert personal not in page


@pytest.mark.parametrize("code", ["KW-AAAA-BBBB", "nonsense", "KW-" + "A" * 24])
def test_public_verify_page_rejects_invalid_codes(db: None, code: str) -> None:
    page = Client().get(reverse("learning:verify"), {"code": code}).content.decode()
    assert "Deze code is niet geldig." in page


def test_a_genuine_code_without_a_stored_certificate_is_invalid(db: None) -> None:
    from django.utils import timezone

    from ketenwijs.learning import issue_code
    from ketenwijs.web.learning.services import _certificate_key

    code = issue_code(_certificate_key(), "herkennen", timezone.localdate())
    page = Client().get(reverse("learning:verify"), {"code": code}).content.decode()
    assert "Deze code is niet geldig." in page
