"""Page-level reads of the plan and the budget, each in a fixed, small number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict, cast

from django.db.models import DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from regie.core.permissions import Actor
from regie.plans.balances import ZERO, Balance, LineUse, balance_of, cents
from regie.plans.models import (
    DWSE,
    STATUSES_EXPLAINING_UNSPENT,
    Action,
    ActionStatus,
    BudgetLine,
    CarryOver,
    Expense,
    ExpenseStatus,
    Grant,
    StatusChange,
)
from regie.plans.querysets import ActionQuerySet, sees_budget_details, sees_whole_plan
from regie.plans.subsidy import GrantResult, grant_for
from regie.registry.models import (
    Municipality,
    Organisation,
    Pillar,
    PolicyFramework,
    Population,
    Region,
    RegionMembership,
)

# The population rule of the Ondersteuningsdecreet applies to the grants of 2014 to 2022.
POPULATION_RULE_YEARS = range(2014, 2023)


def short_date(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "…"


# Board ---------------------------------------------------------------------------------------


@dataclass
class BoardColumn:
    pillar: Pillar
    actions: list[Action]


@dataclass
class Board:
    region: Region
    year: int
    frameworks: list[PolicyFramework]
    columns: list[BoardColumn]
    missing: list[Pillar]
    whole_plan: bool

    @property
    def total(self) -> int:
        return sum(len(column.actions) for column in self.columns)

    @property
    def actions(self) -> list[Action]:
        return [action for column in self.columns for action in column.actions]


def _actions(user: Actor) -> ActionQuerySet:
    return (
        Action.objects.visible_to(user)
        .select_related("pillar__framework", "owner", "region")
        .prefetch_related(
            Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.select_related("changed_by").order_by(
                    "date", "created_at", "id"
                ),
            ),
        )
    )


def plan_board(
    *,
    user: Actor,
    region: Region,
    year: int,
    q: str = "",
    status: str = "",
    pillar: Pillar | None = None,
    organisation: Organisation | None = None,
) -> Board:
    """The actions of ``region`` in ``year`` that the user may see, one column per pillar of the
    framework(s) in force that year, and the pillars without any action (dropped ones do not
    count: the rules ask at least one action per pillar each year)."""
    pillars = list(Pillar.objects.in_force(year).select_related("framework"))
    actions = _actions(user).filter(region=region).in_year(year)
    if q:
        actions = actions.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if status:
        actions = actions.filter(status=status)
    if pillar is not None:
        actions = actions.filter(pillar=pillar)
    if organisation is not None:
        actions = actions.filter(partner_organisations=organisation).distinct()
    rows = list(actions.order_by("pillar__sort_order", "title", "pk"))
    for action in rows:
        if action.pillar not in pillars:  # a multi-year action of a framework that just ended
            pillars.append(action.pillar)
    shown = [p for p in pillars if pillar is None or p == pillar]
    columns = [BoardColumn(p, [a for a in rows if a.pillar_id == p.pk]) for p in shown]
    whole_plan = sees_whole_plan(user)
    missing: list[Pillar] = []
    if whole_plan:
        served = set(
            Action.objects.filter(region=region)
            .in_year(year)
            .exclude(status=ActionStatus.DROPPED)
            .values_list("pillar_id", flat=True)
        )
        missing = [p for p in Pillar.objects.in_force(year) if p.pk not in served]
    frameworks = list(dict.fromkeys(p.framework for p in pillars))
    return Board(
        region=region,
        year=year,
        frameworks=frameworks,
        columns=columns,
        missing=missing,
        whole_plan=whole_plan,
    )


def action_detail(*, user: Actor, pk: int) -> Action:
    """One action with its partners, links, indicators and status history (budget lines and
    expenses only for who may see the budget)."""
    actions = _actions(user).prefetch_related("bodies", "meetings", "indicators")
    if sees_budget_details(user):
        actions = actions.prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("grant")),
            Prefetch(
                "expenses",
                queryset=Expense.objects.exclude(status=ExpenseStatus.CANCELLED).select_related(
                    "grant"
                ),
            ),
        )
    return actions.get(pk=pk)


# Budget --------------------------------------------------------------------------------------


def _money_sum(status: str) -> Coalesce:
    return Coalesce(
        Sum("expenses__amount", filter=Q(expenses__status=status)),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


class LineSums(TypedDict):
    spent: Decimal
    committed: Decimal


type BudgetLineWithSums = WithAnnotations[BudgetLine, LineSums]
"""A budget line with what was spent and committed on it (``budget_year``)."""


@dataclass
class BudgetYear:
    """What the budget page, its exports, the letter and the API need for one year."""

    region: Region
    year: int
    grant: Grant | None
    balance: Balance
    carried_in_from: CarryOver | None  # last year's request (its approved amount is income)
    carry_over: CarryOver | None  # this year's request
    lines: list[BudgetLineWithSums] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    details: bool = False

    @property
    def can_request_carry_over(self) -> bool:
        return self.carry_over is None and self.balance.unspent > 0


def budget_year(*, region: Region, year: int, details: bool = True) -> BudgetYear:
    """The year's grant, income and balance, in at most five queries. With ``details`` also the
    budget lines (with what was spent and committed on each) and the expenses."""
    grant = Grant.objects.filter(region=region, year=year).first()
    requests = {
        c.year: c for c in CarryOver.objects.filter(region=region, year__in=[year - 1, year])
    }
    carried_in_from, carry_over = requests.get(year - 1), requests.get(year)
    lines: list[BudgetLineWithSums] = []
    expenses: list[Expense] = []
    unlined = {"spent": ZERO, "committed": ZERO}
    if grant is not None:
        lines = cast(  # the rows of the annotation below: its type is lost on the custom queryset
            list[BudgetLineWithSums],
            list(
                BudgetLine.objects.filter(grant=grant)
                .select_related("action")
                .annotate(
                    spent=_money_sum(ExpenseStatus.PAID),
                    committed=_money_sum(ExpenseStatus.COMMITTED),
                )
                .order_by("title", "pk")
            ),
        )
        if details:
            expenses = list(
                Expense.objects.filter(grant=grant)
                .select_related("line", "action")
                .order_by("-date", "-pk")
            )
            unlined = {
                "spent": sum(
                    (
                        e.amount
                        for e in expenses
                        if e.line_id is None and e.status == ExpenseStatus.PAID
                    ),
                    ZERO,
                ),
                "committed": sum(
                    (
                        e.amount
                        for e in expenses
                        if e.line_id is None and e.status == ExpenseStatus.COMMITTED
                    ),
                    ZERO,
                ),
            }
        else:
            unlined = Expense.objects.filter(grant=grant, line__isnull=True).aggregate(
                spent=Coalesce(
                    Sum("amount", filter=Q(status=ExpenseStatus.PAID)),
                    Value(ZERO),
                    output_field=DecimalField(max_digits=14, decimal_places=2),
                ),
                committed=Coalesce(
                    Sum("amount", filter=Q(status=ExpenseStatus.COMMITTED)),
                    Value(ZERO),
                    output_field=DecimalField(max_digits=14, decimal_places=2),
                ),
            )
    for line in lines:
        line.spent = cents(line.spent)
        line.committed = cents(line.committed)
    balance = balance_of(
        grant=grant.amount if grant is not None else ZERO,
        carried_in=carried_in_from.income_amount if carried_in_from is not None else ZERO,
        lines=[
            LineUse(planned=line.amount, spent=line.spent, committed=line.committed)
            for line in lines
        ],
        unlined_spent=cents(unlined["spent"]),
        unlined_committed=cents(unlined["committed"]),
        carried_out=carry_over.income_amount if carry_over is not None else ZERO,
        closed=year < timezone.localdate().year,
    )
    return BudgetYear(
        region=region,
        year=year,
        grant=grant,
        balance=balance,
        carried_in_from=carried_in_from,
        carry_over=carry_over,
        lines=lines if details else [],
        expenses=expenses,
        details=details,
    )


def budget_balance(*, region: Region, year: int) -> Balance:
    """The one definition of a year's balance (see ``balances``)."""
    return budget_year(region=region, year=year, details=False).balance


