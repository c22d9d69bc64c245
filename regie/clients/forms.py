from typing import TypedDict

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import User
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
from regie.core.forms import (
    DateInput,
    FormData,
    StyledFormMixin,
    VersionedFormMixin,
    set_choices_queryset,
)
from regie.registry.models import Measure, Municipality, Organisation, Person


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, object] | None = None) -> None:
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

    def __init__(
        self, data: FormData = None, *, municipalities: QuerySet[Municipality], can_follow: bool
    ) -> None:
        super().__init__(data)
        set_choices_queryset(self, "municipality", municipalities)
        if not can_follow:
            del self.fields["mine"]

    def filters(self) -> "ClientFilters":
        """The filters as ``selectors.client_list`` takes them."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "municipality": data.get("municipality"),
            "measure": data.get("measure"),
            "mine": bool(data.get("mine")),
            "sort": data.get("sort") or "name",
        }


class ClientFilters(TypedDict):
    q: str
    status: str
    municipality: Municipality | None
    measure: Measure | None
    mine: bool
    sort: str


class ClientForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm[Client]):
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
        self,
        data: FormData = None,
        *,
        instance: Client | None = None,
        municipalities: QuerySet[Municipality],
        organisations: QuerySet[Organisation] | None,
    ) -> None:
        """``organisations``: the ones the file may move to; None keeps it where it is."""
        super().__init__(data, instance=instance)
        set_choices_queryset(self, "municipality", municipalities)
        self.fields["language"].required = True
        if organisations is None:
            del self.fields["organisation"]
        else:
            set_choices_queryset(self, "organisation", organisations)


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

    def __init__(
        self,
        data: FormData = None,
        *,
        municipalities: QuerySet[Municipality],
        organisations: QuerySet[Organisation] | None,
    ) -> None:
        super().__init__(data, municipalities=municipalities, organisations=organisations)
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

    def __init__(self, data: FormData = None, *, code: str) -> None:
        super().__init__(data)
        self.code = code

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"].strip().upper()
        if value != self.code:
            raise forms.ValidationError(_("This is not the code of this client."))
        return value


class CounsellorForm(StyledFormMixin, forms.Form):
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=Organisation.objects.none())
    start = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(
        self,
        data: FormData = None,
        *,
        counsellors: QuerySet[User],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        set_choices_queryset(self, "counsellor", counsellors)


class SupportNeedForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=SupportCategory.choices,
        help_text=_("A category of support, never a diagnosis or medical detail."),
    )
    level = forms.ChoiceField(
        label=_("Support level"), choices=[("", "—"), *SupportLevel.choices], required=False
    )


class LegalBasisForm(StyledFormMixin, NoModelCleanMixin, forms.ModelForm[LegalBasis]):
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

    def __init__(
        self,
        data: FormData = None,
        *,
        organisations: QuerySet[Organisation],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        set_choices_queryset(self, "organisation", organisations)


class ReferralForm(
    StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm[Referral]
):
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

    def __init__(
        self,
        data: FormData = None,
        *,
        instance: Referral | None = None,
        organisations: QuerySet[Organisation],
        people: QuerySet[Person],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, instance=instance, initial=initial)
        for name in ("referring_organisation", "target_organisation"):
            set_choices_queryset(self, name, organisations)
        set_choices_queryset(self, "referring_person", people)


class StepForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm[Step]):
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

    def __init__(
        self,
        data: FormData = None,
        *,
        instance: Step | None = None,
        organisations: QuerySet[Organisation],
    ) -> None:
        super().__init__(data, instance=instance)
        set_choices_queryset(self, "organisation", organisations)
        set_choices_queryset(self, "measure", Measure.objects.exclude(code="REG"))


class ContactForm(StyledFormMixin, NoModelCleanMixin, forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = ["kind", "on", "note", "wellbeing_flag"]
        widgets = {"on": DateInput(), "note": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}


class LoanForm(StyledFormMixin, NoModelCleanMixin, forms.ModelForm[Loan]):
    class Meta:
        model = Loan
        fields = ["device", "start", "due", "condition_out", "accessories"]
        widgets = {"start": DateInput(), "due": DateInput()}

    def __init__(
        self,
        data: FormData = None,
        *,
        devices: QuerySet[Device],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        set_choices_queryset(self, "device", devices)


class LoanReturnForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput())
    condition_returned = forms.ChoiceField(
        label=_("Condition when returned"), choices=Condition.choices
    )


class DeviceForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm[Device]):
    class Meta:
        model = Device
        fields = ["organisation", "kind", "label", "serial_number", "status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(
        self,
        data: FormData = None,
        *,
        instance: Device | None = None,
        organisations: QuerySet[Organisation],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, instance=instance, initial=initial)
        set_choices_queryset(self, "organisation", organisations)


class SessionForm(
    StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm[SkillsSession]
):
    class Meta:
        model = SkillsSession
        fields = ["title", "organisation", "starts_at", "duration_minutes", "place", "capacity"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(
        self,
        data: FormData = None,
        *,
        instance: SkillsSession | None = None,
        organisations: QuerySet[Organisation],
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, instance=instance, initial=initial)
        set_choices_queryset(self, "organisation", organisations)
        starts_at = self.fields["starts_at"]
        assert isinstance(starts_at, forms.DateTimeField)
        starts_at.input_formats = ["%Y-%m-%dT%H:%M"]


class ClientChoiceField(forms.ModelChoiceField[Client]):
    """A client by name and code."""

    def label_from_instance(self, obj: Client) -> str:
        return f"{obj.full_name} ({obj.code})"


class EnrolForm(StyledFormMixin, forms.Form):
    client = ClientChoiceField(label=_("Client"), queryset=Client.objects.none())

    def __init__(self, data: FormData = None, *, clients: QuerySet[Client]) -> None:
        super().__init__(data)
        set_choices_queryset(self, "client", clients)


class ProgressionForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, data: FormData = None, *, years: list[int]) -> None:
        super().__init__(data)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [(y, y) for y in years]
