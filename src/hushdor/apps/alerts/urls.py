from django.urls import path

from hushdor.apps.alerts.views import pages, preview

app_name = "alerts"

urlpatterns = [
    path("", pages.alert_list, name="list"),
    path("new/", pages.alert_compose, name="compose"),
    path("preview/", preview.preview, name="preview"),
    path("<int:alert_id>/", pages.alert_detail, name="detail"),
    path("<int:alert_id>/edit/", pages.alert_compose, name="edit"),
    path("<int:alert_id>/<slug:action>/", pages.alert_action, name="action"),
]
