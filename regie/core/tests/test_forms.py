"""The shared form pieces: a model choice field's choices limited by the view's scope."""

import pytest
from django import forms

from regie.core.forms import set_choices_queryset
from regie.registry.models import Organisation
from regie.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


class PickOrganisation(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    note = forms.CharField()


def test_the_choices_are_the_queryset_given():
    mine, _other = OrganisationFactory.create_batch(2)
    form = PickOrganisation({"organisation": _other.pk, "note": "x"})

    set_choices_queryset(form, "organisation", Organisation.objects.filter(pk=mine.pk))

    field = form.fields["organisation"]
    assert isinstance(field, forms.ModelChoiceField)
    assert list(field.queryset or []) == [mine]
    assert not form.is_valid()  # the other organisation is no longer a choice


def test_a_field_without_a_queryset_is_refused():
    form = PickOrganisation()

    with pytest.raises(TypeError):
        set_choices_queryset(form, "note", Organisation.objects.all())
