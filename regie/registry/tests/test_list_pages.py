"""Every list page of the registry loads what it shows of its rows with its selector: the queries
do not grow with the rows, and with lazy loads refused (``FETCH_RAISE``) it renders."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from zeal import zeal_context

from regie.registry import selectors
from regie.registry.tests.factories import (
    AffiliationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    RecognitionFactory,
    RegionMembershipFactory,
    SiteFactory,
)
from regie.tests.n_plus_one import lazy_loads_raise
from regie.tests.queries import assert_no_growth


@pytest.fixture
def rows(home_region) -> Callable[[], None]:
    """Adds an organisation of the region with its main site in a new member municipality, a
    recognition and a person working there."""

    def add() -> None:
        municipality = MunicipalityFactory.create()
        RegionMembershipFactory.create(region=home_region, municipality=municipality)
        organisation = OrganisationFactory.create(region=home_region)
        SiteFactory.create(organisation=organisation, municipality=municipality)
        RecognitionFactory.create(organisation=organisation)
        person = PersonFactory.create(region=home_region)
        AffiliationFactory.create(person=person, organisation=organisation)

    return add


@pytest.mark.parametrize(
    "route",
    [
        "home",
        "registry:organisation_list",
        "registry:person_list",
        "registry:municipality_list",
    ],
)
def test_a_list_page_loads_its_rows_with_its_selector(
    client, coordinator, rows, route, django_assert_max_num_queries
):
    rows()
    client.force_login(coordinator)
    assert_no_growth(
        client,
        reverse(route),
        add_rows=lambda: [rows() for _ in range(4)],
        max_num_queries=django_assert_max_num_queries,
    )


def test_the_organisation_list_selector_loads_what_the_list_shows(coordinator, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        shown = [
            (
                organisation.region.name,
                [recognition.measure.code for recognition in organisation.recognitions.all()],
            )
            for organisation in selectors.organisation_list(user=coordinator)
        ]
    assert len(shown) == 3


def test_the_person_list_selector_loads_what_the_list_shows(coordinator, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        shown = [
            [affiliation.organisation.name for affiliation in person.affiliations.all()]
            for person in selectors.person_list(user=coordinator)
        ]
    assert len(shown) == 3
    assert all(len(names) == 1 for names in shown)
