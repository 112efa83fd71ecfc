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
