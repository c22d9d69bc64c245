"""The action plan and the operating budget of a regie area: actions under the pillars of the
policy framework in force, their status history, the yearly grant, budget lines, expenses and
requests to carry unspent funds over to the next year."""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Literal, TypedDict, Unpack, overload

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from regie.core.fetching import PeersManager
from regie.plans.querysets import (
    ActionQuerySet,
    BudgetLineQuerySet,
    CarryOverQuerySet,
    ExpenseQuerySet,
    GrantQuerySet,
)

FIRST_YEAR = 2014  # the first year of the policy frameworks Regie knows
DWSE = "Departement Werk en Sociale Economie"


def validate_not_negative(value: Decimal) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("An amount cannot be negative."), code="negative")


def validate_positive(value: Decimal) -> None:
    if value is not None and value <= 0:
        raise ValidationError(
            _("Enter an amount above zero: negative amounts and zero are not accepted."),
            code="not_positive",
        )


AmountInput = Decimal | str | float | Combinable  # what an amount field accepts


class _AmountOptions(TypedDict, total=False):
    blank: bool
    default: Decimal
    validators: Iterable[Callable[[Decimal], None]]


@overload
def money(
    verbose_name: StrOrPromise, *, null: Literal[True], **options: Unpack[_AmountOptions]
) -> "models.DecimalField[AmountInput | None, Decimal | None]": ...
@overload
def money(
    verbose_name: StrOrPromise, *, null: Literal[False] = False, **options: Unpack[_AmountOptions]
) -> "models.DecimalField[AmountInput, Decimal]": ...
def money(
    verbose_name: StrOrPromise, *, null: bool = False, **options: Unpack[_AmountOptions]
) -> "models.DecimalField[AmountInput, Decimal | None]":
    """An amount in euro: always a Decimal with cents, never a float."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, null=null, **options)


def year_field(
    verbose_name: StrOrPromise, *, help_text: StrOrPromise = ""
) -> "models.PositiveSmallIntegerField[float | int | str | Combinable, int]":
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)],
        help_text=help_text,
    )


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    POSTPONED = "postponed", _("Postponed")
    ON_HOLD = "on_hold", _("On hold")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# A change to one of these needs a reason (DOMAIN: "every change keeps … a reason").
STATUSES_NEEDING_REASON = frozenset(
    {ActionStatus.POSTPONED, ActionStatus.ON_HOLD, ActionStatus.DROPPED}
)
# The actions that explain unspent funds in a carry-over request.
STATUSES_EXPLAINING_UNSPENT = frozenset({ActionStatus.POSTPONED, ActionStatus.ON_HOLD})


class Action(models.Model):
    """An action of the plan, serving one pillar, in one year or several."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    pillar = models.ForeignKey(
        "registry.Pillar",
        verbose_name=_("pillar"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year = year_field(_("year"))
    last_year = year_field(
        _("last year"), help_text=_("The same as the year for an action of one year.")
    )
    start = models.DateField(_("planned start"), null=True, blank=True)
    end = models.DateField(_("planned end"), null=True, blank=True)
    owner = models.ForeignKey(
        "registry.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    partner_organisations = models.ManyToManyField(
        "registry.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="plan_actions",
    )
    bodies = models.ManyToManyField(
        "network.Body", verbose_name=_("bodies"), blank=True, related_name="actions"
    )
    meetings = models.ManyToManyField(
        "network.Meeting", verbose_name=_("meetings"), blank=True, related_name="actions"
    )
    # Projects (calls and dossiers) are not kept in Regie yet: a reference stands in for them.
    project_reference = models.CharField(
        _("project"),
        max_length=200,
        blank=True,
        help_text=_("The call and dossier this action belongs to, e.g. ESF520 Circulair werk(t)."),
    )
    planned_budget = money(
        _("planned budget"), default=Decimal("0.00"), validators=[validate_not_negative]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PeersManager.from_queryset(ActionQuerySet)()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["year", "pillar__sort_order", "title"]
        indexes = [models.Index(fields=["region", "year", "last_year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("year")), name="action_last_year_after_year"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="action_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_budget__gte=0), name="action_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def last_reason(self) -> str:
        """The reason of the latest status change that gave one (uses prefetched changes)."""
        reasons = [change.reason for change in self.status_changes.all() if change.reason]
        return reasons[-1] if reasons else ""

    @property
    def years_display(self) -> str:
        return str(self.year) if self.last_year == self.year else f"{self.year}–{self.last_year}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.year and self.last_year and self.last_year < self.year:
            errors["last_year"] = _("The last year is before the first year.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end date is before the start date.")
        if self.year and self.last_year and self.last_year >= self.year:
            for name in ("start", "end"):
                day: datetime.date | None = getattr(self, name)
                if day and not self.year <= day.year <= self.last_year:
                    errors.setdefault(
                        name,
                        _(
                            "This date lies outside the years of the action (%(years)s): "
                            "change the first or the last year."
                        )
                        % {"years": self.years_display},
                    )
        if self.pillar_id and self.year and self.last_year and self.last_year >= self.year:
            framework = self.pillar.framework
            first_day = datetime.date(self.year, 1, 1)
            last_day = datetime.date(self.last_year, 12, 31)
            if framework.valid_from > last_day or (
                framework.valid_until is not None and framework.valid_until < first_day
            ):
                errors["pillar"] = _(
                    "%(pillar)s belongs to %(framework)s, which is not in force in %(years)s: "
                    "choose a pillar of the framework in force."
                ) % {
                    "pillar": self.pillar.code,
                    "framework": framework,
                    "years": self.years_display,
                }
        if errors:
            raise ValidationError(errors)


class StatusChange(models.Model):
    """One change of an action's status: when, by whom, from what to what, and why."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="status_changes"
    )
    date = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=ActionStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=ActionStatus.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    new_start = models.DateField(_("new start"), null=True, blank=True)
    new_end = models.DateField(_("new end"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["date", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '—'} → {self.to_status} ({self.date})"


class Indicator(models.Model):
    """What an action aims at and what it reached: "network meetings", target 4, actual 3."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )
    actual = models.DecimalField(
        _("actual"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    """The operating grant (werkingsmiddelen) of a region for one year."""

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="grants"
    )
    year = year_field(_("year"))
    amount = money(_("amount"), validators=[validate_not_negative])
    calculated_amount = money(
        _("amount by the population rule"),
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )
    calculation = models.JSONField(_("calculation"), default=dict, blank=True)
    funder = models.CharField(_("funder"), max_length=200, default=DWSE)
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(GrantQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_grant_per_region_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class BudgetLine(models.Model):
    """A planned use of the year's funds, for an action or a cost such as communication."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="lines"
    )
    title = models.CharField(_("title"), max_length=200)
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    amount = money(_("planned amount"), validators=[validate_not_negative])
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(BudgetLineQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        action = self.action if self.action_id else None
        if action is not None and self.grant_id and action.region_id != self.grant.region_id:
            raise ValidationError({"action": _("This action belongs to another region.")})


class ExpenseStatus(models.TextChoices):
    COMMITTED = "committed", _("Committed (ordered, not yet paid)")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Expense(models.Model):
    """Money committed or spent from a year's grant."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="expenses"
    )
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    date = models.DateField(_("date"))
    amount = money(_("amount"), validators=[validate_positive])
    supplier = models.CharField(_("supplier"), max_length=200)
    description = models.CharField(_("description"), max_length=300)
    document = models.CharField(
        _("document"),
        max_length=200,
        blank=True,
        help_text=_("Invoice or order number, or where the document is filed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.PAID
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PeersManager.from_queryset(ExpenseQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_positive")]

    def __str__(self) -> str:
        return f"{self.date} {self.supplier}: {self.description}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        grant = self.grant if self.grant_id else None
        if grant is not None and self.date and self.date.year != grant.year:
            errors["date"] = _(
                "This expense is dated in %(date_year)s but is paid from the grant of %(year)s: "
                "give a date in %(year)s or record it in the budget of %(date_year)s."
            ) % {"date_year": self.date.year, "year": grant.year}
        line = self.line if self.line_id else None
        action = self.action if self.action_id else None
        if grant is not None and line is not None and line.grant_id != grant.pk:
            errors["line"] = _("This budget line belongs to another year.")
        if grant is not None and action is not None and action.region_id != grant.region_id:
            errors["action"] = _("This action belongs to another region.")
        if errors:
            raise ValidationError(errors)


class CarryOverStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class CarryOver(models.Model):
    """A request to carry unspent funds of ``year`` over to the next year, and the decision."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="carry_overs",
    )
    year = year_field(_("year"), help_text=_("The year whose unspent funds are carried over."))
    amount = money(_("requested amount"), validators=[validate_positive])
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CarryOverStatus.choices,
        default=CarryOverStatus.DRAFT,
    )
    funder = models.CharField(_("funder"), max_length=200, default=DWSE)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    approved_amount = money(
        _("approved amount"), null=True, blank=True, validators=[validate_positive]
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PeersManager.from_queryset(CarryOverQuerySet)()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("carry-over request")
        verbose_name_plural = _("carry-over requests")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_carry_over_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="carry_over_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} → {self.to_year}"

    @property
    def to_year(self) -> int:
        return self.year + 1

    @property
    def income_amount(self) -> Decimal:
        """What the next year receives: the approved amount, nothing otherwise."""
        if self.status != CarryOverStatus.APPROVED:
            return Decimal("0.00")
        return self.approved_amount if self.approved_amount is not None else self.amount

    @property
    def is_draft(self) -> bool:
        return self.status == CarryOverStatus.DRAFT
