"""Erasure on request: after it, a dump of every table (history included) holds none of the
client's values; the figures do not change; the act is logged without the values."""

import datetime
import string
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regie.clients import rights, selectors, services
from regie.clients.models import (
    AccessAction,
    AccessLog,
    Client,
    ClientStatus,
    ContactKind,
    EndReason,
    Ground,
    Purpose,
    ReferralStatus,
)
from regie.clients.tests.factories import DeviceFactory, measure, synthetic_insz
from regie.core.errors import DomainError
from regie.core.models import AuditEntry

pytestmark = pytest.mark.django_db
D = datetime.date


def database_dump() -> str:
    """Every row of every table, as text."""
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                values = [bytes(v).hex() if isinstance(v, bytes | memoryview) else v for v in row]
                lines.append(f"{table}: {values!r}")
    return "\n".join(lines)


def word(prefix: str) -> st.SearchStrategy[str]:
    letters = st.text(alphabet=string.ascii_letters, min_size=6, max_size=14)
    return letters.map(lambda text: f"{prefix}{text}")


values = st.fixed_dictionaries(
    {
        "first_name": word("Vn"),
        "last_name": word("An"),
        "street": word("Straat"),
        "phone": st.integers(10_000_000, 99_999_999).map(lambda n: f"04{n}"),
        "other_phone": st.integers(10_000_000, 99_999_999).map(lambda n: f"03{n}"),
        "email": word("mail").map(lambda text: f"{text.lower()}@example.org"),
        "vdab_reference": st.integers(1_000_000, 9_999_999).map(lambda n: f"VDAB-{n}"),
        "birth_date": st.dates(min_value=D(1950, 1, 1), max_value=D(1969, 12, 31)),
        "note": word("Notitie"),
        "reason": word("Reden"),
        "exception": word("Uitzondering"),
        "consent": word("Formulier"),
        "accessories": word("Lader"),
    }
)


def seed_client(*, actor, counsellor, region, organisation, municipality, seeded):
    """A client with every kind of record, each holding one of the seeded values."""
    number = synthetic_insz(seeded["birth_date"], 7)
    client = services.client_create(
        actor=actor,
        region=region,
        organisation=organisation,
        municipality=municipality,
        counsellor=counsellor,
        national_number=number,
        first_name=seeded["first_name"],
        last_name=seeded["last_name"],
        street=seeded["street"],
        phone=seeded["phone"],
        email=seeded["email"],
        vdab_reference=seeded["vdab_reference"],
        birth_date=seeded["birth_date"],
    )
    client = services.client_update(
        actor=actor, client=client, expected_version=client.version, phone=seeded["other_phone"]
    )
    services.referral_create(
        actor=actor,
        client=client,
        referring_organisation=organisation,
        target_organisation=organisation,
        measure=measure("AZ"),
        referred_on=D(2015, 10, 1),
        status=ReferralStatus.REFUSED,
        reason=seeded["reason"],
    )
    step = services.step_create(
        actor=actor,
        client=client,
        measure=measure("LDE"),
        organisation=organisation,
        start=D(2016, 1, 1),
        planned_end=D(2021, 6, 1),
        exception_reason=seeded["exception"],
        hours_per_week=Decimal("38"),
    )
    services.step_update(
        actor=actor,
        step=step,
        expected_version=step.version,
        end=D(2020, 12, 31),
        end_reason=EndReason.REGULAR_JOB,
    )
    services.legal_basis_record(
        actor=counsellor,
        client=client,
        purpose=Purpose.SUPPORT_NEED,
        ground=Ground.EXPLICIT_CONSENT,
        reference=seeded["consent"],
    )
    services.support_need_set(actor=counsellor, client=client, category="psychosocial")
    services.contact_record(
        actor=counsellor,
        client=client,
        kind=ContactKind.DOORSTEP,
        on=D(2020, 4, 3),
        note=seeded["note"],
        wellbeing_flag=True,
    )
    services.loan_create(
        actor=counsellor,
        device=DeviceFactory.create(organisation=organisation),
        client=client,
        start=D(2020, 4, 1),
        due=D(2020, 6, 1),
        accessories=seeded["accessories"],
    )
    services.client_national_number_reveal(actor=actor, client=client, reason="Controle RSZ")
    return client, number


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seeded=values)
def test_after_erasure_no_table_holds_the_clients_values(
    coordinator,
    counsellor,
    home_region,
    partner_organisation,
    home_municipality,
    insz_basis,
    seeded,
):
    client, number = seed_client(
        actor=coordinator,
        counsellor=counsellor,
        region=home_region,
        organisation=partner_organisation,
        municipality=home_municipality,
        seeded=seeded,
    )
    before = database_dump()
    assert seeded["first_name"] in before  # the dump does see the values while they exist
    assert seeded["note"] in before

    rights.client_erase(actor=coordinator, client=client, reason="Verzoek van de cliënt")

    dump = database_dump()
    seeded_values = [*seeded.values(), seeded["birth_date"].isoformat(), number]
    leaked = [value for value in seeded_values if str(value) in dump]
    assert leaked == []


