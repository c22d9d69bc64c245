"""`load_demo`: the Welzijn13 demo region of 2020, loaded idempotently."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import Client

from regie.accounts.models import User
from regie.core.permissions import Role
from regie.registry.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    PARTNERS,
    SE_ORGANISATIONS,
    DemoSummary,
    demo_region_load,
)
from regie.registry.models import (
    Affiliation,
    Function,
    Municipality,
    Organisation,
    Person,
    Population,
    Postcode,
    Recognition,
    RecognitionStatus,
    Region,
    RegionMembership,
    Site,
)
from regie.registry.validators import normalise_kbo

pytestmark = pytest.mark.django_db

DAY_IN_2020 = date(2020, 12, 31)
MODELS = [
    Municipality,
    Postcode,
    Population,
    Region,
    RegionMembership,
    Organisation,
    Site,
    Recognition,
    Person,
    Affiliation,
    User,
]
HISTORIES = [
    Municipality,
    Region,
    RegionMembership,
    Organisation,
    Site,
    Recognition,
    Person,
    Affiliation,
]


@pytest.fixture
def summary() -> DemoSummary:
    return demo_region_load()


@pytest.fixture
def region(summary) -> Region:
    return Region.objects.get(code="w13")


def test_the_region_has_the_fourteen_municipalities_as_members(summary, region):
    members = RegionMembership.objects.filter(region=region)
    assert region.name == "Welzijn13"
    assert region.carrier is not None
    assert region.carrier.name == "Welzijn13"
    assert Municipality.objects.count() == 14
    assert members.on(DAY_IN_2020).count() == 14
    assert members.on(date(2016, 12, 31)).count() == 13
    assert members.get(municipality__name="Wielsbeke").start == date(2017, 1, 1)
    assert summary.municipalities == 14
    assert summary.members == 14


def test_municipalities_carry_nis_code_postcodes_population_and_centroid(summary):
    kortrijk = Municipality.objects.get(nis_code="34022")
    assert kortrijk.name == "Kortrijk"
    assert kortrijk.is_centre_city
    assert set(kortrijk.postcodes.values_list("code", flat=True)) == {
        "8500",
        "8501",
        "8510",
        "8511",
    }
    assert Municipality.objects.filter(is_centre_city=True).count() == 1
    assert Municipality.objects.get(nis_code="37018").name == "Wielsbeke"
    assert Municipality.objects.filter(latitude__isnull=True).count() == 0
    inhabitants = sum(Population.objects.filter(year=2020).values_list("inhabitants", flat=True))
    assert 315_000 < inhabitants < 325_000  # "about 321,000 inhabitants"


def test_about_forty_fictional_social_economy_organisations(summary, region):
    assert len(SE_ORGANISATIONS) == summary.se_organisations == 40
    fictional = Organisation.objects.filter(region=region).exclude(kbo="")
    assert fictional.count() == 40
    assert all(organisation.email.endswith(".example") for organisation in fictional)
    assert all(organisation.sites.filter(is_main=True).count() == 1 for organisation in fictional)


def test_every_enterprise_number_is_valid_and_unique_in_the_region(summary, region):
    numbers = list(Organisation.objects.filter(region=region).values_list("kbo", flat=True))
    given = [number for number in numbers if number]
    assert len(given) == len(set(given)) == 40
    assert all(normalise_kbo(number) == number for number in given)


def test_real_partners_get_no_invented_enterprise_number(summary, region):
    partners = Organisation.objects.filter(region=region, name__in=[p.name for p in PARTNERS])
    assert partners.count() == len(PARTNERS) == 8 + 14
    assert set(partners.values_list("kbo", flat=True)) == {""}
    assert partners.filter(kind="ocmw").count() == 14
    assert partners.get(name="VDAB Kortrijk").kind == "vdab"
    assert partners.get(name="Intercommunale Leiedal").kind == "intercommunale"


def test_every_site_postcode_belongs_to_its_municipality(summary, region):
    sites = Site.objects.filter(organisation__region=region).select_related("municipality")
    assert sites.count() == summary.sites > 40
    for site in sites:
        assert site.municipality.postcodes.filter(code=site.postcode).exists(), site
        centre = site.municipality
        assert site.latitude is not None
        assert site.longitude is not None
        assert centre.latitude is not None
        assert centre.longitude is not None
        assert abs(site.latitude - centre.latitude) < 0.02, site
        assert abs(site.longitude - centre.longitude) < 0.04, site
        site.full_clean()


def test_every_recognition_respects_its_measure(summary, region):
    recognitions = Recognition.objects.filter(organisation__region=region).select_related("measure")
    assert recognitions.count() == summary.recognitions
    for recognition in recognitions:
        recognition.full_clean()
        assert recognition.measure.is_valid_on(recognition.valid_from)
        assert recognition.capacity
    codes = set(recognitions.values_list("measure__code", flat=True))
    assert codes == {"CMW", "MWA", "LDE", "AZ", "SINE", "WW"}
    assert recognitions.filter(measure__code="LDE", valid_from__lt=date(2015, 4, 1)).count() == 0
    statuses = set(recognitions.values_list("status", flat=True))
    assert {RecognitionStatus.ACTIVE, RecognitionStatus.PHASING_OUT} <= statuses
    assert RecognitionStatus.ENDED in statuses


def test_about_a_hundred_people_with_functions_some_ended(summary, region):
    people = Person.objects.filter(region=region)
    affiliations = Affiliation.objects.filter(person__region=region)
    assert 90 <= people.count() == summary.people <= 120
    assert people.filter(affiliations__isnull=True).count() == 0
    assert set(affiliations.values_list("function", flat=True)) == set(Function.values)
    assert affiliations.filter(end__isnull=False).count() >= 5
    referrers = affiliations.filter(function=Function.REFERRER)
    assert set(referrers.values_list("organisation__kind", flat=True)) == {"vdab", "ocmw"}


def test_each_demo_user_logs_in_with_its_role_and_binding(summary, region):
    users = {user.username: user for user in User.objects.all()}
    assert set(users) == {row.username for row in DEMO_USERS}
    for username in users:
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)

    assert users["coordinator"].role == Role.COORDINATOR
    assert users["coordinator"].region == region

    partner = users["partner"]
    assert partner.role == Role.PARTNER
    assert partner.region == region
    assert partner.organisation is not None
    assert partner.organisation.kbo
    assert partner.organisation.affiliations.count() >= 5
    assert partner.organisation.recognitions.count() >= 2

    counsellor = users["counsellor"]
    assert counsellor.role == Role.COUNSELLOR
    assert counsellor.region == region
    assert Affiliation.objects.filter(
        person__email=counsellor.email,
        organisation=counsellor.organisation,
        function=Function.COUNSELLOR,
    ).exists()

    viewer = users["viewer"]
    assert viewer.role == Role.VIEWER
    assert viewer.region == region
    assert viewer.municipality is not None
    assert viewer.municipality.name == "Kortrijk"

    admin = users["admin"]
    assert admin.role == Role.ADMIN
    assert admin.is_staff
    assert admin.is_superuser


def test_rows_are_written_with_history(summary, region):
    organisation = Organisation.objects.get(region=region, name="Welzijn13")
    record = organisation.history.get()
    assert record.history_type == "+"
    assert record.history_user == User.objects.get(username="admin")
    assert Person.history.count() == summary.people


def test_loading_twice_leaves_the_same_rows_and_history(summary):
    counts = {model: model._default_manager.count() for model in MODELS}
    histories = {model: model.history.count() for model in HISTORIES}  # type: ignore[attr-defined]

    again = demo_region_load()

    assert {model: model._default_manager.count() for model in MODELS} == counts
    assert {model: model.history.count() for model in HISTORIES} == histories  # type: ignore[attr-defined]
    assert (again.created, again.updated) == (0, 0)
    assert again.people == summary.people


def test_loading_again_repairs_changed_rows_and_resets_passwords(summary, region):
    organisation = Organisation.objects.get(region=region, name="Zilverspoor Maatwerk")
    Organisation.objects.filter(pk=organisation.pk).update(phone="", is_archived=True)
    partner = User.objects.get(username="partner")
    partner.set_password("something-else")
    partner.save()

    again = demo_region_load()

    organisation.refresh_from_db()
    assert organisation.phone
    assert not organisation.is_archived
    assert again.updated == 1
    assert Client().login(request=HttpRequest(), username="partner", password=DEMO_PASSWORD)


def test_the_command_prints_the_summary_and_the_demo_logins(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("load_demo", stdout=out)

    output = out.getvalue()
    assert "Welzijn13" in output
    assert "40 fictional social-economy organisations" in output
    for row in DEMO_USERS:
        line = next(line for line in output.splitlines() if line.startswith(row.username + " "))
        assert DEMO_PASSWORD in line
        assert str(row.role) in line


def test_the_command_refuses_a_production_database_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not Region.objects.filter(code="w13").exists()

    call_command("load_demo", "--force", stdout=StringIO())
    assert Region.objects.filter(code="w13").exists()
