"""Tasks with dependencies and stale-edit protection, teams deployed and released, contacts; pages."""

from __future__ import annotations

import pytest

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.operations import tasks
from hushdor.apps.operations.models import Task, Team
from hushdor.apps.operations.services import OperationsError, incident_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    officer, _ = operator_create(username="lola", password="correct-horse-battery", roles=["editor"])
    viewer, _ = operator_create(username="vera", password="correct-horse-battery", roles=["viewer"])
    return officer, viewer, incident_open(title="Earthquake M7.2, Sarez", hazard="earthquake")


def test_a_task_cannot_start_before_what_it_waits_for_and_loops_are_refused(setup):
    officer, viewer, incident = setup
    road = tasks.task_create(actor=officer, incident=incident, title="Clear the Bartang road", assignee="CoES engineers", priority=1)
    convoy = tasks.task_create(actor=officer, incident=incident, title="Convoy of tents to Rushon", assignee="Red Crescent", depends_on=[road])
    with pytest.raises(OperationsError, match=r"waits for: .*Clear the Bartang road"):
        tasks.task_set_status(actor=officer, task=convoy, status="in_progress", version=convoy.version)
    with pytest.raises(OperationsError, match="close a loop"):
        tasks.task_depend(actor=officer, task=road, on=convoy)
    tasks.task_set_status(actor=officer, task=road, status="done", version=1)
    convoy = tasks.task_set_status(actor=officer, task=convoy, status="in_progress", version=1)
    assert convoy.status == "in_progress" and convoy.version == 2
    with pytest.raises(OperationsError, match="changed by someone else"):
        tasks.task_set_status(actor=officer, task=convoy, status="done", version=1)  # a stale page
    with pytest.raises(OperationsError, match="editor"):
        tasks.task_create(actor=viewer, incident=incident, title="x", assignee="y")
    assert incident.log.filter(source="tasks").count() == 4


def test_a_team_serves_one_incident_at_a_time(setup):
    officer, _, incident = setup
    other = incident_open(title="Mudflow, Varzob", hazard="mudflow")
    team = Team.objects.create(name="CoES rescue detachment Khorog", organisation="CoES", capabilities="USAR light", size=24)
    tasks.team_deploy(actor=officer, team=team, incident=incident)
    with pytest.raises(OperationsError, match="release it first"):
        tasks.team_deploy(actor=officer, team=team, incident=other)
    tasks.team_deploy(actor=officer, team=team, incident=None)
    team.refresh_from_db()
    assert team.readiness == "ready" and team.deployed_to is None
    assert [e.text for e in incident.log.filter(source="teams")] == [
        "Team deployed: CoES rescue detachment Khorog (USAR light)", "Team released: CoES rescue detachment Khorog"]


def test_the_pages_show_tasks_teams_and_contacts(setup, client):
    _officer, _, incident = setup
    Team.objects.create(name="Medical team Dushanbe", organisation="Ministry of Health", capabilities="EMT type 1", size=12)
    client.login(username="lola", password="correct-horse-battery")
    client.post(f"/operations/{incident.pk}/tasks/new", {"title": "Open shelters in Rushon", "assignee": "Hukumat", "priority": "2"})
    task = Task.objects.get()
    page = client.get(f"/operations/{incident.pk}/").content.decode()
    assert "Open shelters in Rushon" in page and 'id="task-form"' in page and "Medical team Dushanbe" in page
    client.post(f"/operations/tasks/{task.pk}/status", {"status": "done", "version": "1"})
    assert Task.objects.get().status == "done"
    team = Team.objects.get()
    client.post(f"/operations/{incident.pk}/teams", {"team": team.pk})
    assert Team.objects.get().deployed_to == incident
    response = client.post("/operations/contacts/", {"organisation": "CoES Rushon", "role": "duty officer", "phone": "+992 35 222 0000"})
    assert response.status_code == 302
    contacts = client.get("/operations/contacts/").content.decode()
    assert "CoES Rushon" in contacts and "Medical team Dushanbe" in contacts
    bad = client.post("/operations/contacts/", {"organisation": "Nobody"})
    assert bad.status_code == 302 and "CoES Rushon" in client.get("/operations/contacts/").content.decode()
