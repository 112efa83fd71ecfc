import pytest
from django.utils import timezone

from hushdor.apps.monitoring.selectors import sources_health
from hushdor.apps.monitoring.services.polling import PollingSettings, sources_poll_due
from hushdor.apps.monitoring.services.replay_run import replay_sources

pytestmark = pytest.mark.django_db


def test_replay_sources_are_never_polled_and_show_green():
    sources = replay_sources()
    assert all(not source.enabled for source in sources.values())
    sources_poll_due(now=timezone.now())
    for source in sources.values():
        source.refresh_from_db()
        assert source.consecutive_failures == 0 and not source.last_error
    health = {item.name: item for item in sources_health(now=timezone.now(), settings=PollingSettings())}
    for source in sources.values():
        assert health[source.name].status == "green", health[source.name].reason
        assert "replay" in health[source.name].reason
