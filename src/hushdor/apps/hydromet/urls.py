from django.urls import path

from hushdor.apps.hydromet import views

app_name = "hydromet"
urlpatterns = [path("push", views.push, name="push")]
