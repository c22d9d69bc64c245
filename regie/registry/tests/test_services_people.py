"""person_create: a partner adds colleagues, so a person they add comes with an affiliation."""

import pytest

from regie.core.errors import DomainError
from regie.registry import services
from regie.registry.models import Person

pytestmark = pytest.mark.django_db


def test_a_partner_adds_no_person_without_an_affiliation(partner, home_region):
    with pytest.raises(DomainError) as refused:
        services.person_create(actor=partner, region=home_region, first_name="X", last_name="Y")
    assert list(refused.value.message_dict) == ["affiliation"]
    assert not Person.objects.exists()


def test_a_partner_adds_a_colleague_with_an_affiliation(partner, partner_organisation):
    person = services.person_create(
        actor=partner,
        region=partner_organisation.region,
        affiliation=services.NewAffiliation(organisation=partner_organisation, function="contact"),
        first_name="X",
        last_name="Y",
    )
    assert [a.organisation for a in person.affiliations.all()] == [partner_organisation]


def test_a_coordinator_adds_a_person_without_an_affiliation(coordinator, home_region):
    person = services.person_create(
        actor=coordinator, region=home_region, first_name="X", last_name="Y"
    )
    assert person.affiliations.count() == 0
