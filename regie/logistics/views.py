"""Home work and round pages: thin views — scoped lookup, form, one service call, render."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import User
from regie.clients.models import Client
from regie.core.forms import add_service_errors
from regie.core.htmx import template_for
from regie.core.permissions import FIELD_ROLES, AuthenticatedRequest, role_required
from regie.core.versioning import StaleField, versioned_edit
from regie.logistics import documents, selectors, services
from regie.logistics.forms import (
    AssignmentForm,
    CheckInForm,
    DayForm,
    LockForm,
    MoveForm,
    OrderForm,
    PlanForm,
    VanForm,
)
from regie.logistics.models import (
    HomeWorkAssignment,
    Order,
    OrderStatus,
    RoundPlan,
    RoundStop,
    Van,
)
from regie.logistics.querysets import PLANNERS
from regie.registry.models import Function, Organisation, Person


def _organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.editable_by(user).active()


def _form_page(
    request: AuthenticatedRequest,
    *,
    title: str,
    form: forms.BaseForm,
    stale: list[StaleField] | None,
    back: tuple[str, str],
    active_nav: str,
) -> HttpResponse:
    return render(
        request,
        "logistics/form.html",
        {"active_nav": active_nav, "title": title, "form": form, "stale": stale, "back": back},
    )


# Home work -----------------------------------------------------------------------------------


@role_required(*PLANNERS)
def assignment_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "logistics/assignment_list.html",
        {"active_nav": "home_work", "assignments": selectors.assignment_list(user=request.user)},
    )


@role_required(*PLANNERS)
def assignment_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    assignment = (
        get_object_or_404(HomeWorkAssignment.objects.editable_by(user), pk=pk) if pk else None
    )
    organisations = _organisations(user)
    form = AssignmentForm(
        request.POST or None,
        instance=assignment,
        clients=Client.objects.visible_to(user),
        organisations=organisations,
        sites=selectors.site_choices(organisations=organisations),
    )

    def save() -> HomeWorkAssignment:
        data = {name: form.cleaned_data[name] for name in AssignmentForm.Meta.fields}
        if assignment is None:
            return services.assignment_create(actor=user, **data)
        return services.assignment_update(
            actor=user, assignment=assignment, expected_version=form.expected_version, **data
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The home-work assignment was saved."))
        return redirect("logistics:assignment_list")
    return _form_page(
        request,
        title=_("Edit home work") if assignment else _("New home work"),
        form=form,
        stale=edit.stale,
        back=("logistics:assignment_list", _("Home workers")),
        active_nav="home_work",
    )


# Orders --------------------------------------------------------------------------------------


@role_required(*PLANNERS)
def order_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in OrderStatus.values else ""
    orders = selectors.order_list(user=request.user, status=status)
    page = Paginator(orders, settings.REGIE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template_for(request, "logistics/order_list.html", "results"),
        {
            "active_nav": "orders",
            "page": page,
            "query": f"status={status}" if status else "",
            "statuses": OrderStatus.choices,
            "status": status,
        },
    )


@role_required(*PLANNERS)
def order_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    order = get_object_or_404(Order.objects.editable_by(user), pk=pk) if pk else None
    form = OrderForm(
        request.POST or None,
        instance=order,
        assignments=selectors.assignment_choices(user=user),
    )

    def save() -> Order:
        if order is None:
            return services.order_create(actor=user, **form.service_fields())
        return services.order_update(
            actor=user, order=order, expected_version=form.expected_version, **form.service_fields()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The order was saved."))
        return redirect("logistics:order_list")
    return _form_page(
        request,
        title=_("Edit order") if order else _("New order"),
        form=form,
        stale=edit.stale,
        back=("logistics:order_list", _("Orders")),
        active_nav="orders",
    )


# Vans ----------------------------------------------------------------------------------------


@role_required(*PLANNERS)
def van_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "logistics/van_list.html",
        {"active_nav": "vans", "vans": selectors.van_list(user=request.user)},
    )


@role_required(*PLANNERS)
def van_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    van = get_object_or_404(Van.objects.editable_by(user), pk=pk) if pk else None
    organisations = _organisations(user)
    form = VanForm(
        request.POST or None,
        instance=van,
        organisations=organisations,
        sites=selectors.site_choices(organisations=organisations),
        drivers=Person.objects.visible_to(user)
        .filter(
            affiliations__function=Function.FLOOR_SUPERVISOR,
            affiliations__organisation__in=organisations,
        )
        .distinct(),
    )

    def save() -> Van:
        data = {name: form.cleaned_data[name] for name in VanForm.Meta.fields}
        if van is None:
            return services.van_create(actor=user, **data)
        return services.van_update(
            actor=user, van=van, expected_version=form.expected_version, **data
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The van was saved."))
        return redirect("logistics:van_list")
    return _form_page(
        request,
        title=_("Edit van") if van else _("New van"),
        form=form,
        stale=edit.stale,
        back=("logistics:van_list", _("Vans")),
        active_nav="vans",
    )


# Plans ---------------------------------------------------------------------------------------


@role_required(*PLANNERS)
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "logistics/plan_list.html",
        {
            "active_nav": "rounds",
            "plans": selectors.plan_list(user=request.user)[:100],
            "day_form": DayForm(initial={"date": datetime.date.today()}),
        },
    )


@role_required(*PLANNERS)
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    """Choose the date (a GET ``?date=``), then its orders, the vans and the time limit."""
    user = request.user
    day_form = DayForm(request.GET or None)
    day = day_form.cleaned_data["date"] if day_form.is_valid() else datetime.date.today()
    orders = selectors.orders_for_day(user=user, day=day)
    vans = selectors.van_list(user=user).filter(is_archived=False)
    form = PlanForm(
        request.POST or None,
        orders=orders if request.method == "GET" else selectors.order_list(user=user),
        vans=vans,
        initial={
            "date": day,
            "orders": list(orders),
            "vans": list(vans),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen_orders, chosen_vans = list(data["orders"]), list(data["vans"])
        try:
            plan = services.round_plan(
                actor=user,
                organisation=services.plan_organisation(orders=chosen_orders, vans=chosen_vans),
                day=data["date"],
                orders=chosen_orders,
                vans=chosen_vans,
                seconds=data["time_limit"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("logistics:plan_detail", pk=plan.pk)
    return render(
        request,
        "logistics/plan_create.html",
        {"active_nav": "rounds", "form": form, "day_form": day_form, "day": day},
    )


def _plan_context(plan: RoundPlan, user: User) -> dict[str, object]:
    rows = selectors.plan_routes(plan=plan) if plan.is_finished else []
    return {
        "active_nav": "rounds",
        "plan": selectors.plan_with_everything(plan=plan),
        "rows": rows,
        "map": selectors.plan_map(plan=plan, rows=rows),
        "tile_url": settings.REGIE_MAP_TILE_URL,
        "tile_attribution": settings.REGIE_MAP_TILE_ATTRIBUTION,
        "move_form": MoveForm(vans=plan.vans.all()),
    }


@role_required(*PLANNERS)
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(RoundPlan.objects.visible_to(request.user), pk=pk)
    if request.headers.get("HX-Request") and plan.is_finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # done: show the whole plan
        return response
    return render(
        request,
        template_for(request, "logistics/plan_detail.html", "progress"),
        _plan_context(plan, request.user),
    )


@require_POST
@role_required(*PLANNERS)
def stop_move(request: AuthenticatedRequest, pk: int, stop_pk: int) -> HttpResponse:
    plan = get_object_or_404(RoundPlan.objects.editable_by(request.user), pk=pk)
    stop = get_object_or_404(plan.stops, pk=stop_pk)
    form = MoveForm(request.POST, vans=plan.vans.all())
    if form.is_valid():
        try:
            services.round_stop_move(
                actor=request.user,
                stop=stop,
                van=form.cleaned_data["van"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The stop was moved and locked."))
    else:
        messages.error(request, _("Choose a van of the plan and a position from 1."))
    return redirect("logistics:plan_detail", pk=plan.pk)


@require_POST
@role_required(*PLANNERS)
def stop_lock(request: AuthenticatedRequest, pk: int, stop_pk: int) -> HttpResponse:
    plan = get_object_or_404(RoundPlan.objects.editable_by(request.user), pk=pk)
    stop = get_object_or_404(plan.stops, pk=stop_pk)
    form = LockForm(request.POST)
    form.is_valid()
    try:
        services.round_stop_lock(
            actor=request.user, stop=stop, locked=form.cleaned_data.get("locked", False)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("logistics:plan_detail", pk=plan.pk)


@require_POST
@role_required(*PLANNERS)
def plan_replan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(RoundPlan.objects.editable_by(request.user), pk=pk)
    try:
        services.round_replan(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The unlocked stops were planned again."))
    return redirect("logistics:plan_detail", pk=plan.pk)


# Drivers: the round sheet and the doorstep check-in --------------------------------------------


def _van_stops(user: User, pk: int, van_pk: int) -> tuple[RoundPlan, Van, list[RoundStop]]:
    """A van's stops of a plan, for its planners and its driver; 404 for anyone else."""
    planners = RoundPlan.objects.visible_to(user).filter(pk=pk, vans=van_pk)
    driven = Van.objects.driven_by(user).filter(pk=van_pk, round_plans=pk)
    if not planners.exists() and not driven.exists():
        raise Http404
    plan = RoundPlan.objects.get(pk=pk)
    van = plan.vans.select_related("depot", "driver").get(pk=van_pk)
    stops = list(
        plan.stops.filter(van=van)
        .select_related("order__assignment__client__municipality", "order__assignment")
        .order_by("position")
    )
    return plan, van, stops


