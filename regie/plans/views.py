"""Plan and budget pages: thin views — scoped lookup, form, one service call, render or redirect."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.documents import DOCX
from regie.core.forms import add_service_errors
from regie.core.history import record_history
from regie.core.htmx import template_for
from regie.core.permissions import AuthenticatedRequest, role_of, role_required
from regie.core.versioning import versioned_edit
from regie.plans import documents, selectors, services
from regie.plans.forms import (
    ActionForm,
    BoardFilterForm,
    BudgetLineForm,
    CarryOverDecisionForm,
    CarryOverForm,
    CarryOverSubmitForm,
    ExpenseForm,
    GrantForm,
    IndicatorForm,
    StatusChangeForm,
)
from regie.plans.models import (
    DWSE,
    FIRST_YEAR,
    Action,
    BudgetLine,
    CarryOver,
    CarryOverStatus,
    Expense,
    Grant,
    Indicator,
)
from regie.plans.querysets import (
    budget_regions,
    managed_regions,
    plan_regions,
    sees_budget_details,
)
from regie.registry.models import Organisation, Pillar, Region

MANAGERS = ("admin", "coordinator")
BUDGET_READERS = ("admin", "coordinator", "viewer")
YEARS_AHEAD = 5


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year + YEARS_AHEAD:
        raise Http404
    return year


def _years() -> range:
    return range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _choose_region(
    request: AuthenticatedRequest,
    regions: Any,
    target: str,
    known_years: Callable[[Region], set[int]],
) -> HttpResponse:
    """Go to the user's region, in this year or else the latest year it has data for; an admin
    without a region chooses one."""
    year = timezone.localdate().year
    own = regions.filter(pk=request.user.region_id).first() if request.user.region_id else None
    choices = list(regions.order_by("name")[:200])
    region = own or (choices[0] if len(choices) == 1 else None)
    if region is not None:
        known = known_years(region)
        if year not in known and known:
            this_year = year
            year = max(y for y in known if y <= year) if min(known) <= year else min(known)
            messages.info(
                request,
                _(
                    "There is nothing for %(asked)s yet: this shows %(year)s, the nearest "
                    "year with data."
                )
                % {"asked": this_year, "year": year},
            )
        return redirect(target, region=region.code, year=year)
    return render(
        request,
        "plans/home.html",
        {"active_nav": "plans", "regions": choices, "target": target, "year": year},
    )


# The plan ------------------------------------------------------------------------------------


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    def years(region: Region) -> set[int]:
        spans = Action.objects.visible_to(request.user).filter(region=region).order_by()
        pairs = spans.values_list("year", "last_year").distinct()
        return {year for first, last in pairs for year in range(first, last + 1)}

    return _choose_region(request, plan_regions(request.user), "plans:board", years)


@role_required(*BUDGET_READERS)
def budget_home(request: AuthenticatedRequest) -> HttpResponse:
    def years(region: Region) -> set[int]:
        return set(Grant.objects.filter(region=region).values_list("year", flat=True))

    return _choose_region(request, budget_regions(request.user), "plans:budget", years)


@login_required
def board(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    user = request.user
    plan_region = get_object_or_404(plan_regions(user), code=region)
    year = _year(year)
    organisations = (
        Organisation.objects.filter(region=plan_region, plan_actions__region=plan_region)
        if sees_budget_details(user) or role_of(user) == "viewer"
        else Organisation.objects.filter(
            pk__in=[user.organisation_id] if user.organisation_id else []
        )
    ).distinct()
    form = BoardFilterForm(
        request.GET or None,
        pillars=Pillar.objects.in_force(year),
        organisations=organisations.order_by("name"),
    )
    filters = form.filters() if form.is_bound else {}
    board = selectors.plan_board(user=user, region=plan_region, year=year, **filters)
    people = role_of(user) != "viewer"
    money = sees_budget_details(user)
    export = request.GET.get("export")
    filename = f"actieplan-{plan_region.code}-{year}"
    if export == "xlsx":
        content = documents.plan_xlsx(board, people=people, money=money)
        return _file(content, documents.XLSX, f"{filename}.xlsx")
    if export == "pdf":
        content = documents.render_pdf(
            "plans/print/plan.html", {"board": board, "people": people, "money": money}
        )
        return _file(content, "application/pdf", f"{filename}.pdf")
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        template_for(request, "plans/board.html", "board"),
        {
            "active_nav": "plans",
            "form": form,
            "board": board,
            "query": query.urlencode(),
            "years": _years(),
            "can_edit": managed_regions(user).filter(pk=plan_region.pk).exists(),
            "sees_budget": budget_regions(user).filter(pk=plan_region.pk).exists(),
            "people": people,
            "money": money,
        },
    )


@login_required
def action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        action = selectors.action_detail(user=request.user, pk=pk)
    except Action.DoesNotExist:
        raise Http404 from None
    can_edit = Action.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "plans/action_detail.html",
        {
            "active_nav": "plans",
            "action": action,
            "can_edit": can_edit,
            "people": role_of(request.user) != "viewer",
            "money": sees_budget_details(request.user),
            "history": record_history(records=[action, *action.indicators.all()])
            if can_edit
            else None,
        },
    )


@role_required(*MANAGERS)
def action_create(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    plan_region = get_object_or_404(managed_regions(request.user), code=region)
    year = _year(year)
    form = ActionForm(
        request.POST or None, region=plan_region, initial={"year": year, "last_year": year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("version", None)
        try:
            action = services.action_create(actor=request.user, region=plan_region, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action %(title)s was added.") % {"title": action})
            return redirect("plans:action_detail", pk=action.pk)
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "plans",
            "form": form,
            "title": _("New action"),
            "region": plan_region,
            "year": year,
            "back": reverse("plans:board", args=[plan_region.code, year]),
        },
    )


@role_required(*MANAGERS)
def action_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.editable_by(request.user), pk=pk)
    form = ActionForm(request.POST or None, instance=action, region=action.region)
    edit = versioned_edit(
        form,
        save=lambda: services.action_update(
            actor=request.user,
            action=action,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved:
        messages.success(request, _("The changes were saved."))
        return redirect("plans:action_detail", pk=pk)
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "plans",
            "form": form,
            "stale": edit.stale,
            "title": _("Edit action"),
            "action": action,
            "back": reverse("plans:action_detail", args=[pk]),
        },
    )


@role_required(*MANAGERS)
def action_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.editable_by(request.user), pk=pk)
    form = StatusChangeForm(request.POST or None, action=action)

    def save() -> Action:
        data = form.cleaned_data
        return services.action_status_change(
            actor=request.user,
            action=action,
            expected_version=data["version"],
            status=data["status"],
            reason=data["reason"],
            on=data["date"],
            new_start=data["new_start"],
            new_end=data["new_end"],
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        action.refresh_from_db()
        messages.success(
            request,
            _("%(title)s is now “%(status)s”.")
            % {"title": action, "status": action.get_status_display()},
        )
        return redirect("plans:action_detail", pk=pk)
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "plans",
            "form": form,
            "stale": edit.stale,
            "title": _("Change the status"),
            "action": action,
            "intro": _("Now: %(status)s since %(date)s.")
            % {
                "status": action.get_status_display(),
                "date": selectors.short_date(action.status_since),
            },
            "back": reverse("plans:action_detail", args=[pk]),
        },
    )


@role_required(*MANAGERS)
def indicator_form(
    request: AuthenticatedRequest, pk: int, indicator_pk: int | None = None
) -> HttpResponse:
    action = get_object_or_404(Action.objects.editable_by(request.user), pk=pk)
    indicator = (
        get_object_or_404(Indicator, pk=indicator_pk, action=action) if indicator_pk else None
    )
    form = IndicatorForm(request.POST or None, instance=indicator)

    def save() -> Indicator:
        if indicator is None:
            return services.indicator_create(actor=request.user, action=action, **form.changes())
        return services.indicator_update(
            actor=request.user,
            indicator=indicator,
            expected_version=form.expected_version,
            **form.changes(),
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The indicator was saved."))
        return redirect("plans:action_detail", pk=pk)
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "plans",
            "form": form,
            "stale": edit.stale,
            "title": _("Edit indicator") if indicator else _("New indicator"),
            "action": action,
            "back": reverse("plans:action_detail", args=[pk]),
        },
    )


# The budget ----------------------------------------------------------------------------------


@role_required(*BUDGET_READERS)
def budget(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    budget_region = get_object_or_404(budget_regions(request.user), code=region)
    year = _year(year)
    details = managed_regions(request.user).filter(pk=budget_region.pk).exists()
    budget = selectors.budget_year(region=budget_region, year=year, details=details)
    export = request.GET.get("export")
    filename = f"budget-{budget_region.code}-{year}"
    if export == "xlsx":
        return _file(documents.budget_xlsx(budget), documents.XLSX, f"{filename}.xlsx")
    if export == "pdf":
        content = documents.render_pdf(
            "plans/print/budget.html",
            {"budget": budget, "summary": documents.budget_summary_rows(budget)},
        )
        return _file(content, "application/pdf", f"{filename}.pdf")
    return render(
        request,
        "plans/budget.html",
        {
            "active_nav": "budget",
            "budget": budget,
            "balance": budget.balance,
            "years": _years(),
            "can_edit": details,
        },
    )


@role_required(*MANAGERS)
def grant_edit(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    budget_region = get_object_or_404(managed_regions(request.user), code=region)
    year = _year(year)
    grant = Grant.objects.filter(region=budget_region, year=year).first()
    calculation = selectors.grant_calculation(region=budget_region, year=year)
    initial = (
        {
            "funder": grant.funder,
            "decision_reference": grant.decision_reference,
            "decision_date": grant.decision_date,
            "notes": grant.notes,
            "amount": grant.amount if grant.amount != grant.calculated_amount else None,
        }
        if grant
        else {"funder": DWSE}
    )
    # Version 0: the user saw no grant yet; if someone records one meanwhile, that is a conflict.
    form = GrantForm(request.POST or None, initial=initial, version=grant.version if grant else 0)

    def save() -> Grant:
        data = form.cleaned_data
        return services.grant_set(
            actor=request.user,
            region=budget_region,
            year=year,
            expected_version=data["version"],
            amount=data["amount"],
            funder=data["funder"],
            decision_reference=data["decision_reference"],
            decision_date=data["decision_date"],
            notes=data["notes"],
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The grant of %(year)s was saved.") % {"year": year})
        return redirect("plans:budget", region=budget_region.code, year=year)
    return render(
        request,
        "plans/grant_form.html",
        {
            "active_nav": "budget",
            "form": form,
            "stale": edit.stale,
            "grant": grant,
            "calculation": calculation,
            "region": budget_region,
            "year": year,
        },
    )


def _grant_or_404(user: Any, region: str, year: int) -> Grant:
    return get_object_or_404(
        Grant.objects.select_related("region").filter(region__in=managed_regions(user)),
        region__code=region,
        year=_year(year),
    )


def _region_actions(region: Region, year: int) -> Any:
    return (
        Action.objects.filter(region=region).in_year(year).order_by("pillar__sort_order", "title")
    )


@role_required(*MANAGERS)
def budget_line_form(
    request: AuthenticatedRequest,
    region: str = "",
    year: int = 0,
    pk: int | None = None,
) -> HttpResponse:
    line = (
        get_object_or_404(
            BudgetLine.objects.editable_by(request.user).select_related("grant__region"), pk=pk
        )
        if pk
        else None
    )
    grant = line.grant if line else _grant_or_404(request.user, region, year)
    form = BudgetLineForm(
        request.POST or None, instance=line, actions=_region_actions(grant.region, grant.year)
    )

    def save() -> BudgetLine:
        if line is None:
            return services.budget_line_create(actor=request.user, grant=grant, **form.changes())
        return services.budget_line_update(
            actor=request.user, line=line, expected_version=form.expected_version, **form.changes()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The budget line was saved."))
        return redirect("plans:budget", region=grant.region.code, year=grant.year)
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "budget",
            "form": form,
            "stale": edit.stale,
            "title": _("Edit budget line") if line else _("New budget line"),
            "region": grant.region,
            "year": grant.year,
            "budget_page": True,
            "back": reverse("plans:budget", args=[grant.region.code, grant.year]),
        },
    )


@role_required(*MANAGERS)
def expense_form(
    request: AuthenticatedRequest,
    region: str = "",
    year: int = 0,
    pk: int | None = None,
) -> HttpResponse:
    expense = (
        get_object_or_404(
            Expense.objects.editable_by(request.user).select_related("grant__region"), pk=pk
        )
        if pk
        else None
    )
    grant = expense.grant if expense else _grant_or_404(request.user, region, year)
    form = ExpenseForm(
        request.POST or None,
        instance=expense,
        lines=BudgetLine.objects.filter(grant=grant),
        actions=_region_actions(grant.region, grant.year),
        year=grant.year,
    )

    def save() -> Expense:
        if expense is None:
            return services.expense_create(actor=request.user, grant=grant, **form.changes())
        return services.expense_update(
            actor=request.user,
            expense=expense,
            expected_version=form.expected_version,
            **form.changes(),
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The expense was saved."))
        return redirect("plans:budget", region=grant.region.code, year=grant.year)
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "budget",
            "form": form,
            "stale": edit.stale,
            "title": _("Edit expense") if expense else _("New expense"),
            "region": grant.region,
            "year": grant.year,
            "budget_page": True,
            "back": reverse("plans:budget", args=[grant.region.code, grant.year]),
        },
    )


# Carry-over requests -------------------------------------------------------------------------


@role_required(*MANAGERS)
def carryover(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    """The request of a year: a new draft (pre-filled), the draft to edit, or the request as
    sent with its decision."""
    budget_region = get_object_or_404(managed_regions(request.user), code=region)
    year = _year(year)
    carry_over = CarryOver.objects.filter(region=budget_region, year=year).first()
    balance = selectors.budget_balance(region=budget_region, year=year)
    form = None
    stale = None
    if carry_over is None or carry_over.is_draft:
        initial = (
            {"amount": carry_over.amount, "justification": carry_over.justification}
            if carry_over
            else {
                "amount": max(balance.unspent, 0) or None,
                "justification": selectors.carryover_justification(region=budget_region, year=year),
            }
        )
        # Version 0: a new request. If someone drafted one meanwhile, the service refuses a
        # second request instead of this form overwriting theirs.
        form = CarryOverForm(
            request.POST or None,
            initial=initial,
            version=carry_over.version if carry_over else 0,
        )
        draft_form = form

        def save() -> CarryOver:
            data = draft_form.cleaned_data
            if carry_over is None or data["version"] == 0:
                return services.carryover_draft(
                    actor=request.user,
                    region=budget_region,
                    year=year,
                    amount=data["amount"],
                    justification=data["justification"],
                )
            return services.carryover_update(
                actor=request.user,
                carry_over=carry_over,
                expected_version=data["version"],
                amount=data["amount"],
                justification=data["justification"],
            )

        edit = versioned_edit(form, save=save)
        if edit.saved:
            messages.success(request, _("The draft request was saved."))
            return redirect("plans:carryover", region=budget_region.code, year=year)
        stale = edit.stale
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "plans/carryover.html",
        {
            "active_nav": "budget",
            "form": form,
            "stale": stale,
            "carry_over": carry_over,
            "submit_form": (
                # Its own ids: the draft form on the same page has a version field too.
                CarryOverSubmitForm(version=carry_over.version, auto_id="submit_%s")
                if carry_over is not None and carry_over.is_draft
                else None
            ),
            "balance": balance,
            "region": budget_region,
            "year": year,
        },
    )


@role_required(*MANAGERS)
def carryover_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark the draft as sent to the funder, on the date it was sent (today unless entered)."""
    carry_over = get_object_or_404(
        CarryOver.objects.editable_by(request.user).select_related("region"), pk=pk
    )
    back = redirect("plans:carryover", region=carry_over.region.code, year=carry_over.year)
    if not carry_over.is_draft:
        messages.info(request, _("Only a draft request can be submitted."))
        return back
    form = CarryOverSubmitForm(request.POST or None, version=carry_over.version)
    edit = versioned_edit(
        form,
        save=lambda: services.carryover_submit(
            actor=request.user,
            carry_over=carry_over,
            expected_version=form.cleaned_data["version"],
            on=form.cleaned_data["submitted_on"],
        ),
    )
    if edit.saved:
        messages.success(
            request,
            _("The request was marked as submitted to %(funder)s.") % {"funder": carry_over.funder},
        )
        return back
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "budget",
            "form": form,
            "stale": edit.stale,
            "title": _("Mark as submitted to %(funder)s") % {"funder": carry_over.funder},
            "intro": _("Request of %(amount)s from %(year)s to %(next)s.")
            % {
                "amount": documents.euro(carry_over.amount),
                "year": carry_over.year,
                "next": carry_over.to_year,
            },
            "region": carry_over.region,
            "year": carry_over.year,
            "budget_page": True,
            "back": reverse("plans:carryover", args=[carry_over.region.code, carry_over.year]),
        },
    )


