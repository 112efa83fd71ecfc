"""`hushdor subscribers import`: an institution's list in, all or nothing, each wrong row named."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from hushdor.apps.dissemination.models import Subscription

pytestmark = pytest.mark.django_db

GOOD = """name,channel,address,language,districts,lat,lon,radius_km,hazards,min_severity
School No. 17 Rushon,email,director@school17.tj,ru,TJ-GB-RUSHON,,,,mudflow;flood;earthquake,Moderate
Jamoat head Barchadiv,sms,+992 93 555 0001,tg,,38.30,72.30,15,,Severe
Khorog hospital,email,duty@khorog-hospital.tj,tg,TJ-GB-SHUGHNON,,,,,
"""


def test_a_good_list_is_imported_confirmed(tmp_path, capsys):
    path = tmp_path / "schools.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("subscribers", "import", str(path), "--dry-run")
    assert "3 subscriber(s) would be imported" in capsys.readouterr().out
    assert not Subscription.objects.exists()
    call_command("subscribers", "import", str(path))
    subscriptions = {s.address: s for s in Subscription.objects.select_related("subscriber")}
    assert len(subscriptions) == 3 and all(s.confirmed for s in subscriptions.values())
    school = subscriptions["director@school17.tj"]
    assert school.place_codes == ["TJ-GB-RUSHON"] and school.hazards == ["mudflow", "flood", "earthquake"]
    assert school.min_severity == "Moderate" and school.subscriber.language == "ru"
    phone = subscriptions["992935550001"]
    assert (phone.lat, phone.lon, phone.radius_km) == (38.30, 72.30, 15.0)


def test_one_wrong_row_imports_nothing_and_every_wrong_row_is_named(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        GOOD + "Nobody,email,not-an-address,ru,TJ-GB-RUSHON,,,,,\n"
        "Far away,sms,992935550009,tg,,91,72,10,,\n"
        "No area,email,x@y.tj,ru,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="3 row\\(s\\) are wrong: nothing was imported"):
        call_command("subscribers", "import", str(path))
    errors = capsys.readouterr().err
    assert "line 5: address" in errors and "line 6: point" in errors and "line 7: area" in errors
    assert not Subscription.objects.exists()


def test_a_file_that_is_not_a_subscriber_list_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("who,what\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header: missing name, channel, address"):
        call_command("subscribers", "import", str(path))