# Grant calculation ---------------------------------------------------------------------------


@dataclass
class MemberPopulation:
    municipality: Municipality
    inhabitants: int | None
    population_year: int | None  # the year of the figure: the grant year or the latest before


@dataclass
class GrantCalculation:
    """How the population rule gives a region's grant for a year, member by member."""

    region: Region
    year: int
    day: datetime.date
    members: list[MemberPopulation]
    rule_applies: bool
    result: GrantResult | None = None

    @property
    def missing(self) -> list[Municipality]:
        return [m.municipality for m in self.members if m.inhabitants is None]

    @property
    def population(self) -> int:
        return sum(m.inhabitants or 0 for m in self.members)

    @property
    def older_figures(self) -> list[MemberPopulation]:
        return [m for m in self.members if m.population_year not in (None, self.year)]

    @property
    def centre_city(self) -> MemberPopulation | None:
        cities = [m for m in self.members if m.municipality.is_centre_city]
        return max(cities, key=lambda m: m.inhabitants or 0) if cities else None

    def as_json(self) -> dict[str, object]:
        """What is stored with the grant, so the page can show how it was computed."""
        result = self.result
        return {
            "year": self.year,
            "membership_day": self.day.isoformat(),
            "members": [
                {
                    "nis": m.municipality.nis_code,
                    "name": m.municipality.name,
                    "inhabitants": m.inhabitants,
                    "population_year": m.population_year,
                    "centre_city": m.municipality.is_centre_city,
                }
                for m in self.members
            ],
            "population": self.population,
            "band_lowest": result.band.lowest if result and result.band else None,
            "band_highest": result.band.highest if result and result.band else None,
            "band_amount": str(result.band_amount) if result else None,
            "centre_city": self.centre_city.municipality.name if self.centre_city else None,
            "centre_city_amount": str(result.centre_city_amount)
            if result and result.centre_city_amount is not None
            else None,
            "cap": str(result.cap) if result and result.cap is not None else None,
            "amount": str(result.amount) if result else None,
        }


