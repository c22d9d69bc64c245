"""Page-level reads of client data, each in a fixed number of queries.

Reads of a client *file* are written to the access log by the caller (``access_record``), with
the page or channel that showed it. Aggregates (``progression``) carry no personal data; counts
under ``SUPPRESS_BELOW`` are suppressed for everyone but the region's coordinator.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TypedDict, cast

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django_stubs_ext import StrOrPromise, WithAnnotations

from regie.accounts.models import User
from regie.clients.models import (
    AccessLog,
    Client,
    ClientCounsellor,
    ClientFollowUp,
    Contact,
    Device,
    EndReason,
    Enrolment,
    LegalBasis,
    Loan,
    Referral,
    SkillsSession,
    Step,
    SupportNeed,
    Trajectory,
)
from regie.clients.policy import FilePolicy, may_read_note, policy_for
from regie.core.permissions import Actor, Role, in_organisation, role_of
from regie.registry.models import Measure, Municipality, Region, RegionMembership

SUPPRESS_BELOW = 5
DAYS_PER_MONTH = 365.25 / 12

CLIENT_SORTS = {
    "name": ("last_name", "first_name"),
    "-name": ("-last_name", "-first_name"),
    "municipality": ("municipality__name", "last_name"),
    "-municipality": ("-municipality__name", "last_name"),
    "code": ("code",),
    "-code": ("-code",),
}


# Clients -------------------------------------------------------------------------------------


def _open_steps(user: Actor) -> QuerySet[Step]:
    """The open steps a user sees as a client's current step (a partner: their own only)."""
    steps = Step.objects.filter(end__isnull=True)
    if role_of(user) == Role.PARTNER:
        steps = steps.filter(in_organisation(user))
    return steps.order_by("-start")


class CurrentStep(TypedDict):
    current_measure: str | None  # the measure code
    current_organisation: str | None  # the organisation's name


type ClientWithCurrentStep = WithAnnotations[Client, CurrentStep]


def with_current_step(*, user: Actor, clients: list[Client]) -> list[ClientWithCurrentStep]:
    """Sets ``current_measure`` and ``current_organisation`` on a page of clients, from the
    latest open step ``user`` sees, in one query: only for the page's rows, after the LIMIT."""
    current: dict[int, tuple[str, str]] = {}
    for client_id, code, name in (
        _open_steps(user)
        .filter(trajectory__client__in=[client.pk for client in clients])
        .values_list("trajectory__client_id", "measure__code", "organisation__name")
    ):
        current.setdefault(client_id, (code, name))
    rows = cast(list[ClientWithCurrentStep], clients)  # given both attributes right here
    for client in rows:
        client.current_measure, client.current_organisation = current.get(client.pk, (None, None))
    return rows


def client_list(
    *,
    user: Actor,
    q: str = "",
    status: str = "",
    municipality: Municipality | None = None,
    measure: Measure | None = None,
    mine: bool = False,
    sort: str = "name",
) -> QuerySet[Client]:
    """The clients a user may see (one query); ``with_current_step`` adds the page's steps."""
    clients = Client.objects.visible_to(user).select_related("municipality", "organisation")
    if q:
        clients = clients.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(code__iexact=q)
        )
    if status:
        clients = clients.filter(status=status)
    if municipality is not None:
        clients = clients.filter(municipality=municipality)
    if measure is not None:
        current = _open_steps(user).filter(trajectory__client=OuterRef("pk"))
        clients = clients.alias(
            current_measure=Subquery(current.values("measure__code")[:1])
        ).filter(current_measure=measure.code)
    if mine:
        clients = clients.filter(pk__in=Client.objects.followed_by(user).values("pk"))
    return clients.order_by(*CLIENT_SORTS.get(sort, CLIENT_SORTS["name"]), "pk")


class VisibleSteps(TypedDict):
    visible_steps: list[Step]


type TrajectoryWithSteps = WithAnnotations[Trajectory, VisibleSteps]
"""A trajectory with the steps the user may see."""


