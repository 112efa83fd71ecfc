from django.urls import path

from hushdor.web import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
