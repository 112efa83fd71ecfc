"""The map page in headless Debian Chromium: every layer is drawn, and a screenshot is kept.

Runs against pytest-django's live server with the bundled data and an operator; needs
/usr/bin/chromium and the `playwright` package (never downloads a browser).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.browser import local_only

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "map.png"




@pytest.fixture
def operator_on_live_server(live_server):
    from hushdor.apps.accounts.services import operator_create
    from hushdor.apps.places.services import places_load_bundled

    places_load_bundled()
    operator_create(username="duty", password="watch-the-mountains", roles=["viewer"])
    return live_server.url


def test_the_map_draws_every_layer(operator_on_live_server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="en-GB")
    blocked: list[str] = []
    local_only(page, operator_on_live_server, blocked)
    page.goto(f"{operator_on_live_server}/map/")
    page.fill("#id_username", "duty")
    page.fill("#id_password", "watch-the-mountains")
    page.click("button.primary")
    page.wait_for_url("**/map/")
    page.wait_for_selector("#map[data-loaded='true']", timeout=30_000)
    page.wait_for_function(
        "() => { const img = document.querySelector('.leaflet-image-layer');"
        " return img && img.complete && img.naturalWidth > 0; }",
        timeout=30_000,
    )

    assert page.get_attribute("#map", "data-error") is None
    area_paths = page.locator(".leaflet-areas-pane path").count()
    background_paths = page.locator(".leaflet-background-pane path").count()
    markers = page.locator(".leaflet-places-pane path").count()
    overlay_width = page.evaluate("document.querySelector('.leaflet-image-layer').naturalWidth")
    assert area_paths >= 58 + 5  # districts and regions, plus rivers and lakes
    assert background_paths >= 2  # Tajikistan and its neighbours
    assert markers >= 100  # settlements as circle markers
    assert overlay_width == 948
    assert page.locator(".leaflet-control-layers-overlays label").count() == 8
    assert blocked == []  # nothing asked of the internet

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000
