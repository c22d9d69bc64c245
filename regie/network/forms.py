import datetime
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.core.forms import DateInput, StyledFormMixin, VersionedFormMixin, set_choices_queryset
from regie.network.models import (
    AgendaItem,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyStatus,
    FollowUp,
    FollowUpStatus,
    Meeting,
    Membership,
)
from regie.network.services import NewAgendaItem
from regie.registry.models import Organisation, Person, Pillar, Region


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def pillar_choices(current: Pillar | None = None) -> QuerySet[Pillar]:
    """The pillars of the frameworks in force this year, and the one a body already has."""
    in_force = Pillar.objects.in_force(timezone.localdate().year)
    chosen = Q(pk__in=in_force.values("pk"))
    if current is not None:
        chosen |= Q(pk=current.pk)
    pillars = Pillar.objects.filter(chosen)
    return pillars.select_related("framework").order_by("framework__valid_from", "sort_order")


class BodyFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *BodyKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *BodyStatus.choices]
    )
    pillar = forms.ModelChoiceField(
        label=_("Pillar"),
        required=False,
        queryset=Pillar.objects.select_related("framework").order_by(
            "framework__valid_from", "sort_order"
        ),
        to_field_name="code",
        empty_label=_("All pillars"),
    )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "pillar": data.get("pillar"),
        }


class BodyForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Body]):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())

    class Meta:
        model = Body
        fields = ["name", "kind", "pillar", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, choose_region: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "pillar", pillar_choices(self.instance.pillar))
        self.fields["pillar"].help_text = _(
            "The task or priority of the policy framework this body serves."
        )
        if not choose_region:
            del self.fields["region"]

    def _post_clean(self) -> None:
        """Model rules run in the service."""


class BodyStatusForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Body]):
    status_date = forms.DateField(label=_("Since"), required=False, widget=DateInput())

    class Meta:
        model = Body
        fields = ["status", "status_reason", "status_date"]
        labels = {"status_reason": _("Reason")}
        help_texts = {"status_reason": _("Required when the body is put on hold.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["status_date"] = timezone.localdate()

    def _post_clean(self) -> None:
        pass


class MembershipForm(StyledFormMixin, forms.ModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ["organisation", "person", "role", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {
            "person": _("An organisation, a person, or a person on behalf of an organisation."),
        }

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        people: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "organisation", organisations)
        set_choices_queryset(self, "person", people)

    def _post_clean(self) -> None:
        pass


class MembershipEndForm(StyledFormMixin, forms.Form):
    end = forms.DateField(label=_("Until"), widget=DateInput())


class MeetingForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Meeting]):
    """Schedule or edit a meeting. An overlap with another meeting of the body is shown as a
    warning; ``confirm_overlap`` says the user saw it."""

    confirm_overlap = forms.BooleanField(
        label=_("Schedule it anyway, at the same time as the meeting above"), required=False
    )

    class Meta:
        model = Meeting
        fields = ["title", "start", "end", "format", "location", "video_url"]
        widgets = {"start": DateTimeInput(), "end": DateTimeInput()}
        help_texts = {
            "location": _("Address or room; required for a physical or hybrid meeting."),
            "video_url": _("Link of the video call; required for a digital or hybrid meeting."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["video_url"].widget.attrs["placeholder"] = "https://"

    def calendar_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self) -> None:
        pass


class ScheduleForm(MeetingForm):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One item per line; add the presenter after a vertical bar, e.g. "
            "“Corona on the work floor | Hanne”. The standing items of the previous meeting "
            "come first; open follow-ups are listed with the agenda."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]

    def agenda_items(self) -> list[NewAgendaItem]:
        items = []
        for line in self.cleaned_data.get("agenda", "").splitlines():
            title, _bar, presenter = line.partition("|")
            if title.strip():
                items.append(NewAgendaItem(title=title.strip()[:300], presenter=presenter.strip()))
        return items


class MeetingCancelForm(StyledFormMixin, forms.Form):
    status_reason = forms.CharField(label=_("Reason for the cancellation"), max_length=300)


class MeetingPostponeForm(StyledFormMixin, forms.Form):
    start = forms.DateTimeField(label=_("New start"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("New end"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            week = datetime.timedelta(days=7)
            self.initial.update(
                start=timezone.localtime(meeting.start + week).replace(tzinfo=None),
                end=timezone.localtime(meeting.end + week).replace(tzinfo=None),
            )


class AgendaItemForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[AgendaItem]):
    prefix = "agenda"

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "description", "is_standing"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self) -> None:
        pass


class GuestForm(StyledFormMixin, forms.Form):
    guest_name = forms.CharField(label=_("Guest's name"), max_length=200)
    guest_email = forms.EmailField(label=_("Guest's e-mail"), required=False)


class AttendanceMarkForm(forms.Form):
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)


class MinutesForm(StyledFormMixin, forms.Form):
    """One text field per agenda item, with the version of the item it was read from."""

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items, start=1):
            self.fields[f"minutes_{item.pk}"] = forms.CharField(
                label=f"{number}. {item.title}",
                required=False,
                initial=item.minutes,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[f"version_{item.pk}"] = forms.IntegerField(
                initial=item.version, widget=forms.HiddenInput
            )

    def field_name(self, record: Model, name: str) -> str:
        """The item's field of this form (``minutes_12``, ``version_12``), for a stale edit."""
        return f"{name}_{record.pk}"

    def texts(self) -> dict[int, tuple[str, int]]:
        return {
            item.pk: (
                self.cleaned_data[f"minutes_{item.pk}"].strip(),
                self.cleaned_data[f"version_{item.pk}"],
            )
            for item in self.items
        }


class AddendumForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Correction"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class DecisionForm(StyledFormMixin, forms.Form):
    prefix = "decision"
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("(the meeting as a whole)"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "agenda_item", meeting.agenda_items.all())


class FollowUpForm(StyledFormMixin, forms.ModelForm[FollowUp]):
    prefix = "follow_up"

    class Meta:
        model = FollowUp
        fields = ["title", "owner", "due_date", "agenda_item"]
        widgets = {"due_date": DateInput()}
        labels = {"title": _("Follow-up"), "agenda_item": _("Agenda item")}

    def __init__(
        self, *args: Any, meeting: Meeting, people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "owner", people)
        set_choices_queryset(self, "agenda_item", meeting.agenda_items.all())

    def _post_clean(self) -> None:
        pass


class FollowUpEditForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[FollowUp]):
    class Meta:
        model = FollowUp
        fields = ["title", "owner", "due_date", "status"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "owner", people)

    def _post_clean(self) -> None:
        pass


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DocumentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Document"))
