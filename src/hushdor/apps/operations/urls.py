from django.urls import path

from hushdor.apps.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.incident_list, name="incidents"),
    path("<int:incident_id>/", views.incident_board, name="incident"),
    path("<int:incident_id>/log", views.log_write, name="log-write"),
    path("<int:incident_id>/status", views.status_set, name="status"),
    path("<int:incident_id>/damage", views.damage_report, name="damage"),
    path("<int:incident_id>/map.png", views.incident_map, name="map"),
    path("<int:incident_id>/sitreps/new", views.sitrep_new, name="sitrep-new"),
    path("sitreps/<int:sitrep_id>/", views.sitrep_page, name="sitrep"),
    path("<int:incident_id>/tasks/new", views.task_new, name="task-new"),
    path("tasks/<int:task_id>/status", views.task_status, name="task-status"),
    path("<int:incident_id>/teams", views.team_deploy, name="team-deploy"),
    path("contacts/", views.contacts, name="contacts"),
    path("sitreps/<int:sitrep_id>.<str:kind>", views.sitrep_file, name="sitrep-file"),
]
