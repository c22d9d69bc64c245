"""The test suite's N+1 gate: a request that loads a relation row by row fails its test, and
``lazy_loads_raise`` makes a busy model refuse every lazy load."""

import pytest
from django.core.exceptions import FieldFetchBlocked
from django.http import HttpRequest, HttpResponse
from django.urls import path
from zeal import NPlusOneError, zeal_context

from regie.registry.models import Organisation, Site
from regie.registry.tests.factories import OrganisationFactory, SiteFactory
from regie.tests.n_plus_one import lazy_loads_raise

pytestmark = pytest.mark.django_db


def sites_row_by_row(request: HttpRequest) -> HttpResponse:
    counts = [len(organisation.sites.all()) for organisation in Organisation.objects.all()]
    return HttpResponse(str(sum(counts)))


def sites_prefetched(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.prefetch_related("sites")
    return HttpResponse(str(sum(len(organisation.sites.all()) for organisation in organisations)))


urlpatterns = [
    path("row-by-row/", sites_row_by_row),
    path("prefetched/", sites_prefetched),
]


@pytest.fixture
def two_organisations() -> None:
    for name in ("Een", "Twee"):
        SiteFactory.create(organisation=OrganisationFactory.create(name=name))


@pytest.mark.urls("regie.tests.test_n_plus_one")
def test_a_request_that_loads_a_relation_row_by_row_fails(client, two_organisations):
    with pytest.raises(NPlusOneError, match=r"registry\.Organisation\.sites"):
        client.get("/row-by-row/")


@pytest.mark.urls("regie.tests.test_n_plus_one")
def test_a_request_that_prefetches_passes(client, two_organisations):
    assert client.get("/prefetched/").text == "2"


def test_the_same_loop_outside_a_request_is_not_watched(two_organisations):
    """The gate is per request: a test reading rows one by one is not an N+1."""
    assert sum(len(organisation.sites.all()) for organisation in Organisation.objects.all()) == 2


def test_a_selector_test_watches_its_own_block(two_organisations):
    with pytest.raises(NPlusOneError), zeal_context():
        [len(organisation.sites.all()) for organisation in Organisation.objects.all()]


def test_inside_lazy_loads_raise_a_relation_the_queryset_did_not_load_raises(two_organisations):
    with lazy_loads_raise():
        sites = list(Site.objects.all())
        loaded = list(Site.objects.select_related("organisation"))

        with pytest.raises(FieldFetchBlocked):
            sites[0].organisation  # noqa: B018 (the read is the test)
        assert {site.organisation.name for site in loaded} == {"Een", "Twee"}

    assert {site.organisation.name for site in Site.objects.all()} == {"Een", "Twee"}