def grant_calculation(*, region: Region, year: int) -> GrantCalculation:
    """The population of the region's members on 1 January of ``year`` (each municipality's
    figure of that year, or its latest earlier one) and the grant the population rule gives."""
    day = datetime.date(year, 1, 1)
    memberships = (
        RegionMembership.objects.filter(region=region)
        .on(day)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    municipalities = [m.municipality for m in memberships]
    latest: dict[int, Population] = {}
    for population in Population.objects.filter(
        municipality__in=municipalities, year__lte=year
    ).order_by("municipality_id", "-year"):
        latest.setdefault(population.municipality_id, population)
    members = [
        MemberPopulation(
            municipality=m,
            inhabitants=latest[m.pk].inhabitants if m.pk in latest else None,
            population_year=latest[m.pk].year if m.pk in latest else None,
        )
        for m in municipalities
    ]
    calculation = GrantCalculation(
        region=region,
        year=year,
        day=day,
        members=members,
        rule_applies=year in POPULATION_RULE_YEARS,
    )
    if calculation.rule_applies and members and not calculation.missing:
        city = calculation.centre_city
        calculation.result = grant_for(
            population=calculation.population,
            has_centre_city=city is not None,
            centre_city_population=city.inhabitants if city else None,
            centre_city_alone=city is not None and len(members) == 1,
        )
    return calculation


# Carry-over ----------------------------------------------------------------------------------


def carryover_justification(*, region: Region, year: int) -> str:
    """A first text for a carry-over request: the actions of ``year`` that were postponed or put
    on hold that year, with their reasons and new periods. The coordinator edits it freely.

    Only changes dated in ``year`` count: a postponement of the year before, which moved the
    action into this year, explains the unspent funds of that year, not of this one."""
    pauses_of_year = StatusChange.objects.filter(
        to_status__in=list(STATUSES_EXPLAINING_UNSPENT), date__year=year
    )
    actions = (
        Action.objects.filter(region=region)
        .in_year(year)
        .filter(pk__in=pauses_of_year.values("action"))
        .select_related("pillar")
        .prefetch_related(
            # These actions are read here only: their status changes are the year's pauses.
            Prefetch("status_changes", queryset=pauses_of_year.order_by("date", "created_at", "id"))
        )
        .order_by("pillar__sort_order", "title")
    )
    lines = []
    for action in actions:
        change = list(action.status_changes.all())[-1]
        line = _("- %(title)s (%(pillar)s): %(status)s on %(date)s. Reason: %(reason)s.") % {
            "title": action.title,
            "pillar": action.pillar.short_name,
            "status": ActionStatus(change.to_status).label.lower(),
            "date": short_date(change.date),
            "reason": change.reason or "—",
        }
        if change.new_start or change.new_end:
            line += " " + _("New period: %(start)s – %(end)s.") % {
                "start": short_date(change.new_start),
                "end": short_date(change.new_end),
            }
        lines.append(line)
    if not lines:
        return _(
            "No action of %(year)s was postponed or put on hold. Explain here why the operating "
            "funds were not fully used."
        ) % {"year": year}
    return "\n".join(
        [
            _(
                "In %(year)s the following actions were postponed or put on hold, so the "
                "operating funds were not fully used:"
            )
            % {"year": year},
            *lines,
            _(
                "We ask to carry the unspent funds over to %(next)s, to carry out these actions "
                "then."
            )
            % {"next": year + 1},
        ]
    )


# Page reads of the views -----------------------------------------------------------------------


def board_organisations(*, user: Actor, region: Region) -> QuerySet[Organisation]:
    """The partner organisations the board filters on: the region's partners in its plan for
    who sees the whole plan, else the user's own organisation."""
    if sees_whole_plan(user):
        organisations = Organisation.objects.filter(region=region, plan_actions__region=region)
    else:
        own = [user.organisation_id] if user.organisation_id else []
        organisations = Organisation.objects.filter(pk__in=own)
    return organisations.distinct().order_by("name")


def grant_form_initial(*, grant: Grant | None) -> dict[str, object]:
    """What the grant form starts from: the grant as recorded (the amount only when it differs
    from the population rule's), or the usual funder for a new one."""
    if grant is None:
        return {"funder": DWSE}
    return {
        "funder": grant.funder,
        "decision_reference": grant.decision_reference,
        "decision_date": grant.decision_date,
        "notes": grant.notes,
        "amount": grant.amount if grant.amount != grant.calculated_amount else None,
    }


@dataclass
class CarryOverPage:
    region: Region
    year: int
    carry_over: CarryOver | None
    balance: Balance

    @property
    def editable(self) -> bool:
        """A new request or a draft: the page shows the draft form."""
        return self.carry_over is None or self.carry_over.is_draft

    @property
    def version(self) -> int:
        """The version the form starts from; 0 for a request not drafted yet."""
        return self.carry_over.version if self.carry_over else 0

    def initial(self) -> dict[str, object]:
        """The draft as saved, or a first draft: the unspent amount and the postponed and
        on-hold actions of the year as justification."""
        if self.carry_over is not None:
            return {
                "amount": self.carry_over.amount,
                "justification": self.carry_over.justification,
            }
        return {
            "amount": max(self.balance.unspent, 0) or None,
            "justification": carryover_justification(region=self.region, year=self.year),
        }


def carryover_page(*, region: Region, year: int) -> CarryOverPage:
    """The carry-over request of ``region`` for ``year`` (if any) with the year's balance."""
    return CarryOverPage(
        region=region,
        year=year,
        carry_over=CarryOver.objects.filter(region=region, year=year).first(),
        balance=budget_balance(region=region, year=year),
    )
