from django.urls import path

from hushdor.apps.places import views

app_name = "places"

urlpatterns = [
    path("regions.geojson", views.regions, name="regions"),
    path("districts.geojson", views.districts, name="districts"),
    path("settlements.geojson", views.settlements, name="settlements"),
    path("layers/<slug:name>.geojson", views.layer, name="layer"),
    path("population.png", views.population_density, name="population-density"),
]
