"""Form rendering shared by every app: Bootstrap classes and one field template."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class RegieFormRenderer(TemplatesSetting):
    field_template_name = "components/form_field.html"


class StyledFormMixin:
    """Gives every widget its Bootstrap class and marks invalid fields."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedFormMixin:
    """Carries the version the user started from, so a stale save can be refused.

    An edit view passes ``expected_version`` and ``changes()`` to the service inside
    ``regie.core.versioning.versioned_edit``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fields["version"] = forms.IntegerField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput,
            initial=getattr(instance, "version", 1),
        )

    @property
    def expected_version(self) -> int:
        """The version the user started from (after ``is_valid()``)."""
        return int(self.cleaned_data["version"])  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        """The cleaned input for the service, without the version."""
        cleaned: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        return {name: value for name, value in cleaned.items() if name != "version"}


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` beside the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
