"""Every list page of the client records loads what it shows of its rows with its selector: the
queries do not grow with the rows, and with lazy loads refused (``FETCH_RAISE``) it renders."""

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse
from zeal import zeal_context

from regie.clients import selectors
from regie.clients.access import access_record
from regie.clients.models import AccessAction, Client, ClientFollowUp
from regie.clients.tests import factories
from regie.tests.n_plus_one import lazy_loads_raise
from regie.tests.queries import assert_no_growth


@pytest.fixture
def rows(coordinator, home_region, home_municipality, partner_organisation) -> Callable[[], None]:
    """Adds one of each listed record, for a new client of the region."""

    def add() -> None:
        client = factories.ClientFactory.create(
            region=home_region, organisation=partner_organisation, municipality=home_municipality
        )
        contact = factories.ContactFactory.create(client=client, organisation=partner_organisation)
        ClientFollowUp.objects.create(
            client=client,
            contact=contact,
            assignee=coordinator,
            description="Terugbellen",
            due=datetime.date(2020, 5, 1),
        )
        device = factories.DeviceFactory.create(organisation=partner_organisation)
        factories.LoanFactory.create(device=device, client=client)
        session = factories.SkillsSessionFactory.create(
            region=home_region, organisation=partner_organisation
        )
        factories.EnrolmentFactory.create(session=session, client=client)
        factories.OrganisationLegalBasisFactory.create(
            organisation=partner_organisation, recorded_by=coordinator
        )
        access_record(user=coordinator, clients=[client], action=AccessAction.VIEW, what="test")

    return add


@pytest.mark.parametrize(
    "route",
    [
        "clients:client_list",
        "clients:follow_up_list",
        "clients:loan_list",
        "clients:device_list",
        "clients:session_list",
        "clients:legal_basis_list",
        "clients:access_log",
    ],
)
def test_a_list_page_loads_its_rows_with_its_selector(
    client, coordinator, rows, route, django_assert_max_num_queries
):
    rows()
    client.force_login(coordinator)
    assert_no_growth(
        client,
        reverse(route),
        add_rows=lambda: [rows() for _ in range(4)],
        max_num_queries=django_assert_max_num_queries,
    )


def test_the_follow_ups_selector_loads_what_the_list_shows(coordinator, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        shown = [
            (f.client.full_name, f.contact and f.contact.on, f.assignee, f.done_by)
            for f in selectors.my_follow_ups(user=coordinator)
        ]
    assert len(shown) == 3


def test_the_loans_selector_loads_what_the_list_shows(coordinator, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        shown = [
            (loan.client.full_name, loan.device.label, loan.device.organisation.name)
            for loan in selectors.loan_list(user=coordinator)
        ]
    assert len(shown) == 3


def test_the_client_list_selector_loads_what_the_list_shows(coordinator, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        clients: list[Client] = list(selectors.client_list(user=coordinator))
        selectors.with_current_step(user=coordinator, clients=clients)
        shown = [(c.full_name, c.municipality.name, c.organisation.name) for c in clients]
    assert len(shown) == 3
