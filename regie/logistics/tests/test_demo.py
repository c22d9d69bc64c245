"""The demo home work: two work-care floors, about 60 home workers, three vans, a week of
orders and one planned day with check-ins in the client files; loaded idempotently."""

import pytest
from django.http import HttpRequest
from django.urls import reverse

from regie.accounts.models import User
from regie.clients.demo import clients_demo_load
from regie.clients.models import Contact, ContactKind
from regie.logistics.demo import DRIVER_USERNAME, PLANNED_DAY, demo_load
from regie.logistics.models import HomeWorkAssignment, Order, RoundPlan, Van
from regie.registry.demo import DEMO_PASSWORD, demo_region_load

pytestmark = pytest.mark.django_db


def test_the_demo_plans_a_day_with_check_ins():
    summary = demo_region_load()
    clients_demo_load(region=summary.context.region, actor=User.objects.get(username="admin"))
    demo_load(context=summary.context)
    again = demo_load(context=summary.context)

    assert 50 <= HomeWorkAssignment.objects.count() <= 70
    assert HomeWorkAssignment.objects.values("organisation").distinct().count() == 2
    assert Van.objects.count() == 3
    assert not HomeWorkAssignment.objects.filter(client__latitude__isnull=True).exists()
    plan = RoundPlan.objects.get()
    assert plan.date == PLANNED_DAY
    assert plan.status == "done"
    served = plan.stops.count() + plan.unserved.count()
    assert (
        served
        == Order.objects.filter(
            requested_from=PLANNED_DAY, assignment__organisation=plan.organisation
        ).count()
    )
    assert plan.stops.exclude(checked_in_at=None).exists()
    assert Contact.objects.filter(kind=ContactKind.DOORSTEP, on=PLANNED_DAY).exists()
    assert "one planned day" in again
    assert RoundPlan.objects.count() == 1


def test_the_demo_driver_sees_their_round_under_my_rounds(client):
    summary = demo_region_load()
    clients_demo_load(region=summary.context.region, actor=User.objects.get(username="admin"))
    demo_load(context=summary.context)
    demo_load(context=summary.context)

    driver = User.objects.get(username=DRIVER_USERNAME)
    van = Van.objects.get(driver=driver.person)
    plan = RoundPlan.objects.get(date=PLANNED_DAY)
    assert plan.stops.filter(van=van).exists()
    announced = [(login.username, login.password) for login in summary.context.logins]
    assert announced == [(DRIVER_USERNAME, DEMO_PASSWORD)]  # in the table of logins, once
    assert client.login(request=HttpRequest(), username=DRIVER_USERNAME, password=DEMO_PASSWORD)
    page = client.get(reverse("logistics:my_rounds")).content.decode()
    first = plan.stops.filter(van=van).order_by("position").first()
    assert first is not None
    assert first.order.assignment.client.first_name in page
    assert van.name in page
