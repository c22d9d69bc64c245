"""The organisation page runs a fixed number of queries, whatever the number of its sites and
their history (one history query per kind of record, not per record)."""

from django.urls import reverse

from regie.registry.tests.factories import MunicipalityFactory, SiteFactory
from regie.tests.queries import assert_no_growth


def test_the_organisation_page_does_not_grow_with_its_sites_history(
    client, coordinator, partner_organisation, django_assert_max_num_queries
):
    elsewhere = MunicipalityFactory.create(name="Elders")

    def four_moved_sites() -> None:
        for _ in range(4):
            site = SiteFactory.create(organisation=partner_organisation, is_main=False)
            site.municipality = elsewhere
            site.save()

    first = partner_organisation.sites.get()
    first.municipality = elsewhere
    first.save()
    client.force_login(coordinator)
    url = reverse("registry:organisation_detail", args=[partner_organisation.pk])
    assert_no_growth(
        client, url, add_rows=four_moved_sites, max_num_queries=django_assert_max_num_queries
    )
    assert client.get(url).text.count("Elders") >= 5
