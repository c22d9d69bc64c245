import datetime
from decimal import Decimal, InvalidOperation
from typing import TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from regie.core.forms import (
    DateInput,
    FormData,
    StyledFormMixin,
    VersionedFormMixin,
    set_choices_queryset,
)
from regie.network.models import Body, Meeting
from regie.plans.models import (
    Action,
    ActionStatus,
    BudgetLine,
    Expense,
    ExpenseStatus,
    Indicator,
)
from regie.registry.models import Organisation, Person, Pillar, Region


class MoneyField(forms.DecimalField):
    """An amount in euro as a Belgian types it: 1234,56 or 1.234,56 (or 1234.56), € allowed."""

    def __init__(
        self, *, label: StrOrPromise, required: bool = True, help_text: StrOrPromise = ""
    ) -> None:
        super().__init__(
            label=label,
            required=required,
            help_text=help_text,
            max_digits=12,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            localize=True,
        )

    def to_python(  # type: ignore[override]  # the stubs' IntegerField base returns an int
        self, value: object
    ) -> Decimal | None:
        if isinstance(value, str):
            text = value.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            if text in {"", "-"}:
                return super().to_python(text)
            try:
                Decimal(text)
            except InvalidOperation:
                raise ValidationError(
                    _("Enter an amount in euro, for example 1234,56."), code="invalid"
                ) from None
            value = text
        return super().to_python(value)


class BoardFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    pillar = forms.ModelChoiceField(
        label=_("Pillar"),
        required=False,
        queryset=Pillar.objects.none(),
        to_field_name="code",
        empty_label=_("All pillars"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ActionStatus.choices]
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )

    def __init__(
        self,
        data: FormData = None,
        *,
        pillars: QuerySet[Pillar],
        organisations: QuerySet[Organisation],
    ) -> None:
        super().__init__(data)
        set_choices_queryset(self, "pillar", pillars)
        set_choices_queryset(self, "organisation", organisations)

    def filters(self) -> "BoardFilters":
        """The filters as ``selectors.plan_board`` takes them."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "pillar": data.get("pillar"),
            "status": data.get("status") or "",
            "organisation": data.get("organisation"),
        }


class BoardFilters(TypedDict, total=False):
    q: str
    pillar: Pillar | None
    status: str
    organisation: Organisation | None


class ActionForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Action]):
    planned_budget = MoneyField(label=_("planned budget"), required=False)

    class Meta:
        model = Action
        fields = [
            "title",
            "pillar",
            "description",
            "year",
            "last_year",
            "start",
            "end",
            "owner",
            "partner_organisations",
            "bodies",
            "meetings",
            "project_reference",
            "planned_budget",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start": DateInput(),
            "end": DateInput(),
            "partner_organisations": forms.SelectMultiple(attrs={"size": 8}),
            "bodies": forms.SelectMultiple(attrs={"size": 5}),
            "meetings": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(
        self,
        data: FormData = None,
        *,
        region: Region,
        instance: Action | None = None,
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__(data, instance=instance, initial=initial)
        set_choices_queryset(self, "pillar", Pillar.objects.select_related("framework"))
        self.fields["last_year"].required = False
        set_choices_queryset(self, "owner", Person.objects.filter(region=region, is_archived=False))
        set_choices_queryset(
            self,
            "partner_organisations",
            Organisation.objects.filter(region=region, is_archived=False),
        )
        set_choices_queryset(self, "bodies", Body.objects.filter(region=region))
        set_choices_queryset(
            self,
            "meetings",
            Meeting.objects.filter(body__region=region).select_related("body").order_by("-start"),
        )
        for name in ("partner_organisations", "bodies", "meetings"):
            self.fields[name].help_text = _("Hold Ctrl (or Cmd) to choose several.")

    def clean_planned_budget(self) -> Decimal:
        amount: Decimal | None = self.cleaned_data.get("planned_budget")
        return amount or Decimal("0.00")

    def _post_clean(self) -> None:
        """Model rules run in the service, against the stored row, not on the form's copy."""


class StatusChangeForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    date = forms.DateField(label=_("Date of the change"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the action is postponed, put on hold or dropped."),
    )
    new_start = forms.DateField(
        label=_("New start"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when postponing: when the action starts again."),
    )
    new_end = forms.DateField(
        label=_("New end"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when postponing, if known."),
    )

    def __init__(self, data: FormData = None, *, action: Action) -> None:
        super().__init__(data)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            (value, label) for value, label in ActionStatus.choices if value != action.status
        ]
        self.fields["date"].initial = timezone.localdate()
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=action.version
        )

    def status_change(self) -> "StatusChangeInput":
        """The input as ``services.action_status_change`` takes it."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "status": data["status"],
            "reason": data["reason"],
            "on": data["date"],
            "new_start": data["new_start"],
            "new_end": data["new_end"],
        }


class StatusChangeInput(TypedDict):
    expected_version: int
    status: str
    reason: str
    on: datetime.date
    new_start: datetime.date | None
    new_end: datetime.date | None


class IndicatorForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "target", "actual"]
        widgets = {
            "target": forms.TextInput(attrs={"inputmode": "decimal"}),
            "actual": forms.TextInput(attrs={"inputmode": "decimal"}),
        }

    def __init__(self, data: FormData = None, *, instance: Indicator | None = None) -> None:
        super().__init__(data, instance=instance)
        for name in ("target", "actual"):
            self.fields[name].localize = True

    def _post_clean(self) -> None:
        pass


class GrantForm(StyledFormMixin, forms.Form):
    amount = MoneyField(
        label=_("Granted amount"),
        required=False,
        help_text=_(
            "2014–2022: leave empty to take the amount of the population rule. From 2023: the "
            "amount of the funder's decision."
        ),
    )
    funder = forms.CharField(label=_("Funder"), max_length=200)
    decision_reference = forms.CharField(
        label=_("Decision reference"), max_length=100, required=False
    )
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, data: FormData = None, *, initial: dict[str, object] | None = None, version: int = 1
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)

    def grant(self) -> "GrantInput":
        """The input as ``services.grant_set`` takes it."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "amount": data["amount"],
            "funder": data["funder"],
            "decision_reference": data["decision_reference"],
            "decision_date": data["decision_date"],
            "notes": data["notes"],
        }


class GrantInput(TypedDict):
    expected_version: int
    amount: Decimal | None
    funder: str
    decision_reference: str
    decision_date: datetime.date | None
    notes: str


class BudgetLineForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[BudgetLine]):
    amount = MoneyField(label=_("planned amount"))

    class Meta:
        model = BudgetLine
        fields = ["title", "action", "amount", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(
        self,
        data: FormData = None,
        *,
        instance: BudgetLine | None = None,
        actions: QuerySet[Action],
    ) -> None:
        super().__init__(data, instance=instance)
        set_choices_queryset(self, "action", actions)

    def _post_clean(self) -> None:
        pass


class ExpenseForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Expense]):
    amount = MoneyField(label=_("amount"))

    class Meta:
        model = Expense
        fields = [
            "date",
            "amount",
            "supplier",
            "description",
            "line",
            "action",
            "status",
            "document",
        ]
        widgets = {"date": DateInput()}

    def __init__(
        self,
        data: FormData = None,
        *,
        instance: Expense | None = None,
        lines: QuerySet[BudgetLine],
        actions: QuerySet[Action],
        year: int,
    ) -> None:
        super().__init__(data, instance=instance)
        set_choices_queryset(self, "line", lines)
        set_choices_queryset(self, "action", actions)
        if not self.instance.pk:
            today = timezone.localdate()
            self.fields["date"].initial = today if today.year == year else None
            self.fields["status"].initial = ExpenseStatus.PAID

    def _post_clean(self) -> None:
        pass


class CarryOverForm(StyledFormMixin, forms.Form):
    amount = MoneyField(label=_("Amount to carry over"))
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Pre-filled with the postponed and on-hold actions of the year and their reasons; "
            "change it as you see fit."
        ),
    )

    def __init__(
        self, data: FormData = None, *, initial: dict[str, object] | None = None, version: int = 1
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)

    def draft(self) -> "CarryOverDraft":
        """The input as ``services.carryover_save`` takes it."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "amount": data["amount"],
            "justification": data["justification"],
        }


class CarryOverDraft(TypedDict):
    expected_version: int
    amount: Decimal
    justification: str


class CarryOverSubmitForm(StyledFormMixin, forms.Form):
    submitted_on = forms.DateField(
        label=_("Submitted on"),
        widget=DateInput(),
        help_text=_("The date the letter went to the funder; the letter carries it."),
    )

    def __init__(self, data: FormData = None, *, version: int = 1, auto_id: str = "id_%s") -> None:
        super().__init__(data, auto_id=auto_id)
        self.fields["submitted_on"].initial = timezone.localdate()
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)

    def submission(self) -> "CarryOverSubmission":
        """The input as ``services.carryover_submit`` takes it."""
        return {
            "expected_version": self.cleaned_data["version"],
            "on": self.cleaned_data["submitted_on"],
        }


class CarryOverSubmission(TypedDict):
    expected_version: int
    on: datetime.date


class CarryOverDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—"), ("approved", _("Approved")), ("refused", _("Refused"))],
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=100)
    approved_amount = MoneyField(
        label=_("Approved amount"),
        required=False,
        help_text=_("Leave empty when the full requested amount was approved."),
    )

    def __init__(self, data: FormData = None, *, version: int = 1) -> None:
        super().__init__(data)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)

    def outcome(self) -> "CarryOverOutcome":
        """The input as ``services.carryover_decide`` takes it."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "approved": data["decision"] == "approved",
            "decision_date": data["decision_date"],
            "decision_reference": data["decision_reference"],
            "approved_amount": data["approved_amount"],
        }


class CarryOverOutcome(TypedDict):
    expected_version: int
    approved: bool
    decision_date: datetime.date
    decision_reference: str
    approved_amount: Decimal | None
