"""The demo home work of Welzijn13 in spring 2020, after the 2020 report: clients who could
not come to the work floor during the first lockdown got their material at home from two
work-care floors, and the floor supervisors used the stop for a doorstep chat.

``demo_load(*, context)`` (called by ``manage.py load_demo`` after the clients' demo): about 60
home workers of Maatwerkbedrijf Blauwe Vlasbloem and Werkhuis De Kantelaar, three vans with
their floor supervisors as drivers, a week of orders (20–24 April 2020), and one planned day —
Tuesday 21 April for De Vlasbloem — planned by the solver in two seconds, with the check-ins
of the morning. The driver of the first van on that day gets the demo login ``driver``
(a partner of De Vlasbloem linked to their person), so that "My rounds" shows a round.
Clients and depots without coordinates get a point near their municipality.
Idempotent: rows are found by natural keys and an existing plan of the day is left alone.
"""

import datetime
import random
from decimal import Decimal

from axes.utils import reset as axes_reset
from django.db import transaction
from django.db.models import Q

from regie.accounts.models import User
from regie.clients.models import Client, ClientStatus, Step
from regie.core.permissions import Role
from regie.logistics import services
from regie.logistics.models import (
    HomeWorkAssignment,
    Order,
    OrderWindow,
    Outcome,
    RoundPlan,
    Van,
)
from regie.registry.demo import DEMO_PASSWORD, DemoContext, DemoLogin
from regie.registry.models import Organisation, Person, Site

SEED = 2020
DRIVER_USERNAME = "driver"
WEEK = [datetime.date(2020, 4, 20) + datetime.timedelta(days=n) for n in range(5)]
PLANNED_DAY = WEEK[1]
FLOORS = {  # organisation key: (home workers, kind of work, kits)
    "vlasbloem": (40, "Zakjes vouwen en etiketteren", "doos vouwwerk"),
    "kantelaar": (20, "Verpakken van kaarsen", "bak verpakkingsmateriaal"),
}
VANS = (  # organisation key, name, litres, kg, driver
    ("vlasbloem", "Bestelwagen Vlasbloem 1", 1800, 600, ("Kevin", "Vanwynsberghe")),
    ("vlasbloem", "Bestelwagen Vlasbloem 2", 1200, 450, ("Pieter", "Lievens")),
    ("kantelaar", "Bestelwagen Kantelaar", 1500, 500, ("Hannes", "Vercruysse")),
)
WINDOWS = (
    ((datetime.time(9), datetime.time(12)),),
    ((datetime.time(13, 30), datetime.time(16)),),
    ((datetime.time(9), datetime.time(10, 30)), (datetime.time(14), datetime.time(16))),
    ((datetime.time(10), datetime.time(15)),),
)
NOTES = (
    "Fijn gesprek, werk goed gelukt.",
    "Vraagt of ze volgende week weer naar de werkvloer mag.",
    "Had het moeilijk met alleen thuis zitten; even langer gepraat.",
    "",
)


def _jitter(rng: random.Random, value: Decimal | None, spread: float) -> Decimal:
    base = float(value) if value is not None else 0.0
    return Decimal(f"{base + rng.uniform(-spread, spread):.6f}")


def _place(rng: random.Random, record: Client | Site) -> None:
    """Give ``record`` a point near its municipality when it has none."""
    if record.latitude is not None and record.longitude is not None:
        return
    municipality = record.municipality
    if municipality.latitude is None or municipality.longitude is None:
        return
    record.latitude = _jitter(rng, municipality.latitude, 0.02)
    record.longitude = _jitter(rng, municipality.longitude, 0.03)
    record.save(update_fields=["latitude", "longitude"])


def _home_workers(organisation: Organisation, count: int, taken: set[int]) -> list[Client]:
    """Clients with a step at ``organisation``, then other clients of the region."""
    region_clients = (
        Client.objects.filter(region=organisation.region)
        .exclude(status=ClientStatus.ANONYMISED)
        .exclude(pk__in=taken)
        .select_related("municipality")
        .order_by("code")
    )
    here = Step.objects.filter(organisation=organisation).values("trajectory__client")
    chosen = list(region_clients.filter(pk__in=here)[:count])
    if len(chosen) < count:
        chosen += list(region_clients.exclude(pk__in=[c.pk for c in chosen])[: count - len(chosen)])
    return chosen


