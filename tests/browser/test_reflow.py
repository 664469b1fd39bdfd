"""Reflow details the page inventory does not see: readable text and scroll regions at 390 px."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from ketenwijs.web.accounts.constants import Role
from tests.browser.conftest import run_axe
from tests.web.audit.conftest import make_record
from tests.web.factories import make_organisation, make_user, verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    client = verified_client(user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    page.context.add_cookies([{**cookie, "url": live_server.url}])


def test_infographic_on_a_phone_runs_vertically_with_readable_text(
    live_server: Any, page: Any
) -> None:
    _login(page, live_server, make_user(Role.PROFESSIONAL, make_organisation("Gemeente Smal")))
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/sharing/infographic/")

    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    select = page.locator("#version-select")
    assert select.bounding_box()["width"] > 300  # the whole row, not squeezed beside its label
    assert float(select.evaluate("s => getComputedStyle(s).fontSize").rstrip("px")) >= 16
    # The steps are boxes one under the other.
    boxes = [box.bounding_box() for box in page.locator(".step-flow li").all()]
    assert len(boxes) >= 5
    assert all(a["y"] + a["height"] <= b["y"] for a, b in pairwise(boxes))
    # The drawing's 13 px text is drawn at 9 px or more, scrolling in its own labelled region.
    image = page.locator("figure.infographic img")
    image.evaluate("img => img.decode()")
    natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    assert 13 * shown / natural >= 9
    region = page.locator(".infographic__scroll")
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    assert run_axe(page) == []


def test_record_detail_tables_scroll_in_labelled_regions_and_hashes_wrap(
    live_server: Any, page: Any
) -> None:
    organisation = make_organisation("Gemeente Smalstad")
    make_record(make_user(Role.PROFESSIONAL, organisation))
    _login(page, live_server, make_user(Role.AUDITOR, organisation))
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/audit/1/")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    regions = page.locator(".table-scroll")
    assert regions.count() >= 2
    for region in regions.all():
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-label")
    for code in page.locator("code.hash").all():
        box = code.bounding_box()
        assert box["x"] + box["width"] <= 320
