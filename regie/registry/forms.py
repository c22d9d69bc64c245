from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.forms import (
    DateInput,
    StyledFormMixin,
    VersionedFormMixin,
    set_choices_queryset,
)
from regie.registry.models import (
    Affiliation,
    Function,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    Recognition,
    Region,
    Site,
)
from regie.registry.services import NewAffiliation
from regie.registry.validators import format_kbo, normalise_kbo

ARCHIVED_CHOICES = [
    ("active", _("Active")),
    ("archived", _("Archived")),
    ("all", _("All")),
]


class OrganisationFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )
    measure = forms.ModelChoiceField(
        label=_("Measure"),
        required=False,
        queryset=Measure.objects.all(),
        to_field_name="code",
        empty_label=_("All measures"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.all(),
        to_field_name="nis_code",
        empty_label=_("All municipalities"),
    )
    archived = forms.ChoiceField(
        label=_("Status"), required=False, choices=ARCHIVED_CHOICES, initial="active"
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        municipalities: QuerySet[Municipality] | None = None,
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            set_choices_queryset(self, "municipality", municipalities)

    # Any: the filters differ in type; the selector's keyword parameters take them.
    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "measure": data.get("measure"),
            "municipality": data.get("municipality"),
            "archived": data.get("archived") or "active",
            "sort": data.get("sort") or "name",
        }


class PersonFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )
    function = forms.ChoiceField(
        label=_("Function"), required=False, choices=[("", _("All functions")), *Function.choices]
    )
    archived = forms.ChoiceField(
        label=_("Status"), required=False, choices=ARCHIVED_CHOICES, initial="active"
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        organisations: QuerySet[Organisation],
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "organisation", organisations)

    # Any: the filters differ in type; the selector's keyword parameters take them.
    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "organisation": data.get("organisation"),
            "function": data.get("function") or "",
            "archived": data.get("archived") or "active",
            "sort": data.get("sort") or "name",
        }


class OrganisationForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Organisation]):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    kbo = forms.CharField(
        label=_("enterprise number"),
        max_length=20,
        required=False,
        help_text=_("KBO number, 10 digits, e.g. 0123.456.749."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kbo", "kind", "email", "phone", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        choose_region: bool = False,
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kbo and not self.is_bound:
            self.initial["kbo"] = format_kbo(self.instance.kbo)
        if choose_region:
            self.fields["region"].required = True
        else:
            del self.fields["region"]

    def clean_kbo(self) -> str:
        raw = self.cleaned_data.get("kbo", "")
        return normalise_kbo(raw) if raw else ""

    def _post_clean(self) -> None:
        """Model rules run in the service, against the stored row, not on the form's copy."""


class ContactForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Organisation]):
    """The inline edit of an organisation's contact data on its page."""

    class Meta:
        model = Organisation
        fields = ["email", "phone", "website"]

    def _post_clean(self) -> None:
        pass


class SiteForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Site]):
    class Meta:
        model = Site
        fields = [
            "name",
            "street",
            "postcode",
            "place",
            "municipality",
            "latitude",
            "longitude",
            "is_main",
            "is_archived",
        ]

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        municipalities: QuerySet[Municipality] | None = None,
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            set_choices_queryset(self, "municipality", municipalities)

    def _post_clean(self) -> None:
        pass


class RecognitionForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Recognition]):
    class Meta:
        model = Recognition
        fields = [
            "measure",
            "valid_from",
            "valid_until",
            "capacity",
            "capacity_unit",
            "status",
            "reference",
        ]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def _post_clean(self) -> None:
        pass


class PersonForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "phone"]

    def _post_clean(self) -> None:
        pass


class AffiliationForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Affiliation]):
    class Meta:
        model = Affiliation
        fields = ["organisation", "function", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        organisations: QuerySet[Organisation],
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "organisation", organisations)

    def _post_clean(self) -> None:
        pass


class NewPersonForm(PersonForm):
    """A new person with a first affiliation (a partner's colleague needs one to be visible)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    function = forms.ChoiceField(
        label=_("Function"), choices=[("", "—"), *Function.choices], required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        organisations: QuerySet[Organisation],
        require_affiliation: bool,
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "organisation", organisations)
        self.fields["organisation"].required = require_affiliation
        self.fields["function"].required = require_affiliation
        del self.fields["version"]

    # Any: Django's cleaned data, a value per field.
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("organisation")) != bool(data.get("function")):
            missing = "function" if data.get("organisation") else "organisation"
            self.add_error(missing, _("Give both the organisation and the function."))
        return data

    def person_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PersonForm.Meta.fields}

    def affiliation(self) -> NewAffiliation | None:
        if not self.cleaned_data.get("organisation"):
            return None
        return NewAffiliation(
            organisation=self.cleaned_data["organisation"],
            function=self.cleaned_data["function"],
            start=self.cleaned_data.get("start"),
        )
