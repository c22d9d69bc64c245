"""Writes of the logistics app: home work, orders, vans, round plans and doorstep check-ins.

Planning a day is two steps: :func:`round_plan` validates the choice of orders and vans, stores
a queued :class:`RoundPlan` and hands it to a background task, which calls
:func:`round_plan_run`: rows to the solver's dataclasses, the solver, and its plan back to rows.

Manual changes: :func:`round_stop_move` puts a stop on another van or position (and locks it:
a hand-made change sticks), :func:`round_stop_lock` locks or unlocks a stop, and
:func:`round_replan` plans the rest again. A locked stop stays on its van at its position (or
earlier, when the van gets fewer stops before it); every other stop (and what was unserved) is
planned again over all the plan's vans, those with locked stops included.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.clients.models import Client, ContactKind
from regie.clients.services import contact_record
from regie.core.audit import log_action
from regie.core.errors import DomainError, StaleEditError
from regie.core.history import set_history_user
from regie.core.versioning import KEEP, Keep, given, save_new, save_versioned
from regie.logistics import solver
from regie.logistics.models import (
    DEFAULT_SERVICE_MINUTES,
    HomeWorkAssignment,
    Order,
    OrderStatus,
    OrderWindow,
    Outcome,
    PlanStatus,
    RoundPlan,
    RoundRoute,
    RoundStop,
    Unserved,
    Van,
)
from regie.logistics.solver_matrix import (
    Location,
    MatrixProvider,
    OsrmProvider,
    StraightLineProvider,
)
from regie.registry.models import Organisation, Person, Site

MIN_SECONDS, MAX_SECONDS = 1, 300


def _as_domain_error(error: ValidationError) -> DomainError:
    return DomainError(error.message_dict if hasattr(error, "error_dict") else error.messages)


def _seconds(moment: datetime.time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _time(seconds: int) -> datetime.time:
    seconds = max(0, min(seconds, 24 * 3600 - 1))
    return datetime.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


# Home work, orders and vans ---------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    client: Client,
    organisation: Organisation,
    site: Site,
    kind_of_work: str,
    material_kits: str = "",
    service_minutes: int = DEFAULT_SERVICE_MINUTES,
    is_active: bool = True,
) -> HomeWorkAssignment:
    assignment = HomeWorkAssignment(
        client=client,
        organisation=organisation,
        site=site,
        kind_of_work=kind_of_work,
        material_kits=material_kits,
        service_minutes=service_minutes,
        is_active=is_active,
    )
    try:
        assignment = save_new(instance=assignment, actor=actor)
    except ValidationError as error:
        raise _as_domain_error(error) from error
    log_action(actor=actor, action="home_work.assign", target=assignment)
    return assignment


@transaction.atomic
def assignment_update(
    *,
    actor: User,
    assignment: HomeWorkAssignment,
    expected_version: int,
    client: Client | Keep = KEEP,
    organisation: Organisation | Keep = KEEP,
    site: Site | Keep = KEEP,
    kind_of_work: str | Keep = KEEP,
    material_kits: str | Keep = KEEP,
    service_minutes: int | Keep = KEEP,
    is_active: bool | Keep = KEEP,
) -> HomeWorkAssignment:
    changes = given(
        client=client,
        organisation=organisation,
        site=site,
        kind_of_work=kind_of_work,
        material_kits=material_kits,
        service_minutes=service_minutes,
        is_active=is_active,
    )
    try:
        return save_versioned(
            instance=assignment, changes=changes, expected_version=expected_version, actor=actor
        )
    except StaleEditError:
        raise  # the edit view shows what changed; the API answers 409
    except ValidationError as error:
        raise _as_domain_error(error) from error


@dataclass(frozen=True)
class NewWindow:
    """When the client is home: on a weekday, on a date, or (neither) on every day."""

    start: datetime.time
    end: datetime.time
    weekday: int | None = None
    on: datetime.date | None = None


def _windows_set(*, order: Order, windows: Iterable[NewWindow]) -> None:
    order.windows.all().delete()
    for index, new in enumerate(windows):
        window = OrderWindow(
            order=order, weekday=new.weekday, on=new.on, start=new.start, end=new.end
        )
        try:
            window.full_clean()
        except ValidationError as error:
            raise DomainError(
                {
                    "windows": [
                        _("Window %(n)s: %(messages)s")
                        % {"n": index + 1, "messages": " ".join(error.messages)}
                    ]
                }
            ) from error
        window.save()


@transaction.atomic
def order_create(
    *,
    actor: User,
    assignment: HomeWorkAssignment,
    requested_from: datetime.date,
    requested_until: datetime.date | None = None,
    deliver: bool = True,
    pick_up: bool = False,
    quantity: int = 1,
    volume: int = 0,
    weight: int = 0,
    priority: int = 1,
    status: str = OrderStatus.OPEN,
    windows: Sequence[NewWindow] = (),
) -> Order:
    """An order with its time windows."""
    order = Order(
        assignment=assignment,
        requested_from=requested_from,
        requested_until=requested_until,
        deliver=deliver,
        pick_up=pick_up,
        quantity=quantity,
        volume=volume,
        weight=weight,
        priority=priority,
        status=status,
    )
    try:
        order = save_new(instance=order, actor=actor)
    except ValidationError as error:
        raise _as_domain_error(error) from error
    _windows_set(order=order, windows=windows)
    log_action(actor=actor, action="order.create", target=order)
    return order


@transaction.atomic
def order_update(
    *,
    actor: User,
    order: Order,
    expected_version: int,
    assignment: HomeWorkAssignment | Keep = KEEP,
    requested_from: datetime.date | Keep = KEEP,
    requested_until: datetime.date | Keep | None = KEEP,
    deliver: bool | Keep = KEEP,
    pick_up: bool | Keep = KEEP,
    quantity: int | Keep = KEEP,
    volume: int | Keep = KEEP,
    weight: int | Keep = KEEP,
    priority: int | Keep = KEEP,
    status: str | Keep = KEEP,
    windows: Sequence[NewWindow] | None = None,
) -> Order:
    """Change the fields given; ``windows`` (when given) replace the order's windows."""
    changes = given(
        assignment=assignment,
        requested_from=requested_from,
        requested_until=requested_until,
        deliver=deliver,
        pick_up=pick_up,
        quantity=quantity,
        volume=volume,
        weight=weight,
        priority=priority,
        status=status,
    )
    try:
        order = save_versioned(
            instance=order, changes=changes, expected_version=expected_version, actor=actor
        )
    except StaleEditError:
        raise  # the edit view shows what changed; the API answers 409
    except ValidationError as error:
        raise _as_domain_error(error) from error
    if windows is not None:
        _windows_set(order=order, windows=windows)
    return order


