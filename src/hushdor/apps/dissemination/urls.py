from django.urls import path

from hushdor.apps.dissemination import views

app_name = "dissemination"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("new", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("dlr/<int:delivery_id>/<str:token>/", views.delivery_report, name="dlr"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:alert_id>/", views.alert_deliveries, name="alert-deliveries"),
    path("deliveries/<int:alert_id>.json", views.alert_deliveries_json, name="alert-deliveries-json"),
    path("deliveries/<int:alert_id>/retry-dead", views.retry_dead, name="retry-dead"),
]
