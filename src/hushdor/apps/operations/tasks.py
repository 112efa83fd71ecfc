"""Tasks, teams and contacts of the operations centre: every write, each logged in the incident.

A task names who does it, its priority and due time, and the tasks it waits for; it cannot be started
or finished while one of those is not done, and a dependency that would close a loop is refused.
Edits name the version they saw (a stale edit is refused, never overwriting another officer's).
A team is deployed to one incident at a time; deploying and releasing it are logbook entries.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hushdor.apps.accounts.roles import EDITOR, has_role
from hushdor.apps.operations.models import (
    Contact,
    Incident,
    IncidentStatus,
    Readiness,
    Task,
    TaskPriority,
    TaskStatus,
    Team,
)
from hushdor.apps.operations.services import OperationsError, logbook_write


def _editor(actor, what: str) -> None:
    if not has_role(actor, EDITOR):
        raise OperationsError(f"{what} needs the editor role")


@transaction.atomic
def task_create(
    *, actor, incident: Incident, title: str, assignee: str, priority: int = TaskPriority.NORMAL,
    due: datetime | None = None, depends_on: list[Task] | None = None,
) -> Task:
    _editor(actor, "creating a task")
    if incident.status == IncidentStatus.CLOSED:
        raise OperationsError("the incident is closed")
    if not title.strip() or not assignee.strip():
        raise OperationsError("a task needs a title and who does it")
    if priority not in TaskPriority.values:
        raise OperationsError(f"priority {priority!r} is not one of {TaskPriority.values}")
    others = list(depends_on or [])
    if any(other.incident_id != incident.pk for other in others):
        raise OperationsError("a task can only wait for tasks of the same incident")
    task = Task.objects.create(
        incident=incident, title=title.strip()[:300], assignee=assignee.strip()[:200], priority=priority, due=due,
        created_by=actor,
    )
    task.depends_on.set(others)
    logbook_write(incident=incident, author=actor, source="tasks",
                  text=f"Task {task.pk} for {task.assignee}: {task.title}" + (f" (due {due:%d %H:%M})" if due else ""))
    return task


def _waits_for(task: Task) -> set[int]:
    """Every task ``task`` waits for, directly or through others."""
    seen: set[int] = set()
    frontier = set(task.depends_on.values_list("pk", flat=True))
    while frontier:
        seen |= frontier
        frontier = set(Task.objects.filter(pk__in=frontier).values_list("depends_on", flat=True)) - seen - {None}
    return seen


@transaction.atomic
def task_depend(*, actor, task: Task, on: Task) -> Task:
    _editor(actor, "changing a task")
    if on.incident_id != task.incident_id:
        raise OperationsError("a task can only wait for tasks of the same incident")
    if on.pk == task.pk or task.pk in _waits_for(on):
        raise OperationsError(f"task {task.pk} waiting for task {on.pk} would close a loop")
    task.depends_on.add(on)
    return task


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, version: int) -> Task:
    _editor(actor, "changing a task")
    if status not in TaskStatus.values:
        raise OperationsError(f"unknown status {status!r}")
    if status in (TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        waiting = task.depends_on.exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        if waiting.exists():
            names = ", ".join(f"{t.pk} {t.title}" for t in waiting[:5])
            raise OperationsError(f"task {task.pk} waits for: {names}")
    if not Task.objects.filter(pk=task.pk, version=version).update(status=status, version=F("version") + 1):
        raise OperationsError(f"task {task.pk} was changed by someone else since you opened it; reload")
    task.refresh_from_db()
    logbook_write(incident=task.incident, author=actor, source="tasks",
                  text=f"Task {task.pk} ({task.title}): {task.get_status_display()}")
    return task


@transaction.atomic
def team_deploy(*, actor, team: Team, incident: Incident | None) -> Team:
    """Deploy a team to an incident (``None``: release it back to ready)."""
    _editor(actor, "deploying a team")
    team = Team.objects.select_for_update().get(pk=team.pk)
    if incident is not None:
        if team.readiness == Readiness.UNAVAILABLE:
            raise OperationsError(f"{team.name} is unavailable")
        if team.deployed_to_id and team.deployed_to_id != incident.pk:
            raise OperationsError(f"{team.name} is deployed to incident {team.deployed_to_id}; release it first")
        team.readiness, team.deployed_to, team.deployed_at = Readiness.DEPLOYED, incident, timezone.now()
        team.save(update_fields=["readiness", "deployed_to", "deployed_at"])
        logbook_write(incident=incident, author=actor, source="teams", text=f"Team deployed: {team.name} ({team.capabilities})")
        return team
    previous = team.deployed_to
    team.readiness, team.deployed_to, team.deployed_at = Readiness.READY, None, None
    team.save(update_fields=["readiness", "deployed_to", "deployed_at"])
    if previous is not None and previous.status != IncidentStatus.CLOSED:
        logbook_write(incident=previous, author=actor, source="teams", text=f"Team released: {team.name}")
    return team


def contact_save(*, actor, organisation: str, role: str = "", name: str = "", phone: str = "", radio: str = "",
                 email: str = "", district_code: str = "") -> Contact:
    _editor(actor, "adding a contact")
    if not organisation.strip() or not (phone.strip() or radio.strip() or email.strip()):
        raise OperationsError("a contact needs an organisation and a phone, radio or e-mail")
    return Contact.objects.create(
        organisation=organisation.strip()[:200], role=role.strip()[:200], name=name.strip()[:200],
        phone=phone.strip()[:64], radio=radio.strip()[:64], email=email.strip()[:254], district_code=district_code[:32],
    )
