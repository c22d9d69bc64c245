"""The busy models fetch a relation their queryset did not load for all their peers at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.core.fetching import PeersManager
from regie.registry.models import Site
from regie.registry.tests.factories import OrganisationFactory, SiteFactory


@pytest.mark.django_db
def test_a_relation_read_on_one_row_is_loaded_for_every_row_of_the_queryset():
    for name in ("Een", "Twee", "Drie"):
        SiteFactory.create(organisation=OrganisationFactory.create(name=name))

    with CaptureQueriesContext(connection) as context:
        names = [site.organisation.name for site in Site.objects.order_by("pk")]

    assert names == ["Een", "Twee", "Drie"]
    assert len(context.captured_queries) == 2


def test_a_busy_model_fetches_peers_through_its_default_manager_only():
    """Related managers take the row's mode; Django's base manager and the history stay as
    they are."""
    assert isinstance(Site._default_manager, PeersManager)
    assert not isinstance(Site._base_manager, PeersManager)
    assert not isinstance(Site.history, PeersManager)
