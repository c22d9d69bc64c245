"""Plan and budget pages: thin views — scoped lookup, form, one service call, render or redirect."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.documents import DOCX
from regie.core.forms import add_service_errors
from regie.core.history import record_history
from regie.core.htmx import template_for
from regie.core.permissions import (
    MANAGERS,
    Actor,
    AuthenticatedRequest,
    Role,
    role_of,
    role_required,
)
from regie.core.templatetags.regie import euro
from regie.core.versioning import StaleField, versioned_edit
from regie.plans import documents, selectors, services
from regie.plans.forms import (
    ActionForm,
    BoardFilterForm,
    BoardFilters,
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
    BUDGET_READERS,
    ActionQuerySet,
    budget_regions,
    managed_regions,
    plan_regions,
    sees_budget_details,
)
from regie.registry.models import Pillar, Region

YEARS_AHEAD = 5
EXPORT_FORMATS = {"xlsx", "pdf"}


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
    regions: QuerySet[Region],
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


def _board_of(
    request: AuthenticatedRequest, region: str, year: int
) -> tuple[BoardFilterForm, selectors.Board]:
    """The board of a region and year the user may open, filtered as the query asks."""
    plan_region = get_object_or_404(plan_regions(request.user), code=region)
    year = _year(year)
    form = BoardFilterForm(
        request.GET or None,
        pillars=Pillar.objects.in_force(year),
        organisations=selectors.board_organisations(user=request.user, region=plan_region),
    )
    filters: BoardFilters = form.filters() if form.is_bound else {}
    return form, selectors.plan_board(user=request.user, region=plan_region, year=year, **filters)


@login_required
def board(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    user = request.user
    form, board = _board_of(request, region, year)
    return render(
        request,
        template_for(request, "plans/board.html", "board"),
        {
            "active_nav": "plans",
            "form": form,
            "board": board,
            "query": request.GET.urlencode(),
            "years": _years(),
            "can_edit": managed_regions(user).filter(pk=board.region.pk).exists(),
            "sees_budget": budget_regions(user).filter(pk=board.region.pk).exists(),
            "people": role_of(user) != Role.VIEWER,
            "money": sees_budget_details(user),
        },
    )


@login_required
def board_export(request: AuthenticatedRequest, region: str, year: int, fmt: str) -> HttpResponse:
    """The board as filtered, as a spreadsheet or a PDF (owners and money as on the page)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    user = request.user
    _form, board = _board_of(request, region, year)
    people = role_of(user) != Role.VIEWER
    money = sees_budget_details(user)
    filename = f"actieplan-{board.region.code}-{board.year}.{fmt}"
    if fmt == "xlsx":
        content = documents.plan_xlsx(board, people=people, money=money)
        return _file(content, documents.XLSX, filename)
    content = documents.render_pdf(
        "plans/print/plan.html", {"board": board, "people": people, "money": money}
    )
    return _file(content, "application/pdf", filename)


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
            "people": role_of(request.user) != Role.VIEWER,
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
    edit = versioned_edit(
        form,
        save=lambda: services.action_status_change(
            actor=request.user, action=action, **form.status_change()
        ),
    )
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


def _budget_of(request: AuthenticatedRequest, region: str, year: int) -> selectors.BudgetYear:
    """The budget of a region and year the user may read, with its lines and expenses for who
    manages it."""
    budget_region = get_object_or_404(budget_regions(request.user), code=region)
    year = _year(year)
    details = managed_regions(request.user).filter(pk=budget_region.pk).exists()
    return selectors.budget_year(region=budget_region, year=year, details=details)


