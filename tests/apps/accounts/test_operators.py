import pytest
from django.core.management import CommandError, call_command

from hushdor.apps.accounts.roles import has_role, roles_of
from hushdor.apps.accounts.services import AccountError, operator_create

pytestmark = pytest.mark.django_db


def test_operator_gets_roles_and_implied_roles():
    user, password = operator_create(username="nodira", roles=["approver"])
    assert len(password) >= 12
    assert user.check_password(password)
    assert roles_of(user) == {"viewer", "editor", "approver"}
    assert not has_role(user, "admin")


def test_existing_operator_is_refused_unless_replaced():
    operator_create(username="farhod", roles=["editor"])
    with pytest.raises(AccountError, match="already exists"):
        operator_create(username="farhod", roles=["editor"])
    user, password = operator_create(username="farhod", roles=["viewer"], replace=True)
    assert user.check_password(password)
    assert roles_of(user) == {"viewer"}


def test_unknown_role_is_named():
    with pytest.raises(AccountError, match="superhero"):
        operator_create(username="x", roles=["superhero"])


def test_createoperator_demo_prints_the_password_once(capsys):
    call_command("createoperator", "--demo")
    out = capsys.readouterr().out
    assert out.startswith("operator: operator  password: ")
    password = out.split("password: ")[1].split()[0]
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="operator").check_password(password)


def test_createoperator_without_name_is_a_usage_error():
    with pytest.raises(CommandError) as excinfo:
        call_command("createoperator")
    assert excinfo.value.returncode == 2
