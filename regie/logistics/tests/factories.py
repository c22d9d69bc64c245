"""Factories of home work, orders and vans, and a finished plan stored without the solver."""

import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from regie.clients.tests.factories import ClientFactory
from regie.logistics import models
from regie.registry.models import Site
from regie.registry.tests.factories import OrganisationFactory, SiteFactory

KORTRIJK = (Decimal("50.828000"), Decimal("3.265000"))


def near(n: int) -> tuple[Decimal, Decimal]:
    """A point a few kilometres from Kortrijk, different for every ``n``."""
    return (
        KORTRIJK[0] + Decimal(n % 7 - 3) * Decimal("0.010000"),
        KORTRIJK[1] + Decimal(n % 5 - 2) * Decimal("0.015000"),
    )


class AssignmentFactory(DjangoModelFactory[models.HomeWorkAssignment]):
    class Meta:
        model = models.HomeWorkAssignment

    organisation = factory.SubFactory(OrganisationFactory)
    site = factory.LazyAttribute(
        lambda a: a.organisation.sites.first() or SiteFactory.create(organisation=a.organisation)
    )
    client = factory.SubFactory(
        ClientFactory,
        region=factory.SelfAttribute("..organisation.region"),
        organisation=factory.SelfAttribute("..organisation"),
        latitude=factory.Sequence(lambda n: near(n)[0]),
        longitude=factory.Sequence(lambda n: near(n)[1]),
    )
    kind_of_work = "Zakjes vouwen"
    material_kits = "2 dozen zakjes"


class OrderFactory(DjangoModelFactory[models.Order]):
    class Meta:
        model = models.Order

    assignment = factory.SubFactory(AssignmentFactory)
    deliver = True
    pick_up = True
    quantity = 2
    volume = 40
    weight = 10
    requested_from = datetime.date(2020, 4, 21)


class WindowFactory(DjangoModelFactory[models.OrderWindow]):
    class Meta:
        model = models.OrderWindow

    order = factory.SubFactory(OrderFactory)
    start = datetime.time(9, 0)
    end = datetime.time(12, 0)


class VanFactory(DjangoModelFactory[models.Van]):
    class Meta:
        model = models.Van

    organisation = factory.SubFactory(OrganisationFactory)
    depot = factory.LazyAttribute(
        lambda v: v.organisation.sites.first() or SiteFactory.create(organisation=v.organisation)
    )
    name = factory.Sequence(lambda n: f"Bestelwagen {n}")
    capacity_volume = 1000
    capacity_weight = 500


def with_coordinates(site: Site) -> Site:
    site.latitude, site.longitude = KORTRIJK
    site.save()
    return site


def stored_plan(
    *, orders: list[models.Order], van: models.Van, created_by: Any = None
) -> models.RoundPlan:
    """A finished plan with every order on ``van`` in the given order (no solver involved)."""
    plan = models.RoundPlan.objects.create(
        organisation=van.organisation,
        date=orders[0].requested_from,
        status=models.PlanStatus.DONE,
        progress=100,
        time_limit=1,
        matrix_source="straight_line",
        created_by=created_by,
    )
    plan.orders.set(orders)
    plan.vans.set([van])
    clock = datetime.datetime.combine(plan.date, datetime.time(9, 0))
    for position, order in enumerate(orders, start=1):
        models.RoundStop.objects.create(
            plan=plan,
            van=van,
            position=position,
            order=order,
            arrival=clock.time(),
            departure=(clock + datetime.timedelta(minutes=10)).time(),
            distance_from_previous=2000,
        )
        clock += datetime.timedelta(minutes=20)
    models.RoundRoute.objects.create(
        plan=plan,
        van=van,
        start=datetime.time(8, 45),
        end=clock.time(),
        distance=2000 * len(orders),
    )
    return plan
