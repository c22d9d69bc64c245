"""Forms of the knowledge base: the search box, practices and their answers, rules."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regie.core.forms import DateInput, StyledFormMixin, VersionedFormMixin, set_choices_queryset
from regie.knowledge.models import FloorType, KnowledgeKind, Practice, Rule
from regie.network.models import AgendaItem, Meeting
from regie.registry.models import Organisation


class KnowledgeSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Practices and rules")), *KnowledgeKind.choices],
    )


class PracticeForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Practice]):
    class Meta:
        model = Practice
        fields = ["question", "context", "tags", "meeting", "agenda_item"]
        labels = {"meeting": _("meeting"), "agenda_item": _("agenda item")}
        widgets = {"context": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "meeting", meetings)
        set_choices_queryset(
            self,
            "agenda_item",
            AgendaItem.objects.filter(meeting__in=meetings).select_related("meeting"),
        )

    def _post_clean(self) -> None:
        """Model rules run in the service (an agenda item of the chosen meeting, too)."""


class AnswerForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none()
    )
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "organisation", organisations)
        if len(organisations) == 1:  # a partner answers for their own organisation
            field = cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"])
            field.empty_label = None
            field.initial = organisations[0].pk


class RuleForm(StyledFormMixin, VersionedFormMixin, forms.ModelForm[Rule]):
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
