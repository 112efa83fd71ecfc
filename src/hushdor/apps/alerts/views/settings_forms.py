"""Forms of the operator screens for sources, templates, policies and tokens. They check and label
input; the services do every write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hushdor.apps.alerts.models import Hazard, PolicyMode, Template
from hushdor.apps.alerts.models.cap_labels import cap_choices
from hushdor.apps.alerts.services.catalogue import MAX_APPROVERS, TEMPLATE_FIELDS
from hushdor.apps.alerts.services.ingest_admin import MIN_POLL_INTERVAL_S, FeedSourceFields
from hushdor.cap.model import Severity


class FeedSourceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("Who publishes this feed, e.g. Kazhydromet")
    )
    url = forms.URLField(
        label=_("Feed address (URL)"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("An Atom or RSS index of CAP alerts, or one CAP document"),
    )
    enabled = forms.BooleanField(label=_("Poll this feed"), required=False, initial=True)
    poll_interval_s = forms.IntegerField(
        label=_("Poll every (seconds)"), min_value=MIN_POLL_INTERVAL_S, max_value=86400, initial=300
    )

    def fields_for_service(self) -> FeedSourceFields:
        data = self.cleaned_data
        return FeedSourceFields(
            name=data["name"],
            url=data["url"],
            enabled=data["enabled"],
            poll_interval_s=data["poll_interval_s"],
        )


class TemplateForm(forms.ModelForm):
    """Labels and field checks come from the model; :func:`template_save` writes."""

    class Meta:
        model = Template
        fields = list(TEMPLATE_FIELDS)
        widgets = {
            f"{part}_{lang}": forms.Textarea(attrs={"rows": 4})
            for part in ("description", "instruction")
            for lang in ("tg", "ru", "en")
        }

    def validate_unique(self) -> None:
        """The service reports a duplicate name in the operator's words."""


class PolicyForm(forms.Form):
    hazard = forms.ChoiceField(label=_("Hazard"), choices=Hazard.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=cap_choices(Severity))
    mode = forms.ChoiceField(label=_("How alerts are issued"), choices=PolicyMode.choices)
    approvers_required = forms.IntegerField(
        label=_("Approvers required"), min_value=1, max_value=MAX_APPROVERS
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. the siren controller")
    )
    user = forms.ModelChoiceField(
        label=_("Acts as"),
        queryset=get_user_model().objects.none(),
        help_text=_("The token has this person's roles"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["user"].queryset = users
