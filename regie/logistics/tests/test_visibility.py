"""Who sees which home work, vans, plans and stops (querysets.py)."""

import pytest

from regie.accounts.tests.factories import UserFactory
from regie.core.permissions import Role
from regie.logistics.models import HomeWorkAssignment, Order, RoundPlan, RoundStop, Van
from regie.logistics.tests.factories import OrderFactory, VanFactory, stored_plan
from regie.registry.tests.factories import OrganisationFactory, PersonFactory


@pytest.fixture
def plan(partner_organisation):
    van = VanFactory.create(organisation=partner_organisation)
    orders = OrderFactory.create_batch(2, assignment__organisation=partner_organisation)
    return stored_plan(orders=orders, van=van)


MODELS = (HomeWorkAssignment, Order, Van, RoundPlan, RoundStop)


@pytest.mark.parametrize("model", MODELS)
def test_the_coordinator_and_the_floors_partner_see_it(cast, plan, model):
    assert model.objects.visible_to(cast["coordinator"]).exists()
    assert model.objects.visible_to(cast["partner"]).exists()


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("role", ["counsellor", "viewer", "admin", "outsider"])
def test_other_roles_see_nothing(cast, plan, model, role):
    assert not model.objects.visible_to(cast[role]).exists()


@pytest.mark.parametrize("model", MODELS)
def test_a_partner_of_another_floor_sees_nothing(home_region, plan, model):
    other = UserFactory.create(
        role=Role.PARTNER,
        region=home_region,
        organisation=OrganisationFactory.create(region=home_region),
    )
    assert not model.objects.visible_to(other).exists()


def test_a_driver_sees_only_the_stops_of_their_own_van(home_region, partner_organisation, plan):
    person = PersonFactory.create(region=home_region)
    driver = UserFactory.create(
        role=Role.COUNSELLOR, region=home_region, organisation=partner_organisation, person=person
    )
    assert not RoundStop.objects.visible_to(driver).exists()
    Van.objects.filter(pk=plan.stops.first().van_id).update(driver=person)
    assert RoundStop.objects.visible_to(driver).count() == 2
    assert not RoundPlan.objects.visible_to(driver).exists()
    assert not Order.objects.visible_to(driver).exists()
