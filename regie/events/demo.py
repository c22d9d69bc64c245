"""Demo registrations for the two regional events of 2020 in the source report.

The ROSE (Regionaal Overleg Sociale Economie) of February 2020 brought every stakeholder
together; the Trefdag voor toeleiders of early March 2020 the referrers of the OCMWs and VDAB.
Both meetings are made by the network demo (``regie.network.demo``); this module makes them
events with public registration: seats, participants, a waiting list, cancellations, check-ins
and a few walk-ins (people who came without registering, added at the door, one without an
address).

Every participant is fictional (a made-up name at example.org); organisation names are the
demo's fictional SE organisations or a public body's name. Idempotent: rows are found again by
event and e-mail address and brought back to the state below.
"""

import datetime
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from regie.events.models import Event, Registration, RegistrationStatus, StakeholderType
from regie.network.models import Meeting
from regie.registry.demo import DemoContext

REGION_CODE = "w13"
ROSE_TITLE = "ROSE 2020"
TREFDAG_TITLE = "Trefdag voor toeleiders 2020"

FIRST_NAMES = (
    "An", "Bert", "Charlotte", "Dries", "Els", "Filip", "Greet", "Hannes", "Ilse", "Jens",
    "Katrien", "Lieven", "Marijke", "Niels", "Orla", "Pieter", "Quinten", "Roos", "Sander",
    "Tine", "Uma", "Vincent", "Wendy", "Xander", "Yasmine", "Zeno", "Astrid", "Bavo", "Caro",
    "Dorien", "Emiel", "Fien", "Gilles", "Hilde", "Ignace", "Jolien", "Kobe", "Lotte", "Maarten",
    "Nele", "Olivier", "Petra", "Rik", "Sofie", "Thijs", "Veerle", "Ward", "Zita",
)  # fmt: skip
LAST_NAMES = (
    "Vandaele", "Debaene", "Verhaeghe", "Callewaert", "Vanneste", "Deprez", "Vermeersch",
    "Lambrecht", "Dewaele", "Vercruysse", "Goethals", "Decock", "Verschelde", "Vanhoutte",
    "Demeyere", "Declercq", "Vandenbulcke", "Ostyn", "Desmet", "Verbeke", "Dhondt", "Vanhee",
    "Deleu", "Vanlerberghe", "Seynaeve", "Lefevere", "Cattoor", "Devos", "Bossuyt", "Naessens",
)  # fmt: skip

SE = StakeholderType.SE_ORGANISATION
LOCAL = StakeholderType.LOCAL_GOVERNMENT
OCMW = StakeholderType.OCMW
VDAB = StakeholderType.VDAB
ARCHITECT = StakeholderType.WORKPLACE_ARCHITECT
OTHER = StakeholderType.OTHER

# (stakeholder type, organisation) of the people who registered, in order of registration.
ROSE_GUESTS: tuple[tuple[str, str], ...] = (
    (SE, "Maatwerkbedrijf Blauwe Vlasbloem"), (SE, "Werkhuis De Kantelaar"),
    (LOCAL, "Stad Kortrijk"), (VDAB, "VDAB Kortrijk"), (SE, "Reigersnest Maatwerk"),
    (ARCHITECT, "Maatwerkbedrijf Blauwe Vlasbloem"), (LOCAL, "Stad Menen"),
    (SE, "Zilverspoor Maatwerk"), (OCMW, "OCMW Harelbeke"), (SE, "Kolibriehof Maatwerk"),
    (LOCAL, "Stad Waregem"), (SE, "Groenatelier Pimpernel"), (OTHER, "Voka West-Vlaanderen"),
    (ARCHITECT, "Werkhuis De Kantelaar"), (SE, "Drukkerij en Verpakking Tweestroom"),
    (LOCAL, "Gemeente Wevelgem"), (VDAB, "GTB Kortrijk"), (SE, "Maatwerk Klaprooshof"),
    (OCMW, "OCMW Kortrijk"), (LOCAL, "Gemeente Zwevegem"), (OTHER, "Howest"),
    (SE, "Maatwerkbedrijf Blauwe Vlasbloem"), (ARCHITECT, "Reigersnest Maatwerk"),
    (LOCAL, "Gemeente Kuurne"), (SE, "Werkhuis De Kantelaar"), (OTHER, "Intercommunale Leiedal"),
    (LOCAL, "Stad Harelbeke"), (VDAB, "VDAB Kortrijk"), (SE, "Zilverspoor Maatwerk"),
    (LOCAL, "Gemeente Deerlijk"), (OTHER, "Designregio Kortrijk"), (SE, "Kolibriehof Maatwerk"),
    (ARCHITECT, "Zilverspoor Maatwerk"), (LOCAL, "Stad Wervik"), (OCMW, "OCMW Menen"),
    (SE, "Groenatelier Pimpernel"), (LOCAL, "Gemeente Anzegem"), (VDAB, "VDAB Kortrijk"),
    (SE, "Drukkerij en Verpakking Tweestroom"), (LOCAL, "Gemeente Lendelede"),
    # The last ones found the event full: the waiting list.
    (SE, "Maatwerk Klaprooshof"), (LOCAL, "Gemeente Avelgem"), (OTHER, "Voka West-Vlaanderen"),
    (OCMW, "OCMW Wevelgem"),
)  # fmt: skip