@transaction.atomic
def van_create(
    *,
    actor: User,
    organisation: Organisation,
    depot: Site,
    name: str,
    capacity_volume: int,
    capacity_weight: int,
    driver: Person | None = None,
    shift_start: datetime.time = datetime.time(8, 30),
    shift_end: datetime.time = datetime.time(16, 30),
    max_route_minutes: int | None = None,
    cost_per_km: Decimal = Decimal("0.35"),
    cost_per_hour: Decimal = Decimal(0),
    is_archived: bool = False,
) -> Van:
    van = Van(
        organisation=organisation,
        depot=depot,
        name=name,
        capacity_volume=capacity_volume,
        capacity_weight=capacity_weight,
        driver=driver,
        shift_start=shift_start,
        shift_end=shift_end,
        max_route_minutes=max_route_minutes,
        cost_per_km=cost_per_km,
        cost_per_hour=cost_per_hour,
        is_archived=is_archived,
    )
    try:
        van = save_new(instance=van, actor=actor)
    except ValidationError as error:
        raise _as_domain_error(error) from error
    log_action(actor=actor, action="van.create", target=van)
    return van


@transaction.atomic
def van_update(
    *,
    actor: User,
    van: Van,
    expected_version: int,
    organisation: Organisation | Keep = KEEP,
    depot: Site | Keep = KEEP,
    name: str | Keep = KEEP,
    capacity_volume: int | Keep = KEEP,
    capacity_weight: int | Keep = KEEP,
    driver: Person | Keep | None = KEEP,
    shift_start: datetime.time | Keep = KEEP,
    shift_end: datetime.time | Keep = KEEP,
    max_route_minutes: int | Keep | None = KEEP,
    cost_per_km: Decimal | Keep = KEEP,
    cost_per_hour: Decimal | Keep = KEEP,
    is_archived: bool | Keep = KEEP,
) -> Van:
    changes = given(
        organisation=organisation,
        depot=depot,
        name=name,
        capacity_volume=capacity_volume,
        capacity_weight=capacity_weight,
        driver=driver,
        shift_start=shift_start,
        shift_end=shift_end,
        max_route_minutes=max_route_minutes,
        cost_per_km=cost_per_km,
        cost_per_hour=cost_per_hour,
        is_archived=is_archived,
    )
    try:
        return save_versioned(
            instance=van, changes=changes, expected_version=expected_version, actor=actor
        )
    except StaleEditError:
        raise  # the edit view shows what changed; the API answers 409
    except ValidationError as error:
        raise _as_domain_error(error) from error


