"""Demo clients of the Welzijn13 region: about 600 fictional people in the 14 municipalities.

Everything here is made up with a fixed seed (Faker, nl_BE): names, addresses, phone numbers,
trajectories 2016–2020 across the measures, referrals by VDAB, GTB and the OCMWs, doorstep talks
and device loans in the spring of 2020 and digital-skills sessions in the autumn. There are no
national numbers in the demo. The demo user ``counsellor`` follows about 30 clients of their
organisation; the demo user ``partner`` works for a custom work company with clients of its own.

``clients_demo_load`` is idempotent: the clients are created once (recognised by their codes
``D-0001`` …) in bulk, with their history; devices and sessions are found by natural keys.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from regie.accounts.models import User
from regie.clients.models import (
    Client,
    ClientCounsellor,
    ClientFollowUp,
    ClientStatus,
    Condition,
    Contact,
    ContactKind,
    Device,
    DeviceKind,
    DeviceStatus,
    EndReason,
    Enrolment,
    FollowUpStatus,
    Ground,
    Language,
    LegalBasis,
    Loan,
    OrganisationLegalBasis,
    Purpose,
    Referral,
    ReferralStatus,
    SkillsSession,
    Step,
    SupportCategory,
    SupportLevel,
    SupportNeed,
    Trajectory,
    add_months,
)
from regie.clients.services import follow_up_owner
from regie.core.permissions import Role
from regie.registry.demo import DemoContext
from regie.registry.models import (
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Population,
    Recognition,
    Region,
    RegionMembership,
)

SEED = 2020
CLIENTS = 600
FOLLOWED = 30
CODE = "D-{:04d}"
FIRST_DAY, LAST_DAY = datetime.date(2016, 1, 4), datetime.date(2020, 12, 31)
SPRING = (datetime.date(2020, 3, 16), datetime.date(2020, 6, 30))

NOTES = (
    "Gaat goed; mist de collega's en het werk.",
    "Vraagt wanneer de werkvloer opnieuw opengaat.",
    "Heeft materiaal voor thuiswerk gekregen en is er mee bezig.",
    "Korte babbel aan de voordeur; alles in orde.",
    "Voelt zich wat alleen; afgesproken om volgende week terug te bellen.",
    "Heeft hulp nodig bij het inloggen voor videogesprekken.",
    "Is bezorgd over het inkomen; doorverwezen naar het OCMW.",
    "Wil graag opnieuw starten zodra het kan.",
)
WORRYING = (
    "Voelt zich wat alleen; afgesproken om volgende week terug te bellen.",
    "Is bezorgd over het inkomen; doorverwezen naar het OCMW.",
)
SESSIONS = (
    ("Aan de slag met de laptop", 9),
    ("Veilig e-mailen en surfen", 10),
    ("Videobellen met je begeleider", 10),
    ("Mijn Loopbaan bij VDAB: inloggen en solliciteren", 11),
    ("Itsme en het eloket van je gemeente", 11),
    ("Foto's en berichten op je smartphone", 12),
)


@dataclass
class ClientsDemoSummary:
    clients: int
    followed: int
    steps: int
    referrals: int
    contacts: int
    follow_ups: int
    devices: int
    loans: int
    sessions: int
    enrolments: int
    created: bool


@dataclass
class _DemoStep:
    """One dated step of a fictional client, before it is written."""

    measure: str  # the measure's code
    organisation: Organisation
    start: datetime.date
    hours: Decimal
    planned_end: datetime.date | None
    support_level: str
    end: datetime.date | None = None
    end_reason: str = ""


@dataclass
class _Plan:
    """One fictional client before it is written: the client, its referral and dated steps."""

    client: Client
    first_organisation: Organisation
    steps: list[_DemoStep]
    referral: Referral  # its client is set once the client is written


def demo_load(*, context: DemoContext) -> str:
    """The fictional clients of the demo region (called by ``manage.py load_demo``)."""
    summary = clients_demo_load(region=context.region, actor=context.actor)
    return (
        f"clients         {summary.clients} clients ({summary.followed} followed by the demo "
        f"counsellor), {summary.steps} steps, {summary.contacts} contacts, {summary.loans} loans"
        + ("" if summary.created else "; already there")
    )


@transaction.atomic
def clients_demo_load(*, region: Region, actor: User) -> ClientsDemoSummary:
    rng = random.Random(SEED)
    fake = Faker("nl_BE")
    fake.seed_instance(SEED)
    counsellor = User.objects.filter(username="counsellor", role=Role.COUNSELLOR).first()
    partner = User.objects.filter(username="partner", role=Role.PARTNER).first()
    created = not Client.objects.filter(code=CODE.format(1)).exists()
    if created:
        _clients_create(
            region=region, actor=actor, rng=rng, fake=fake, counsellor=counsellor, partner=partner
        )
    if counsellor is not None:
        _follow(region=region, actor=actor, counsellor=counsellor)
    _organisation_bases(actor=actor, counsellor=counsellor, partner=partner)
    devices = _devices(region=region, actor=actor, counsellor=counsellor, partner=partner)
    if created:
        _loans(region=region, actor=actor, rng=rng, devices=devices)
    _sessions(region=region, actor=actor, rng=rng)
    clients = Client.objects.filter(region=region, code__startswith="D-")
    return ClientsDemoSummary(
        clients=clients.count(),
        followed=ClientCounsellor.objects.filter(client__in=clients, end__isnull=True).count(),
        steps=Step.objects.filter(trajectory__client__in=clients).count(),
        referrals=Referral.objects.filter(client__in=clients).count(),
        contacts=Contact.objects.filter(client__in=clients).count(),
        follow_ups=ClientFollowUp.objects.filter(client__in=clients).count(),
        devices=Device.objects.filter(organisation__region=region).count(),
        loans=Loan.objects.filter(client__in=clients).count(),
        sessions=SkillsSession.objects.filter(region=region).count(),
        enrolments=Enrolment.objects.filter(client__in=clients).count(),
        created=created,
    )


# Organisations by measure --------------------------------------------------------------------


def _recognised(region: Region) -> dict[str, list[Organisation]]:
    by_measure: dict[str, list[Organisation]] = defaultdict(list)
    for recognition in (
        Recognition.objects.filter(organisation__region=region, organisation__is_archived=False)
        .select_related("organisation", "measure")
        .order_by("organisation__name", "measure__code")
    ):
        organisations = by_measure[recognition.measure.code]
        if recognition.organisation not in organisations:
            organisations.append(recognition.organisation)
    return by_measure


def _municipality_weights(region: Region) -> list[tuple[Municipality, int]]:
    members = (
        RegionMembership.objects.filter(region=region)
        .select_related("municipality")
        .prefetch_related("municipality__postcodes")
    )
    populations = {
        p.municipality_id: p.inhabitants
        for p in Population.objects.filter(municipality__regions=region).order_by("year")
    }
    municipalities = sorted({m.municipality for m in members}, key=lambda m: m.nis_code)
    return [(m, populations.get(m.pk, 10_000)) for m in municipalities]


# Clients, referrals, trajectories, steps -----------------------------------------------------


def _clients_create(
    *,
    region: Region,
    actor: User,
    rng: random.Random,
    fake: Faker,
    counsellor: User | None,
    partner: User | None,
) -> None:
    measures = {m.code: m for m in Measure.objects.all()}
    recognised = _recognised(region)
    municipalities = _municipality_weights(region)
    referrers = {
        "vdab": Organisation.objects.filter(region=region, kind=OrganisationKind.VDAB)
        .exclude(name__icontains="GTB")
        .first(),
        "gtb": Organisation.objects.filter(
            region=region, kind=OrganisationKind.VDAB, name__icontains="GTB"
        ).first(),
    }
    ocmws = {
        o.name.removeprefix("OCMW ").lower(): o
        for o in Organisation.objects.filter(region=region, kind=OrganisationKind.OCMW)
    }
    fallback = Organisation.objects.filter(region=region).order_by("pk").first()
    if fallback is None or not recognised:
        return
    home = counsellor.organisation if counsellor else None
    floor = partner.organisation if partner else None
    plans: list[_Plan] = []
    for number in range(1, CLIENTS + 1):
        municipality = rng.choices(
            [m for m, _w in municipalities], weights=[w for _m, w in municipalities]
        )[0]
        path = _path(rng, number=number, home=home, floor=floor, recognised=recognised)
        client = _client(
            rng, fake, number=number, region=region, municipality=municipality, path=path
        )
        kind = rng.choices(["vdab", "gtb", "ocmw"], weights=[5, 2, 3])[0]
        referrer = (
            ocmws.get(municipality.name.lower()) if kind == "ocmw" else referrers.get(kind)
        ) or fallback
        first = path[0] if path else None
        referral_day = (first.start if first else _day(rng, 2020, 1, 2020, 11)) - (
            datetime.timedelta(days=rng.randint(10, 60))
        )
        status = ReferralStatus.STARTED
        reason = ""
        if not path:
            status = rng.choice(
                [ReferralStatus.REGISTERED, ReferralStatus.REFERRED, ReferralStatus.REFUSED]
            )
            reason = "Kiest voor een opleiding." if status == ReferralStatus.REFUSED else ""
        target_measure = first.measure if first else rng.choice(["AZ", "CMW", "LDE"])
        target = first.organisation if first else (recognised.get(target_measure) or [fallback])[0]
        plans.append(
            _Plan(
                client=client,
                first_organisation=target,
                steps=path,
                referral=Referral(
                    referring_organisation=referrer,
                    target_organisation=target,
                    measure=measures[target_measure],
                    referred_on=referral_day,
                    status=status,
                    reason=reason,
                ),
            )
        )
        client.organisation = target
        if kind in {"vdab", "gtb"}:
            client.vdab_reference = f"VDAB-{rng.randint(1_000_000, 9_999_999)}"
    clients = bulk_create_with_history([p.client for p in plans], Client, default_user=actor)
    for plan, client in zip(plans, clients, strict=True):
        plan.client = plan.referral.client = client
    bulk_create_with_history([p.referral for p in plans], Referral, default_user=actor)
    trajectories = bulk_create_with_history(
        [
            Trajectory(
                client=p.client,
                started_on=p.steps[0].start,
                ended_on=_trajectory_end(p.steps),
            )
            for p in plans
            if p.steps
        ],
        Trajectory,
        default_user=actor,
    )
    by_client = {t.client_id: t for t in trajectories}
    steps = [
        Step(
            trajectory=by_client[p.client.pk],
            measure=measures[step.measure],
            organisation=step.organisation,
            start=step.start,
            planned_end=step.planned_end,
            end=step.end,
            end_reason=step.end_reason,
            hours_per_week=step.hours,
            support_level=step.support_level,
        )
        for p in plans
        for step in p.steps
    ]
    bulk_create_with_history(steps, Step, default_user=actor)
    _bases_and_needs(rng, plans=plans, actor=actor)
    _contacts(rng, plans=plans, actor=actor, counsellor=counsellor, partner=partner)


def _client(
    rng: random.Random,
    fake: Faker,
    *,
    number: int,
    region: Region,
    municipality: Municipality,
    path: list[_DemoStep],
) -> Client:
    first_name, last_name = fake.first_name(), fake.last_name()
    postcodes = [postcode.code for postcode in municipality.postcodes.all()] or [""]
    status = ClientStatus.REGISTERED
    if path:
        status = ClientStatus.ENDED if _trajectory_end(path) else ClientStatus.ACTIVE
    latitude = longitude = None
    if municipality.latitude is not None and municipality.longitude is not None:
        latitude = Decimal(municipality.latitude) + Decimal(rng.uniform(-0.02, 0.02)).quantize(
            Decimal("0.000001")
        )
        longitude = Decimal(municipality.longitude) + Decimal(rng.uniform(-0.03, 0.03)).quantize(
            Decimal("0.000001")
        )
    return Client(
        region=region,
        code=CODE.format(number),
        first_name=first_name,
        last_name=last_name,
        birth_date=_day(rng, 1958, 1, 2001, 12),
        street=f"{fake.street_name()} {rng.randint(1, 180)}",
        postcode=postcodes[0] if len(postcodes) == 1 else rng.choice(postcodes),
        municipality=municipality,
        latitude=latitude,
        longitude=longitude,
        phone=f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        email=(
            f"{_ascii(first_name)}.{_ascii(last_name)}{number}@example.be"
            if rng.random() < 0.3
            else ""
        ),
        language=rng.choices(
            [Language.DUTCH, Language.FRENCH, Language.ENGLISH, Language.OTHER],
            weights=[85, 5, 4, 6],
        )[0],
        status=status,
    )


def _ascii(name: str) -> str:
    return "".join(c for c in name.lower() if c.isascii() and c.isalpha())


def _day(
    rng: random.Random, year: int, month: int, last_year: int, last_month: int
) -> datetime.date:
    start = datetime.date(year, month, 1)
    end = add_months(datetime.date(last_year, last_month, 1), 1) - datetime.timedelta(days=1)
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _trajectory_end(steps: list[_DemoStep]) -> datetime.date | None:
    last = steps[-1]
    if last.end and last.end_reason != EndReason.OTHER_MEASURE:
        return last.end
    return None


def _path(
    rng: random.Random,
    *,
    number: int,
    home: Organisation | None,
    floor: Organisation | None,
    recognised: dict[str, list[Organisation]],
) -> list[_DemoStep]:
    """The dated steps of one client: a start in a measure, then maybe a next one."""
    if number % 10 == 0:
        return []  # referred in 2020, not started (yet)
    # The counsellor's and the partner's organisations get clients of their own first.
    if number <= 60 and home is not None:
        first = ("AZ", home)
    elif number <= 100 and floor is not None:
        first = (rng.choice(["CMW", "SINE", "AZ"]), floor)
    else:
        code = rng.choices(
            ["AZ", "LDE", "SINE", "CMW", "WW", "MWA"], weights=[30, 22, 14, 18, 12, 4]
        )[0]
        first = (code, rng.choice(recognised.get(code) or recognised["AZ"]))
    steps: list[_DemoStep] = []
    start = _day(rng, 2016, 1, 2020, 9)
    code, organisation = first
    if code in {"CMW", "MWA"} and start < datetime.date(2019, 1, 1):
        start = _day(rng, 2019, 1, 2020, 9)
    if code == "WW" and start < datetime.date(2018, 1, 1):
        start = _day(rng, 2018, 1, 2020, 9)
    while True:
        step = _step(rng, code=code, organisation=organisation, start=start)
        steps.append(step)
        if step.end_reason != EndReason.OTHER_MEASURE or len(steps) > 2:
            if step.end_reason == EndReason.OTHER_MEASURE:
                step.end_reason = EndReason.OTHER  # no next step in the demo's horizon
            return steps
        assert step.end is not None  # a step that led on to another measure has ended
        start = step.end + datetime.timedelta(days=1)
        if start > LAST_DAY:
            step.end_reason = EndReason.OTHER
            return steps
        code = _next_measure(rng, code=code, day=step.end)
        organisation = rng.choice(recognised.get(code) or recognised["AZ"])
        if floor is not None and code == "CMW" and rng.random() < 0.3:
            organisation = floor


def _next_measure(rng: random.Random, *, code: str, day: datetime.date) -> str:
    if day >= datetime.date(2019, 1, 1):
        nexts = {"AZ": ["CMW", "CMW", "LDE"], "SINE": ["CMW"], "WW": ["LDE", "CMW"]}
        return rng.choice(nexts.get(code, ["MWA"]))  # from (collective) maatwerk: a department
    return rng.choice({"AZ": ["LDE", "SINE"], "SINE": ["LDE"], "WW": ["LDE"]}.get(code, ["SINE"]))


def _step(
    rng: random.Random, *, code: str, organisation: Organisation, start: datetime.date
) -> _DemoStep:
    hours = {
        "AZ": rng.choice([12, 16, 19, 24]),
        "LDE": rng.choice([19, 28.5, 38]),
        "SINE": rng.choice([19, 30.4, 38]),
        "CMW": rng.choice([19, 30.4, 38]),
        "MWA": rng.choice([19, 38]),
        "WW": rng.choice([8, 10, 12]),
    }[code]
    months = {"LDE": rng.randint(8, 56), "WW": rng.randint(3, 12)}.get(code, rng.randint(6, 40))
    planned = {"LDE": 60, "WW": 12}.get(code)
    step = _DemoStep(
        measure=code,
        organisation=organisation,
        start=start,
        hours=Decimal(str(hours)),
        planned_end=add_months(start, planned) - datetime.timedelta(days=1) if planned else None,
        support_level=rng.choice(["low", "medium", "high"]) if code in {"CMW", "AZ"} else "",
    )
    end = add_months(start, months)
    if end <= LAST_DAY and rng.random() < 0.75:
        step.end = end
        step.end_reason = rng.choices(
            [
                EndReason.REGULAR_JOB,
                EndReason.OTHER_MEASURE,
                EndReason.DROP_OUT,
                EndReason.RETIREMENT,
                EndReason.OTHER,
            ],
            weights={"LDE": [45, 10, 30, 5, 10], "WW": [35, 40, 15, 0, 10]}.get(
                code, [15, 45, 25, 5, 10]
            ),
        )[0]
    return step


def _bases_and_needs(rng: random.Random, *, plans: list[_Plan], actor: User) -> None:
    bases = []
    needs = []
    for plan in plans:
        recorded = plan.referral.referred_on
        bases.append(
            LegalBasis(
                client=plan.client,
                purpose=Purpose.TRAJECTORY,
                ground=Ground.PUBLIC_TASK,
                reference="Decreet maatwerk bij collectieve inschakeling / LDE-decreet",
                recorded_by=actor,
            )
        )
        if plan.steps and plan.steps[0].measure in {"AZ", "CMW"} and rng.random() < 0.4:
            bases.append(
                LegalBasis(
                    client=plan.client,
                    purpose=Purpose.SUPPORT_NEED,
                    ground=Ground.EXPLICIT_CONSENT,
                    reference=f"Toestemmingsformulier van {recorded:%d-%m-%Y}",
                    recorded_by=actor,
                )
            )
            needs.append(
                SupportNeed(
                    client=plan.client,
                    category=rng.choice(
                        [
                            SupportCategory.PHYSICAL,
                            SupportCategory.PSYCHOSOCIAL,
                            SupportCategory.COGNITIVE,
                            SupportCategory.LANGUAGE,
                            SupportCategory.MOBILITY,
                        ]
                    ),
                    level=rng.choice(list(SupportLevel)),
                    recorded_by=actor,
                )
            )
    bulk_create_with_history(bases, LegalBasis, default_user=actor)
    bulk_create_with_history(needs, SupportNeed, default_user=actor)


def _active_in_spring(plan: _Plan) -> Organisation | None:
    for step in plan.steps:
        end = step.end or LAST_DAY
        if step.start <= SPRING[0] and end >= SPRING[1]:
            return step.organisation
    return None


def _contacts(
    rng: random.Random,
    *,
    plans: list[_Plan],
    actor: User,
    counsellor: User | None,
    partner: User | None,
) -> None:
    """Doorstep talks, calls and video calls with clients at home during the first lockdown."""
    contacts: list[Contact] = []
    for plan in plans:
        organisation = _active_in_spring(plan)
        if organisation is None or rng.random() < 0.35:
            continue
        by = None
        if counsellor is not None and organisation == counsellor.organisation:
            by = counsellor
        elif partner is not None and organisation == partner.organisation:
            by = partner
        for _talk in range(rng.randint(1, 3)):
            note = rng.choice(NOTES)
            contacts.append(
                Contact(
                    client=plan.client,
                    kind=rng.choices(
                        [ContactKind.DOORSTEP, ContactKind.PHONE, ContactKind.VIDEO],
                        weights=[5, 4, 1],
                    )[0],
                    on=_between(rng, *SPRING),
                    by=by,
                    organisation=organisation,
                    note=note,
                    wellbeing_flag=note in WORRYING,
                )
            )
    contacts = bulk_create_with_history(contacts, Contact, default_user=actor)
    follow_ups = []
    for contact in contacts:
        if not contact.wellbeing_flag:
            continue
        due = contact.on + datetime.timedelta(days=3)
        done = due < datetime.date(2020, 6, 1)
        owner = follow_up_owner(client=contact.client, actor=contact.by)
        follow_ups.append(
            ClientFollowUp(
                client=contact.client,
                contact=contact,
                assignee=owner,
                description=f"Welzijn: terugbellen na het gesprek van {contact.on:%d/%m}.",
                due=due,
                status=FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
                done_at=timezone.make_aware(datetime.datetime.combine(due, datetime.time(11)))
                if done
                else None,
                done_by=owner if done else None,
            )
        )
    bulk_create_with_history(follow_ups, ClientFollowUp, default_user=actor)


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


# Counsellor, legal bases, devices, sessions --------------------------------------------------


def _follow(*, region: Region, actor: User, counsellor: User) -> None:
    """The demo counsellor follows about 30 clients with a step at their organisation."""
    if ClientCounsellor.objects.filter(counsellor=counsellor, client__region=region).exists():
        return
    clients = (
        Client.objects.filter(
            region=region,
            code__startswith="D-",
            trajectories__steps__organisation=counsellor.organisation,
        )
        .distinct()
        .order_by("status", "code")[:FOLLOWED]
    )
    bulk_create_with_history(
        [
            ClientCounsellor(client=client, counsellor=counsellor, start=datetime.date(2019, 9, 1))
            for client in clients
        ],
        ClientCounsellor,
        default_user=actor,
    )


def _organisation_bases(*, actor: User, counsellor: User | None, partner: User | None) -> None:
    for user in (counsellor, partner):
        if user is None or user.organisation is None:
            continue
        OrganisationLegalBasis.objects.get_or_create(
            organisation=user.organisation,
            purpose=Purpose.NATIONAL_NUMBER,
            defaults={
                "reference": "Fictief voorbeeld: machtiging van het informatieveiligheidscomité",
                "recorded_by": actor,
            },
        )


def _devices(
    *, region: Region, actor: User, counsellor: User | None, partner: User | None
) -> list[Device]:
    owners: list[tuple[Organisation, str, int, DeviceKind]] = []
    digital = Organisation.objects.filter(region=region, name__icontains="Muisklik").first()
    if digital is not None:
        owners += [
            (digital, "MK-L", 12, DeviceKind.LAPTOP),
            (digital, "MK-T", 6, DeviceKind.TABLET),
            (digital, "MK-H", 4, DeviceKind.HOTSPOT),
        ]
    for user, prefix in ((counsellor, "ZW"), (partner, "VB")):
        if user is not None and user.organisation is not None:
            owners += [
                (user.organisation, f"{prefix}-L", 5, DeviceKind.LAPTOP),
                (user.organisation, f"{prefix}-T", 3, DeviceKind.TABLET),
            ]
    devices = []
    labels = {
        DeviceKind.LAPTOP: "Laptop",
        DeviceKind.TABLET: "Tablet",
        DeviceKind.HOTSPOT: "Hotspot",
    }
    for organisation, prefix, count, kind in owners:
        for n in range(1, count + 1):
            device, _created = Device.objects.get_or_create(
                organisation=organisation,
                serial_number=f"{prefix}-2020-{n:03d}",
                defaults={"kind": kind, "label": f"{labels[kind]} {n}"},
            )
            devices.append(device)
    return devices


def _loans(*, region: Region, actor: User, rng: random.Random, devices: list[Device]) -> None:
    """Devices lent during the lockdown, to clients of the owner when it has some; most came
    back in the summer, a few never did."""
    if not devices:
        return
    candidates = list(
        Client.objects.filter(region=region, code__startswith="D-", status=ClientStatus.ACTIVE)
        .filter(contacts__on__range=SPRING)
        .distinct()
        .order_by("code")
    )
    rng.shuffle(candidates)
    by_organisation: dict[int, list[Client]] = defaultdict(list)
    at = dict(
        Step.objects.filter(trajectory__client__in=candidates, end__isnull=True).values_list(
            "trajectory__client_id", "organisation_id"
        )
    )
    for client in candidates:
        if client.pk in at:
            by_organisation[at[client.pk]].append(client)
    used: set[int] = set()
    loans = []
    statuses: dict[int, DeviceStatus] = {}
    for device in devices:
        pool = [c for c in by_organisation.get(device.organisation_id, []) if c.pk not in used]
        pool = pool or [c for c in candidates if c.pk not in used]
        if not pool or rng.random() < 0.2:
            continue
        client = pool[0]
        used.add(client.pk)
        start = _between(rng, datetime.date(2020, 3, 23), datetime.date(2020, 5, 15))
        due = start + datetime.timedelta(days=rng.choice([60, 90, 120]))
        returned = rng.random() < 0.7
        condition = rng.choices([Condition.GOOD, Condition.FAIR, Condition.DAMAGED], [7, 2, 1])[0]
        loans.append(
            Loan(
                device=device,
                client=client,
                start=start,
                due=due,
                returned_on=due - datetime.timedelta(days=rng.randint(0, 20)) if returned else None,
                condition_out=rng.choice([Condition.NEW, Condition.GOOD]),
                condition_returned=condition if returned else "",
                accessories="lader" if device.kind != DeviceKind.HOTSPOT else "lader, simkaart",
                lent_by=actor,
            )
        )
        if not returned:
            statuses[device.pk] = DeviceStatus.LENT
        elif condition == Condition.DAMAGED:
            statuses[device.pk] = DeviceStatus.REPAIR
    bulk_create_with_history(loans, Loan, default_user=actor)
    for status in (DeviceStatus.LENT, DeviceStatus.REPAIR):
        Device.objects.filter(pk__in=[pk for pk, s in statuses.items() if s == status]).update(
            status=status
        )


def _sessions(*, region: Region, actor: User, rng: random.Random) -> None:
    organiser = (
        Organisation.objects.filter(region=region, name__icontains="Muisklik").first()
        or Organisation.objects.filter(region=region).order_by("pk").first()
    )
    if organiser is None:
        return
    clients = list(
        Client.objects.filter(region=region, code__startswith="D-", status=ClientStatus.ACTIVE)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    tz = timezone.get_current_timezone()
    for index, (title, month) in enumerate(SESSIONS):
        starts_at = datetime.datetime(2020, month, 7 + 7 * (index % 3), 9, 30, tzinfo=tz)
        session, created = SkillsSession.objects.get_or_create(
            region=region,
            title=title,
            starts_at=starts_at,
            defaults={
                "organisation": organiser,
                "place": "Digitaal Buurtatelier, Kortrijk",
                "capacity": 8,
                "duration_minutes": 150,
            },
        )
        if not created or not clients:
            continue
        picked = rng.sample(clients, k=min(len(clients), rng.randint(5, 8)))
        bulk_create_with_history(
            [
                Enrolment(
                    session=session,
                    client_id=pk,
                    enrolled_by=actor,
                    attended=rng.random() < 0.8,
                )
                for pk in picked
            ],
            Enrolment,
            default_user=actor,
        )
