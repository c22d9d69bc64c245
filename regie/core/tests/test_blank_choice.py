"""Every dropdown's empty choice reads in Dutch (Django 6.1's own label has no translation)."""

import pytest
from django import forms
from django.utils import translation

from regie.registry.models import Site


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["municipality"]


@pytest.mark.django_db
def test_the_empty_choice_of_a_model_dropdown_is_dutch():
    with translation.override("nl"):
        html = str(SiteForm()["municipality"])
    assert '<option value="" selected>– kies –</option>' in html
    assert "Select an option" not in html
