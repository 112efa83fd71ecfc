from django.urls import include, path

urlpatterns = [
    path("", include("hushdor.web.urls")),
]
