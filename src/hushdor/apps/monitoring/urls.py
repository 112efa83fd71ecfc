from django.urls import path

from hushdor.apps.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("events/fragment/", views.events_fragment, name="events-fragment"),
    path("events/<int:event_id>/", views.event_page, name="event"),
    path("events/<int:event_id>/shakemap.png", views.event_shakemap, name="event-shakemap"),
]
