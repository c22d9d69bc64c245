"""Clients and their trajectories: people at a distance from the labour market.

The most sensitive data of Regie. Who sees what is decided in ``querysets.py`` (which clients)
and ``policy.py`` (which parts of a file); every read of a file is written to ``AccessLog``.
A client's ``__str__`` is the pseudonymous code, so that audit entries and logs never carry a
name.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from regie.clients.querysets import (
    AccessLogQuerySet,
    ClientFollowUpQuerySet,
    ClientQuerySet,
    ContactQuerySet,
    DeviceQuerySet,
    EnrolmentQuerySet,
    LegalBasisQuerySet,
    LoanQuerySet,
    OrganisationLegalBasisQuerySet,
    ReferralQuerySet,
    SkillsSessionQuerySet,
    StepQuerySet,
    SupportNeedQuerySet,
)
from regie.core.fetching import PeersManager
from regie.core.permissions import Role
from regie.registry.models import (
    Measure,
    Municipality,
    Organisation,
    Person,
    Postcode,
    Region,
    postcode_validator,
)

FULL_TIME_HOURS = 38  # a Belgian full-time week; overlapping steps may not exceed it together
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_client_code() -> str:
    return "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the last day of the month when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def _date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "…"


# Choices -------------------------------------------------------------------------------------


class ClientStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACTIVE = "active", _("In trajectory")
    ENDED = "ended", _("Trajectory ended")
    ANONYMISED = "anonymised", _("Anonymised")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    OTHER = "other", _("Other language")


class Purpose(models.TextChoices):
    """What a client's data is processed for; each needs its own legal basis."""

    TRAJECTORY = "trajectory", _("Trajectory guidance")
    REFERRAL = "referral", _("Referral and exchange with the referrer")
    OUTREACH = "outreach", _("Outreach contacts")
    DEVICE_LOAN = "device_loan", _("Device loan")
    DIGITAL_SKILLS = "digital_skills", _("Digital-skills sessions")
    SUPPORT_NEED = "support_need", _("Support-need category (special category data)")
    NATIONAL_NUMBER = "national_number", _("National number (INSZ)")


class Ground(models.TextChoices):
    """The legal grounds of article 6 (and 9) of the GDPR."""

    CONSENT = "consent", _("Consent")
    EXPLICIT_CONSENT = "explicit_consent", _("Explicit consent")
    CONTRACT = "contract", _("Contract")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    PUBLIC_TASK = "public_task", _("Task in the public interest")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")


class SupportCategory(models.TextChoices):
    """A kind of support a client needs — a category, never a diagnosis."""

    PHYSICAL = "physical", _("Physical limitation")
    SENSORY = "sensory", _("Sensory limitation")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial vulnerability")
    COGNITIVE = "cognitive", _("Learning or cognitive limitation")
    LANGUAGE = "language", _("Language")
    MOBILITY = "mobility", _("Mobility")
    DIGITAL = "digital", _("Digital skills")
    OTHER = "other", _("Other")


class SupportLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReferralStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered (aangemeld)")
    REFERRED = "referred", _("Referred (toegeleid)")
    STARTED = "started", _("Started (gestart)")
    REFUSED = "refused", _("Refused (geweigerd)")


class EndReason(models.TextChoices):
    REGULAR_JOB = "regular_job", _("Progression to a regular job")
    OTHER_MEASURE = "other_measure", _("Progression to another measure")
    DROP_OUT = "drop_out", _("Drop-out")
    RETIREMENT = "retirement", _("Retirement")
    OTHER = "other", _("Other")


class ContactKind(models.TextChoices):
    DOORSTEP = "doorstep", _("Doorstep talk")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "home_visit", _("Home visit")
    WORKFLOOR = "workfloor", _("On the work floor")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    TABLET = "tablet", _("Tablet")
    HOTSPOT = "hotspot", _("Mobile hotspot")
    SMARTPHONE = "smartphone", _("Smartphone")
    OTHER = "other", _("Other")


class DeviceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LENT = "lent", _("Lent")
    REPAIR = "repair", _("In repair")
    RETIRED = "retired", _("Retired")