# Planning a day ---------------------------------------------------------------------------


def _check_plannable(*, day: datetime.date, orders: Sequence[Order], vans: Sequence[Van]) -> None:
    """Refuse, with a message per field, what the solver cannot plan at all."""
    errors: dict[str, list[str]] = {}
    if not vans:
        errors["vans"] = [_("Choose at least one van.")]
    elif len({van.depot_id for van in vans}) > 1:
        errors["vans"] = [_("Plan vans of one depot together; these leave from different sites.")]
    elif vans[0].depot.latitude is None or vans[0].depot.longitude is None:
        errors["vans"] = [_("The depot %(site)s has no coordinates.") % {"site": vans[0].depot}]
    if not orders:
        errors["orders"] = [_("Choose at least one order.")]
    lost = sorted(
        {
            order.assignment.client.full_name
            for order in orders
            if order.assignment.client.latitude is None or order.assignment.client.longitude is None
        }
    )
    if lost:
        errors.setdefault("orders", []).append(
            _(
                "These clients have no coordinates; add them to the client file or remove "
                "the order: %(names)s."
            )
            % {"names": ", ".join(lost)}
        )
    if vans:
        volume = max(van.capacity_volume for van in vans)
        weight = max(van.capacity_weight for van in vans)
        too_big = sorted(
            {
                order.assignment.client.full_name
                for order in orders
                if order.volume > volume or order.weight > weight
            }
        )
        if too_big:
            errors.setdefault("orders", []).append(
                _("The load of these orders is larger than any chosen van: %(names)s.")
                % {"names": ", ".join(too_big)}
            )
    off_day = sorted(
        {
            order.assignment.client.full_name
            for order in orders
            if not order.requested_from <= day <= order.last_day
        }
    )
    if off_day:
        errors.setdefault("orders", []).append(
            _("These orders are not requested on %(day)s: %(names)s.")
            % {"day": day.strftime("%d/%m/%Y"), "names": ", ".join(off_day)}
        )
    if errors:
        raise DomainError(errors)


def plan_organisation(*, orders: Sequence[Order], vans: Sequence[Van]) -> Organisation:
    """The organisation whose floors a choice of vans and orders serves (vans decide)."""
    if vans:
        return vans[0].organisation
    if orders:
        return orders[0].assignment.organisation
    raise DomainError({"vans": _("Choose at least one van.")})


def round_plan(
    *,
    actor: User,
    organisation: Organisation,
    day: datetime.date,
    orders: Sequence[Order],
    vans: Sequence[Van],
    seconds: int = 10,
) -> RoundPlan:
    """Validate the choice, store a queued plan and start the planning task."""
    from regie.logistics.tasks import round_plan_task

    with transaction.atomic():
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            raise DomainError(
                {
                    "time_limit": _("Between %(low)s and %(high)s seconds.")
                    % {"low": MIN_SECONDS, "high": MAX_SECONDS}
                }
            )
        owners = {order.assignment.organisation_id for order in orders}
        owners |= {van.organisation_id for van in vans}
        foreign = owners - {organisation.pk}
        if foreign:
            raise DomainError({"orders": _("Plan only the orders and vans of one organisation.")})
        _check_plannable(day=day, orders=orders, vans=vans)
        plan = save_new(
            instance=RoundPlan(
                organisation=organisation, date=day, time_limit=seconds, created_by=actor
            ),
            actor=actor,
        )
        plan.orders.set(orders)
        plan.vans.set(vans)
        log_action(actor=actor, action="round.plan", target=plan)
    # Outside the transaction: a database worker must see the plan it is given.
    round_plan_task.enqueue(plan.pk)
    plan.refresh_from_db()
    return plan


def _provider() -> MatrixProvider:
    if settings.REGIE_OSRM_URL:
        return OsrmProvider(url=settings.REGIE_OSRM_URL)
    return StraightLineProvider()


def _location(place: Client | Site) -> Location:
    if place.latitude is None or place.longitude is None:  # ``_check_plannable`` refused these
        raise ValueError(f"{place} has no coordinates")
    return Location(lat=float(place.latitude), lon=float(place.longitude))


