"""The explainer pages through HTTP: every scene's SVG, caption, pause point and transcript are in
the server HTML (the page works without JavaScript), and the presenter mode page."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from tests.web.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    user = make_user(Role.PROFESSIONAL, make_organisation("Gemeente Uitleg"), username="uitleg")
    client = Client()
    client.force_login(user)
    return client


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def test_every_route_renders_each_scene_as_svg_with_caption_pause_and_transcript(
    client: Client,
) -> None:
    explainer = load_learning_content().explainer
    names = {c.id: c.name.nl for c in explainer.characters}
    for route in explainer.trajectories:
        page = client.get(reverse("learning:explainer_trajectory", args=[route.id])).content
        text = _text(page.decode())
        assert route.message.nl in text
        assert text.count('<li class="explainer__scene') == len(route.scenes)
        for scene in route.scenes:
            block = text.split(f'id="scene-{scene.id}"')[1].split("</li>")[0]
            assert f'<svg class="scene__stage scene__stage--{scene.set}"' in block
            assert block.count('class="figure figure--') == len(scene.placements)
            caption = block.split('<figcaption class="scene__caption">')[1].split("</figcaption>")[
                0
            ]
            assert f"· {scene.setting.nl}.</span> {scene.caption.nl}" in caption
            # The words of the bubbles and the phone are in the caption as text too.
            for placement in scene.placements:
                if placement.says:
                    assert f"{names[placement.character]}: “{placement.says.nl}”" in caption
            for message in scene.chat:
                assert f"{names[message.source]}: “{message.text.nl}”" in caption
            if scene.pause:
                assert scene.pause.question.nl in block
                assert "<details" in block
                assert scene.pause.answer.nl in block
            for placement in scene.placements:
                assert f'data-character="{placement.character}"' in block
        # The transcript carries the same content as text: captions, speech, chat and questions.
        transcript = text.split('id="transcript-heading"')[1].split("</section>")[0]
        assert transcript.count("<li>") == len(route.scenes)
        for scene in route.scenes:
            assert scene.caption.nl in transcript
            for placement in scene.placements:
                assert names[placement.character] in transcript
                if placement.says:
                    assert f"{names[placement.character]} zegt: “{placement.says.nl}”" in transcript
            for message in scene.chat:
                assert f"{names[message.source]}: “{message.text.nl}”" in transcript
            if scene.pause:
                assert scene.pause.question.nl in transcript
                assert scene.pause.answer.nl in transcript


def test_speech_bubbles_carry_the_words_of_the_content_in_english_too(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    route = load_learning_content().explainer.trajectories[0]
    text = _text(
        client.get(reverse("learning:explainer_trajectory", args=[route.id])).content.decode()
    )
    assert route.message.en in text
    for scene in route.scenes:
        assert scene.caption.en in text
        for placement in scene.placements:
            if placement.says:
                # Wrapped into lines of the bubble; every word is in the SVG.
                block = text.split(f'id="scene-{scene.id}"')[1].split("</li>")[0]
                bubble = block.split(f'data-speaker="{placement.character}"')[1]
                bubble = bubble.split("</text>")[0]
                for word in placement.says.en.split():
                    assert word in bubble


def test_presenter_mode_has_every_scene_large_controls_and_no_inline_script(
    client: Client,
) -> None:
    route = load_learning_content().explainer.trajectories[1]
    response = client.get(reverse("learning:explainer_present", args=[route.id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-presenter" in page
    assert 'class="explainer explainer--presenter"' in page
    assert page.count('<li class="explainer__scene') == len(route.scenes)
    assert 'data-exit="/learning/explainer/' in page
    assert "learning/explainer.js" in page
    assert "learning/explainer.css" in page
    assert "<script>" not in page
    assert "style=" not in page
    assert "Presentatiemodus verlaten" in page
    assert client.get(reverse("learning:explainer_present", args=["nope"])).status_code == 404


def test_presenter_mode_needs_a_signed_in_user() -> None:
    route = load_learning_content().explainer.trajectories[0]
    response = Client().get(reverse("learning:explainer_present", args=[route.id]))
    assert response.status_code == 302


def test_no_svg_number_is_written_with_a_decimal_comma(client: Client) -> None:
    # A Dutch locale must not turn coordinates into "12,5": every number in the stage is plain.
    page = client.get(reverse("learning:explainer")).content.decode()
    for attribute in re.findall(r'\s(?:x|y|width|height|cx|cy|r|d|transform)="([^"]*)"', page):
        assert not re.search(r"\d,\d", attribute), attribute