class Condition(models.TextChoices):
    NEW = "new", _("New")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Signs of use")
    DAMAGED = "damaged", _("Damaged")
    LOST = "lost", _("Lost")


class AccessAction(models.TextChoices):
    LIST = "list", _("Listed")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    UNMASK = "unmask", _("National number revealed")
    ERASE = "erase", _("Erased")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")


# The client ----------------------------------------------------------------------------------


class Client(models.Model):
    """A person at a distance from the labour market, followed by one or more counsellors."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="clients"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation holding the file"),
        on_delete=models.PROTECT,
        related_name="client_files",
        help_text=_("Its recorded legal basis decides whether a national number may be stored."),
    )
    code = models.CharField(
        _("client code"), max_length=12, unique=True, default=new_client_code, editable=False
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=4, blank=True, validators=[postcode_validator]
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="clients",
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
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.DUTCH, blank=True
    )
    vdab_reference = models.CharField(
        _("VDAB file reference"),
        max_length=40,
        blank=True,
        help_text=_("The reference of the client's file at VDAB; Regie keeps no copy of it."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ClientStatus.choices, default=ClientStatus.REGISTERED
    )
    insz_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    insz_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    insz_masked = models.CharField(_("national number"), max_length=24, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PeersManager.from_queryset(ClientQuerySet)()
    history = HistoricalRecords(
        excluded_fields=["updated_at", "insz_encrypted", "insz_hash", "insz_masked"]
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "insz_hash"],
                condition=~Q(insz_hash=""),
                name="unique_client_national_number_per_region",
            )
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return self.code

    @property
    def full_name(self) -> str:
        if self.status == ClientStatus.ANONYMISED:
            return str(_("Anonymised client"))
        return f"{self.first_name} {self.last_name}"

    @property
    def has_national_number(self) -> bool:
        return bool(self.insz_hash)

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
        if self.birth_date and self.birth_date > datetime.date.today():
            raise ValidationError({"birth_date": _("The birth date lies in the future.")})


class ClientCounsellor(models.Model):
    """A counsellor (a user with the counsellor role) following a client during a period."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="counsellings"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        related_name="client_counsellings",
    )
    start = models.DateField(_("from"), default=datetime.date.today)
    end = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("counsellor of a client")
        verbose_name_plural = _("counsellors of clients")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "counsellor"],
                condition=Q(end__isnull=True),
                name="one_open_counselling_per_counsellor",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="counselling_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} – {self.counsellor}"

    @property
    def is_current(self) -> bool:
        return self.end is None or self.end >= datetime.date.today()


