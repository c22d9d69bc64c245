"""Logistics pages run a fixed number of queries, whatever the number of stops or orders."""

import datetime

import pytest
from django.urls import reverse

from regie.logistics.models import RoundStop
from regie.logistics.tests.factories import OrderFactory, VanFactory, stored_plan, with_coordinates
from regie.tests.queries import assert_no_growth

DAY = datetime.date(2020, 4, 21)


@pytest.fixture
def van(partner_organisation):
    with_coordinates(partner_organisation.sites.get())
    return VanFactory.create(organisation=partner_organisation, name="Wagen A")


def test_round_plan_detail_does_not_grow_with_its_stops(
    client, partner, partner_organisation, van, django_assert_max_num_queries
):
    """Each stop's client and municipality, and the vans of its move form, come with the page."""
    first = OrderFactory.create(assignment__organisation=partner_organisation, requested_from=DAY)
    plan = stored_plan(orders=[first], van=van)
    client.force_login(partner)

    def four_more_stops() -> None:
        for position in range(2, 6):
            order = OrderFactory.create(
                assignment__organisation=partner_organisation,
                assignment__client__place="",
                requested_from=DAY,
            )
            plan.orders.add(order)
            RoundStop.objects.create(
                plan=plan,
                van=van,
                position=position,
                order=order,
                arrival=datetime.time(9 + position),
                departure=datetime.time(9 + position, 10),
                distance_from_previous=1000,
            )

    url = reverse("logistics:plan_detail", args=[plan.pk])
    assert_no_growth(
        client, url, add_rows=four_more_stops, max_num_queries=django_assert_max_num_queries
    )
    page = client.get(url).content.decode()
    assert page.count('name="position"') == 5


def test_order_list_does_not_grow_with_its_orders(
    client, partner, partner_organisation, django_assert_max_num_queries
):
    OrderFactory.create(assignment__organisation=partner_organisation)
    client.force_login(partner)
    assert_no_growth(
        client,
        reverse("logistics:order_list"),
        add_rows=lambda: OrderFactory.create_batch(
            4, assignment__organisation=partner_organisation
        ),
        max_num_queries=django_assert_max_num_queries,
    )


def test_the_order_list_is_paginated_and_keeps_its_filter(
    client, partner, partner_organisation, settings
):
    settings.REGIE_PAGE_SIZE = 2
    orders = OrderFactory.create_batch(3, assignment__organisation=partner_organisation)
    edit_links = [reverse("logistics:order_edit", args=[order.pk]) for order in orders]
    client.force_login(partner)
    url = reverse("logistics:order_list")

    first = client.get(url + "?status=open").text
    second = client.get(url + "?status=open&page=2", headers={"HX-Request": "true"}).text

    assert [link in first for link in edit_links] == [True, True, False]
    assert 'href="?status=open&amp;page=2"' in first
    assert "<html" not in second
    assert [link in second for link in edit_links] == [False, False, True]