@role_required(*BUDGET_READERS)
def budget(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    budget = _budget_of(request, region, year)
    return render(
        request,
        "plans/budget.html",
        {
            "active_nav": "budget",
            "budget": budget,
            "balance": budget.balance,
            "years": _years(),
            "can_edit": budget.details,
        },
    )


@role_required(*BUDGET_READERS)
def budget_export(request: AuthenticatedRequest, region: str, year: int, fmt: str) -> HttpResponse:
    """The budget of the year as a spreadsheet or a PDF."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    budget = _budget_of(request, region, year)
    filename = f"budget-{budget.region.code}-{budget.year}.{fmt}"
    if fmt == "xlsx":
        return _file(documents.budget_xlsx(budget), documents.XLSX, filename)
    content = documents.render_pdf(
        "plans/print/budget.html",
        {"budget": budget, "summary": documents.budget_summary_rows(budget)},
    )
    return _file(content, "application/pdf", filename)


@role_required(*MANAGERS)
def grant_edit(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    budget_region = get_object_or_404(managed_regions(request.user), code=region)
    year = _year(year)
    grant = Grant.objects.filter(region=budget_region, year=year).first()
    # Version 0: the user saw no grant yet; if someone records one meanwhile, that is a conflict.
    form = GrantForm(
        request.POST or None,
        initial=selectors.grant_form_initial(grant=grant),
        version=grant.version if grant else 0,
    )
    edit = versioned_edit(
        form,
        save=lambda: services.grant_set(
            actor=request.user, region=budget_region, year=year, **form.grant()
        ),
    )
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
            "calculation": selectors.grant_calculation(region=budget_region, year=year),
            "region": budget_region,
            "year": year,
        },
    )


def _grant_or_404(user: Actor, region: str, year: int) -> Grant:
    return get_object_or_404(
        Grant.objects.select_related("region").filter(region__in=managed_regions(user)),
        region__code=region,
        year=_year(year),
    )


def _region_actions(region: Region, year: int) -> ActionQuerySet:
    return (
        Action.objects.filter(region=region).in_year(year).order_by("pillar__sort_order", "title")
    )


def _on_grant[M: BudgetLine | Expense](
    request: AuthenticatedRequest, editable: QuerySet[M], region: str, year: int, pk: int | None
) -> tuple[M | None, Grant]:
    """The budget line or expense to edit (None for a new one) and the grant it belongs to."""
    record = get_object_or_404(editable.select_related("grant__region"), pk=pk) if pk else None
    return record, record.grant if record else _grant_or_404(request.user, region, year)


def _budget_form_page(
    request: AuthenticatedRequest,
    *,
    form: forms.BaseForm,
    stale: list[StaleField] | None,
    title: str,
    region: Region,
    year: int,
    back: str = "plans:budget",
    intro: str = "",
) -> HttpResponse:
    """A form of the budget pages (a line, an expense, a step of the carry-over request)."""
    return render(
        request,
        "plans/form.html",
        {
            "active_nav": "budget",
            "form": form,
            "stale": stale,
            "title": title,
            "intro": intro,
            "region": region,
            "year": year,
            "budget_page": True,
            "back": reverse(back, args=[region.code, year]),
        },
    )


@role_required(*MANAGERS)
def budget_line_form(
    request: AuthenticatedRequest,
    region: str = "",
    year: int = 0,
    pk: int | None = None,
) -> HttpResponse:
    line, grant = _on_grant(request, BudgetLine.objects.editable_by(request.user), region, year, pk)
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
    title = _("Edit budget line") if line else _("New budget line")
    return _budget_form_page(
        request, form=form, stale=edit.stale, title=title, region=grant.region, year=grant.year
    )


@role_required(*MANAGERS)
def expense_form(
    request: AuthenticatedRequest,
    region: str = "",
    year: int = 0,
    pk: int | None = None,
) -> HttpResponse:
    expense, grant = _on_grant(request, Expense.objects.editable_by(request.user), region, year, pk)
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
    title = _("Edit expense") if expense else _("New expense")
    return _budget_form_page(
        request, form=form, stale=edit.stale, title=title, region=grant.region, year=grant.year
    )


# Carry-over requests -------------------------------------------------------------------------


@role_required(*MANAGERS)
def carryover(request: AuthenticatedRequest, region: str, year: int) -> HttpResponse:
    """The request of a year: a new draft (pre-filled), the draft to edit, or the request as
    sent with its decision."""
    budget_region = get_object_or_404(managed_regions(request.user), code=region)
    page = selectors.carryover_page(region=budget_region, year=_year(year))
    if not page.editable and request.method == "POST":
        raise Http404
    # Version 0: a new request. If someone drafted one meanwhile, the service refuses a
    # second request instead of this form overwriting theirs.
    form = CarryOverForm(request.POST or None, initial=page.initial(), version=page.version)
    edit = versioned_edit(
        form,
        save=lambda: services.carryover_save(
            actor=request.user, region=budget_region, year=page.year, **form.draft()
        ),
    )
    if edit.saved:
        messages.success(request, _("The draft request was saved."))
        return redirect("plans:carryover", region=budget_region.code, year=page.year)
    return render(
        request,
        "plans/carryover.html",
        {
            "active_nav": "budget",
            "form": form if page.editable else None,
            "stale": edit.stale,
            "carry_over": page.carry_over,
            "submit_form": (
                # Its own ids: the draft form on the same page has a version field too.
                CarryOverSubmitForm(version=page.version, auto_id="submit_%s")
                if page.carry_over is not None and page.carry_over.is_draft
                else None
            ),
            "balance": page.balance,
            "region": budget_region,
            "year": page.year,
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
            actor=request.user, carry_over=carry_over, **form.submission()
        ),
    )
    if edit.saved:
        messages.success(
            request,
            _("The request was marked as submitted to %(funder)s.") % {"funder": carry_over.funder},
        )
        return back
    return _budget_form_page(
        request,
        form=form,
        stale=edit.stale,
        title=_("Mark as submitted to %(funder)s") % {"funder": carry_over.funder},
        intro=_("Request of %(amount)s from %(year)s to %(next)s.")
        % {
            "amount": euro(carry_over.amount),
            "year": carry_over.year,
            "next": carry_over.to_year,
        },
        region=carry_over.region,
        year=carry_over.year,
        back="plans:carryover",
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
    edit = versioned_edit(
        form,
        save=lambda: services.carryover_decide(
            actor=request.user, carry_over=carry_over, **form.outcome()
        ),
    )
    if edit.saved:
        messages.success(request, _("The decision was recorded."))
        return redirect("plans:carryover", region=carry_over.region.code, year=carry_over.year)
    return _budget_form_page(
        request,
        form=form,
        stale=edit.stale,
        title=_("Record the decision"),
        intro=_("Request of %(amount)s from %(year)s to %(next)s, submitted on %(date)s.")
        % {
            "amount": euro(carry_over.amount),
            "year": carry_over.year,
            "next": carry_over.to_year,
            "date": selectors.short_date(carry_over.submitted_on),
        },
        region=carry_over.region,
        year=carry_over.year,
        back="plans:carryover",
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
