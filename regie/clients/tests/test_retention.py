"""Retention periods per category, counted from the end of the last trajectory, applied by
``manage.py purge_client_data``, which logs counts and nothing else."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from regie.clients import services
from regie.clients.models import (
    AccessLog,
    Client,
    ClientFollowUp,
    ClientStatus,
    Contact,
    SupportNeed,
    Trajectory,
)
from regie.clients.retention import retention_purge
from regie.clients.tests.factories import (
    ContactFactory,
    LegalBasisFactory,
    OrganisationLegalBasisFactory,
    synthetic_insz,
)
from regie.core.models import AuditEntry

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 1, 15)


def ended(client, day):
    Trajectory.objects.filter(client=client).update(ended_on=day)
    client.trajectories.get().steps.update(end=day, end_reason="regular_job")


@pytest.fixture
def full_file(coordinator, counsellor, own_client, insz_basis):
    LegalBasisFactory.create(client=own_client)
    services.support_need_set(actor=counsellor, client=own_client, category="cognitive")
    services.contact_record(
        actor=counsellor,
        client=own_client,
        kind="phone",
        on=D(2020, 4, 1),
        note="Wil terug aan de slag.",
        wellbeing_flag=True,
    )
    services.client_national_number_set(
        actor=coordinator,
        client=own_client,
        national_number=synthetic_insz(D(1971, 6, 5), 88),
    )
    return own_client


def test_nothing_is_purged_while_a_trajectory_runs(full_file):
    assert sum(retention_purge(today=TODAY).values()) == 0
    assert SupportNeed.objects.exists()


def test_a_year_after_the_end_the_sensitive_parts_go(full_file):
    ended(full_file, D(2024, 12, 1))

    counts = retention_purge(today=TODAY)

    assert counts["support_needs"] == 1
    assert counts["contact_notes"] == 2  # the note and its follow-up
    assert counts["national_numbers"] == 1
    assert counts["client_files"] == 0
    full_file.refresh_from_db()
    assert not full_file.has_national_number
    assert full_file.first_name == "Fatima"  # the file itself stays five years
    assert not SupportNeed.history.filter(client_id=full_file.pk).exists()
    assert list(Contact.history.filter(client_id=full_file.pk).values_list("note", flat=True)) == [
        ""
    ]
    assert not ClientFollowUp.objects.exists()


def test_five_years_after_the_end_the_client_is_anonymised(full_file):
    ended(full_file, D(2020, 12, 31))

    counts = retention_purge(today=TODAY)

    assert counts["client_files"] == 1
    full_file.refresh_from_db()
    assert full_file.status == ClientStatus.ANONYMISED
    assert full_file.first_name == ""
    assert not Client.history.filter(id=full_file.pk).exists()


def test_a_file_without_a_trajectory_counts_from_its_last_referral(own_client, foreign_client):
    Trajectory.objects.filter(client=foreign_client).delete()
    foreign_client.referrals.create(
        referring_organisation=own_client.organisation,
        target_organisation=own_client.organisation,
        measure=own_client.trajectories.get().steps.get().measure,
        referred_on=D(2019, 1, 1),
    )
    assert retention_purge(today=TODAY)["client_files"] == 1


def test_numbers_without_a_legal_basis_go(coordinator, own_client, insz_basis):
    services.client_national_number_set(
        actor=coordinator, client=own_client, national_number=synthetic_insz(D(1990, 1, 1))
    )
    insz_basis.withdrawn_on = D(2025, 1, 1)
    insz_basis.save()  # withdrawn outside Regie's service: the purge still catches it
    OrganisationLegalBasisFactory.create()  # another organisation's basis does not count

    assert retention_purge(today=TODAY)["national_numbers_without_basis"] == 1
    own_client.refresh_from_db()
    assert not own_client.has_national_number


def test_old_access_log_entries_go(coordinator, own_client):
    entry = AccessLog.objects.create(
        user=coordinator,
        username="coordinator",
        client=own_client,
        client_code=own_client.code,
        action="view",
        what="client file",
        channel="web",
    )
    AccessLog.objects.filter(pk=entry.pk).update(
        at=timezone.make_aware(datetime.datetime(2020, 1, 1))
    )
    assert retention_purge(today=TODAY)["access_log"] == 1
    assert not AccessLog.objects.exists()


def test_a_dry_run_changes_nothing(full_file):
    ended(full_file, D(2020, 12, 31))
    counts = retention_purge(today=TODAY, dry_run=True)
    assert counts["client_files"] == 1
    full_file.refresh_from_db()
    assert full_file.status != ClientStatus.ANONYMISED


def test_the_command_prints_and_logs_counts_only(full_file, caplog):
    ended(full_file, D(2020, 12, 31))
    ContactFactory.create(client=full_file, note="Nog een notitie")
    out = io.StringIO()

    with caplog.at_level(logging.INFO, logger="regie.clients.retention"):
        call_command("purge_client_data", stdout=out)

    assert "purged     1  client_files" in out.getvalue()
    assert "client_files=1" in caplog.text
    for value in ("Fatima", "Vandenberghe", "Wil terug", "Nog een notitie", full_file.code):
        assert value not in caplog.text
        assert value not in out.getvalue()
    assert AuditEntry.objects.get(action="clients.retention_purge").details["client_files"] == 1
