from django.urls import path

from hushdor.apps.alerts.views import pages, preview, received, settings_pages

app_name = "alerts"

urlpatterns = [
    path("", pages.alert_list, name="list"),
    path("new/", pages.alert_compose, name="compose"),
    path("preview/", preview.preview, name="preview"),
    path("quarantine/", received.quarantine_list, name="quarantine"),
    path("quarantine/<int:quarantined_id>/", received.quarantine_detail, name="quarantine-detail"),
    path(
        "quarantine/<int:quarantined_id>/<slug:action>/",
        received.quarantine_action,
        name="quarantine-action",
    ),
    path("received/", received.external_list, name="external"),
    path("received/<int:external_id>/", received.external_detail, name="external-detail"),
    path("sources/", settings_pages.feed_sources, name="sources"),
    path("sources/new/", settings_pages.feed_source_form, name="source-new"),
    path("sources/<int:source_id>/", settings_pages.feed_source_form, name="source-edit"),
    path("templates/", settings_pages.templates_list, name="templates"),
    path("templates/new/", settings_pages.template_form, name="template-new"),
    path("templates/<int:template_id>/", settings_pages.template_form, name="template-edit"),
    path("policies/", settings_pages.policies, name="policies"),
    path("policies/set/", settings_pages.policy_change, name="policy-set"),
    path("tokens/", settings_pages.api_tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", settings_pages.api_token_revoke_view, name="token-revoke"),
    path("<int:alert_id>/", pages.alert_detail, name="detail"),
    path("<int:alert_id>/edit/", pages.alert_compose, name="edit"),
    path("<int:alert_id>/<slug:action>/", pages.alert_action, name="action"),
]