@role_required(*FIELD_ROLES)
def round_sheet(request: AuthenticatedRequest, pk: int, van_pk: int) -> HttpResponse:
    plan, van, stops = _van_stops(request.user, pk, van_pk)
    pdf = documents.round_sheet_pdf(actor=request.user, plan=plan, van=van, stops=stops)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ronde-{plan.date}-{van.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(*FIELD_ROLES)
def my_rounds(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "logistics/my_rounds.html",
        {"active_nav": "my_rounds", "stops": selectors.driver_stops(user=request.user)},
    )


@role_required(*FIELD_ROLES)
def check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    stop = get_object_or_404(
        RoundStop.objects.visible_to(user).select_related(
            "plan", "van", "order__assignment__client"
        ),
        pk=pk,
    )
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_check_in(actor=user, stop=stop, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The check-in was recorded."))
            following = (
                RoundStop.objects.filter(
                    plan=stop.plan, van=stop.van, position__gt=stop.position, checked_in_at=None
                )
                .order_by("position")
                .first()
            )
            if following:
                return redirect("logistics:check_in", pk=following.pk)
            return redirect("logistics:my_rounds")
    return render(
        request,
        "logistics/check_in.html",
        {
            "active_nav": "my_rounds",
            "stop": stop,
            "client": stop.order.assignment.client,
            "form": form,
        },
    )
