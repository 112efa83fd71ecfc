"""The public subscription page: no account, confirmation by an e-mail link (aiosmtpd) or an SMS code
(Kannel's fake SMS centre), one-click stop, and rate limits."""

from __future__ import annotations

import re
import time
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from tests.apps.dissemination.test_deliveries import Mailbox, environment, smtp  # noqa: F401
from tests.apps.dissemination.test_sms_kannel import kannel  # noqa: F401

from hushdor.apps.dissemination.models import Subscription
from hushdor.apps.places.services import places_load_bundled

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    places_load_bundled()


def test_a_person_subscribes_by_e_mail_and_confirms_with_the_link(client, smtp, places, settings):  # noqa: F811
    settings.PUBLIC_URL = "http://testserver"
    page = client.get("/subscriptions/new")
    assert page.status_code == 200 and "TJ-GB-RUSHON" in page.content.decode()
    sent = client.post("/subscriptions/new", {"channel": "email", "address": "parent@mail.tj", "language": "ru",
                                              "districts": ["TJ-GB-RUSHON", "TJ-GB-VANJ"], "hazards": ["mudflow"]})
    assert sent.status_code == 200 and 'id="subscribe-sent"' in sent.content.decode()
    subscription = Subscription.objects.get()
    assert not subscription.confirmed and subscription.place_codes == ["TJ-GB-RUSHON", "TJ-GB-VANJ"]
    mail = message_from_bytes(smtp.messages[0][2], policy=default_policy)
    assert mail["Subject"] == "Подтвердите подписку на предупреждения Hushdor"
    link = re.search(r"http://testserver(/subscriptions/confirm/[\w-]+/)", mail.get_content()).group(1)
    assert "Confirm" in client.get(link).content.decode()  # a GET (a link scanner) confirms nothing
    assert not Subscription.objects.get().confirmed
    done = client.post(link)
    assert 'id="confirmed"' in done.content.decode()
    assert Subscription.objects.get().confirmed
    assert "not valid" in client.post(link).content.decode()  # used once


def test_a_person_subscribes_by_sms_and_confirms_with_the_code(client, kannel, places, settings):  # noqa: F811
    settings.KANNEL_SENDSMS_URL, settings.KANNEL_USER, settings.KANNEL_PASSWORD = kannel.sendsms_url, "hushdor", "change-this-sendsms-password"
    response = client.post("/subscriptions/new", {"channel": "sms", "address": "+992 93 555 0042", "language": "tg",
                                                  "lat": "38.30", "lon": "72.30", "radius_km": "20"})
    assert response.status_code == 302
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not kannel.received():
        time.sleep(0.3)
    number, text = kannel.received()[0]
    assert number == "992935550042" and text.startswith("Hushdor: рамзи шумо ")
    code = text.rsplit(" ", 1)[1]
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert 'id="confirmed"' in client.post(response["Location"], {"code": code}).content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed and (subscription.lat, subscription.lon, subscription.radius_km) == (38.3, 72.3, 20.0)


def test_requests_are_rate_limited_and_bad_ones_named(client, smtp, places):  # noqa: F811
    bad = client.post("/subscriptions/new", {"channel": "email", "address": "not-mail", "districts": ["TJ-GB-RUSHON"]})
    assert bad.status_code == 400 and "address" in bad.content.decode()
    nowhere = client.post("/subscriptions/new", {"channel": "email", "address": "a@b.tj"})
    assert nowhere.status_code == 400 and "area" in nowhere.content.decode()
    for number in range(5):
        ok = client.post("/subscriptions/new", {"channel": "email", "address": f"p{number}@mail.tj", "districts": ["TJ-GB-RUSHON"]})
        assert ok.status_code == 200
    limited = client.post("/subscriptions/new", {"channel": "email", "address": "p9@mail.tj", "districts": ["TJ-GB-RUSHON"]})
    assert limited.status_code == 429 and "try again later" in limited.content.decode()
    assert Subscription.objects.count() == 5
