import pytest

from hushdor.apps.accounts.services import operator_create


@pytest.fixture
def operator(db):
    user, _password = operator_create(username="operator", password="a-long-pass-phrase", roles=["editor"])
    return user


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture(autouse=True, scope="session")
def static_root_exists():
    """WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT is missing; CI has no collectstatic."""
    from pathlib import Path

    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
