"""Outreach contacts, the wellbeing follow-up, device loans and digital-skills sessions."""

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from regie.accounts.tests.factories import UserFactory
from regie.clients import selectors, services
from regie.clients.models import (
    ClientFollowUp,
    Condition,
    ContactKind,
    DeviceStatus,
    FollowUpStatus,
    Loan,
)
from regie.clients.tests.factories import (
    ClientCounsellorFactory,
    ClientFactory,
    DeviceFactory,
    EnrolmentFactory,
    SkillsSessionFactory,
)
from regie.core.errors import DomainError
from regie.core.permissions import Role
from regie.registry.tests.factories import AffiliationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_wellbeing_flag_creates_a_follow_up_for_the_counsellor(partner, counsellor, own_client):
    contact = services.contact_record(
        actor=partner,
        client=own_client,
        kind=ContactKind.DOORSTEP,
        on=D(2020, 4, 14),
        note="Voelt zich alleen.",
        wellbeing_flag=True,
    )

    follow_up = ClientFollowUp.objects.get()
    assert (follow_up.client, follow_up.contact, follow_up.assignee) == (
        own_client,
        contact,
        counsellor,
    )
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.due > timezone.localdate()
    assert list(selectors.my_follow_ups(user=counsellor)) == [follow_up]
    assert list(selectors.my_follow_ups(user=partner)) == []  # not theirs to do


def test_without_a_flag_there_is_no_follow_up(partner, own_client):
    services.contact_record(
        actor=partner, client=own_client, kind=ContactKind.PHONE, on=D(2020, 4, 14)
    )
    assert not ClientFollowUp.objects.exists()


def test_a_counsellor_who_follows_the_client_gets_their_own_flag(
    counsellor, own_client, home_region, partner_organisation
):
    colleague = UserFactory.create(
        role=Role.COUNSELLOR, region=home_region, organisation=partner_organisation
    )
    ClientCounsellorFactory.create(client=own_client, counsellor=colleague, start=D(2018, 1, 1))

    services.contact_record(
        actor=counsellor,
        client=own_client,
        kind=ContactKind.VIDEO,
        on=D(2020, 4, 14),
        wellbeing_flag=True,
    )

    assert ClientFollowUp.objects.get().assignee == counsellor


