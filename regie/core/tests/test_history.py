"""The change history as people read it: labels, Dutch choice labels, Belgian dates, names."""

import datetime

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from regie.accounts.tests.factories import UserFactory
from regie.core.history import record_history, set_history_user
from regie.core.permissions import Role
from regie.registry.models import Organisation, OrganisationKind, Site
from regie.registry.tests.factories import (
    AffiliationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def test_a_change_reads_in_labels_and_names_not_codes():
    organisation = OrganisationFactory.create(kind=OrganisationKind.SE_COMPANY)
    editor = UserFactory.create(
        username="jdewilde",
        first_name="Jana",
        last_name="De Wilde",
        role=Role.COORDINATOR,
        region=organisation.region,
    )
    organisation.kind = OrganisationKind.WORK_CARE
    set_history_user(organisation, editor)
    organisation.save()

    with translation.override("nl"):
        (change, _created) = record_history(records=[organisation])
        expected = [
            (
                str(Organisation._meta.get_field("kind").verbose_name),
                str(OrganisationKind.SE_COMPANY.label),
                str(OrganisationKind.WORK_CARE.label),
            )
        ]
    assert change.who == "Jana De Wilde"
    assert change.changes == expected
    assert "se_company" not in str(expected)  # the labels are Dutch, not the stored codes


def test_dates_read_the_belgian_way():
    affiliation = AffiliationFactory.create(start=datetime.date(2018, 1, 1))
    affiliation.start = datetime.date(2020, 3, 16)
    affiliation.save()

    with translation.override("nl"):
        changes = record_history(records=[affiliation])[0].changes

    (_label, old, new) = changes[0]
    assert (old, new) == ("1-1-2018", "16-3-2020")  # SHORT_DATE_FORMAT of nl, not 2020-03-16


def test_a_record_without_history_rows_has_no_entries():
    organisation = OrganisationFactory.create()
    organisation.history.all().delete()  # as after a bulk create or an import

    assert record_history(records=[organisation]) == []


def _history_queries(records: list[Model]) -> int:
    with CaptureQueriesContext(connection) as context:
        record_history(records=records)
    return len(context.captured_queries)


def test_the_history_of_many_records_runs_a_fixed_number_of_queries():
    """One query per kind of record and one per kind of related record a change names, not one
    per record (a detail page lists an organisation with all its sites)."""
    organisation = OrganisationFactory.create()
    elsewhere = MunicipalityFactory.create(name="Elders")

    def site_moved() -> Site:
        site = SiteFactory.create(organisation=organisation, is_main=False)
        site.municipality = elsewhere
        site.save()
        return site

    one = _history_queries([organisation, site_moved()])
    sites = [site_moved() for _ in range(5)]
    assert _history_queries([organisation, *sites]) <= one

    with translation.override("nl"):
        entries = record_history(records=[organisation, *sites])
    moves = [change for entry in entries for change in entry.changes]
    assert len(moves) == 5
    assert {new for (_label, _old, new) in moves} == {"Elders"}


def test_a_save_without_an_author_is_the_system_s():
    organisation = OrganisationFactory.create()
    organisation.name = "Renamed"
    set_history_user(organisation, None)
    organisation.save()

    with translation.override("en"):
        change = record_history(records=[organisation])[0]
    assert change.who == "system"
