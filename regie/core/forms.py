"""Form rendering shared by every app: Bootstrap classes and one field template."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting

if TYPE_CHECKING:
    # The mixins below go before a Django form class: type them as one.
    _Form = forms.BaseForm
else:
    _Form = object

# What a form was given: ``request.POST`` on a submit, None for a GET.
type FormData = Mapping[str, object] | None


class RegieFormRenderer(TemplatesSetting):
    field_template_name = "components/form_field.html"


class StyledFormMixin(_Form):
    """Gives every widget its Bootstrap class and marks invalid fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # Any: passed on to Django
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


class DateInput(forms.DateInput):
    input_type = "date"

    # Any: an HTML attribute's value (text, a number, true for a bare attribute), as Django's.
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedFormMixin(_Form):
    """Carries the version the user started from, so a stale save can be refused.

    An edit view passes ``expected_version`` and ``changes()`` to the service inside
    ``regie.core.versioning.versioned_edit``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # Any: passed on to Django
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            initial=getattr(instance, "version", 1),
        )

    @property
    def expected_version(self) -> int:
        """The version the user started from (after ``is_valid()``)."""
        return int(self.cleaned_data["version"])

    # Any: the cleaned values differ per field; the service's typed parameters take them.
    def changes(self) -> dict[str, Any]:
        """The cleaned input for the service, without the version."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def set_choices_queryset[M: models.Model](
    form: forms.BaseForm, name: str, queryset: "models.QuerySet[M]"
) -> None:
    """Limit the choices of the form's model choice field ``name`` to ``queryset``."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` beside the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
