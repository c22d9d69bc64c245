from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.clients.models import (
    Client,
    ClientStatus,
    Condition,
    Contact,
    Device,
    LegalBasis,
    Loan,
    Referral,
    SkillsSession,
    Step,
    SupportCategory,
    SupportLevel,
)
from regie.core.forms import DateInput, StyledFormMixin, VersionedFormMixin
from regie.registry.models import Measure, Municipality, Organisation


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


NATIONAL_NUMBER_WIDGET = forms.TextInput(
    attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
)


class NoModelCleanMixin:
    """Model rules run in the service, against the stored row, not on the form's copy."""

    def _post_clean(self) -> None:
        pass


class ClientFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or client code."))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ClientStatus.choices[:-1]],
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        to_field_name="nis_code",
        empty_label=_("All municipalities"),
    )
    measure = forms.ModelChoiceField(
        label=_("Current measure"),
        required=False,
        queryset=Measure.objects.exclude(code="REG"),
        to_field_name="code",
        empty_label=_("All measures"),
    )
    mine = forms.BooleanField(label=_("Only the clients I follow"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipalities: Any, can_follow: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        if not can_follow:
            del self.fields["mine"]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "municipality": data.get("municipality"),
            "measure": data.get("measure"),
            "mine": bool(data.get("mine")),
            "sort": data.get("sort") or "name",
        }


class ClientForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "street",
            "postcode",
            "place",
            "municipality",
            "phone",
            "email",
            "language",
            "vdab_reference",
            "organisation",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(
        self, *args: Any, municipalities: Any, organisations: Any | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["language"].required = True
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class NewClientForm(ClientForm):
    national_number = forms.CharField(
        label=_("National number (INSZ) or BIS number"),
        required=False,
        max_length=20,
        widget=NATIONAL_NUMBER_WIDGET,
        help_text=_(
            "Only when the organisation has a recorded legal basis for it. Stored encrypted and "
            "shown masked."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class NationalNumberForm(StyledFormMixin, forms.Form):
    national_number = forms.CharField(
        label=_("National number (INSZ) or BIS number"),
        max_length=20,
        widget=NATIONAL_NUMBER_WIDGET,
        help_text=_("11 digits; dots, dashes and spaces are allowed."),
    )


class RevealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full number?"),
        max_length=300,
        help_text=_("Written to the access log with your name."),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the client's request of 1 March 2021. Do not repeat personal data."),
    )
    confirm = forms.CharField(
        label=_("Type the client code to confirm"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code = code

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().upper()
        if value != self.code:
            raise forms.ValidationError(_("This is not the code of this client."))
        return value


class CounsellorForm(StyledFormMixin, forms.Form):
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=Organisation.objects.none())
    start = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args: Any, counsellors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors  # type: ignore[attr-defined]


class SupportNeedForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=SupportCategory.choices,
        help_text=_("A category of support, never a diagnosis or medical detail."),
    )
    level = forms.ChoiceField(
        label=_("Support level"), choices=[("", "—"), *SupportLevel.choices], required=False
    )


class LegalBasisForm(StyledFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = ["purpose", "ground", "reference"]


class OrganisationLegalBasisForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    reference = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("The legal provision or authorisation that allows this processing."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ReferralForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = Referral
        fields = [
            "referring_organisation",
            "referring_person",
            "target_organisation",
            "measure",
            "referred_on",
            "status",
            "reason",
        ]
        widgets = {"referred_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("referring_organisation", "target_organisation"):
            self.fields[name].queryset = organisations  # type: ignore[attr-defined]
        self.fields["referring_person"].queryset = people  # type: ignore[attr-defined]


class StepForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = Step
        fields = [
            "measure",
            "organisation",
            "start",
            "planned_end",
            "hours_per_week",
            "support_level",
            "end",
            "end_reason",
            "exception_reason",
        ]
        widgets = {
            "start": DateInput(),
            "planned_end": DateInput(),
            "end": DateInput(),
            "exception_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["measure"].queryset = Measure.objects.exclude(code="REG")  # type: ignore[attr-defined]


class ContactForm(StyledFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["kind", "on", "note", "wellbeing_flag"]
        widgets = {"on": DateInput(), "note": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}


class LoanForm(StyledFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = Loan
        fields = ["device", "start", "due", "condition_out", "accessories"]
        widgets = {"start": DateInput(), "due": DateInput()}

    def __init__(self, *args: Any, devices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = devices  # type: ignore[attr-defined]


class LoanReturnForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput())
    condition_returned = forms.ChoiceField(
        label=_("Condition when returned"), choices=Condition.choices
    )


class DeviceForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = Device
        fields = ["organisation", "kind", "label", "serial_number", "status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class SessionForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm):
    class Meta:
        model = SkillsSession
        fields = ["title", "organisation", "starts_at", "duration_minutes", "place", "capacity"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M"]  # type: ignore[attr-defined]


class EnrolForm(StyledFormMixin, forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        self.fields["client"].label_from_instance = lambda c: f"{c.full_name} ({c.code})"  # type: ignore[attr-defined]


class ProgressionForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]  # type: ignore[attr-defined]