# C901 until refactored: demo data as one straight script; to split per kind of record.
@transaction.atomic
def demo_load(*, context: DemoContext) -> str:  # noqa: C901
    rng = random.Random(SEED)
    actor = context.actor
    floors = {key: context.organisations.get(key) for key in FLOORS}
    if not all(floors.values()):
        return "logistics       no work-care floors in the demo region; skipped"
    taken: set[int] = set()
    assignments: dict[str, list[HomeWorkAssignment]] = {}
    for key, organisation in floors.items():
        if organisation is None:
            continue
        count, work, kits = FLOORS[key]
        site = organisation.sites.filter(is_main=True).first() or organisation.sites.first()
        if site is None:
            continue
        _place(rng, site)
        made = []
        for client in _home_workers(organisation, count, taken):
            taken.add(client.pk)
            _place(rng, client)
            assignment, _ = HomeWorkAssignment.objects.get_or_create(
                client=client,
                organisation=organisation,
                defaults={
                    "site": site,
                    "kind_of_work": work,
                    "material_kits": kits,
                    "service_minutes": rng.choice([10, 10, 10, 15]),
                },
            )
            made.append(assignment)
        assignments[key] = made
    vans = []
    for key, name, litres, kilos, (first, last) in VANS:
        organisation = floors[key]
        depot = organisation.sites.filter(is_main=True).first() if organisation else None
        if organisation is None or depot is None:
            continue
        driver = Person.objects.filter(
            first_name=first, last_name=last, affiliations__organisation=organisation
        ).first()
        van, _ = Van.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "depot": depot,
                "capacity_volume": litres,
                "capacity_weight": kilos,
                "driver": driver,
                "shift_start": datetime.time(8, 30),
                "shift_end": datetime.time(16, 30),
                "max_route_minutes": 7 * 60,
                "cost_per_km": Decimal("0.35"),
                "cost_per_hour": Decimal("28.00"),
            },
        )
        vans.append(van)
    orders = 0
    for made in assignments.values():
        for index, assignment in enumerate(made):
            day = WEEK[index % len(WEEK)]
            order, created = Order.objects.get_or_create(
                assignment=assignment,
                requested_from=day,
                defaults={
                    "deliver": True,
                    "pick_up": index % 3 != 0,
                    "quantity": rng.randint(1, 3),
                    "volume": rng.choice([40, 60, 80, 120]),
                    "weight": rng.choice([8, 12, 15, 25]),
                    "priority": 3 if index % 7 == 0 else 1,
                },
            )
            orders += 1
            if created:
                for start, end in WINDOWS[index % len(WINDOWS)]:
                    OrderWindow.objects.create(order=order, on=day, start=start, end=end)
    plan = _planned_day(actor=actor, organisation=floors["vlasbloem"], vans=vans)
    stops = plan.stops.count() if plan else 0
    driver_user = _driver_login(plan) if plan else None
    announced = {login.username for login in context.logins}
    if driver_user is not None and plan is not None and DRIVER_USERNAME not in announced:
        context.logins.append(
            DemoLogin(
                DRIVER_USERNAME,
                DEMO_PASSWORD,
                "partner (van driver)",
                f"{plan.organisation}, {driver_user.get_full_name()}",
            )
        )
    return (
        f"logistics       {sum(len(m) for m in assignments.values())} home workers, "
        f"{len(vans)} vans, {orders} orders, one planned day with {stops} stops"
    )


def _driver_login(plan: RoundPlan) -> User | None:
    """Create or reset the login of the driver of the plan's first van with stops."""
    van = next(
        (
            van
            for van in plan.vans.select_related("driver").order_by("name")
            if van.driver is not None and plan.stops.filter(van=van).exists()
        ),
        None,
    )
    if van is None or van.driver is None:
        return None
    person = van.driver
    user = User.objects.filter(username=DRIVER_USERNAME).first() or User(username=DRIVER_USERNAME)
    User.objects.filter(person=person).exclude(username=DRIVER_USERNAME).update(person=None)
    user.first_name, user.last_name = person.first_name, person.last_name
    user.email = person.email or f"{DRIVER_USERNAME}@regie.example"
    user.role = Role.PARTNER
    user.region = plan.organisation.region
    user.organisation = plan.organisation
    user.municipality = None
    user.person = person
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    axes_reset(username=DRIVER_USERNAME)
    return user


def _planned_day(
    *, actor: User, organisation: Organisation | None, vans: list[Van]
) -> RoundPlan | None:
    if organisation is None:
        return None
    existing = RoundPlan.objects.filter(organisation=organisation, date=PLANNED_DAY).first()
    if existing:
        return existing
    own_vans = [van for van in vans if van.organisation_id == organisation.pk]
    orders = list(
        Order.objects.filter(assignment__organisation=organisation, requested_from=PLANNED_DAY)
        .filter(Q(assignment__client__latitude__isnull=False))
        .select_related("assignment__client", "assignment__organisation")
    )
    if not orders or not own_vans:
        return None
    planners = User.objects.filter(role=Role.PARTNER, organisation=organisation)
    planner = planners.exclude(username=DRIVER_USERNAME).order_by("pk").first() or actor
    plan = services.round_plan(
        actor=planner,
        organisation=organisation,
        day=PLANNED_DAY,
        orders=orders,
        vans=own_vans,
        seconds=2,
    )
    if not plan.is_finished:  # queued for a worker (REGIE_TASKS_BACKEND=database): plan it now
        plan = services.round_plan_run(plan_id=plan.pk)
    for van in own_vans:
        for stop in plan.stops.filter(van=van).order_by("position")[:4]:
            note = NOTES[stop.position % len(NOTES)]
            services.stop_check_in(
                actor=planner,
                stop=stop,
                outcome=Outcome.NOT_HOME if stop.position == 4 else Outcome.DELIVERED,
                pickup_done=stop.order.pick_up and stop.position != 4,
                note=note,
                wellbeing_flag="moeilijk" in note,
            )
    return plan