def _vehicle(van: Van) -> solver.Vehicle:
    return solver.Vehicle(
        id=str(van.pk),
        capacity=(van.capacity_volume, van.capacity_weight),
        shift=solver.TimeWindow(_seconds(van.shift_start), _seconds(van.shift_end)),
        max_duration=van.max_route_minutes * 60 if van.max_route_minutes else None,
        cost_per_km=float(van.cost_per_km),
        cost_per_hour=float(van.cost_per_hour),
    )


def _stop(order: Order, day: datetime.date) -> solver.Stop:
    amounts = (order.volume, order.weight)
    none = (0, 0)
    return solver.Stop(
        id=str(order.pk),
        location=_location(order.assignment.client),
        delivery=amounts if order.deliver else none,
        pickup=amounts if order.pick_up else none,
        windows=tuple(
            solver.TimeWindow(_seconds(window.start), _seconds(window.end))
            for window in order.windows_on(day)
        ),
        service_time=order.assignment.service_minutes * 60,
        required=False,
        priority=order.priority,
    )


def _orders_of(plan: RoundPlan) -> list[Order]:
    return list(
        plan.orders.select_related("assignment__client").prefetch_related("windows").order_by("pk")
    )


def _solve(
    *,
    plan: RoundPlan,
    orders: Sequence[Order],
    vans: Sequence[Van],
    locked: Sequence[RoundStop] = (),
    progress: Callable[[float], None] | None = None,
) -> tuple[solver.Plan | None, list[Order]]:
    """Solve for ``orders`` on ``vans``, the ``locked`` stops staying where they are; orders
    with windows, none of them on the day, are returned apart (unserved for their windows)."""
    closed = [order for order in orders if order.windows.all() and not order.windows_on(plan.date)]
    open_orders = [order for order in orders if order not in closed]
    if not open_orders or not vans:
        return None, closed
    open_ids = {order.pk for order in open_orders}
    problem = solver.Problem(
        depot=solver.Depot(location=_location(vans[0].depot)),
        vehicles=tuple(_vehicle(van) for van in vans),
        stops=tuple(_stop(order, plan.date) for order in open_orders),
        locks=tuple(
            solver.Lock(
                stop_id=str(stop.order_id), vehicle_id=str(stop.van_id), position=stop.position
            )
            for stop in locked
            if stop.order_id in open_ids
        ),
    )
    result = solver.plan_routes(
        problem, seconds=plan.time_limit, provider=_provider(), progress=progress
    )
    return result, closed


def _progress_of(plan: RoundPlan) -> Callable[[float], None]:
    """The solver's progress (share of its time) as the plan's percentage, from 10 to 90."""
    shown = plan.progress

    def record(share: float) -> None:
        nonlocal shown
        percent = 10 + int(80 * share)
        if percent > shown:
            shown = percent
            RoundPlan.objects.filter(pk=plan.pk).update(progress=percent)

    return record


def _store(
    *,
    plan: RoundPlan,
    result: solver.Plan | None,
    orders: dict[str, Order],
    vans: dict[str, Van],
    locked: Sequence[RoundStop] = (),
) -> None:
    """The solver's plan as rows; ``locked`` stops (still rows) move to where the plan has them,
    or are removed when it leaves their order out."""
    kept = {str(stop.order_id): stop for stop in locked}
    placed: set[str] = set()
    for route in result.routes if result else ():
        van = vans[route.vehicle_id]
        RoundRoute.objects.create(
            plan=plan,
            van=van,
            start=_time(route.start),
            end=_time(route.end),
            distance=route.distance,
        )
        for position, visit in enumerate(route.visits, start=1):
            fields = {
                "van": van,
                "position": position,
                "arrival": _time(visit.arrival),
                "departure": _time(visit.departure),
                "load_volume_after": visit.load_after[0],
                "load_weight_after": visit.load_after[1],
                "distance_from_previous": visit.distance_from_previous,
            }
            if visit.stop_id in kept:
                RoundStop.objects.filter(pk=kept[visit.stop_id].pk).update(**fields)
                placed.add(visit.stop_id)
            else:
                RoundStop.objects.create(plan=plan, order=orders[visit.stop_id], **fields)
    RoundStop.objects.filter(pk__in=[kept[key].pk for key in kept.keys() - placed]).delete()
    if result is None:
        return
    for unserved in result.unserved:
        Unserved.objects.create(plan=plan, order=orders[unserved.stop_id], reason=unserved.reason)
    plan.matrix_source = result.matrix_source
    plan.fallback_note = (result.fallback_reason or "")[:300]