def test_the_figures_stay_the_same(
    coordinator, counsellor, home_region, partner_organisation, home_municipality, insz_basis
):
    client, _number = seed_client(
        actor=coordinator,
        counsellor=counsellor,
        region=home_region,
        organisation=partner_organisation,
        municipality=home_municipality,
        seeded={
            "first_name": "Vnaam",
            "last_name": "Anaam",
            "street": "Straat 1",
            "phone": "0470000001",
            "other_phone": "0470000002",
            "email": "x@example.org",
            "vdab_reference": "VDAB-1",
            "birth_date": D(1960, 1, 1),
            "note": "Notitie",
            "reason": "Reden",
            "exception": "Uitzondering",
            "consent": "Formulier",
            "accessories": "Lader",
        },
    )
    before = selectors.progression(region=home_region, year=2020, suppress=False)

    rights.client_erase(actor=coordinator, client=client, reason="Verzoek van de cliënt")

    assert selectors.progression(region=home_region, year=2020, suppress=False) == before
    client.refresh_from_db()
    assert client.status == ClientStatus.ANONYMISED
    assert client.trajectories.get().steps.get().end_reason == EndReason.REGULAR_JOB


def test_the_act_is_logged_without_the_values(coordinator, own_client):
    rights.client_erase(actor=coordinator, client=own_client, reason="Verzoek van 3 maart")

    entry = AccessLog.objects.get(action=AccessAction.ERASE)
    assert (entry.username, entry.client_code, entry.reason) == (
        "coordinator",
        own_client.code,
        "Verzoek van 3 maart",
    )
    audit = AuditEntry.objects.get(action="client.erase")
    assert audit.object_repr == own_client.code
    assert all(isinstance(value, int) for value in audit.details.values())
    with pytest.raises(DomainError):
        rights.client_erase(actor=coordinator, client=own_client, reason="nog eens")


def test_erasure_needs_a_reason(coordinator, own_client):
    with pytest.raises(DomainError) as error:
        rights.client_erase(actor=coordinator, client=own_client, reason="")
    assert "reason" in error.value.message_dict


def test_the_coordinator_erases_through_the_page(client, coordinator, own_client):
    client.force_login(coordinator)
    url = reverse("clients:client_erase", args=[own_client.pk])

    wrong = client.post(url, {"reason": "Verzoek van de cliënt", "confirm": "C-XXXX"})
    assert "confirm" in wrong.context["form"].errors
    done = client.post(url, {"reason": "Verzoek van de cliënt", "confirm": own_client.code})

    assert done.status_code == 302
    assert Client.objects.get(pk=own_client.pk).status == ClientStatus.ANONYMISED
    assert client.get(reverse("clients:client_detail", args=[own_client.pk])).status_code == 404
