"""Who is who in a regie area: municipalities, organisations, recognitions, sites and people."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regie.core.fetching import PeersManager
from regie.registry.querysets import (
    AffiliationQuerySet,
    OrganisationQuerySet,
    PersonQuerySet,
    RecognitionQuerySet,
    SiteQuerySet,
)
from regie.registry.validators import format_kbo, validate_kbo

nis_validator = RegexValidator(r"^\d{5}$", _("A NIS code has 5 digits."))
postcode_validator = RegexValidator(r"^[1-9]\d{3}$", _("A Belgian postcode has 4 digits."))


class Measure(models.Model):
    """A social-economy measure (maatregel) and the period in which new entrants may start."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    max_duration_months = models.PositiveSmallIntegerField(
        _("maximum duration (months)"), null=True, blank=True
    )
    max_duration_exception_months = models.PositiveSmallIntegerField(
        _("maximum duration by exception (months)"), null=True, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def is_valid_on(self, day: datetime.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


class Municipality(models.Model):
    nis_code = models.CharField(
        _("NIS code"), max_length=5, unique=True, validators=[nis_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    is_centre_city = models.BooleanField(_("centrumstad"), default=False)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    code = models.CharField(_("postcode"), max_length=4, validators=[postcode_validator])
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="postcodes"
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="unique_postcode")
        ]

    def __str__(self) -> str:
        return self.code


class Population(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"))

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="unique_population_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.inhabitants}"


class Region(models.Model):
    """A regie area: one centre city or a group of municipalities with one coordinator."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    carrier = models.ForeignKey(
        "Organisation",
        verbose_name=_("carrying organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_regions",
    )
    municipalities = models.ManyToManyField(
        Municipality, through="RegionMembership", related_name="regions"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegionMembershipQuerySet(models.QuerySet["RegionMembership"]):
    def on(self, day: datetime.date) -> "RegionMembershipQuerySet":
        return self.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )


class RegionMembership(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField(_("member from"), null=True, blank=True)
    end = models.DateField(_("member until"), null=True, blank=True)

    objects = RegionMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["municipality__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} in {self.region}"


class OrganisationKind(models.TextChoices):
    SE_COMPANY = "se_company", _("Social economy company")
    LDE = "lde", _("Local service economy organisation")
    WORK_CARE = "work_care", _("Work-care initiative")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    OCMW = "ocmw", _("OCMW")
    VDAB = "vdab", _("VDAB/GTB office")
    EMPLOYERS_NETWORK = "employers_network", _("Employers' network")
    SCHOOL = "school", _("School")
    INTERCOMMUNALE = "intercommunale", _("Intercommunale")
    GOVERNMENT = "government", _("Government department")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    kbo = models.CharField(
        _("enterprise number"),
        max_length=10,
        blank=True,
        validators=[validate_kbo],
        help_text=_("KBO number, 10 digits, e.g. 0123.456.749."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PeersManager.from_queryset(OrganisationQuerySet)()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kbo"], condition=~Q(kbo=""), name="unique_kbo_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kbo_display(self) -> str:
        return format_kbo(self.kbo)


class RecognitionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RECOGNISED = "recognised", _("Recognised")
    ACTIVE = "active", _("Active")
    PHASING_OUT = "phasing_out", _("Phasing out")
    ENDED = "ended", _("Ended")


class CapacityUnit(models.TextChoices):
    PLACES = "places", _("places")
    FTE = "fte", _("FTE")


class Recognition(models.Model):
    """An organisation's recognition (erkenning) under one measure."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="recognitions"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    capacity = models.DecimalField(
        _("capacity"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity_unit = models.CharField(
        _("unit"), max_length=8, choices=CapacityUnit.choices, default=CapacityUnit.PLACES
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.ACTIVE,
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(RecognitionQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["measure__sort_order", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="recognition_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.measure.code}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end date is before the start date.")
        measure = self.measure if self.measure_id else None
        if measure and self.valid_from and not measure.is_valid_on(self.valid_from):
            errors["valid_from"] = _(
                "%(measure)s only accepts recognitions starting between %(start)s and %(end)s."
            ) % {
                "measure": measure.code,
                "start": _date(measure.valid_from) or "…",
                "end": _date(measure.valid_until) or "…",
            }
        if errors:
            raise ValidationError(errors)


def _date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


class Site(models.Model):
    """A place where an organisation works (vestiging)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4, validators=[postcode_validator])
    place = models.CharField(_("place"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="sites"
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_main = models.BooleanField(_("main site"), default=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(SiteQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["-is_main", "name", "street"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_main=True, is_archived=False),
                name="one_main_site_per_organisation",
            )
        ]

    def __str__(self) -> str:
        label = self.name or self.organisation.name
        return f"{label}, {self.street}, {self.postcode} {self.place or self.municipality}"

    def clean(self) -> None:
        if (
            self.municipality_id
            and self.postcode
            and not Postcode.objects.filter(
                municipality_id=self.municipality_id, code=self.postcode
            ).exists()
        ):
            raise ValidationError(
                {
                    "postcode": _("Postcode %(postcode)s does not belong to %(municipality)s.")
                    % {"postcode": self.postcode, "municipality": self.municipality}
                }
            )


class Person(models.Model):
    """A professional contact: staff of an organisation, not a client."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="people"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PeersManager.from_queryset(PersonQuerySet)()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["region", "email"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Function(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor (trajectbegeleider)")
    REFERRER = "referrer", _("Referrer (toeleider)")
    FLOOR_SUPERVISOR = "floor_supervisor", _("Floor supervisor (werkvloerbegeleider)")
    WORKPLACE_ARCHITECT = "workplace_architect", _("Workplace architect (werkplekarchitect)")
    JOBCOACH = "jobcoach", _("Jobcoach")
    DIRECTOR = "director", _("Director")
    CONTACT = "contact", _("Contact person")


class Affiliation(models.Model):
    """A person working for an organisation in a function during a period."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    function = models.CharField(_("function"), max_length=24, choices=Function.choices)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(AffiliationQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="affiliation_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_function_display()} – {self.organisation}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date is before the start date.")})

    @property
    def is_current(self) -> bool:
        today = datetime.date.today()
        return (self.start is None or self.start <= today) and (
            self.end is None or self.end >= today
        )


class PolicyFramework(models.Model):
    """The legal frame of the regie role in force for a period (reference data)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy framework")
        verbose_name_plural = _("policy frameworks")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name


class PillarQuerySet(models.QuerySet["Pillar"]):
    def in_force(self, year: int) -> "PillarQuerySet":
        """The pillars of every framework in force during ``year`` (two in a year of change)."""
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return self.filter(framework__valid_from__lte=end).filter(
            Q(framework__valid_until__isnull=True) | Q(framework__valid_until__gte=start)
        )


class Pillar(models.Model):
    """A task or priority of a policy framework; every action and body serves one."""

    framework = models.ForeignKey(
        PolicyFramework,
        verbose_name=_("policy framework"),
        on_delete=models.PROTECT,
        related_name="pillars",
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = PillarQuerySet.as_manager()

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["framework__valid_from", "sort_order"]

    def __str__(self) -> str:
        return f"{self.code} {self.short_name}"