@dataclass
class ClientFile:
    """One client file as the user may see it."""

    client: Client
    policy: FilePolicy
    counsellings: list[ClientCounsellor]
    support_needs: list[SupportNeed]
    legal_bases: list[LegalBasis]
    referrals: list[Referral]
    trajectories: list[TrajectoryWithSteps]
    contacts: list[Contact]
    follow_ups: list[ClientFollowUp]
    loans: list[Loan]
    enrolments: list[Enrolment]
    follows: bool
    readable_notes: set[int]  # the contacts whose note the user may read


def client_file(*, user: Actor, pk: int) -> ClientFile:
    """Everything of one client the user may see; ``Client.DoesNotExist`` when out of scope."""
    policy = policy_for(user)
    client = (
        Client.objects.visible_to(user)
        .select_related("municipality", "organisation", "region")
        .get(pk=pk)
    )
    counsellings = list(
        ClientCounsellor.objects.filter(client=client)
        .select_related("counsellor")
        .order_by("-end", "start")
    )
    today = datetime.date.today()
    steps = Step.objects.visible_to(user).select_related("measure", "organisation")
    trajectories = list(
        Trajectory.objects.filter(client=client, steps__in=steps)
        .distinct()
        .prefetch_related(Prefetch("steps", queryset=steps, to_attr="visible_steps"))
        .order_by("-started_on")
    )
    contacts = list(
        Contact.objects.visible_to(user).filter(client=client).select_related("by", "organisation")
    )
    return ClientFile(
        client=client,
        policy=policy,
        counsellings=counsellings,
        support_needs=list(SupportNeed.objects.visible_to(user).filter(client=client)),
        legal_bases=list(
            LegalBasis.objects.visible_to(user)
            .filter(client=client)
            .select_related("recorded_by", "withdrawn_by")
        ),
        referrals=list(
            Referral.objects.visible_to(user)
            .filter(client=client)
            .select_related(
                "client",  # the change history names each referral by its client
                "referring_organisation",
                "referring_person",
                "target_organisation",
                "measure",
            )
        ),
        trajectories=trajectories,
        contacts=contacts,
        follow_ups=list(
            ClientFollowUp.objects.visible_to(user)
            .filter(client=client)
            .select_related("assignee", "done_by")
        ),
        loans=list(
            Loan.objects.visible_to(user)
            .filter(client=client)
            .select_related("device__organisation")
        ),
        enrolments=list(
            Enrolment.objects.visible_to(user).filter(client=client).select_related("session")
        ),
        follows=any(
            c.counsellor_id == user.pk and (c.end is None or c.end >= today) for c in counsellings
        ),
        readable_notes={c.pk for c in contacts if may_read_note(user, c)},
    )


def my_follow_ups(*, user: Actor, include_done: bool = False) -> QuerySet[ClientFollowUp]:
    follow_ups = ClientFollowUp.objects.visible_to(user).select_related(
        "client", "contact", "assignee", "done_by"
    )
    if not include_done:
        follow_ups = follow_ups.open()
    return follow_ups.order_by("status", "due", "pk")


# Devices, loans, sessions --------------------------------------------------------------------


def device_list(*, user: Actor) -> QuerySet[Device]:
    return (
        Device.objects.visible_to(user)
        .select_related("organisation")
        .annotate(open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True)))
    )


def loan_list(*, user: Actor, overdue: bool = False, open_only: bool = True) -> QuerySet[Loan]:
    loans = Loan.objects.visible_to(user).select_related("device__organisation", "client")
    if overdue:
        loans = loans.overdue_on(timezone.localdate())
    elif open_only:
        loans = loans.open()
    return loans.order_by("due", "pk")


def session_list(*, user: Actor) -> QuerySet[SkillsSession]:
    return (
        SkillsSession.objects.visible_to(user)
        .select_related("organisation")
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            attended=Count("enrolments", filter=Q(enrolments__attended=True), distinct=True),
        )
    )


class VisibleEnrolments(TypedDict):
    visible_enrolments: list[Enrolment]


type SessionWithEnrolments = WithAnnotations[SkillsSession, VisibleEnrolments]


def session_detail(*, user: Actor, pk: int) -> SessionWithEnrolments:
    """A session with its totals and the enrolments of the clients the user may see."""
    return (
        session_list(user=user)
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.visible_to(user)
                .select_related("client")
                .order_by("client__last_name", "client__first_name"),
                to_attr="visible_enrolments",
            )
        )
        .get(pk=pk)
    )


