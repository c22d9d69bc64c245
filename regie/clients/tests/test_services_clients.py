"""Client files, national numbers, legal bases and the support need."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from regie.clients import services
from regie.clients.models import (
    AccessAction,
    AccessLog,
    Client,
    Ground,
    LegalBasis,
    Purpose,
    SupportCategory,
    SupportNeed,
)
from regie.clients.tests.factories import (
    LegalBasisFactory,
    OrganisationLegalBasisFactory,
    synthetic_insz,
)
from regie.core.errors import DomainError
from regie.core.models import AuditEntry
from regie.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NUMBER = synthetic_insz(datetime.date(1979, 11, 23), 145)


def _new(actor, region, organisation, municipality, **extra):
    return services.client_create(
        actor=actor,
        region=region,
        organisation=organisation,
        municipality=municipality,
        first_name="Sofie",
        last_name="Maes",
        **extra,
    )


def test_a_counsellor_opens_a_file_and_follows_the_client(
    counsellor, home_region, partner_organisation, home_municipality
):
    client = _new(
        counsellor, home_region, partner_organisation, home_municipality, counsellor=counsellor
    )

    assert client.code.startswith("C-")
    assert client.counsellings.get().counsellor == counsellor
    assert Client.objects.visible_to(counsellor).filter(pk=client.pk).exists()
    entry = AuditEntry.objects.get(action="client.create")
    assert entry.object_repr == client.code  # never the name


def test_the_national_number_needs_the_organisations_legal_basis(
    coordinator, home_region, partner_organisation, home_municipality
):
    with pytest.raises(DomainError) as error:
        _new(
            coordinator,
            home_region,
            partner_organisation,
            home_municipality,
            national_number=NUMBER,
        )
    assert "legal basis" in error.value.message_dict["national_number"][0]
    assert not Client.objects.exists()


def test_the_national_number_is_stored_sealed_and_masked(
    coordinator, home_region, partner_organisation, home_municipality, insz_basis
):
    client = _new(
        coordinator, home_region, partner_organisation, home_municipality, national_number=NUMBER
    )

    client.refresh_from_db()
    assert client.has_national_number
    assert NUMBER.encode() not in bytes(client.insz_encrypted)
    assert client.insz_masked == "INSZ ••.••.••-145.••"
    assert NUMBER not in str(client.history.values())


def test_an_invalid_national_number_is_refused_by_field(
    coordinator, home_region, partner_organisation, home_municipality, insz_basis
):
    wrong = NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10)
    with pytest.raises(DomainError) as error:
        _new(
            coordinator,
            home_region,
            partner_organisation,
            home_municipality,
            national_number=wrong,
        )
    assert "check digits" in error.value.message_dict["national_number"][0]


def test_a_national_number_belongs_to_one_client_per_region(
    coordinator, home_region, partner_organisation, home_municipality, insz_basis
):
    _new(coordinator, home_region, partner_organisation, home_municipality, national_number=NUMBER)
    with pytest.raises(DomainError) as error:
        _new(
            coordinator,
            home_region,
            partner_organisation,
            home_municipality,
            national_number=f"{NUMBER[:2]}.{NUMBER[2:]}",
        )
    assert "Another client" in error.value.message_dict["national_number"][0]
    assert Client.objects.count() == 1


def test_revealing_asks_a_reason_and_is_logged(coordinator, own_client, insz_basis):
    services.client_national_number_set(
        actor=coordinator, client=own_client, national_number=NUMBER
    )
    with pytest.raises(DomainError) as error:
        services.client_national_number_reveal(actor=coordinator, client=own_client, reason=" ")
    assert "reason" in error.value.message_dict
    assert not AccessLog.objects.filter(action=AccessAction.UNMASK).exists()

    number = services.client_national_number_reveal(
        actor=coordinator, client=own_client, reason="Aanvraag attest bij RVA"
    )

    assert number == NUMBER
    entry = AccessLog.objects.get(action=AccessAction.UNMASK)
    assert (entry.user, entry.client, entry.reason) == (
        coordinator,
        own_client,
        "Aanvraag attest bij RVA",
    )


def test_withdrawing_the_organisations_basis_removes_its_numbers(
    coordinator, own_client, insz_basis
):
    services.client_national_number_set(
        actor=coordinator, client=own_client, national_number=NUMBER
    )

    removed = services.organisation_legal_basis_withdraw(actor=coordinator, basis=insz_basis)

    own_client.refresh_from_db()
    assert removed == 1
    assert not own_client.has_national_number
    assert own_client.insz_encrypted is None


def test_another_basis_keeps_the_numbers(coordinator, own_client, insz_basis):
    OrganisationLegalBasisFactory.create(organisation=own_client.organisation)
    services.client_national_number_set(
        actor=coordinator, client=own_client, national_number=NUMBER
    )

    assert services.organisation_legal_basis_withdraw(actor=coordinator, basis=insz_basis) == 0


def test_a_support_need_needs_its_own_legal_basis(counsellor, own_client):
    with pytest.raises(DomainError) as error:
        services.support_need_set(
            actor=counsellor, client=own_client, category=SupportCategory.MOBILITY
        )
    assert "category" in error.value.message_dict

    services.legal_basis_record(
        actor=counsellor,
        client=own_client,
        purpose=Purpose.SUPPORT_NEED,
        ground=Ground.EXPLICIT_CONSENT,
        reference="formulier",
    )
    need = services.support_need_set(
        actor=counsellor, client=own_client, category=SupportCategory.MOBILITY, level="low"
    )

    assert need.category == SupportCategory.MOBILITY
    assert LegalBasis.objects.get(client=own_client).recorded_by == counsellor


def test_withdrawn_consent_deletes_the_support_need(counsellor, own_client):
    basis = LegalBasisFactory.create(client=own_client)
    services.support_need_set(actor=counsellor, client=own_client, category="physical")

    services.legal_basis_withdraw(actor=counsellor, basis=basis)

    assert not SupportNeed.objects.filter(client=own_client).exists()
    basis.refresh_from_db()
    assert basis.withdrawn_by == counsellor
    with pytest.raises(DomainError):
        services.legal_basis_withdraw(actor=counsellor, basis=basis)


def test_a_client_file_stays_in_its_region(
    coordinator, home_region, home_municipality, other_region
):
    elsewhere = OrganisationFactory.create(region=other_region)
    with pytest.raises(DomainError) as error:
        _new(coordinator, home_region, elsewhere, home_municipality)
    assert "organisation" in error.value.message_dict


def test_an_edit_changes_the_details_it_names_and_nothing_else(coordinator, own_client):
    client = services.client_update(
        actor=coordinator, client=own_client, expected_version=own_client.version, phone="056 1"
    )
    assert (client.phone, client.street) == ("056 1", "Leiestraat 12")
    # The status, code and national number follow from other services, never from an edit.
    with pytest.raises(TypeError):
        services.client_update(  # type: ignore[call-arg]  # the call the signature refuses
            actor=coordinator, client=client, expected_version=client.version, status="ended"
        )
    client.refresh_from_db()
    assert client.status == own_client.status


def test_a_postcode_must_belong_to_the_municipality(
    coordinator, home_region, partner_organisation, home_municipality
):
    with pytest.raises(ValidationError) as error:
        _new(coordinator, home_region, partner_organisation, home_municipality, postcode="9000")
    assert "postcode" in error.value.message_dict


def test_counsellors_come_from_the_region(coordinator, own_client, outsider, counsellor):
    with pytest.raises(DomainError):
        services.counsellor_assign(actor=coordinator, client=own_client, counsellor=outsider)
    with pytest.raises(DomainError, match="already follows"):
        services.counsellor_assign(actor=coordinator, client=own_client, counsellor=counsellor)
