from django.contrib import admin
from django.urls import include, path

from hushdor.api.urls import api

urlpatterns = [
    path("", include("hushdor.web.urls")),
    path("dashboard/", include("hushdor.apps.monitoring.urls")),
    path("places/", include("hushdor.apps.places.urls")),
    path("alerts/", include("hushdor.apps.alerts.urls")),
    path("cap/", include("hushdor.apps.alerts.public_urls")),
    path("subscriptions/", include("hushdor.apps.dissemination.urls")),
    path("hydromet/", include("hushdor.apps.hydromet.urls")),
    path("operations/", include("hushdor.apps.operations.urls")),
    path("assistance/", include("hushdor.apps.assistance.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
