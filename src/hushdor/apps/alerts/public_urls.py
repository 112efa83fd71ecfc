from django.urls import path

from hushdor.apps.alerts import public_views

app_name = "cap"

urlpatterns = [
    path("", public_views.public_page, name="public"),
    path("feed.atom", public_views.feed_atom, name="feed-atom"),
    path("feed.rss", public_views.feed_rss, name="feed-rss"),
    path("alerts.geojson", public_views.alerts_geojson, name="geojson"),
    path("basemap/<str:name>.geojson", public_views.basemap_geojson, name="basemap"),
    path("<str:identifier>.xml", public_views.alert_xml, name="alert-xml"),
]
