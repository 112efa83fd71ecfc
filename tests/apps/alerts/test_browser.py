"""Compose → submit (editor) → approve and issue (a second person, an approver) in headless Chromium.

Playwright's sync API runs an event loop in this thread and Django refuses ORM calls while it runs,
so the data is written before the browser starts and checked after it has closed.
"""

from __future__ import annotations

import shutil

import pytest
from tests.browser import CHROMIUM, CHROMIUM_ARGS, local_only

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.alerts.models import Alert
from hushdor.apps.alerts.services.templates import alert_defaults_ensure
from hushdor.apps.places.models import Region
from hushdor.apps.places.services import places_load_bundled
from hushdor.cap.signing import verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "snow-on-the-anzob-pass"


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/?next=/alerts/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/alerts/")


def _drive(base: str) -> dict:
    sync_api = pytest.importorskip("playwright.sync_api")
    seen: dict = {"blocked": []}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        editor = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        local_only(editor, base, seen["blocked"])
        _log_in(editor, base, "edith")
        editor.click("#compose-link")
        editor.select_option("#template", label="Flood: Flood warning")
        editor.click("#fill-template")
        editor.wait_for_selector("#value_area")
        editor.fill("#value_area", "Vakhsh valley")
        editor.fill("#value_river", "Vakhsh")
        editor.fill("#value_time", "18:00")
        editor.click("#fill-template")
        editor.wait_for_selector("#value_area")
        seen["headline_tg"] = editor.input_value("#headline_tg")
        editor.locator("#area-map").scroll_into_view_if_needed()  # clicks land on what is in view
        editor.wait_for_selector("#area-map path.leaflet-interactive")
        box = editor.locator("#area-map").bounding_box()
        editor.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)  # pick a region
        editor.wait_for_selector("#area-0-ru")
        seen["picked"] = editor.inner_text("#area-list li span").split()[-1]
        seen["picked_names"] = {code: editor.input_value(f"#area-0-{code}") for code in ("tg", "ru", "en")}
        editor.click("#area-list li button")  # removed again
        editor.click("#draw-polygon")
        editor.locator("#area-map").scroll_into_view_if_needed()  # the page may have scrolled
        box = editor.locator("#area-map").bounding_box()
        for dx, dy in ((0.45, 0.45), (0.55, 0.45), (0.55, 0.55), (0.45, 0.55)):
            editor.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        editor.click("#finish-polygon")
        seen["areas"] = editor.locator("#area-list li").count()
        seen["area_ru_prefilled"] = editor.input_value("#area-0-ru")
        editor.fill("#area-0-ru", "Долина Вахша")
        editor.fill("#area-0-tg", "")  # left blank: the Tajik info falls back to the Russian text
        editor.click("#preview-button")
        editor.wait_for_selector("#findings li")
        seen["preview_errors"] = editor.locator("#findings li.error").all_inner_texts()
        seen["sms_ru"] = editor.inner_text("#sms_ru")
        seen["preview_areas"] = {code: editor.inner_text(f"#areas_{code}") for code in ("tg", "ru", "en")}
        editor.click("#submit-button")
        editor.wait_for_selector("#alert-state[data-state='submitted']")
        detail_url = editor.url

        approver = browser.new_context(locale="en-GB").new_page()
        local_only(approver, base, seen["blocked"])
        _log_in(approver, base, "anna")
        approver.goto(detail_url)
        approver.fill("#approve-comment", "Checked against the hydromet bulletin")
        approver.click("#action-approve")
        approver.wait_for_selector("#alert-state[data-state='approved']")
        approver.click("#action-issue")
        approver.wait_for_selector("#alert-state[data-state='issued']")
        seen["identifier"] = approver.inner_text("#alert-xml")
        seen["feed"] = approver.request.get(f"{base}/cap/feed.atom").text()
        approver.goto(f"{base}/cap/")
        seen["public"] = approver.content()
        browser.close()
    return seen


@pytest.fixture
def people_on_live_server(live_server):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    alert_defaults_ensure()
    places_load_bundled()
    operator_create(username="edith", password=PASSWORD, roles=["editor"])
    operator_create(username="anna", password=PASSWORD, roles=["approver"])
    return live_server.url


def test_compose_approve_by_a_second_person_and_issue(people_on_live_server, signing_key):
    seen = _drive(people_on_live_server)
    assert seen["blocked"] == []
    assert seen["headline_tg"] == "Хатари обхезӣ: Vakhsh valley"
    assert seen["areas"] == 1 and seen["preview_errors"] == []
    assert "UCS-2" in seen["sms_ru"]
    region = Region.objects.get(code=seen["picked"])
    assert seen["picked_names"] == {"tg": region.name_tg, "ru": region.name_ru, "en": region.name}
    assert region.name_tg != region.name != region.name_ru
    assert seen["area_ru_prefilled"] == "Нарисованный многоугольник"  # "Drawn polygon" in Russian
    assert "Долина Вахша" in seen["preview_areas"]["ru"] and "Долина Вахша" in seen["preview_areas"]["tg"]
    assert "Drawn polygon" in seen["preview_areas"]["en"] and "Долина" not in seen["preview_areas"]["en"]
    alert = Alert.objects.get(identifier=seen["identifier"])
    assert alert.state == "issued" and alert.author.username == "edith"
    assert list(alert.approvals.values_list("approver__username", flat=True)) == ["anna"]
    assert alert.areas.get().kind == "polygon" and len(alert.areas.get().polygons[0]) == 5
    area = alert.areas.get()
    assert (area.description, area.description_ru, area.description_tg) == (
        "Drawn polygon",
        "Долина Вахша",
        "",
    )
    assert verify(bytes(alert.signed_xml), trusted_certs=[signing_key]).valid
    assert seen["identifier"] in seen["feed"]
    assert "Flood warning: Vakhsh valley" in seen["public"]
