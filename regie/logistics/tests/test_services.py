"""Services of the logistics app: planning a day, manual changes and doorstep check-ins."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.clients.models import ClientCounsellor, ClientFollowUp, Contact, ContactKind
from regie.core.errors import DomainError
from regie.logistics import services, solver
from regie.logistics.models import (
    Order,
    OrderStatus,
    Outcome,
    PlanStatus,
    RoundPlan,
    UnservedReason,
)
from regie.logistics.tests.factories import (
    AssignmentFactory,
    OrderFactory,
    VanFactory,
    WindowFactory,
    stored_plan,
    with_coordinates,
)

DAY = datetime.date(2020, 4, 21)  # a Tuesday


@pytest.fixture
def depot(partner_organisation):
    return with_coordinates(partner_organisation.sites.get())


@pytest.fixture
def van(partner_organisation, depot):
    return VanFactory.create(organisation=partner_organisation, name="Wagen A")


@pytest.fixture
def orders(partner_organisation, depot):
    made = []
    for _ in range(4):
        order = OrderFactory.create(assignment__organisation=partner_organisation)
        WindowFactory.create(order=order, weekday=DAY.weekday())
        made.append(order)
    return made


def _plan(partner, orders, vans, seconds=1):
    return services.round_plan(
        actor=partner,
        organisation=partner.organisation,
        day=DAY,
        orders=orders,
        vans=vans,
        seconds=seconds,
    )


def test_round_plan_runs_as_a_task_and_stores_routes(partner, orders, van):
    plan = _plan(partner, orders, [van])
    assert plan.status == PlanStatus.DONE
    assert plan.progress == 100
    stops = list(plan.stops.order_by("position"))
    assert [stop.position for stop in stops] == [1, 2, 3, 4]
    assert {stop.order for stop in stops} == set(orders)
    for stop in stops:
        assert datetime.time(9) <= stop.arrival <= datetime.time(12, 10)
        assert stop.departure > stop.arrival
    route = plan.routes.get()
    assert route.distance > 0
    assert route.hours > 0
    assert plan.matrix_source == "straight_line"
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.PLANNED}


def test_the_plan_shows_the_solvers_progress_while_it_runs(partner, orders, van):
    with CaptureQueriesContext(connection) as queries:
        plan = _plan(partner, orders, [van], seconds=2)

    shown = [
        int(found.group(1))
        for query in queries.captured_queries
        if (found := re.search(r'SET "progress" = (\d+)', query["sql"]))
    ]
    assert shown == sorted(shown)
    assert len([percent for percent in shown if 10 < percent < 90]) >= 2
    assert plan.progress == 100


def test_an_order_whose_windows_miss_the_day_is_unserved_with_a_reason(partner, orders, van):
    closed = OrderFactory.create(assignment__organisation=partner.organisation)
    WindowFactory.create(order=closed, weekday=(DAY.weekday() + 1) % 7)
    plan = _plan(partner, [*orders, closed], [van])
    unserved = plan.unserved.get()
    assert unserved.order == closed
    assert unserved.reason == UnservedReason.TIME_WINDOW


def test_no_vans_is_refused(partner, orders):
    with pytest.raises(DomainError) as error:
        _plan(partner, orders, [])
    assert "vans" in error.value.message_dict
    assert not RoundPlan.objects.exists()


def test_clients_without_coordinates_are_listed_by_name(partner, orders, van):
    client = orders[0].assignment.client
    client.latitude = client.longitude = None
    client.save()
    with pytest.raises(DomainError) as error:
        _plan(partner, orders, [van])
    assert client.full_name in " ".join(error.value.message_dict["orders"])
    assert not RoundPlan.objects.exists()


def test_a_load_larger_than_any_van_is_named(partner, orders, van):
    orders[1].volume = 5000
    orders[1].save()
    with pytest.raises(DomainError) as error:
        _plan(partner, orders, [van])
    message = " ".join(error.value.message_dict["orders"])
    assert orders[1].assignment.client.full_name in message


def test_the_time_limit_is_bounded(partner, orders, van):
    with pytest.raises(DomainError) as error:
        _plan(partner, orders, [van], seconds=0)
    assert "time_limit" in error.value.message_dict


def test_orders_and_vans_of_another_organisation_are_refused(partner, orders, depot):
    foreign_van = VanFactory.create()
    with pytest.raises(DomainError):
        _plan(partner, orders, [foreign_van])


def test_a_window_that_ends_before_it_starts_is_refused(partner, orders):
    order = orders[0]
    with pytest.raises(DomainError) as error:
        services.order_update(
            actor=partner,
            order=order,
            expected_version=order.version,
            windows=[services.NewWindow(weekday=1, start=datetime.time(12), end=datetime.time(9))],
        )
    assert "windows" in error.value.message_dict


def test_an_order_delivers_or_picks_up(partner, partner_organisation, depot):
    assignment = AssignmentFactory.create(organisation=partner_organisation)
    with pytest.raises(DomainError) as error:
        services.order_create(
            actor=partner, assignment=assignment, deliver=False, pick_up=False, requested_from=DAY
        )
    assert "deliver" in error.value.message_dict


def test_moving_a_stop_renumbers_both_vans_and_locks_it(partner, orders, van, partner_organisation):
    other = VanFactory.create(organisation=partner_organisation, name="Wagen B")
    plan = stored_plan(orders=orders, van=van)
    plan.vans.add(other)
    stop = plan.stops.get(position=2)
    services.round_stop_move(actor=partner, stop=stop, van=other, position=1)
    stop.refresh_from_db()
    assert stop.van == other
    assert stop.position == 1
    assert stop.locked
    assert list(plan.stops.filter(van=van).values_list("position", flat=True)) == [1, 2, 3]
    assert plan.routes.count() == 2


def test_moving_to_a_van_outside_the_plan_is_refused(partner, orders, van, partner_organisation):
    plan = stored_plan(orders=orders, van=van)
    stranger = VanFactory.create(organisation=partner_organisation)
    with pytest.raises(DomainError):
        services.round_stop_move(
            actor=partner, stop=plan.stops.get(position=1), van=stranger, position=1
        )


def test_replan_keeps_a_moved_stop_in_place_and_spreads_the_others_over_every_van(
    partner, partner_organisation, depot
):
    # Each van carries three orders at most: the day needs both vans, the locked one included.
    vans = [
        VanFactory.create(organisation=partner_organisation, name=name, capacity_volume=120)
        for name in ("Wagen A", "Wagen B")
    ]
    orders = []
    for _ in range(6):
        order = OrderFactory.create(assignment__organisation=partner_organisation)
        WindowFactory.create(order=order, weekday=DAY.weekday())
        orders.append(order)
    plan = _plan(partner, orders, vans)
    assert plan.unserved.count() == 0
    stop = plan.stops.filter(van=vans[0]).order_by("position").last()
    services.round_stop_move(actor=partner, stop=stop, van=vans[1], position=1)

    services.round_replan(actor=partner, plan=plan, seconds=1)

    stop.refresh_from_db()
    assert (stop.van, stop.position, stop.locked) == (vans[1], 1, True)
    assert plan.unserved.count() == 0
    for van in vans:
        positions = list(plan.stops.filter(van=van).values_list("position", flat=True))
        assert positions == [1, 2, 3], van.name
    assert set(plan.stops.values_list("order", flat=True)) == {order.pk for order in orders}
    assert plan.routes.count() == 2


def test_a_locked_stop_keeps_its_position_on_its_van(partner, orders, van, partner_organisation):
    other = VanFactory.create(organisation=partner_organisation, name="Wagen B")
    plan = _plan(partner, orders, [van, other])
    locked = plan.stops.filter(position=2).select_related("van").first()
    assert locked is not None
    services.round_stop_lock(actor=partner, stop=locked, locked=True)

    services.round_replan(actor=partner, plan=plan, seconds=1)

    on_van = locked.van
    locked.refresh_from_db()
    assert (locked.van, locked.position, locked.locked) == (on_van, 2, True)
    served = set(plan.stops.values_list("order", flat=True))
    assert served == {order.pk for order in orders}
    assert not plan.unserved.exists()


def test_check_in_puts_a_doorstep_contact_and_a_follow_up_in_the_client_file(
    partner, counsellor, orders, van
):
    plan = stored_plan(orders=orders, van=van)
    stop = plan.stops.get(position=1)
    client = stop.order.assignment.client
    ClientCounsellor.objects.create(client=client, counsellor=counsellor, start=DAY)
    services.stop_check_in(
        actor=partner,
        stop=stop,
        outcome=Outcome.DELIVERED,
        pickup_done=True,
        note="Zag er moe uit.",
        wellbeing_flag=True,
    )
    contact = Contact.objects.get(client=client)
    assert contact.kind == ContactKind.DOORSTEP
    assert contact.on == DAY
    assert contact.note == "Zag er moe uit."
    assert contact.wellbeing_flag
    assert ClientFollowUp.objects.get(client=client).assignee == counsellor
    stop.refresh_from_db()
    assert stop.checked_in_at is not None
    assert stop.contact == contact
    assert Order.objects.get(pk=stop.order_id).status == OrderStatus.DONE


def test_not_home_without_a_note_is_no_contact(partner, orders, van):
    plan = stored_plan(orders=orders, van=van)
    services.stop_check_in(actor=partner, stop=plan.stops.get(position=1), outcome=Outcome.NOT_HOME)
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": Outcome.DELIVERED, "note": "x" * 501}, "note"),
    ],
)
def test_bad_check_ins_are_refused(partner, orders, van, fields, field):
    plan = stored_plan(orders=orders, van=van)
    with pytest.raises(DomainError) as error:
        services.stop_check_in(actor=partner, stop=plan.stops.get(position=1), **fields)
    assert field in error.value.message_dict
    assert not Contact.objects.exists()


def test_a_stop_is_checked_in_once(partner, orders, van):
    plan = stored_plan(orders=orders, van=van)
    stop = plan.stops.get(position=1)
    services.stop_check_in(actor=partner, stop=stop, outcome=Outcome.REFUSED)
    with pytest.raises(DomainError):
        services.stop_check_in(actor=partner, stop=stop, outcome=Outcome.DELIVERED)


def test_a_planner_error_fails_the_plan_instead_of_leaving_it_running(
    partner, orders, van, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(solver, "plan_routes", broken)
    plan = _plan(partner, orders, [van])
    assert plan.status == PlanStatus.FAILED
    assert plan.progress == 100
    assert not plan.stops.exists()


def test_running_a_finished_plan_again_changes_nothing(partner, orders, van):
    plan = _plan(partner, orders, [van])
    stops = list(plan.stops.values_list("pk", flat=True))
    services.round_plan_run(plan_id=plan.pk)
    assert list(plan.stops.values_list("pk", flat=True)) == stops
