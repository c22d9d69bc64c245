import datetime

import pytest
from django.urls import reverse

from regie.registry.models import Measure
from regie.registry.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RecognitionFactory,
    RegionMembershipFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recognised(home_region, home_municipality, partner_organisation):
    RecognitionFactory.create(
        organisation=partner_organisation, valid_from=datetime.date(2019, 1, 1)
    )
    neighbour = MunicipalityFactory.create(nis_code="34023", name="Kuurne", postcode="8520")
    RegionMembershipFactory.create(region=home_region, municipality=neighbour)
    lde = OrganisationFactory.create(region=home_region)
    SiteFactory.create(organisation=lde, municipality=neighbour, postcode="8520")
    RecognitionFactory.create(
        organisation=lde,
        measure=Measure.objects.get(code="LDE"),
        valid_from=datetime.date(2016, 1, 1),
        valid_until=datetime.date(2021, 12, 31),
    )
    return neighbour


def _cell(board, municipality_name, code):
    index = [m.code for m in board.measures].index(code)
    return next(cells[index] for m, cells, _ in board.rows if m.name == municipality_name)


def test_counts_per_measure_and_municipality(client, coordinator, recognised):
    client.force_login(coordinator)
    board = client.get(reverse("home"), {"year": 2020}).context["board"]
    assert _cell(board, "Kortrijk", "CMW") == 1
    assert _cell(board, "Kuurne", "LDE") == 1
    later = client.get(reverse("home"), {"year": 2022}).context["board"]
    assert _cell(later, "Kuurne", "LDE") == 0


def test_viewer_sees_only_their_municipality(client, viewer, recognised):
    client.force_login(viewer)
    board = client.get(reverse("home"), {"year": 2020}).context["board"]
    assert [m.name for m, _, _ in board.rows] == ["Kortrijk"]
    assert board.people_count is None


@pytest.mark.parametrize("asked", ["abc", "", "20x0"])
def test_bad_year_falls_back_to_this_year(client, coordinator, asked):
    client.force_login(coordinator)
    response = client.get(reverse("home"), {"year": asked})
    assert response.status_code == 200
    assert response.context["board"].year == datetime.date.today().year


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