TREFDAG_GUESTS: tuple[tuple[str, str], ...] = tuple(
    (kind, organisation)
    for pair in zip(
        [(OCMW, f"OCMW {town}") for town in (
            "Kortrijk", "Menen", "Harelbeke", "Waregem", "Wevelgem", "Zwevegem", "Kuurne",
            "Deerlijk", "Anzegem", "Avelgem", "Wervik", "Lendelede", "Wielsbeke", "Spiere-Helkijn",
            "Kortrijk", "Menen", "Waregem",
        )],
        [(VDAB, office) for office in (
            "VDAB Kortrijk", "VDAB Menen", "VDAB Waregem", "GTB Kortrijk", "VDAB Kortrijk",
            "VDAB Harelbeke", "VDAB Kortrijk", "GTB Kortrijk", "VDAB Menen", "VDAB Waregem",
            "VDAB Kortrijk", "VDAB Wevelgem", "GTB Kortrijk", "VDAB Kortrijk", "VDAB Menen",
            "VDAB Waregem", "VDAB Kortrijk",
        )],
        strict=True,
    )
    for kind, organisation in pair
)  # fmt: skip


@dataclass(frozen=True)
class EventPlan:
    title: str
    guests: tuple[tuple[str, str], ...]
    capacity: int
    opened: datetime.date
    closes_days_before: int
    cancelled: tuple[int, ...]  # indexes of guests who cancelled (a seat holder's seat moved on)
    absent: tuple[int, ...]  # registered but not checked in
    description: str
    name_offset: int
    # (first name, last name, stakeholder type, organisation, e-mail) of who came unannounced.
    walk_ins: tuple[tuple[str, str, str, str, str], ...] = ()


PLANS = (
    EventPlan(
        title=ROSE_TITLE,
        guests=ROSE_GUESTS,
        capacity=40,
        opened=datetime.date(2020, 1, 6),
        closes_days_before=3,
        cancelled=(4, 17),
        absent=(2, 9, 21, 30, 35),
        description=(
            "Het Regionaal Overleg Sociale Economie brengt alle partners van de sociale "
            "economie in de regio samen: maatwerkbedrijven, lokale besturen, OCMW's, VDAB en "
            "werkplekarchitecten. Op het programma: de stand van de lokale sociale economie, "
            "de plannen voor individueel maatwerk en tijd om elkaar te leren kennen."
        ),
        name_offset=0,
        walk_ins=(
            ("Lore", "Vanackere", LOCAL, "Gemeente Spiere-Helkijn", ""),
            ("Jonas", "Deweer", SE, "Werkhuis De Kantelaar", "jonas.deweer@example.org"),
        ),
    ),
    EventPlan(
        title=TREFDAG_TITLE,
        guests=TREFDAG_GUESTS,
        capacity=30,
        opened=datetime.date(2020, 2, 3),
        closes_days_before=2,
        cancelled=(6, 19),
        absent=(3, 11, 24),
        description=(
            "Een trefdag voor de toeleiders van de OCMW's en VDAB: wie zijn de sociale-"
            "economiebedrijven in de regio, welke jobs hebben ze, en hoe leiden we mensen vlot "
            "naar de juiste plek?"
        ),
        name_offset=17,
    ),
)


@dataclass
class EventDemoSummary:
    events: int = 0
    registrations: int = 0
    created: int = 0


@transaction.atomic
def event_demo_load(*, region_code: str = REGION_CODE) -> EventDemoSummary:
    """Open registration on the ROSE and the Trefdag of 2020 and fill them. Events the network
    demo has not made are skipped."""
    summary = EventDemoSummary()
    for plan in PLANS:
        meeting = _find(plan.title, region_code)
        if meeting is None:
            continue
        summary.events += 1
        _configure(meeting, plan)
        for registration_created in [*_fill(meeting, plan), *_walk_ins(meeting, plan)]:
            summary.registrations += 1
            summary.created += registration_created
    return summary


def _find(title: str, region_code: str) -> Meeting | None:
    base = title.removesuffix(" 2020")
    return (
        Meeting.objects.filter(
            body__region__code=region_code, title__istartswith=base, start__year=2020
        )
        .order_by("start")
        .first()
    )