@role_required(*MANAGERS)
def carryover_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    carry_over = get_object_or_404(
        CarryOver.objects.editable_by(request.user).select_related("region"), pk=pk
    )
    if carry_over.status != CarryOverStatus.SUBMITTED:
        messages.info(request, _("Only a submitted request gets a decision."))
        return redirect("plans:carryover", region=carry_over.region.code, year=carry_over.year)
    form = CarryOverDecisionForm(request.POST or None, version=carry_over.version)

    def save() -> CarryOver:
        data = form.cleaned_data
        return services.carryover_decide(
            actor=request.user,
            carry_over=carry_over,
            expected_version=data["version"],
            approved=data["decision"] == "approved",
            decision_date=data["decision_date"],
            decision_reference=data["decision_reference"],
            approved_amount=data["approved_amount"],
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The decision was recorded."))
        return redirect("plans:carryover", region=carry_over.region.code, year=carry_over.year)
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "budget",
            "form": form,
            "stale": edit.stale,
            "title": _("Record the decision"),
            "intro": _("Request of %(amount)s from %(year)s to %(next)s, submitted on %(date)s.")
            % {
                "amount": documents.euro(carry_over.amount),
                "year": carry_over.year,
                "next": carry_over.to_year,
                "date": selectors.short_date(carry_over.submitted_on),
            },
            "region": carry_over.region,
            "year": carry_over.year,
            "budget_page": True,
            "back": reverse("plans:carryover", args=[carry_over.region.code, carry_over.year]),
        },
    )


@role_required(*MANAGERS)
def carryover_letter(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    carry_over = get_object_or_404(
        CarryOver.objects.editable_by(request.user).select_related("region__carrier"), pk=pk
    )
    if fmt not in {"pdf", "docx"}:
        raise Http404
    budget = selectors.budget_year(region=carry_over.region, year=carry_over.year, details=False)
    signed_by = request.user.get_full_name() or request.user.username
    letter = documents.carryover_letter(carry_over=carry_over, budget=budget, signed_by=signed_by)
    filename = f"overheveling-{carry_over.region.code}-{carry_over.year}.{fmt}"
    if fmt == "pdf":
        return _file(documents.carryover_letter_pdf(letter), "application/pdf", filename)
    return _file(documents.carryover_letter_docx(letter, author=signed_by), DOCX, filename)
