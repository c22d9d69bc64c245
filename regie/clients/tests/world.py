"""Client records for the access matrices (regie/tests/test_access_matrix.py and
test_api_access_matrix.py): one client with every kind of record, whose ids the rows use."""

import datetime
from decimal import Decimal
from typing import Any

from regie.accounts.models import User
from regie.clients import services
from regie.clients.models import ClientCounsellor, Ground, Purpose
from regie.clients.tests import factories
from regie.registry.models import Municipality, Organisation


def client_world(
    *,
    organisation: Organisation,
    municipality: Municipality,
    counsellor: User,
    actor: User,
    serial: str,
) -> dict[str, int]:
    """A client of ``organisation`` followed by ``counsellor``: a national number, a support
    need, a referral, a step, a worrying doorstep talk (so a follow-up), a device on loan and
    an enrolment in a session of ``organisation``. Returns the ids by name."""
    region = organisation.region
    organisation_basis = factories.OrganisationLegalBasisFactory.create(organisation=organisation)
    client = services.client_create(
        actor=actor,
        region=region,
        organisation=organisation,
        municipality=municipality,
        first_name="Matrix",
        last_name=f"Cliënt {serial}",
        national_number=factories.synthetic_insz(datetime.date(1970, 1, 1), int(serial)),
    )
    counselling = ClientCounsellor.objects.create(
        client=client, counsellor=counsellor, start=datetime.date(2019, 1, 1)
    )
    basis = services.legal_basis_record(
        actor=actor,
        client=client,
        purpose=Purpose.SUPPORT_NEED,
        ground=Ground.EXPLICIT_CONSENT,
        reference="formulier",
    )
    need = services.support_need_set(actor=actor, client=client, category="mobility")
    referral = factories.ReferralFactory.create(
        client=client, referring_organisation=organisation, target_organisation=organisation
    )
    step = services.step_create(
        actor=actor,
        client=client,
        measure=factories.measure("AZ"),
        organisation=organisation,
        start=datetime.date(2019, 1, 1),
        hours_per_week=Decimal("19"),
    )
    services.contact_record(
        actor=counsellor,
        client=client,
        kind="doorstep",
        on=datetime.date(2020, 4, 2),
        wellbeing_flag=True,
    )
    device = factories.DeviceFactory.create(organisation=organisation, serial_number=serial)
    loan = services.loan_create(
        actor=actor,
        device=factories.DeviceFactory.create(organisation=organisation),
        client=client,
        start=datetime.date(2020, 4, 1),
        due=datetime.date(2020, 6, 30),
    )
    session = factories.SkillsSessionFactory.create(region=region, organisation=organisation)
    enrolment = factories.EnrolmentFactory.create(session=session, client=client)
    ids: dict[str, Any] = {
        "client": client.pk,
        "counselling": counselling.pk,
        "basis": basis.pk,
        "need": need.pk,
        "referral": referral.pk,
        "step": step.pk,
        "follow_up": client.follow_ups.get().pk,
        "device": device.pk,
        "loan": loan.pk,
        "session": session.pk,
        "enrolment": enrolment.pk,
        "organisation_basis": organisation_basis.pk,
    }
    return ids