def _configure(meeting: Meeting, plan: EventPlan) -> None:
    closes = timezone.localtime(meeting.start) - datetime.timedelta(days=plan.closes_days_before)
    wanted = {
        "registration_open": True,
        "capacity": plan.capacity,
        "registration_closes": closes.replace(hour=23, minute=59, second=0, microsecond=0),
        "public_description": plan.description,
    }
    event = Event.objects.filter(meeting=meeting).first()
    if event is None:
        Event.objects.create(meeting=meeting, **wanted)
    elif any(getattr(event, field) != value for field, value in wanted.items()):
        Event.objects.filter(pk=event.pk).update(**wanted)


def _fill(meeting: Meeting, plan: EventPlan) -> list[bool]:
    """Registrations in the order people registered; returns, per row, whether it was new."""
    opened = timezone.make_aware(datetime.datetime.combine(plan.opened, datetime.time(9)))
    seats = plan.capacity
    results = []
    held = 0
    waiting: list[int] = []
    states: dict[int, dict[str, object]] = {}
    for index, _guest in enumerate(plan.guests):
        registered_at = opened + datetime.timedelta(hours=7 * index + 3)
        if held < seats:
            held += 1
            states[index] = {"status": RegistrationStatus.REGISTERED, "created_at": registered_at}
        else:
            waiting.append(index)
            states[index] = {"status": RegistrationStatus.WAITING, "created_at": registered_at}
    # Cancellations in the weeks before the event; a freed seat goes to the first waiting.
    for number, index in enumerate(plan.cancelled):
        cancelled_at = meeting.start - datetime.timedelta(days=10 - number)
        was_seated = states[index]["status"] == RegistrationStatus.REGISTERED
        states[index] |= {"status": RegistrationStatus.CANCELLED, "cancelled_at": cancelled_at}
        if index in waiting:
            waiting.remove(index)
        if was_seated and waiting:
            promoted = waiting.pop(0)
            states[promoted] |= {
                "status": RegistrationStatus.REGISTERED,
                "promoted_at": cancelled_at,
            }
    for index, (kind, organisation) in enumerate(plan.guests):
        first, last = _name(plan.name_offset + index)
        state = states[index]
        checked_in = (
            meeting.start - datetime.timedelta(minutes=25 - index % 20)
            if state["status"] == RegistrationStatus.REGISTERED and index not in plan.absent
            else None
        )
        fields = {
            "first_name": first,
            "last_name": last,
            "organisation_name": organisation,
            "stakeholder_type": kind,
            "status": state["status"],
            "created_at": state["created_at"],
            "promoted_at": state.get("promoted_at"),
            "cancelled_at": state.get("cancelled_at"),
            "checked_in_at": checked_in,
        }
        results.append(_upsert(meeting, f"{_ascii(first)}.{_ascii(last)}@example.org", fields))
    return results


def _walk_ins(meeting: Meeting, plan: EventPlan) -> list[bool]:
    """The walk-ins, found again by name; returns, per row, whether it was new."""
    results = []
    for number, (first, last, kind, organisation, email) in enumerate(plan.walk_ins):
        arrived = meeting.start - datetime.timedelta(minutes=5 - number)
        fields = {
            "email": email,
            "organisation_name": organisation,
            "stakeholder_type": kind,
            "status": RegistrationStatus.REGISTERED,
            "created_at": arrived,
            "checked_in_at": arrived,
        }
        registration = Registration.objects.filter(
            meeting=meeting, is_walk_in=True, first_name=first, last_name=last
        ).first()
        results.append(registration is None)
        if registration is None:
            registration = Registration.objects.create(
                meeting=meeting, first_name=first, last_name=last, is_walk_in=True, **fields
            )
        changed = {k: v for k, v in fields.items() if getattr(registration, k) != v}
        if changed:  # created_at is set on insert: the demo backdates it
            Registration.objects.filter(pk=registration.pk).update(**changed)
    return results


def _upsert(meeting: Meeting, email: str, fields: dict[str, object]) -> bool:
    registration = Registration.objects.filter(meeting=meeting, email=email).first()
    created = registration is None
    if registration is None:
        registration = Registration.objects.create(meeting=meeting, email=email, **fields)
    # created_at is set on insert; the demo backdates it, and repairs any other drift.
    changed = {k: v for k, v in fields.items() if getattr(registration, k) != v}
    if changed:
        Registration.objects.filter(pk=registration.pk).update(**changed)
    return created


def _name(n: int) -> tuple[str, str]:
    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7) % len(LAST_NAMES)]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def demo_load(*, context: DemoContext) -> str:
    """The public registrations of the demo region's two events of 2020."""
    summary = event_demo_load(region_code=context.region.code)
    return (
        f"events          {summary.events} events, {summary.registrations} registrations; "
        f"this run {summary.created} created"
    )
