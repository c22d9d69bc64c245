"""Logistics pages and API: the happy paths, the driver's own van, and bad input on every write."""

import datetime
import json

import pytest
from django.urls import reverse

from regie.accounts.tests.factories import UserFactory
from regie.clients.models import Contact
from regie.core.permissions import Role
from regie.logistics.models import Order, PlanStatus, RoundPlan, RoundStop, Van
from regie.logistics.tests.factories import (
    AssignmentFactory,
    OrderFactory,
    VanFactory,
    WindowFactory,
    stored_plan,
    with_coordinates,
)
from regie.registry.tests.factories import PersonFactory

DAY = datetime.date(2020, 4, 21)


@pytest.fixture
def van(partner_organisation):
    with_coordinates(partner_organisation.sites.get())
    return VanFactory.create(organisation=partner_organisation, name="Wagen A")


@pytest.fixture
def orders(partner_organisation, van):
    made = OrderFactory.create_batch(3, assignment__organisation=partner_organisation)
    for order in made:
        WindowFactory.create(order=order, weekday=DAY.weekday())
    return made


@pytest.fixture
def plan(orders, van):
    return stored_plan(orders=orders, van=van)


def _plan_post(orders, vans, **extra):
    return {
        "date": DAY.isoformat(),
        "orders": [order.pk for order in orders],
        "vans": [van.pk for van in vans],
        "time_limit": 1,
        **extra,
    }


def test_planning_a_day_shows_the_plan(client, partner, orders, van):
    client.force_login(partner)
    page = client.get(reverse("logistics:plan_create"), {"date": DAY.isoformat()})
    assert page.status_code == 200
    assert orders[0].assignment.client.full_name in page.content.decode()
    response = client.post(reverse("logistics:plan_create"), _plan_post(orders, [van]))
    plan = RoundPlan.objects.get()
    assert response.url == reverse("logistics:plan_detail", args=[plan.pk])
    assert plan.status == PlanStatus.DONE
    detail = client.get(response.url).content.decode()
    assert "round-map-data" in detail
    assert "Wagen A" in detail


def test_planning_without_vans_says_so(client, partner, orders):
    client.force_login(partner)
    response = client.post(reverse("logistics:plan_create"), _plan_post(orders, []))
    assert response.status_code == 200
    assert response.context["form"].errors["vans"]
    assert not RoundPlan.objects.exists()


def test_planning_clients_without_coordinates_names_them(client, partner, orders, van):
    lost = orders[0].assignment.client
    lost.latitude = None
    lost.save()
    client.force_login(partner)
    response = client.post(reverse("logistics:plan_create"), _plan_post(orders, [van]))
    assert lost.full_name in " ".join(response.context["form"].errors["orders"])


