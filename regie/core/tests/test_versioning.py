"""Optimistic locking: a stale save names what changed since the version it started from."""

import pytest
from django.utils import translation

from regie.core.errors import StaleEditError
from regie.core.versioning import changes_since, save_versioned
from regie.registry.models import Organisation, OrganisationKind
from regie.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_stale_save_carries_the_stored_record_and_the_changes_as_people_read_them(
    coordinator,
):
    organisation = OrganisationFactory.create(name="De Werkplaats", kind=OrganisationKind.OTHER)
    save_versioned(
        instance=organisation,
        changes={"name": "Werkplaats Kortrijk", "kind": OrganisationKind.SE_COMPANY},
        expected_version=1,
        actor=coordinator,
    )

    with translation.override("nl"), pytest.raises(StaleEditError) as refused:
        save_versioned(
            instance=organisation,
            changes={"name": "Mijn naam"},
            expected_version=1,
            actor=coordinator,
        )

    assert refused.value.current_version == 2
    record = refused.value.record
    assert isinstance(record, Organisation)
    assert record.name == "Werkplaats Kortrijk"
    assert [(c.field, c.label, c.then, c.now) for c in refused.value.changes or ()] == [
        ("name", "Naam", "De Werkplaats", "Werkplaats Kortrijk"),
        ("kind", "Soort", "Andere", "Sociale-economiebedrijf"),
    ]
    organisation.refresh_from_db()
    assert (organisation.name, organisation.version) == ("Werkplaats Kortrijk", 2)


def test_without_the_version_in_the_history_the_changes_are_unknown(coordinator):
    organisation = OrganisationFactory.create(name="Geïmporteerd")
    organisation.history.all().delete()

    assert changes_since(organisation, version=1) is None
    with pytest.raises(StaleEditError) as refused:
        save_versioned(
            instance=organisation, changes={"name": "Nieuw"}, expected_version=0, actor=coordinator
        )
    assert refused.value.changes is None