def round_plan_run(*, plan_id: int) -> RoundPlan:
    """Plan the day of a queued plan (the task's work): solver in, rows out, progress kept."""
    plan = RoundPlan.objects.get(pk=plan_id)
    if plan.is_finished:  # a worker retrying a task that already ran
        return plan
    RoundPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.RUNNING, progress=10)
    plan.progress = 10
    try:
        orders = _orders_of(plan)
        vans = list(plan.vans.select_related("depot").order_by("name"))
        result, closed = _solve(plan=plan, orders=orders, vans=vans, progress=_progress_of(plan))
        RoundPlan.objects.filter(pk=plan.pk).update(progress=90)
        with transaction.atomic():
            _store(
                plan=plan,
                result=result,
                orders={str(order.pk): order for order in orders},
                vans={str(van.pk): van for van in vans},
            )
            for order in closed:
                Unserved.objects.create(
                    plan=plan, order=order, reason=solver.UnservedReason.TIME_WINDOW
                )
            Order.objects.filter(stops__plan=plan).update(status=OrderStatus.PLANNED)
            _finish(plan, status=PlanStatus.DONE)
    except solver.InvalidProblem as error:
        plan.error = str(error)
        _finish(plan, status=PlanStatus.FAILED)
    except Exception:
        # The page polls until the plan is finished: never leave it running; the task backend
        # records the error itself.
        RoundPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.FAILED, progress=100, error=_("The planner stopped with an error.")
        )
        raise
    return plan


def _finish(plan: RoundPlan, *, status: str) -> None:
    plan.status = status
    plan.progress = 100
    plan.finished_at = timezone.now()
    plan.distance = sum(route.distance for route in plan.routes.all())
    plan.save()


# Manual changes ---------------------------------------------------------------------------


def _require_done(plan: RoundPlan) -> None:
    if plan.status != PlanStatus.DONE:
        raise DomainError(_("Only a finished plan can be changed."))


def _recompute(*, plan: RoundPlan, van: Van) -> None:
    """Times, loads and distances of ``van``'s route after a manual change (straight lines)."""
    stops = list(
        plan.stops.filter(van=van)
        .select_related("order__assignment__client")
        .prefetch_related("order__windows")
        .order_by("position", "pk")
    )
    RoundRoute.objects.filter(plan=plan, van=van).delete()
    if not stops:
        return
    provider = StraightLineProvider()
    here = _location(van.depot)
    clock = _seconds(van.shift_start)
    start = clock
    volume = sum(stop.order.volume for stop in stops if stop.order.deliver)
    weight = sum(stop.order.weight for stop in stops if stop.order.deliver)
    distance = 0
    for position, stop in enumerate(stops, start=1):
        there = _location(stop.order.assignment.client)
        leg = provider.distance_m(here, there)
        clock += provider.duration_s(leg)
        windows = stop.order.windows_on(plan.date)
        if windows and not any(_seconds(w.start) <= clock <= _seconds(w.end) for w in windows):
            later = [_seconds(w.start) for w in windows if _seconds(w.start) > clock]
            clock = min(later, default=clock)  # wait for the next window; late if none is left
        stop.position = position
        stop.arrival = _time(clock)
        clock += stop.order.assignment.service_minutes * 60
        stop.departure = _time(clock)
        if stop.order.deliver:
            volume -= stop.order.volume
            weight -= stop.order.weight
        if stop.order.pick_up:
            volume += stop.order.volume
            weight += stop.order.weight
        stop.load_volume_after, stop.load_weight_after = max(volume, 0), max(weight, 0)
        stop.distance_from_previous = leg
        distance += leg
        here = there
        stop.save()
    back = provider.distance_m(here, _location(van.depot))
    clock += provider.duration_s(back)
    RoundRoute.objects.create(
        plan=plan, van=van, start=_time(start), end=_time(clock), distance=distance + back
    )