def test_the_progress_poll_renders_the_partial_then_refreshes(client, partner, plan):
    client.force_login(partner)
    RoundPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.RUNNING, progress=40)
    url = reverse("logistics:plan_detail", args=[plan.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    assert '<progress class="w-100" value="40" max="100"' in running.content.decode()
    assert "<html" not in running.content.decode()
    RoundPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DONE, progress=100)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"


def test_an_order_window_ending_before_it_starts_is_refused(client, partner, partner_organisation):
    assignment = AssignmentFactory.create(organisation=partner_organisation)
    client.force_login(partner)
    response = client.post(
        reverse("logistics:order_create"),
        {
            "assignment": assignment.pk,
            "deliver": "on",
            "quantity": 1,
            "volume": 10,
            "weight": 5,
            "requested_from": DAY.isoformat(),
            "priority": 1,
            "status": "open",
            "version": 1,
            "window_1_weekday": "1",
            "window_1_start": "12:00",
            "window_1_end": "09:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["window_1_end"]
    assert not Order.objects.exists()


def test_an_order_with_windows_is_saved(client, partner, partner_organisation):
    assignment = AssignmentFactory.create(organisation=partner_organisation)
    client.force_login(partner)
    response = client.post(
        reverse("logistics:order_create"),
        {
            "assignment": assignment.pk,
            "pick_up": "on",
            "quantity": 1,
            "volume": 10,
            "weight": 5,
            "requested_from": DAY.isoformat(),
            "priority": 2,
            "status": "open",
            "version": 1,
            "window_1_start": "09:00",
            "window_1_end": "10:00",
            "window_2_weekday": "3",
            "window_2_start": "14:00",
            "window_2_end": "16:00",
        },
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert [(w.weekday, w.start.hour) for w in order.windows.all()] == [(None, 9), (3, 14)]


def test_a_van_whose_hours_end_before_they_start_is_refused(client, partner, partner_organisation):
    client.force_login(partner)
    response = client.post(
        reverse("logistics:van_create"),
        {
            "organisation": partner_organisation.pk,
            "depot": partner_organisation.sites.get().pk,
            "name": "Wagen X",
            "capacity_volume": 100,
            "capacity_weight": 100,
            "shift_start": "17:00",
            "shift_end": "08:00",
            "cost_per_km": "0.30",
            "cost_per_hour": "0",
            "version": 1,
        },
    )
    assert response.context["form"].errors["shift_end"]
    assert not Van.objects.exists()


def test_moving_a_stop_to_a_bad_position_changes_nothing(client, partner, plan):
    client.force_login(partner)
    stop = plan.stops.get(position=2)
    response = client.post(
        reverse("logistics:stop_move", args=[plan.pk, stop.pk]),
        {"van": stop.van_id, "position": 0},
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert (stop.position, stop.locked) == (2, False)


def test_moving_and_locking_a_stop(client, partner, plan):
    client.force_login(partner)
    stop = plan.stops.get(position=3)
    client.post(
        reverse("logistics:stop_move", args=[plan.pk, stop.pk]), {"van": stop.van_id, "position": 1}
    )
    stop.refresh_from_db()
    assert (stop.position, stop.locked) == (1, True)
    client.post(reverse("logistics:stop_lock", args=[plan.pk, stop.pk]), {})
    stop.refresh_from_db()
    assert not stop.locked


@pytest.fixture
def driver(home_region, partner_organisation, van):
    person = PersonFactory.create(region=home_region)
    van.driver = person
    van.save()
    return UserFactory.create(
        role=Role.COUNSELLOR,
        region=home_region,
        organisation=partner_organisation,
        person=person,
    )


def test_a_driver_sees_their_own_vans_sheet_and_checks_in(client, driver, plan):
    client.force_login(driver)
    stop = plan.stops.get(position=1)
    mine = client.get(reverse("logistics:my_rounds"))
    assert stop.order.assignment.client.first_name in mine.content.decode()
    sheet = client.get(reverse("logistics:round_sheet", args=[plan.pk, stop.van_id]))
    assert sheet.status_code == 200
    assert sheet["Content-Type"] == "application/pdf"
    response = client.post(
        reverse("logistics:check_in", args=[stop.pk]),
        {"outcome": "delivered", "pickup_done": "on", "note": "Alles goed.", "wellbeing_flag": ""},
    )
    assert response.url == reverse("logistics:check_in", args=[plan.stops.get(position=2).pk])
    contact = Contact.objects.get(client=stop.order.assignment.client)
    assert contact.note == "Alles goed."


def test_another_driver_gets_404(client, home_region, partner_organisation, plan):
    other = UserFactory.create(
        role=Role.COUNSELLOR,
        region=home_region,
        organisation=partner_organisation,
        person=PersonFactory.create(region=home_region),
    )
    client.force_login(other)
    stop = plan.stops.get(position=1)
    assert client.get(reverse("logistics:check_in", args=[stop.pk])).status_code == 404
    sheet = reverse("logistics:round_sheet", args=[plan.pk, stop.van_id])
    assert client.get(sheet).status_code == 404


def test_a_check_in_without_an_outcome_is_refused(client, partner, plan):
    client.force_login(partner)
    stop = plan.stops.get(position=1)
    response = client.post(reverse("logistics:check_in", args=[stop.pk]), {"note": "?"})
    assert response.context["form"].errors["outcome"]
    assert not RoundStop.objects.exclude(checked_in_at=None).exists()


def test_the_round_sheet_shows_only_the_first_name(client, partner, plan):
    client.force_login(partner)
    stop = plan.stops.get(position=1)
    from regie.logistics.documents import round_sheet_pdf

    pdf = round_sheet_pdf(actor=partner, plan=plan, van=stop.van, stops=[stop])
    assert pdf.startswith(b"%PDF")
    from django.template.loader import render_to_string

    html = render_to_string(
        "logistics/print/round_sheet.html", {"plan": plan, "van": stop.van, "stops": [stop]}
    )
    client_record = stop.order.assignment.client
    assert client_record.first_name in html
    assert client_record.last_name not in html


# API -----------------------------------------------------------------------------------------


def _api_post(client, body):
    return client.post(
        "/api/v1/rounds/plan", data=json.dumps(body), content_type="application/json"
    )


def test_api_plans_a_day_and_reads_it(client, partner, orders, van):
    client.force_login(partner)
    body = {"date": DAY.isoformat(), "orders": [o.pk for o in orders], "vans": [van.pk]}
    response = _api_post(client, {**body, "time_limit": 1})
    assert response.status_code == 202
    plan = client.get(f"/api/v1/rounds/{response.json()['id']}").json()
    assert plan["status"] == "done"
    assert sum(len(route["stops"]) for route in plan["routes"]) + len(plan["unserved"]) == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vans": []}, "vans"),
        ({"time_limit": 0}, "time_limit"),
        ({"orders": [999999]}, "orders"),
        ({"date": "21/04/2020"}, "date"),
    ],
)
def test_api_bad_input_names_the_field(client, partner, orders, van, change, field):
    client.force_login(partner)
    body = {"date": DAY.isoformat(), "orders": [o.pk for o in orders], "vans": [van.pk]}
    response = _api_post(client, {**body, "time_limit": 1, **change})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not RoundPlan.objects.exists()
