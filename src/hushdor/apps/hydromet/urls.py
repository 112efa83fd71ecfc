from django.urls import path

from hushdor.apps.hydromet import views

app_name = "hydromet"
urlpatterns = [
    path("push", views.push, name="push"),
    path("", views.stations, name="stations"),
    path("alarms/", views.alarms, name="alarms"),
    path("alarms/<int:alarm_id>/decide", views.alarm_decide, name="alarm-decide"),
    path("sarez/", views.sarez, name="sarez"),
    path("avalanche-level", views.avalanche_level, name="avalanche-level"),
    path("stations/<str:code>/", views.station, name="station"),
    path("stations/<str:code>/<str:variable>.png", views.station_plot, name="station-plot"),
]