def access_log(*, user: Actor, client: Client | None = None) -> QuerySet[AccessLog]:
    entries = AccessLog.objects.visible_to(user).select_related("user")
    if client is not None:
        entries = entries.filter(client=client)
    return entries.order_by("-at", "-pk")


# Progression ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A count or figure; ``None`` with ``suppressed`` when it would single people out."""

    value: float | int | None
    suppressed: bool = False

    def as_json(self) -> dict[str, object]:
        return {"value": self.value, "suppressed": self.suppressed}


@dataclass
class ProgressionRow:
    key: str
    label: str
    started: Cell
    active_at_year_end: Cell
    ended: Cell
    reasons: dict[str, Cell]
    median_months: Cell


@dataclass
class Transition:
    from_measure: str
    to_measure: str
    count: Cell


@dataclass
class Progression:
    year: int
    region: Region
    municipality: Municipality | None
    suppressed: bool
    measures: list[ProgressionRow]
    municipalities: list[ProgressionRow]
    transitions: list[Transition]
    total: ProgressionRow
    reasons: list[tuple[str, StrOrPromise]] = field(default_factory=lambda: list(EndReason.choices))


class StepRow(TypedDict):
    start: datetime.date
    end: datetime.date | None
    end_reason: str
    measure_code: str
    municipality_id: int
    next_measure: str | None  # the measure of the client's next step


def _step_rows(*, region: Region, year: int, municipality: Municipality | None) -> list[StepRow]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    next_step = Step.objects.filter(
        trajectory__client=OuterRef("trajectory__client"), start__gt=OuterRef("start")
    ).order_by("start", "pk")
    steps = Step.objects.filter(trajectory__client__region=region).filter(
        Q(start__range=(start, end))
        | Q(end__range=(start, end))
        | (Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gt=end)))
    )
    if municipality is not None:
        steps = steps.filter(trajectory__client__municipality=municipality)
    return [
        StepRow(
            start=row["start"],
            end=row["end"],
            end_reason=row["end_reason"],
            measure_code=row["measure_code"],
            municipality_id=row["municipality_id"],
            next_measure=row["next_measure"],
        )
        for row in steps.values("start", "end", "end_reason")
        .annotate(
            measure_code=F("measure__code"),
            municipality_id=F("trajectory__client__municipality_id"),
            next_measure=Subquery(next_step.values("measure__code")[:1]),
        )
        .order_by()
    ]


def progression(
    *,
    region: Region,
    year: int,
    municipality: Municipality | None = None,
    suppress: bool = True,
) -> Progression:
    """Starts, ends by reason, median time in measure and transitions between measures, per
    measure and per municipality, for one year: four queries whatever the size of the region."""
    measures = list(Measure.objects.exclude(code="REG"))
    day = datetime.date(year, 12, 31)
    members = RegionMembership.objects.filter(region=region).on(day).select_related("municipality")
    municipalities = sorted(
        {m.municipality for m in members if municipality is None or m.municipality == municipality},
        key=lambda m: m.name,
    )
    rows = _step_rows(region=region, year=year, municipality=municipality)

    def cell(count: int) -> Cell:
        if suppress and count < SUPPRESS_BELOW:
            return Cell(None, True)
        return Cell(count)

    def summarise(key: str, label: str, selected: list[StepRow]) -> ProgressionRow:
        started = sum(1 for r in selected if r["start"].year == year)
        ended = [r for r in selected if r["end"] is not None and r["end"].year == year]
        active = sum(
            1 for r in selected if r["start"] <= day and (r["end"] is None or r["end"] > day)
        )
        by_reason = Counter(r["end_reason"] for r in ended)
        durations = [
            (end - r["start"]).days / DAYS_PER_MONTH for r in ended if (end := r["end"]) is not None
        ]
        reasons = {reason: cell(by_reason.get(reason, 0)) for reason in EndReason.values}
        if suppress:
            reasons = _secondary_suppression(reasons)
        if durations and (not suppress or len(durations) >= SUPPRESS_BELOW):
            median = Cell(round(statistics.median(durations), 1))
        else:
            median = Cell(None, suppressed=bool(durations) or suppress)
        return ProgressionRow(
            key=key,
            label=label,
            started=cell(started),
            active_at_year_end=cell(active),
            ended=cell(len(ended)),
            reasons=reasons,
            median_months=median,
        )

    by_measure: dict[str, list[StepRow]] = defaultdict(list)
    by_municipality: dict[int, list[StepRow]] = defaultdict(list)
    for row in rows:
        by_measure[row["measure_code"]].append(row)
        by_municipality[row["municipality_id"]].append(row)
    transitions: Counter[tuple[str, str]] = Counter()
    for row in rows:
        if row["end"] is None or row["end"].year != year:
            continue
        if row["end_reason"] == EndReason.REGULAR_JOB:
            transitions[(row["measure_code"], "REG")] += 1
        elif row["end_reason"] == EndReason.OTHER_MEASURE and row["next_measure"]:
            transitions[(row["measure_code"], row["next_measure"])] += 1
    return Progression(
        year=year,
        region=region,
        municipality=municipality,
        suppressed=suppress,
        measures=[summarise(m.code, m.name, by_measure[m.code]) for m in measures],
        municipalities=[
            summarise(m.nis_code, m.name, by_municipality[m.pk]) for m in municipalities
        ],
        transitions=[
            Transition(source, target, cell(count))
            for (source, target), count in sorted(transitions.items())
        ],
        total=summarise("total", "", rows),
    )


