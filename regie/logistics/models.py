"""Home work and delivery rounds: who works at home for which floor, what goes to them and back,
the vans that bring it, and the planned rounds with their doorstep check-ins."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regie.clients.models import Client, Contact
from regie.core.fetching import PeersManager
from regie.logistics.querysets import (
    AssignmentQuerySet,
    OrderQuerySet,
    RoundPlanQuerySet,
    RoundStopQuerySet,
    VanQuerySet,
)
from regie.registry.models import Organisation, Person, Site

DEFAULT_SERVICE_MINUTES = 10  # the doorstep chat


class HomeWorkAssignment(models.Model):
    """A client working from home for a work-care floor (organisation and site)."""

    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="home_work_assignments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("work-care organisation"),
        on_delete=models.PROTECT,
        related_name="home_work_assignments",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("work floor"), on_delete=models.PROTECT, related_name="+"
    )
    kind_of_work = models.CharField(_("kind of work"), max_length=200)
    material_kits = models.CharField(
        _("material kits"),
        max_length=200,
        blank=True,
        help_text=_("What the client gets delivered, e.g. '2 boxes of bags to fold'."),
    )
    service_minutes = models.PositiveSmallIntegerField(
        _("service time (minutes)"),
        default=DEFAULT_SERVICE_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Time at the door, the doorstep chat included."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(AssignmentQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("home-work assignment")
        verbose_name_plural = _("home-work assignments")
        ordering = ["client__last_name", "client__first_name", "pk"]

    def __str__(self) -> str:
        return f"{self.client.full_name} – {self.kind_of_work}"

    def clean(self) -> None:
        if (
            self.site_id
            and self.organisation_id
            and self.site.organisation_id != self.organisation_id
        ):
            raise ValidationError({"site": _("This site is not one of the organisation's.")})


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """Material to deliver and/or finished work to pick up at a home worker's door."""

    assignment = models.ForeignKey(
        HomeWorkAssignment,
        verbose_name=_("home-work assignment"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    deliver = models.BooleanField(_("deliver material"), default=True)
    pick_up = models.BooleanField(_("pick up finished work"), default=False)
    quantity = models.PositiveIntegerField(_("quantity (kits)"), default=1)
    volume = models.PositiveIntegerField(
        _("volume (litres)"), default=0, help_text=_("Per direction: delivered or picked up.")
    )
    weight = models.PositiveIntegerField(_("weight (kg)"), default=0)
    requested_from = models.DateField(_("requested date"))
    requested_until = models.DateField(
        _("requested until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for one day; fill in for a range of days."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (normal) to 5 (most important) when the day is too full."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PeersManager.from_queryset(OrderQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["requested_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deliver=True) | Q(pick_up=True), name="order_delivers_or_picks_up"
            ),
            models.CheckConstraint(
                condition=Q(requested_until__isnull=True)
                | Q(requested_until__gte=models.F("requested_from")),
                name="order_range_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.client.full_name} ({self.requested_from:%d/%m})"

    @property
    def last_day(self) -> datetime.date:
        return self.requested_until or self.requested_from

    def clean(self) -> None:
        errors = {}
        if not self.deliver and not self.pick_up:
            errors["deliver"] = _("An order delivers material, picks up work, or both.")
        if self.requested_until and self.requested_until < self.requested_from:
            errors["requested_until"] = _("The range ends before it starts.")
        if errors:
            raise ValidationError(errors)

    def windows_on(self, day: datetime.date) -> list["OrderWindow"]:
        return [window for window in self.windows.all() if window.applies_on(day)]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OrderWindow(models.Model):
    """When the client is home: on a weekday, on a date, or (neither) on every day."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="windows"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    on = models.DateField(_("date"), null=True, blank=True)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("time window")
        verbose_name_plural = _("time windows")
        # Windows for every day first, on SQLite and PostgreSQL alike (they sort NULL apart).
        ordering = [
            models.F("weekday").asc(nulls_first=True),
            models.F("on").asc(nulls_first=True),
            "start",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="order_window_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def applies_on(self, day: datetime.date) -> bool:
        if self.on is not None:
            return self.on == day
        return self.weekday is None or self.weekday == day.weekday()

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The window ends before it starts.")})


class Van(models.Model):
    """A van of a work-care organisation, leaving from and returning to its depot site."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="vans"
    )
    depot = models.ForeignKey(
        Site, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="vans"
    )
    name = models.CharField(_("name"), max_length=100)
    capacity_volume = models.PositiveIntegerField(_("capacity (litres)"))
    capacity_weight = models.PositiveIntegerField(_("capacity (kg)"))
    driver = models.ForeignKey(
        Person,
        verbose_name=_("driver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vans",
        help_text=_("A floor supervisor of the organisation."),
    )
    shift_start = models.TimeField(_("working hours from"), default=datetime.time(8, 30))
    shift_end = models.TimeField(_("working hours until"), default=datetime.time(16, 30))
    max_route_minutes = models.PositiveIntegerField(
        _("maximum route duration (minutes)"), null=True, blank=True
    )
    cost_per_km = models.DecimalField(
        _("cost per km (EUR)"), max_digits=6, decimal_places=2, default=0.35
    )
    cost_per_hour = models.DecimalField(
        _("cost per hour (EUR)"), max_digits=6, decimal_places=2, default=0
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(VanQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("van")
        verbose_name_plural = _("vans")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shift_end__gt=models.F("shift_start")),
                name="van_shift_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.shift_start and self.shift_end and self.shift_end <= self.shift_start:
            errors["shift_end"] = _("The working hours end before they start.")
        if (
            self.depot_id
            and self.organisation_id
            and self.depot.organisation_id != self.organisation_id
        ):
            errors["depot"] = _("This site is not one of the organisation's.")
        if errors:
            raise ValidationError(errors)


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RoundPlan(models.Model):
    """The rounds of one day for one organisation's floors, as planned by the solver."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="round_plans",
    )
    date = models.DateField(_("date"))
    orders = models.ManyToManyField(Order, verbose_name=_("orders"), related_name="round_plans")
    vans = models.ManyToManyField(Van, verbose_name=_("vans"), related_name="round_plans")
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (seconds)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
    )
    matrix_source = models.CharField(_("distances from"), max_length=40, blank=True)
    fallback_note = models.CharField(_("fallback"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    distance = models.PositiveIntegerField(_("distance (m)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(RoundPlanQuerySet)()

    class Meta:
        verbose_name = _("round plan")
        verbose_name_plural = _("round plans")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.date:%d/%m/%Y}"

    @property
    def km(self) -> float:
        return round(self.distance / 1000, 1)

    @property
    def is_finished(self) -> bool:
        return self.status in (PlanStatus.DONE, PlanStatus.FAILED)


class RoundRoute(models.Model):
    """One van's route of a plan: when it leaves and returns, and how far it drives."""

    plan = models.ForeignKey(RoundPlan, on_delete=models.CASCADE, related_name="routes")
    van = models.ForeignKey(Van, on_delete=models.PROTECT, related_name="+")
    start = models.TimeField(_("leaves"))
    end = models.TimeField(_("back"))
    distance = models.PositiveIntegerField(_("distance (m)"))

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["van__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "van"], name="one_route_per_van_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.van}"

    @property
    def km(self) -> float:
        return round(self.distance / 1000, 1)

    @property
    def hours(self) -> float:
        today = datetime.date.today()
        span = datetime.datetime.combine(today, self.end) - datetime.datetime.combine(
            today, self.start
        )
        return round(span.total_seconds() / 3600, 2)


class Outcome(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    NOT_HOME = "not_home", _("Not home")
    REFUSED = "refused", _("Refused")


class RoundStop(models.Model):
    """A stop of a van's round, with what happened at the door."""

    plan = models.ForeignKey(
        RoundPlan, verbose_name=_("round plan"), on_delete=models.CASCADE, related_name="stops"
    )
    van = models.ForeignKey(
        Van, verbose_name=_("van"), on_delete=models.PROTECT, related_name="stops"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="stops"
    )
    arrival = models.TimeField(_("arrival"))
    departure = models.TimeField(_("departure"))
    load_volume_after = models.PositiveIntegerField(_("volume on board after (litres)"), default=0)
    load_weight_after = models.PositiveIntegerField(_("weight on board after (kg)"), default=0)
    distance_from_previous = models.PositiveIntegerField(_("distance from previous (m)"), default=0)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A re-plan leaves locked stops where they are.")
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    pickup_done = models.BooleanField(_("pick-up done"), default=False)
    note = models.CharField(_("doorstep note"), max_length=500, blank=True)
    wellbeing_flag = models.BooleanField(_("worried about wellbeing"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(RoundStopQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["van__name", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="one_stop_per_order_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.van} #{self.position}"


class UnservedReason(models.TextChoices):
    TIME_WINDOW = "time_window", _("No van can be there while the client is home.")
    CAPACITY = "capacity", _("The load does not fit in a van that could still take it.")
    WORKING_HOURS = (
        "working_hours",
        _("The stop does not fit in the vans' working hours or maximum route duration."),
    )


class Unserved(models.Model):
    """An order the plan leaves out, and why."""

    plan = models.ForeignKey(RoundPlan, on_delete=models.CASCADE, related_name="unserved")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=UnservedReason.choices)

    class Meta:
        verbose_name = _("unserved order")
        verbose_name_plural = _("unserved orders")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.order}: {self.get_reason_display()}"