def test_a_contact_cannot_lie_in_the_future(counsellor, own_client):
    with pytest.raises(DomainError) as error:
        services.contact_record(
            actor=counsellor,
            client=own_client,
            kind=ContactKind.PHONE,
            on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "on" in error.value.message_dict


def test_a_follow_up_is_done_once(counsellor, own_client):
    services.contact_record(
        actor=counsellor, client=own_client, kind="doorstep", on=D(2020, 4, 1), wellbeing_flag=True
    )
    follow_up = ClientFollowUp.objects.get()

    services.follow_up_complete(actor=counsellor, follow_up=follow_up)

    assert (follow_up.status, follow_up.done_by) == (FollowUpStatus.DONE, counsellor)
    with pytest.raises(DomainError):
        services.follow_up_complete(actor=counsellor, follow_up=follow_up)


# Loans


@pytest.fixture
def laptop(partner_organisation):
    return DeviceFactory.create(organisation=partner_organisation, label="Laptop 1")


def test_a_device_already_lent_cannot_be_lent_again(counsellor, own_client, foreign_client, laptop):
    services.loan_create(
        actor=counsellor, device=laptop, client=own_client, start=D(2020, 4, 1), due=D(2020, 6, 30)
    )
    laptop.refresh_from_db()
    assert laptop.status == DeviceStatus.LENT

    with pytest.raises(DomainError) as error:
        services.loan_create(
            actor=counsellor,
            device=laptop,
            client=foreign_client,
            start=D(2020, 4, 2),
            due=D(2020, 6, 30),
        )

    assert "already lent" in error.value.message_dict["device"][0]
    assert Loan.objects.count() == 1


def test_a_returned_device_can_be_lent_again(counsellor, own_client, laptop):
    loan = services.loan_create(
        actor=counsellor, device=laptop, client=own_client, start=D(2020, 4, 1), due=D(2020, 6, 30)
    )
    services.loan_return(
        actor=counsellor,
        loan=loan,
        expected_version=loan.version,
        returned_on=D(2020, 6, 20),
        condition_returned=Condition.GOOD,
    )
    laptop.refresh_from_db()
    assert laptop.status == DeviceStatus.AVAILABLE
    assert services.loan_create(
        actor=counsellor, device=laptop, client=own_client, start=D(2020, 7, 1), due=D(2020, 9, 1)
    ).pk


def test_a_damaged_device_goes_to_repair_and_is_not_lent(counsellor, own_client, laptop):
    loan = services.loan_create(
        actor=counsellor, device=laptop, client=own_client, start=D(2020, 4, 1), due=D(2020, 6, 30)
    )
    services.loan_return(
        actor=counsellor,
        loan=loan,
        expected_version=loan.version,
        returned_on=D(2020, 6, 1),
        condition_returned=Condition.DAMAGED,
    )
    with pytest.raises(DomainError, match="in repair"):
        services.loan_create(
            actor=counsellor,
            device=laptop,
            client=own_client,
            start=D(2020, 7, 1),
            due=D(2020, 9, 1),
        )


def test_a_due_date_before_the_start_is_refused(counsellor, own_client, laptop):
    with pytest.raises(DomainError) as error:
        services.loan_create(
            actor=counsellor,
            device=laptop,
            client=own_client,
            start=D(2020, 4, 1),
            due=D(2020, 3, 1),
        )
    assert "due" in error.value.message_dict
    laptop.refresh_from_db()
    assert laptop.status == DeviceStatus.AVAILABLE


def test_a_return_before_the_start_is_refused(counsellor, own_client, laptop):
    loan = services.loan_create(
        actor=counsellor, device=laptop, client=own_client, start=D(2020, 4, 1), due=D(2020, 6, 30)
    )
    with pytest.raises(DomainError):
        services.loan_return(
            actor=counsellor,
            loan=loan,
            expected_version=loan.version,
            returned_on=D(2020, 3, 1),
            condition_returned=Condition.GOOD,
        )


def test_overdue_loans(counsellor, own_client, laptop, partner_organisation):
    today = timezone.localdate()
    services.loan_create(
        actor=counsellor,
        device=laptop,
        client=own_client,
        start=today - datetime.timedelta(days=30),
        due=today - datetime.timedelta(days=1),
    )
    services.loan_create(
        actor=counsellor,
        device=DeviceFactory.create(organisation=partner_organisation),
        client=own_client,
        start=today,
        due=today + datetime.timedelta(days=30),
    )

    overdue = list(selectors.loan_list(user=counsellor, overdue=True))

    assert [loan.device for loan in overdue] == [laptop]
    assert overdue[0].is_overdue


# Sessions


def test_a_session_fills_up(coordinator, home_region, partner_organisation, home_municipality):
    session = SkillsSessionFactory.create(
        region=home_region, organisation=partner_organisation, capacity=1
    )
    first, second = ClientFactory.create_batch(
        2, region=home_region, organisation=partner_organisation, municipality=home_municipality
    )
    enrolment = services.enrolment_create(actor=coordinator, session=session, client=first)

    with pytest.raises(DomainError, match="already enrolled"):
        services.enrolment_create(actor=coordinator, session=session, client=first)
    with pytest.raises(DomainError, match="full"):
        services.enrolment_create(actor=coordinator, session=session, client=second)

    services.enrolment_attendance(actor=coordinator, enrolment=enrolment, attended=True)
    sessions: Any = selectors.session_list(user=coordinator)
    assert sessions.get().attended == 1


def test_capacity_not_below_the_enrolments(coordinator, home_region, partner_organisation):
    enrolment = EnrolmentFactory.create(
        session__region=home_region, session__organisation=partner_organisation
    )
    session = enrolment.session
    with pytest.raises(DomainError) as error:
        services.session_update(
            actor=coordinator, session=session, expected_version=session.version, capacity=0
        )
    assert "capacity" in error.value.message_dict


# A worry always reaches a person


@pytest.fixture
def worry(django_capture_on_commit_callbacks: Any) -> Any:
    def record(actor: Any, client: Any) -> ClientFollowUp:
        with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
            services.contact_record(
                actor=actor,
                client=client,
                kind=ContactKind.DOORSTEP,
                on=D(2020, 4, 14),
                note="Maakt zich zorgen.",
                wellbeing_flag=True,
            )
        return ClientFollowUp.objects.get(client=client)

    return record


def test_a_worry_without_a_counsellor_goes_to_the_organisations_contact_person(
    worry, partner, home_region, partner_organisation, mailoutbox
):
    client = ClientFactory.create(region=home_region, organisation=partner_organisation)
    contact_person = UserFactory.create(
        role=Role.PARTNER,
        region=home_region,
        organisation=partner_organisation,
        person=AffiliationFactory.create(organisation=partner_organisation).person,
    )

    follow_up = worry(partner, client)

    assert follow_up.assignee == contact_person
    assert [mail.to for mail in mailoutbox] == [[contact_person.email]]


def test_a_worry_without_counsellor_or_contact_person_goes_to_the_coordinator(
    worry, partner, coordinator, home_region, partner_organisation, mailoutbox
):
    client = ClientFactory.create(region=home_region, organisation=partner_organisation)

    follow_up = worry(partner, client)

    assert follow_up.assignee == coordinator
    (mail,) = mailoutbox
    assert mail.to == [coordinator.email]
    assert client.code in mail.subject
    assert f"/clients/{client.pk}/" in mail.body
    assert client.last_name not in mail.body + mail.subject  # the code, never the name


def test_an_ended_counselling_no_longer_receives_worries(
    worry, partner, counsellor, coordinator, home_region, partner_organisation
):
    client = ClientFactory.create(region=home_region, organisation=partner_organisation)
    ClientCounsellorFactory.create(
        client=client, counsellor=counsellor, start=D(2018, 1, 1), end=D(2019, 12, 31)
    )

    assert worry(partner, client).assignee == coordinator


def test_the_counsellor_is_mailed_about_the_worry(
    worry, partner, counsellor, own_client, mailoutbox
):
    follow_up = worry(partner, own_client)

    assert follow_up.assignee == counsellor
    assert [mail.to for mail in mailoutbox] == [[counsellor.email]]


def test_the_worry_mail_is_dutch_whatever_language_the_noter_works_in(
    worry, partner, counsellor, own_client, mailoutbox
):
    with translation.override("en"):
        worry(partner, own_client)

    (mail,) = mailoutbox
    assert mail.subject.startswith("Een zorg over cliënt")
    assert mail.body.startswith("Dag ")
