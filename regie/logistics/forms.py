"""Forms of the logistics pages. Rules that span rows live in the services; a form checks what
one submission can get wrong on its own (a window that ends before it starts)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.clients.models import Client
from regie.core.forms import (
    DateInput,
    StyledFormMixin,
    VersionedFormMixin,
    set_choices_queryset,
)
from regie.logistics.models import (
    HomeWorkAssignment,
    Order,
    OrderWindow,
    Outcome,
    Van,
    Weekday,
)
from regie.logistics.services import MAX_SECONDS, MIN_SECONDS, NewWindow
from regie.registry.models import Organisation, Person, Site

WINDOW_ROWS = 3


class TimeInput(forms.TimeInput):
    input_type = "time"

    # Any: an HTML attribute's value (text, a number, true for a bare attribute), as Django's.
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class NoModelCleanMixin:
    """Model rules run in the service, against the stored row, not on the form's copy."""

    def _post_clean(self) -> None:
        pass


class AssignmentForm(
    StyledFormMixin,
    VersionedFormMixin,
    NoModelCleanMixin,
    forms.ModelForm[HomeWorkAssignment],
):
    class Meta:
        model = HomeWorkAssignment
        fields = [
            "client",
            "organisation",
            "site",
            "kind_of_work",
            "material_kits",
            "service_minutes",
            "is_active",
        ]

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        clients: QuerySet[Client],
        organisations: QuerySet[Organisation],
        sites: QuerySet[Site],
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "client", clients)
        set_choices_queryset(self, "organisation", organisations)
        set_choices_queryset(self, "site", sites)


class OrderForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm[Order]):
    """An order with up to three time windows (a weekday, or every day, and from–until)."""

    class Meta:
        model = Order
        fields = [
            "assignment",
            "deliver",
            "pick_up",
            "quantity",
            "volume",
            "weight",
            "requested_from",
            "requested_until",
            "priority",
            "status",
        ]
        widgets = {"requested_from": DateInput(), "requested_until": DateInput()}

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        assignments: QuerySet[HomeWorkAssignment],
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "assignment", assignments)
        existing: list[OrderWindow] = list(self.instance.windows.all()) if self.instance.pk else []
        days = [("", _("Every day")), *Weekday.choices]
        for index in range(1, WINDOW_ROWS + 1):
            window = existing[index - 1] if len(existing) >= index else None
            self.fields[f"window_{index}_weekday"] = forms.TypedChoiceField(
                label=_("Window %(n)s: day") % {"n": index},
                choices=days,
                coerce=int,
                empty_value=None,
                required=False,
                initial=window.weekday if window else None,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"window_{index}_start"] = forms.TimeField(
                label=_("Window %(n)s: from") % {"n": index},
                required=False,
                initial=window.start if window else None,
                widget=TimeInput(attrs={"class": "form-control"}),
            )
            self.fields[f"window_{index}_end"] = forms.TimeField(
                label=_("Window %(n)s: until") % {"n": index},
                required=False,
                initial=window.end if window else None,
                widget=TimeInput(attrs={"class": "form-control"}),
            )

    # Any: Django's cleaned data, a value per field.
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        windows = []
        for index in range(1, WINDOW_ROWS + 1):
            start = data.get(f"window_{index}_start")
            end = data.get(f"window_{index}_end")
            if start is None and end is None:
                continue
            if start is None or end is None:
                self.add_error(f"window_{index}_end", _("Give both the start and the end."))
            elif end <= start:
                self.add_error(f"window_{index}_end", _("The window ends before it starts."))
            else:
                windows.append(
                    NewWindow(weekday=data.get(f"window_{index}_weekday"), start=start, end=end)
                )
        data["windows"] = windows
        return data

    # Any: the cleaned values differ per field; the service's keyword parameters take them.
    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["windows"] = self.cleaned_data["windows"]
        return data


class VanForm(StyledFormMixin, VersionedFormMixin, NoModelCleanMixin, forms.ModelForm[Van]):
    class Meta:
        model = Van
        fields = [
            "organisation",
            "depot",
            "name",
            "capacity_volume",
            "capacity_weight",
            "driver",
            "shift_start",
            "shift_end",
            "max_route_minutes",
            "cost_per_km",
            "cost_per_hour",
            "is_archived",
        ]
        widgets = {"shift_start": TimeInput(), "shift_end": TimeInput()}

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        organisations: QuerySet[Organisation],
        sites: QuerySet[Site],
        drivers: QuerySet[Person],
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "organisation", organisations)
        set_choices_queryset(self, "depot", sites)
        set_choices_queryset(self, "driver", drivers)

    # Any: Django's cleaned data, a value per field.
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("shift_start"), data.get("shift_end")
        if start and end and end <= start:
            self.add_error("shift_end", _("The working hours end before they start."))
        return data


class DayForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())


class PlanForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    orders = forms.ModelMultipleChoiceField(
        label=_("Orders"),
        queryset=Order.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    vans = forms.ModelMultipleChoiceField(
        label=_("Vans"),
        queryset=Van.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=MIN_SECONDS,
        max_value=MAX_SECONDS,
        initial=10,
        help_text=_("The planner returns the best plan it finds within this time."),
    )

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        orders: QuerySet[Order],
        vans: QuerySet[Van],
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "orders", orders)
        set_choices_queryset(self, "vans", vans)
        for name in ("orders", "vans"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class MoveForm(StyledFormMixin, forms.Form):
    van = forms.ModelChoiceField(label=_("Van"), queryset=Van.objects.none())
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=500)

    def __init__(
        self,
        *args: Any,  # Any: passed on to Django
        vans: QuerySet[Van],
        **kwargs: Any,  # Any: passed on to Django
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "van", vans)


class LockForm(forms.Form):
    locked = forms.BooleanField(required=False)


class CheckInForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("At the door"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    pickup_done = forms.BooleanField(label=_("Finished work picked up"), required=False)
    note = forms.CharField(
        label=_("Doorstep note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Goes to the client file for the counsellor. No medical details."),
    )
    wellbeing_flag = forms.BooleanField(
        label=_("I am worried about this person"),
        required=False,
        help_text=_("The counsellor gets a follow-up."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # Any: passed on to Django
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"
