"""API rate limits: calls per token, and a pause for an address that keeps sending bad tokens."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from ketenwijs.web.api.models import ApiCallLog
from tests.web.api.conftest import MakeToken, api_client


def test_api_calls_are_limited_per_token_and_logged(
    token_factory: MakeToken, limits: Callable[..., None]
) -> None:
    limits(api=(3, 60))
    _, secret = token_factory()
    _, other_secret = token_factory(name="Tweede koppeling")
    client = api_client(secret)
    url = reverse("api:sharing_rulesets")
    for _ in range(3):
        assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Rate limit of 3 calls")
    assert int(refused["Retry-After"]) >= 1
    # Another token of the same organisation, from the same address, has its own budget.
    assert api_client(other_secret).get(url).status_code == 200
    assert ApiCallLog.objects.filter(status_code=429).count() == 1


def test_repeated_bad_tokens_block_the_address_even_for_a_good_token(
    token_factory: MakeToken, limits: Callable[..., None]
) -> None:
    limits(api_auth_failures=(3, 60))
    _, secret = token_factory()
    url = reverse("api:sharing_rulesets")
    for attempt in range(3):
        assert api_client(f"kw_guess{attempt}").get(url).status_code == 401
    assert api_client("kw_guess-again").get(url).status_code == 429
    # Guessing from this address stops everything from it until the window ends.
    assert api_client(secret).get(url).status_code == 429
    assert (
        Client(REMOTE_ADDR="192.0.2.7", headers={"Authorization": f"Bearer {secret}"})
        .get(url)
        .status_code
        == 200
    )
