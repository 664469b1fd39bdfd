"""Key cards for professionals: the answer is revealed in a form step before any rating button,
intervals are days, the organisation admin sets the desired retention within bounds, and the
scheduler's name never appears in the interface."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.learning import ReviewRating, load_learning_content
from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import AdminEvent, Organisation, User
from ketenwijs.web.learning import services
from ketenwijs.web.learning.models import CardSchedule, LearningSettings

Factory = Callable[..., User]
ClientFor = Callable[[User], Client]
RATING = re.compile(r'name="rating" value="([a-z]+)"')
TEMPLATES = Path(services.__file__).parent / "templates"


@pytest.fixture
def learner(org_a: Organisation, user_factory: Factory) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def client(learner: User, client_for: ClientFor) -> Client:
    return client_for(learner)


@pytest.fixture
def admin(org_a: Organisation, user_factory: Factory, client_for: ClientFor) -> Client:
    return client_for(user_factory(Role.ORG_ADMIN, org_a))


def test_the_first_step_shows_the_front_only_without_rating_buttons(client: Client) -> None:
    card = load_learning_content().cards[0]
    page = client.get(reverse("learning:review")).content.decode()
    assert card.front.nl in page
    assert card.back.nl not in page
    assert RATING.findall(page) == []
    assert f'name="show" value="{card.id}"' in page
    assert '<form method="get" class="reveal" novalidate>' in page  # a plain form, no script


def test_showing_the_answer_reveals_the_back_and_then_the_ratings(client: Client) -> None:
    card = load_learning_content().cards[0]
    page = client.get(reverse("learning:review"), {"show": card.id}).content.decode()
    assert card.back.nl in page
    assert RATING.findall(page) == ["again", "hard", "good", "easy"]
    assert page.index(card.back.nl) < page.index('name="rating"')
    # Intervals are days: the shortest offered is one day, and no button names minutes.
    shown = page.replace("\xa0", " ")
    # The label is "Opnieuw": the interval must not repeat it ("Opnieuw (opnieuw over 1 dag)").
    assert "(volgende keer over 1 dag)" in shown
    assert "opnieuw over" not in shown
    assert "minu" not in shown


def test_an_unknown_card_to_show_falls_back_to_the_front_step(client: Client) -> None:
    page = client.get(reverse("learning:review"), {"show": "bestaat-niet"}).content.decode()
    assert RATING.findall(page) == []


def test_a_situation_card_asks_what_you_notice(client: Client) -> None:
    card = next(c for c in load_learning_content().cards if c.kind == "situation")
    page = client.get(reverse("learning:review"), {"show": card.id}).content.decode()
    assert "Situatie: wat valt je op, en wat doe je?" in page


def test_no_scheduler_jargon_in_any_learning_template_or_page(
    client: Client, admin: Client
) -> None:
    for template in TEMPLATES.rglob("*.html"):
        assert "FSRS" not in template.read_text(encoding="utf-8"), template
    card = load_learning_content().cards[0]
    pages = [
        client.get(reverse("learning:review")),
        client.get(reverse("learning:review"), {"show": card.id}),
        client.get(reverse("learning:index")),
        admin.get(reverse("learning:settings")),
    ]
    for response in pages:
        assert "FSRS" not in response.content.decode()


def test_the_admin_sees_the_default_retention_and_saves_a_new_one(
    admin: Client, org_a: Organisation
) -> None:
    page = admin.get(reverse("learning:settings")).content.decode()
    assert 'name="desired_retention"' in page
    assert 'value="90"' in page
    response = admin.post(reverse("learning:settings"), {"desired_retention": "85"})
    assert response.status_code == 302
    assert LearningSettings.objects.get(organisation=org_a).desired_retention == 85
    event = AdminEvent.objects.get(action=AdminEvent.Action.LEARNING_SETTINGS_CHANGED)
    assert event.changes == {"desired_retention": [90, 85]}


@pytest.mark.parametrize("value", ["79", "96", "0", "abc", "90.5"])
def test_a_retention_outside_the_bounds_is_refused_with_the_field_named(
    admin: Client, org_a: Organisation, value: str
) -> None:
    LearningSettings.objects.create(organisation=org_a, desired_retention=88)
    response = admin.post(reverse("learning:settings"), {"desired_retention": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_desired_retention"' in page
    assert LearningSettings.objects.get(organisation=org_a).desired_retention == 88


def test_leaving_the_retention_empty_keeps_it(admin: Client, org_a: Organisation) -> None:
    LearningSettings.objects.create(organisation=org_a, desired_retention=93)
    admin.post(reverse("learning:settings"), {"show_individual_results": "on"})
    settings = LearningSettings.objects.get(organisation=org_a)
    assert (settings.desired_retention, settings.show_individual_results) == (93, True)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PROFESSIONAL])
def test_only_organisation_admins_set_the_retention(
    org_a: Organisation, user_factory: Factory, client_for: ClientFor, role: str
) -> None:
    client = client_for(user_factory(role, org_a))
    assert client.post(reverse("learning:settings"), {"desired_retention": "80"}).status_code == 403
    assert not LearningSettings.objects.exists()


def _due_after_good_reviews(user: User) -> dt.datetime:
    card = load_learning_content().cards[0]
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    row = None
    for _ in range(4):
        row = services.record_review(user, card.id, ReviewRating.GOOD, now)
        now = row.due
    assert isinstance(row, CardSchedule)
    return row.due


def test_the_organisations_retention_sets_how_soon_cards_return(
    org_a: Organisation, org_b: Organisation, user_factory: Factory
) -> None:
    LearningSettings.objects.create(organisation=org_a, desired_retention=95)
    LearningSettings.objects.create(organisation=org_b, desired_retention=80)
    strict = user_factory(Role.PROFESSIONAL, org_a)
    relaxed = user_factory(Role.PROFESSIONAL, org_b)
    assert services.retention_for(strict) == 0.95
    assert services.retention_for(relaxed) == 0.80
    assert _due_after_good_reviews(strict) < _due_after_good_reviews(relaxed)


def test_without_settings_the_default_retention_applies(learner: User) -> None:
    assert services.retention_for(learner) == 0.90
