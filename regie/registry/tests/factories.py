import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from regie.registry import models


def kbo_for(n: int) -> str:
    """A valid enterprise number: 0 + 7 digits + check digits (97 - first 8 digits mod 97)."""
    base = 2000000 + n
    return f"{base:08d}{97 - base % 97:02d}"


class MunicipalityFactory(DjangoModelFactory[models.Municipality]):
    class Meta:
        model = models.Municipality
        django_get_or_create = ("nis_code",)
        skip_postgeneration_save = True

    nis_code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    latitude = "50.8"
    longitude = "3.26"

    @factory.post_generation
    def postcode(obj: models.Municipality, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Give every municipality a postcode of its own unless one is passed."""
        if create and extracted is not False and not obj.postcodes.exists():
            code = extracted or f"{1000 + int(obj.nis_code) % 8999:04d}"
            models.Postcode.objects.create(municipality=obj, code=code)


class PostcodeFactory(DjangoModelFactory[models.Postcode]):
    class Meta:
        model = models.Postcode

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"{1000 + n % 8999:04d}")


class RegionFactory(DjangoModelFactory[models.Region]):
    class Meta:
        model = models.Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"r{n}")
    name = factory.Sequence(lambda n: f"Regio {n}")


class RegionMembershipFactory(DjangoModelFactory[models.RegionMembership]):
    class Meta:
        model = models.RegionMembership

    region = factory.SubFactory(RegionFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class OrganisationFactory(DjangoModelFactory[models.Organisation]):
    class Meta:
        model = models.Organisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kbo = factory.Sequence(kbo_for)
    kind = models.OrganisationKind.SE_COMPANY


class SiteFactory(DjangoModelFactory[models.Site]):
    class Meta:
        model = models.Site

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    street = factory.Sequence(lambda n: f"Werkstraat {n}")
    postcode = factory.LazyAttribute(lambda site: site.municipality.postcodes.first().code)
    is_main = True


class RecognitionFactory(DjangoModelFactory[models.Recognition]):
    class Meta:
        model = models.Recognition

    organisation = factory.SubFactory(OrganisationFactory)
    measure = factory.LazyFunction(lambda: models.Measure.objects.get(code="CMW"))
    valid_from = datetime.date(2019, 1, 1)
    capacity = 10


class PersonFactory(DjangoModelFactory[models.Person]):
    class Meta:
        model = models.Person

    region = factory.SubFactory(RegionFactory)
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.Sequence(lambda n: f"persoon{n}@example.org")


class AffiliationFactory(DjangoModelFactory[models.Affiliation]):
    class Meta:
        model = models.Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    function = models.Function.CONTACT
    start = datetime.date(2018, 1, 1)
