from django.urls import path

from hushdor.apps.dissemination import views

app_name = "dissemination"
urlpatterns = [path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe")]
