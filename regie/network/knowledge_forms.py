from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.core.forms import DateInput, StyledFormMixin, VersionedFormMixin
from regie.network.models import AgendaItem, FloorType, KnowledgeKind, Practice, Rule
from regie.registry.models import Organisation


class KnowledgeSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Practices and rules")), *KnowledgeKind.choices],
    )


class PracticeForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["question", "context", "tags", "meeting", "agenda_item"]
        labels = {"meeting": _("meeting"), "agenda_item": _("agenda item")}
        widgets = {"context": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(  # type: ignore[attr-defined]
            meeting__in=meetings
        ).select_related("meeting")

    def _post_clean(self) -> None:
        """Model rules run in the service (an agenda item of the chosen meeting, too)."""


class AnswerForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none()
    )
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        if len(organisations) == 1:  # a partner answers for their own organisation
            field.empty_label = None  # type: ignore[attr-defined]
            field.initial = organisations[0].pk


class RuleForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["title", "source", "source_url", "effective_from", "effective_until", "summary"]
        widgets = {
            "effective_from": DateInput(),
            "effective_until": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self) -> None:
        """Model rules run in the service (an end date after the start, too)."""


class TranslationForm(StyledFormMixin, forms.Form):
    floor_type = forms.ChoiceField(label=_("type of work floor"), choices=FloorType.choices)
    practice = forms.CharField(
        label=_("in practice"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the rule means on this type of work floor."),
    )