def _secondary_suppression(cells: dict[str, Cell]) -> dict[str, Cell]:
    """When one part of a split is hidden, hide the next smallest too: the total would give it
    away."""
    hidden = [key for key, c in cells.items() if c.suppressed]
    if len(hidden) != 1:
        return cells
    shown = sorted((c.value or 0, key) for key, c in cells.items() if not c.suppressed)
    if shown:
        cells = {**cells, shown[0][1]: Cell(None, True)}
    return cells


def progression_year(*, region: Region, chosen: int | None) -> tuple[int, int | None]:
    """The year to show and, when it differs from the default, the year that was meant: without
    a choice, last year — or the latest year with steps when last year has none (the 2020 demo
    in a later year). A year someone chose is shown as chosen."""
    if chosen is not None:
        return chosen, None
    default = timezone.localdate().year - 1
    dates = Step.objects.filter(trajectory__client__region=region).aggregate(
        start=Max("start"), end=Max("end")
    )
    latest = max((day.year for day in dates.values() if day is not None), default=None)
    if latest is None or latest >= default:
        return default, None
    return latest, default


def progression_scope(*, user: User, region: Region) -> tuple[bool, Municipality | None]:
    """Whether ``user`` may read the region's figures, and the municipality they are limited
    to (a viewer's own)."""
    match role_of(user):
        case Role.ADMIN:
            return True, None
        case Role.VIEWER:
            return user.region_id == region.pk, user.municipality
        case Role.COORDINATOR | Role.PARTNER | Role.COUNSELLOR:
            return user.region_id == region.pk, None
        case _:
            return False, None


@dataclass
class ProgressionPage:
    figures: Progression
    regions: QuerySet[Region]  # the regions to choose from: an admin's
    year: int
    asked_year: int | None


def progression_page(*, user: User, region_code: str, chosen: int | None) -> ProgressionPage | None:
    """The progression the user may read: of their region (an admin names one by its code,
    else the first), limited to a viewer's municipality, small numbers suppressed for all but
    the coordinator; None when they may read none."""
    regions = Region.objects.all() if role_of(user) == Role.ADMIN else Region.objects.none()
    region = user.region
    if role_of(user) == Role.ADMIN:
        region = regions.filter(code=region_code).first() or regions.first()
    if region is None:
        return None
    allowed, municipality = progression_scope(user=user, region=region)
    if not allowed:
        return None
    year, asked_year = progression_year(region=region, chosen=chosen)
    figures = progression(
        region=region,
        year=year,
        municipality=municipality,
        suppress=role_of(user) != Role.COORDINATOR,
    )
    return ProgressionPage(figures=figures, regions=regions, year=year, asked_year=asked_year)