class SupportNeed(models.Model):
    """Special-category data, kept apart: a category of support, never a diagnosis.

    Only the client's own counsellors read it (``SupportNeedQuerySet.visible_to``).
    """

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="support_needs"
    )
    category = models.CharField(_("category"), max_length=16, choices=SupportCategory.choices)
    level = models.CharField(
        _("support level"), max_length=8, choices=SupportLevel.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = SupportNeedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support need")
        verbose_name_plural = _("support needs")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["client", "category"], name="one_need_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.client} – {self.get_category_display()}"


class LegalBasis(models.Model):
    """The legal basis (or consent) for processing a client's data for one purpose."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    ground = models.CharField(_("legal ground"), max_length=20, choices=Ground.choices)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("Where it is documented: the signed consent form, the legal provision …"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LegalBasisQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["purpose", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.client} – {self.get_purpose_display()}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.withdrawn_on is None or self.withdrawn_on > day


class OrganisationLegalBasis(models.Model):
    """An organisation's recorded legal basis to process national numbers of its clients."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="legal_bases",
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.NATIONAL_NUMBER
    )
    reference = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_("The legal provision or authorisation that allows this processing."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    objects = PeersManager.from_queryset(OrganisationLegalBasisQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal basis of an organisation")
        verbose_name_plural = _("legal bases of organisations")
        ordering = ["organisation__name", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_purpose_display()}"


# Referral, trajectory, steps -----------------------------------------------------------------


class Referral(models.Model):
    """A referral (toeleiding) of a client by a referrer to an organisation and a measure."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="referrals"
    )
    referring_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("referring organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    referring_person = models.ForeignKey(
        Person,
        verbose_name=_("referrer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    target_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="referrals"
    )
    referred_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REGISTERED,
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Required when the referral is refused.")
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(ReferralQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} → {self.target_organisation} ({self.measure.code})"

    def clean(self) -> None:
        if self.status == ReferralStatus.REFUSED and not self.reason.strip():
            raise ValidationError({"reason": _("Give the reason why the referral was refused.")})


class Trajectory(models.Model):
    """A client's path through one or more measures, from the first step to the last."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="trajectories"
    )
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="trajectory_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} {_date(self.started_on)} – {_date(self.ended_on)}"


class Step(models.Model):
    """One stretch of a trajectory under one measure at one organisation."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="steps"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="steps"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="client_steps",
    )
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    support_level = models.CharField(
        _("support level"), max_length=8, choices=SupportLevel.choices, blank=True
    )
    end = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=16, choices=EndReason.choices, blank=True
    )
    exception_reason = models.TextField(
        _("reason for a longer duration"),
        blank=True,
        help_text=_("Only when the measure allows a longer duration by exception (LDE: 6 years)."),
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(StepQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="step_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=models.F("start")),
                name="step_planned_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["end", "measure"])]

    def __str__(self) -> str:
        return f"{self.measure.code} {_date(self.start)} – {_date(self.end or self.planned_end)}"

    @property
    def last_day(self) -> datetime.date | None:
        return self.end or self.planned_end

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end date is before the start date.")
        if self.start and self.planned_end and self.planned_end < self.start:
            errors["planned_end"] = _("The planned end is before the start date.")
        if self.end and not self.end_reason:
            errors["end_reason"] = _("Give the reason why the step ended.")
        if self.end_reason and not self.end:
            errors["end"] = _("Give the date on which the step ended.")
        measure = self.measure if self.measure_id else None
        if measure and self.start and not measure.is_valid_on(self.start):
            errors["start"] = _(
                "%(measure)s accepts no new steps starting on %(day)s: new entrants may start "
                "between %(start)s and %(end)s."
            ) % {
                "measure": measure.code,
                "day": _date(self.start),
                "start": _date(measure.valid_from),
                "end": _date(measure.valid_until),
            }
        if measure and self.start and measure.max_duration_months and not errors:
            errors.update(self._duration_errors(measure))
        if errors:
            raise ValidationError(errors)

    def _duration_errors(self, measure: Measure) -> dict[str, StrOrPromise]:
        assert measure.max_duration_months is not None
        last_day = self.last_day
        if last_day is None:
            return {}
        field = "end" if self.end else "planned_end"
        normal_limit = add_months(self.start, measure.max_duration_months)
        if last_day <= normal_limit:
            return {}
        exception_months = measure.max_duration_exception_months
        if exception_months is None:
            return {
                field: _("Steps under %(measure)s last at most %(months)s months: until %(day)s.")
                % {
                    "measure": measure.code,
                    "months": measure.max_duration_months,
                    "day": _date(normal_limit),
                }
            }
        exception_limit = add_months(self.start, exception_months)
        if last_day > exception_limit:
            return {
                field: _(
                    "Steps under %(measure)s last at most %(months)s months, even by exception: "
                    "until %(day)s."
                )
                % {
                    "measure": measure.code,
                    "months": exception_months,
                    "day": _date(exception_limit),
                }
            }
        if not self.exception_reason.strip():
            return {
                "exception_reason": _(
                    "Steps under %(measure)s last %(months)s months (until %(day)s); to go on "
                    "until %(exception)s, give the reason for the exception."
                )
                % {
                    "measure": measure.code,
                    "months": measure.max_duration_months,
                    "day": _date(normal_limit),
                    "exception": _date(exception_limit),
                }
            }
        return {}


# Outreach ------------------------------------------------------------------------------------


class Contact(models.Model):
    """An outreach contact (contactmoment): a doorstep talk, a call, a visit …"""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ContactKind.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_contacts",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_contacts",
        help_text=_("The organisation of the person who made the contact."),
    )
    note = models.TextField(
        _("short note"),
        max_length=500,
        blank=True,
        help_text=_("Only for the client's counsellors and the author. No medical details."),
    )
    wellbeing_flag = models.BooleanField(
        _("worried about wellbeing"),
        default=False,
        help_text=_("Creates a follow-up for the client's counsellor."),
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(ContactQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} – {self.get_kind_display()} {_date(self.on)}"

    def clean(self) -> None:
        if self.on and self.on > timezone.localdate():
            raise ValidationError({"on": _("A contact cannot lie in the future.")})


class ClientFollowUp(models.Model):
    """Something a counsellor must do for a client, such as calling back after a worrying talk."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_follow_ups",
    )
    description = models.CharField(_("what"), max_length=200)
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PeersManager.from_queryset(ClientFollowUpQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client follow-up")
        verbose_name_plural = _("client follow-ups")
        ordering = ["status", "due", "pk"]

    def __str__(self) -> str:
        return f"{self.client} – {self.description}"


# Devices and loans ---------------------------------------------------------------------------


class Device(models.Model):
    """A laptop, tablet or hotspot that an organisation lends to clients."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="devices"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DeviceKind.choices)
    label = models.CharField(_("label"), max_length=100, help_text=_("E.g. Laptop 3."))
    serial_number = models.CharField(_("serial number"), max_length=100)
    status = models.CharField(
        _("status"), max_length=12, choices=DeviceStatus.choices, default=DeviceStatus.AVAILABLE
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(DeviceQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["organisation__name", "kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "serial_number"], name="unique_serial_per_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.serial_number})"


class Loan(models.Model):
    """A device lent to a client, from a start date until it is returned."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="loans"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="loans"
    )
    start = models.DateField(_("lent on"))
    due = models.DateField(_("due back"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    condition_out = models.CharField(
        _("condition when lent"), max_length=8, choices=Condition.choices, default=Condition.GOOD
    )
    condition_returned = models.CharField(
        _("condition when returned"), max_length=8, choices=Condition.choices, blank=True
    )
    accessories = models.CharField(
        _("accessories"), max_length=200, blank=True, help_text=_("E.g. charger, bag.")
    )
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(LoanQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(returned_on__isnull=True),
                name="one_open_loan_per_device",
            ),
            models.CheckConstraint(
                condition=Q(due__gte=models.F("start")), name="loan_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("start")),
                name="loan_returned_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device} → {self.client}"

    @property
    def is_overdue(self) -> bool:
        return self.returned_on is None and self.due < timezone.localdate()

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.start and self.due and self.due < self.start:
            errors["due"] = _("The due date is before the start date.")
        if self.start and self.returned_on and self.returned_on < self.start:
            errors["returned_on"] = _("The return date is before the start date.")
        if self.returned_on and not self.condition_returned:
            errors["condition_returned"] = _("Record the condition of the returned device.")
        if errors:
            raise ValidationError(errors)


# Digital skills ------------------------------------------------------------------------------


class SkillsSession(models.Model):
    """A digital-skills session (digitale opvoeding) clients enrol in."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="skills_sessions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="skills_sessions",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(15)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=8, validators=[MinValueValidator(1)]
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(SkillsSessionQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("digital-skills session")
        verbose_name_plural = _("digital-skills sessions")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    session = models.ForeignKey(
        SkillsSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    objects = PeersManager.from_queryset(EnrolmentQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "client"], name="one_enrolment_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.client} – {self.session}"


# Access log ----------------------------------------------------------------------------------


class AccessLog(models.Model):
    """One read of a client file: who, when, which client, what and why."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
    )
    client_code = models.CharField(_("client code"), max_length=12)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=AccessAction.choices)
    what = models.CharField(_("what"), max_length=100)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=4, choices=Channel.choices)

    objects = PeersManager.from_queryset(AccessLogQuerySet)()

    class Meta:
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "at"]), models.Index(fields=["region", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.client_code}"
