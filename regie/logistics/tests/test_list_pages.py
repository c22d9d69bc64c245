"""Every list page of the home work loads what it shows of its rows with its selector: the queries
do not grow with the rows, and with lazy loads refused (``FETCH_RAISE``) it renders. So do the
choices of its forms."""

from collections.abc import Callable

import pytest
from django import forms
from django.urls import reverse
from zeal import zeal_context

from regie.clients.models import Client
from regie.logistics import selectors
from regie.logistics.forms import AssignmentForm, OrderForm
from regie.logistics.models import RoundPlan
from regie.logistics.tests.factories import OrderFactory, VanFactory, stored_plan
from regie.registry.models import Organisation
from regie.registry.tests.factories import PersonFactory
from regie.tests.n_plus_one import lazy_loads_raise
from regie.tests.queries import assert_no_growth


def _choices(form: forms.BaseForm, name: str) -> list[tuple[object, str]]:
    """The choices as the form renders them: each labelled by ``str()`` of its row."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return [(value, str(label)) for value, label in field.iterator(field)]


@pytest.fixture
def rows(partner, partner_organisation) -> Callable[[], RoundPlan]:
    """Adds a van with a driver and a finished plan of two orders on it."""

    def add() -> RoundPlan:
        driver = PersonFactory.create(region=partner_organisation.region)
        van = VanFactory.create(organisation=partner_organisation, driver=driver)
        orders = OrderFactory.create_batch(2, assignment__organisation=partner_organisation)
        return stored_plan(orders=orders, van=van, created_by=partner)

    return add


@pytest.mark.parametrize(
    "route",
    [
        "logistics:assignment_list",
        "logistics:order_list",
        "logistics:van_list",
        "logistics:plan_list",
    ],
)
def test_a_list_page_loads_its_rows_with_its_selector(
    client, partner, rows, route, django_assert_max_num_queries
):
    rows()
    client.force_login(partner)
    assert_no_growth(
        client,
        reverse(route),
        add_rows=lambda: [rows() for _ in range(4)],
        max_num_queries=django_assert_max_num_queries,
    )


def test_the_drivers_rounds_load_their_stops_with_the_selector(
    client, partner, rows, django_assert_max_num_queries
):
    plan = rows()
    driver = plan.vans.get().driver
    partner.person = driver
    partner.save()

    def four_more_plans() -> None:
        for _ in range(4):
            more = rows()
            more.vans.update(driver=driver)

    client.force_login(partner)
    assert_no_growth(
        client,
        reverse("logistics:my_rounds"),
        add_rows=four_more_plans,
        max_num_queries=django_assert_max_num_queries,
    )


def test_the_plan_list_selector_loads_what_the_list_shows(partner, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        shown = [
            (plan.organisation.name, plan.created_by and plan.created_by.username)
            for plan in selectors.plan_list(user=partner)
        ]
    assert len(shown) == 3


def test_the_order_list_selector_loads_what_the_list_shows(partner, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        shown = [
            (
                order.assignment.client.full_name,
                order.assignment.organisation.name,
                *(window.start for window in order.windows.all()),
            )
            for order in selectors.order_list(user=partner)
        ]
    assert len(shown) == 6


def test_the_order_forms_choices_come_with_the_clients_they_are_named_by(partner, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        form = OrderForm(assignments=selectors.assignment_choices(user=partner))
        labels = [label for value, label in _choices(form, "assignment") if value]
    assert len(labels) == 6


def test_the_site_choices_come_with_what_they_are_named_by(partner, partner_organisation, rows):
    for _ in range(3):
        rows()
    organisations = Organisation.objects.filter(pk=partner_organisation.pk)
    with zeal_context(), lazy_loads_raise():
        form = AssignmentForm(
            clients=Client.objects.none(),
            organisations=organisations,
            sites=selectors.site_choices(organisations=organisations),
        )
        labels = [label for value, label in _choices(form, "site") if value]
    assert labels
