"""Forms of events: the public registration form, the organiser's settings and the door."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.core.forms import StyledFormMixin, VersionedFormMixin
from regie.events.models import Event, StakeholderType
from regie.events.services import NO_EVENT_VERSION
from regie.network.models import Meeting


class RegistrationForm(StyledFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The confirmation, with a link to cancel, is sent to this address."),
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    stakeholder_type = forms.ChoiceField(
        label=_("You are"), choices=[("", "—"), *StakeholderType.choices]
    )
    # A field people never see: a bot that fills in every field gives itself away.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(_("Your registration could not be processed."))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        return data


class RegistrationSettingsForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    registration_open = forms.BooleanField(label=_("Open public registration"), required=False)
    capacity = forms.IntegerField(
        label=_("Number of seats"),
        required=False,
        min_value=1,
        help_text=_(
            "Leave empty for no limit. Once the seats are taken, new registrations go to the "
            "waiting list."
        ),
    )
    registration_closes = forms.DateTimeField(
        label=_("Registration closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to keep registration open until the event starts."),
    )
    public_description = forms.CharField(
        label=_("Description for participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on the public registration page."),
    )

    def __init__(self, *args: Any, meeting: Meeting, event: Event | None, **kwargs: Any) -> None:
        # A meeting that is no event yet edits settings nobody saved: version NO_EVENT_VERSION.
        self.instance = event or Event(meeting=meeting, version=NO_EVENT_VERSION)
        kwargs.setdefault(
            "initial",
            {
                "registration_open": self.instance.registration_open,
                "capacity": self.instance.capacity,
                "registration_closes": self.instance.registration_closes,
                "public_description": self.instance.public_description,
            },
        )
        super().__init__(*args, **kwargs)


class CheckinSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False)


class CheckinCodeForm(StyledFormMixin, forms.Form):
    """What a QR scanner types (it acts as a keyboard), or a code typed by hand."""

    code = forms.CharField(
        label=_("Check-in code"),
        max_length=500,
        help_text=_("Scan the QR code of the confirmation: the scanner fills in this field."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        )


class WalkInForm(StyledFormMixin, forms.Form):
    """Someone who comes without registration, registered by the organiser at the door."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type"),
        choices=StakeholderType.choices,
        initial=StakeholderType.OTHER,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="walk_in", **kwargs)