@transaction.atomic
def round_stop_move(*, actor: User, stop: RoundStop, van: Van, position: int) -> RoundStop:
    """Put ``stop`` on ``van`` at ``position`` (1 is first); the moved stop is locked."""
    plan = stop.plan
    _require_done(plan)
    if not plan.vans.filter(pk=van.pk).exists():
        raise DomainError({"van": _("This van is not part of the plan.")})
    if position < 1:
        raise DomainError({"position": _("Positions start at 1.")})
    old_van = stop.van
    others = list(plan.stops.filter(van=van).exclude(pk=stop.pk).order_by("position", "pk"))
    others.insert(min(position, len(others) + 1) - 1, stop)
    for index, item in enumerate(others, start=1):
        RoundStop.objects.filter(pk=item.pk).update(position=1000 + index)
    stop.van = van
    stop.locked = True
    stop.save(update_fields=["van", "locked"])
    for index, item in enumerate(others, start=1):
        RoundStop.objects.filter(pk=item.pk).update(position=index)
    _recompute(plan=plan, van=van)
    if old_van != van:
        _recompute(plan=plan, van=old_van)
    _refresh_distance(plan)
    log_action(
        actor=actor,
        action="round.stop_move",
        target=plan,
        details={"stop": stop.pk, "van": van.pk, "position": position},
    )
    stop.refresh_from_db()
    return stop


def _refresh_distance(plan: RoundPlan) -> None:
    plan.distance = sum(route.distance for route in plan.routes.all())
    plan.save(update_fields=["distance"])


@transaction.atomic
def round_stop_lock(*, actor: User, stop: RoundStop, locked: bool) -> RoundStop:
    _require_done(stop.plan)
    stop.locked = locked
    stop.version += 1
    set_history_user(stop, actor)
    stop.save(update_fields=["locked", "version"])
    return stop


@transaction.atomic
def round_replan(*, actor: User, plan: RoundPlan, seconds: int | None = None) -> RoundPlan:
    """Plan again everything but the locked stops (see the module's docstring)."""
    _require_done(plan)
    if plan.stops.exclude(checked_in_at=None).exists():
        raise DomainError(
            _("Check-ins were recorded on this plan: it can no longer be re-planned.")
        )
    if seconds is not None:
        plan.time_limit = seconds
    vans = list(plan.vans.select_related("depot").order_by("name"))
    locked = list(plan.stops.filter(locked=True).order_by("van_id", "position"))
    plan.stops.filter(locked=False).delete()
    plan.routes.all().delete()
    plan.unserved.all().delete()
    orders = _orders_of(plan)
    Order.objects.filter(pk__in=[order.pk for order in orders]).update(status=OrderStatus.OPEN)
    result, closed = _solve(plan=plan, orders=orders, vans=vans, locked=locked)
    _store(
        plan=plan,
        result=result,
        orders={str(order.pk): order for order in orders},
        vans={str(van.pk): van for van in vans},
        locked=locked,
    )
    for order in closed:
        Unserved.objects.create(plan=plan, order=order, reason=solver.UnservedReason.TIME_WINDOW)
    Order.objects.filter(stops__plan=plan).update(status=OrderStatus.PLANNED)
    _finish(plan, status=PlanStatus.DONE)
    log_action(actor=actor, action="round.replan", target=plan)
    return plan


# Doorstep check-in ------------------------------------------------------------------------


@transaction.atomic
def stop_check_in(
    *,
    actor: User,
    stop: RoundStop,
    outcome: str,
    pickup_done: bool = False,
    note: str = "",
    wellbeing_flag: bool = False,
) -> RoundStop:
    """Record what happened at the door; the note and the flag go to the client file as a
    doorstep contact (a flag makes a follow-up for the counsellor)."""
    if outcome not in Outcome.values:
        raise DomainError({"outcome": _("Choose what happened at the door.")})
    if stop.checked_in_at is not None:
        raise DomainError(_("This stop was already checked in."))
    if pickup_done and not stop.order.pick_up:
        raise DomainError({"pickup_done": _("This order has nothing to pick up.")})
    if len(note) > 500:
        raise DomainError({"note": _("At most 500 characters.")})
    # Nobody at the door and nothing to tell is no contact; a worry about them still is.
    if note or wellbeing_flag or outcome != Outcome.NOT_HOME:
        stop.contact = contact_record(
            actor=actor,
            client=stop.order.assignment.client,
            kind=ContactKind.DOORSTEP,
            on=stop.plan.date,
            note=note,
            wellbeing_flag=wellbeing_flag,
        )
    stop.outcome = outcome
    stop.pickup_done = pickup_done
    stop.note = note
    stop.wellbeing_flag = wellbeing_flag
    stop.checked_in_at = timezone.now()
    stop.version += 1
    set_history_user(stop, actor)
    stop.save()
    if outcome == Outcome.DELIVERED and (pickup_done or not stop.order.pick_up):
        Order.objects.filter(pk=stop.order_id).update(status=OrderStatus.DONE)
    log_action(
        actor=actor,
        action="round.check_in",
        target=stop.plan,
        details={"stop": stop.pk, "outcome": outcome},
    )
    return stop
